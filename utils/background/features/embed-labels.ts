/**
 * Embed labels: a compact notice on each embed of a restricted platform that the detector found in a
 * frame. The notice UI itself finds the embeds again in its frame and caps the labels at 12.
 */
import { explainPlatform, type ExplainedPlatform } from '../../explain';
import type { DecisionContext } from '../context';
import { defineFeature } from '../host';
import { framePlatforms, type TabState } from '../tab-state';
import { noticeAllowed } from './mutes';

/** The platforms a frame may label, by what was found there and the user's settings. */
export function labelPlatforms(ctx: Pick<DecisionContext, 'settings' | 'restrictedNow' | 'watched'>, s: TabState, frameId: number): string[] {
  return framePlatforms(s, frameId).filter((p) => noticeAllowed(ctx, s.site, p));
}

/** What the labels in a frame say: each platform with the restrictions to show (in force, or history if asked for). */
export function labelsFor(ctx: DecisionContext, s: TabState, frameId: number): ExplainedPlatform[] {
  const opts = { lang: ctx.lang, t: ctx.t, today: ctx.today, includeLifted: ctx.settings.notices.showLifted };
  return labelPlatforms(ctx, s, frameId)
    .map((p) => explainPlatform(ctx.dataset, p, ctx.region.regions, opts))
    .filter((p): p is ExplainedPlatform => p !== null && p.restrictions.length > 0);
}

export default defineFeature({
  id: 'embed-labels',
  setup(bg) {
    bg.notices.register({
      id: 'embed-labels',
      wants: (ctx, s, frameId) => labelPlatforms(ctx, s, frameId).length > 0,
      build: (ctx, s, frameId) => ({ platforms: labelsFor(ctx, s, frameId) }),
    });
    bg.tabs.onChange(({ tabId, event }) => {
      if (event.type === 'found') void bg.notices.ensure(tabId, event.frameId);
    });
  },
});
