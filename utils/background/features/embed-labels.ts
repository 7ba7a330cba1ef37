/**
 * Embed labels: a compact notice on each embed of a restricted platform that the detector found in a
 * frame. The notice UI itself finds the embeds again in its frame and caps the labels at 12.
 */
import { explainPlatform, type ExplainedPlatform } from '../../explain';
import { withRecords, type DecisionContext, type RecordsContext } from '../context';
import { defineFeature } from '../host';
import { framePlatforms, type TabState } from '../tab-state';
import { noticeAllowed } from './mutes';
import { observedNoticeText } from '../../observed/words';

/** The platforms a frame may label, by what was found there and the user's settings. */
export function labelPlatforms(ctx: Pick<DecisionContext, 'settings' | 'restrictedNow' | 'watched' | 'observedFailing'>, s: TabState, frameId: number): string[] {
  return framePlatforms(s, frameId).filter((p) => noticeAllowed(ctx, s.site, p));
}

/**
 * What the labels in a frame say: each platform with the restrictions to show (in force, or history if asked for),
 * and its basis. A platform observed failing with nothing in force recorded says what was seen, with its history.
 */
export function labelsFor(ctx: RecordsContext, s: TabState, frameId: number): ExplainedPlatform[] {
  const opts = { lang: ctx.lang, t: ctx.t, today: ctx.today, includeLifted: ctx.settings.notices.showLifted };
  return labelPlatforms(ctx, s, frameId)
    .map((p): ExplainedPlatform | null => {
      if (ctx.observedFailing.has(p)) {
        const explained = explainPlatform(ctx.records, p, ctx.region.regions, { ...opts, includeLifted: true });
        if (!explained) return null;
        const words = { dataset: ctx.dataset, regions: ctx.region.regions, lang: ctx.lang, t: ctx.t };
        return { ...explained, basis: 'observed', observed: observedNoticeText(words, { id: p, name: explained.name }, ctx.observed.get(p)?.outcome ?? null) };
      }
      const explained = explainPlatform(ctx.records, p, ctx.region.regions, opts);
      return explained && explained.restrictions.length > 0 ? { ...explained, basis: 'recorded' } : null;
    })
    .filter((p): p is ExplainedPlatform => p !== null);
}

export default defineFeature({
  id: 'embed-labels',
  setup(bg) {
    bg.notices.register({
      id: 'embed-labels',
      wants: (ctx, s, frameId) => labelPlatforms(ctx, s, frameId).length > 0,
      build: async (ctx, s, frameId) => ({ platforms: labelsFor(await withRecords(ctx), s, frameId) }),
    });
    bg.tabs.onChange(({ tabId, event }) => {
      if (event.type === 'found') void bg.notices.ensure(tabId, event.frameId);
    });
  },
});
