/**
 * The platform banner: when the top-level page is itself a restricted platform and it loaded (a VPN
 * user, or a partial block), one banner, once per browser session per platform, dismissible.
 */
import { explainPlatform, type ExplainedPlatform } from '../../explain';
import { bannersShownItem } from '../../storage';
import { withRecords, type DecisionContext, type RecordsContext } from '../context';
import { defineFeature } from '../host';
import type { TabState } from '../tab-state';
import { noticeAllowed } from './mutes';

/** The platform whose banner this frame should show, or null. `shown`: banners already shown this session. */
export function bannerPlatform(ctx: Pick<DecisionContext, 'settings' | 'restrictedNow' | 'watched'>, s: TabState, frameId: number, shown: readonly string[]): string | null {
  // The banner stands on the recorded basis only: a platform's own page that loaded is no observed failure.
  if (frameId !== 0 || !s.page || !noticeAllowed({ ...ctx, observedFailing: new Set() }, s.site, s.page)) return null;
  return shown.includes(s.page) ? null : s.page;
}

export function explainBanner(ctx: RecordsContext, platform: string): ExplainedPlatform | null {
  const explained = explainPlatform(ctx.records, platform, ctx.region.regions, { lang: ctx.lang, t: ctx.t, today: ctx.today, includeLifted: ctx.settings.notices.showLifted });
  return explained && explained.restrictions.length > 0 ? explained : null;
}

/** The session's shown list with this platform added (once). */
export function withBannerShown(shown: readonly string[], platform: string): string[] {
  return shown.includes(platform) ? [...shown] : [...shown, platform];
}

async function markShown(platform: string): Promise<void> {
  const shown = await bannersShownItem.getValue();
  if (!shown.includes(platform)) await bannersShownItem.setValue(withBannerShown(shown, platform));
}

export default defineFeature({
  id: 'banner',
  setup(bg) {
    bg.notices.register({
      id: 'banner',
      wants: async (ctx, s, frameId) => bannerPlatform(ctx, s, frameId, await bannersShownItem.getValue()) !== null,
      build: async (ctx, s, frameId) => {
        const platform = bannerPlatform(ctx, s, frameId, await bannersShownItem.getValue());
        if (!platform) return { banner: null };
        // Once per session per platform: delivering the banner counts as showing it.
        await markShown(platform);
        return { banner: explainBanner(await withRecords(ctx), platform) };
      },
    });
    bg.onContent('notice:banner-dismissed', async ({ platform }) => {
      await markShown(platform);
      return { ok: true };
    });
    bg.tabs.onChange(({ tabId, after, event }) => {
      if (event.type === 'document' && event.frameId === 0 && after.page) void bg.notices.ensure(tabId, 0);
    });
  },
});
