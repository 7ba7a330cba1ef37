/** The popup: what was found on a tab, with context, and this tab's reachability results. */
import { dirOf, regionName } from '../../i18n-core';
import { explainPlatform, type ExplainedPlatform } from '../../explain';
import type { PopupState } from '../../protocol';
import { withRecords, type RecordsContext } from '../context';
import { defineFeature } from '../host';
import type { TabState } from '../tab-state';
import { isMuted } from './mutes';
import { statusLine } from '../../observed/words';

/**
 * Every platform found on the tab that has any record in the user's regions or is observed failing here, in force
 * first, each with one status line combining the recorded and the observed basis.
 */
export function popupState(ctx: RecordsContext, s: TabState): PopupState {
  const opts = { lang: ctx.lang, t: ctx.t, today: ctx.today, includeLifted: true };
  const platforms = Object.keys(s.platforms)
    .map((p) => explainPlatform(ctx.records, p, ctx.region.regions, opts))
    .filter((p): p is ExplainedPlatform => p !== null && (p.restrictions.length > 0 || ctx.observedFailing.has(p.platform)))
    .map((p): ExplainedPlatform => {
      const observed = ctx.observed.get(p.platform);
      const status = statusLine(ctx.t, p.active, ctx.settings.notices.observed ? observed : undefined);
      return { ...p, basis: ctx.observedFailing.has(p.platform) ? 'observed' : 'recorded', status };
    })
    .sort((a, b) => Number(b.active || b.basis === 'observed') - Number(a.active || a.basis === 'observed'));
  return {
    lang: ctx.lang,
    dir: dirOf(ctx.lang),
    regions: ctx.region.regions.map((code) => ({ code, name: regionName(code, ctx.lang) })),
    regionSource: ctx.region.source,
    site: s.site,
    siteMuted: s.site ? isMuted({ mutedSites: ctx.settings.notices.mutedSites, mutedPlatforms: [] }, s.site, '') : false,
    noticesMode: ctx.settings.notices.mode,
    noticesEnabled: ctx.settings.notices.enabled,
    restrictedHere: ctx.restrictedNow.size,
    platforms,
    reach: Object.entries(s.reach).map(([host, r]) => ({ host, platform: r.platform, outcomes: r.outcomes, lastError: r.lastError })),
    dataset: { version: ctx.dataset.version, asOf: ctx.dataset.asOf, researchedThrough: ctx.dataset.researchedThrough, source: ctx.datasetSource },
  };
}

export default defineFeature({
  id: 'popup',
  setup(bg) {
    bg.onPage('popup:state', async ({ tabId }, ctx) => popupState(await withRecords(ctx), await bg.tabs.read(tabId)));
  },
});
