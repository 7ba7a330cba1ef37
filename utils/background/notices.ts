/**
 * Decides which frames get the notice UI and what it says. The UI bundle is injected only into frames
 * that have something to show, so pages with no restricted platform never load it.
 */
import browser from 'webextension-polyfill';
import { decisionContext, noticeAllowed, type DecisionContext } from './context';
import { markDirty, tabState, type TabState } from './tab-state';
import { explainPlatform, type ExplainedPlatform } from '../explain';
import { dirOf, type Lang } from '../i18n';

export const NOTICE_SCRIPT = '/content-scripts/notice.js';
const BANNERS_SHOWN = 'bannersShown';
const INJECT_ATTEMPTS = 3;

export interface NoticeContext {
  lang: Lang;
  dir: 'ltr' | 'rtl';
  platforms: ExplainedPlatform[];
  banner: ExplainedPlatform | null;
}

function framePlatforms(s: TabState, frameId: number): string[] {
  return Object.entries(s.platforms)
    .filter(([, p]) => p.frames.includes(frameId))
    .map(([id]) => id);
}

async function bannerWanted(ctx: DecisionContext, s: TabState, frameId: number): Promise<string | null> {
  if (frameId !== 0 || !s.page || !noticeAllowed(ctx, s.site, s.page)) return null;
  const shown = ((await browser.storage.session.get(BANNERS_SHOWN))[BANNERS_SHOWN] as string[] | undefined) ?? [];
  return shown.includes(s.page) ? null : s.page;
}

/** Injects the notice UI into a frame once per document, if anything there may be shown. */
export async function maybeInjectNotices(tabId: number, frameId: number): Promise<void> {
  const ctx = await decisionContext();
  const s = await tabState(tabId);
  const wanted = framePlatforms(s, frameId).some((p) => noticeAllowed(ctx, s.site, p)) || (await bannerWanted(ctx, s, frameId)) !== null;
  if (!wanted) return;
  if (s.noticeFrames.includes(frameId)) {
    // Already there: let it pick up newly found platforms.
    await browser.tabs.sendMessage(tabId, { type: 'notice:refresh' }, { frameId }).catch(() => {});
    return;
  }
  s.noticeFrames.push(frameId);
  markDirty(tabId);
  // Firefox can refuse an injection while the frame is still settling; a second try a moment later works.
  for (let attempt = 0; attempt < INJECT_ATTEMPTS; attempt++) {
    try {
      await browser.scripting.executeScript({ target: { tabId, frameIds: [frameId] }, files: [NOTICE_SCRIPT] });
      return;
    } catch {
      if (attempt < INJECT_ATTEMPTS - 1) await new Promise((r) => setTimeout(r, 300));
    }
  }
  s.noticeFrames = s.noticeFrames.filter((f) => f !== frameId);
}

export async function noticeContext(tabId: number, frameId: number): Promise<NoticeContext> {
  const ctx = await decisionContext();
  const s = await tabState(tabId);
  const opts = { lang: ctx.lang, t: ctx.t, today: ctx.today, includeLifted: ctx.settings.notices.showLifted };
  const platforms = framePlatforms(s, frameId)
    .filter((p) => noticeAllowed(ctx, s.site, p))
    .map((p) => explainPlatform(ctx.dataset, p, ctx.region.regions, opts))
    .filter((p): p is ExplainedPlatform => p !== null && p.restrictions.length > 0);
  const bannerPlatform = await bannerWanted(ctx, s, frameId);
  const banner = bannerPlatform ? explainPlatform(ctx.dataset, bannerPlatform, ctx.region.regions, opts) : null;
  // Once per session per platform: delivering the banner counts as showing it.
  if (bannerPlatform) await markBannerShown(bannerPlatform);
  return { lang: ctx.lang, dir: dirOf(ctx.lang), platforms, banner: banner && banner.restrictions.length ? banner : null };
}

export async function markBannerShown(platform: string): Promise<void> {
  const shown = ((await browser.storage.session.get(BANNERS_SHOWN))[BANNERS_SHOWN] as string[] | undefined) ?? [];
  if (!shown.includes(platform)) await browser.storage.session.set({ [BANNERS_SHOWN]: [...shown, platform] });
}
