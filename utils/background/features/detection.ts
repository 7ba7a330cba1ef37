/**
 * What is on each tab: the page itself (a main-frame load of a platform), requests to platform hosts,
 * and the embeds each frame's detector reports. All of it goes into the tab state as reducer events;
 * the badge, labels and banner react to the changes.
 */
import { matchUrl } from '../../dataset/matcher';
import { hostOfUrl } from '../../dataset/matcher';
import type { ContentRequest } from '../../protocol';
import { defineFeature } from '../host';
import type { DecisionContext } from '../context';
import { EMBED_KINDS, type EmbedKind } from '../tab-state';

/** The detector's counts, reduced to the kinds found of platforms we asked it to look for. Anything else is noise or a forgery. */
export function watchedFindings(ctx: Pick<DecisionContext, 'watched'>, found: ContentRequest<'found'>['found']): Record<string, EmbedKind[]> {
  const out: Record<string, EmbedKind[]> = {};
  for (const [platform, counts] of Object.entries(found)) {
    if (!ctx.watched.has(platform)) continue;
    const kinds = EMBED_KINDS.filter((k) => counts[k] !== undefined);
    if (kinds.length) out[platform] = kinds;
  }
  return out;
}

export default defineFeature({
  id: 'detection',
  setup(bg) {
    bg.onRequestStart((start) => {
      if (start.resourceType === 'main_frame') {
        void bg.tabs.dispatch(start.tabId, { type: 'navigated', site: start.host, platform: start.match?.platform ?? null, at: start.timeStamp });
      } else if (start.match) {
        void bg.tabs.dispatch(start.tabId, { type: 'request', platform: start.match.platform, resourceType: start.resourceType });
      }
    });
    bg.onObservation((obs) => {
      if (obs.tabId < 0) return;
      return bg.tabs.dispatch(obs.tabId, { type: 'reach', host: obs.host, platform: obs.match.platform, outcome: obs.outcome, error: obs.error });
    });
    bg.onContent('signatures', async (_request, from, ctx) => {
      const match = from.frameId === 0 ? matchUrl(ctx.hostIndex, from.url) : null;
      await bg.tabs.dispatch(from.tabId, {
        type: 'document',
        frameId: from.frameId,
        site: hostOfUrl(from.url),
        platform: match && ctx.watched.has(match.platform) ? match.platform : null,
        at: Date.now(),
      });
      return ctx.pack;
    });
    bg.onContent('found', async ({ found }, from, ctx) => {
      await bg.tabs.dispatch(from.tabId, { type: 'found', frameId: from.frameId, found: watchedFindings(ctx, found) });
      return { ok: true };
    });
  },
});
