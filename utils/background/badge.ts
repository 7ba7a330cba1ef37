import browser from 'webextension-polyfill';
import { badgeCount, decisionContext } from './context';
import { peekTabState } from './tab-state';

// Amber on the icon's blue tile; white badge text on it has a contrast of 5.4:1.
const BADGE_COLOUR = '#b54708';
const pending = new Set<number>();
let timer: ReturnType<typeof setTimeout> | undefined;

/** Badge updates are coalesced: a platform page fires hundreds of requests in its first second. */
export function scheduleBadge(tabId: number): void {
  if (tabId < 0) return;
  pending.add(tabId);
  timer ??= setTimeout(() => void flushBadges(), 50);
}

export async function flushBadges(): Promise<void> {
  timer = undefined;
  const ctx = await decisionContext();
  const ids = [...pending];
  pending.clear();
  await Promise.all(
    ids.map(async (tabId) => {
      const s = peekTabState(tabId);
      const found = s ? Object.keys(s.platforms) : [];
      const n = badgeCount(ctx, found);
      const names = found.filter((p) => ctx.restrictedNow.has(p)).map((p) => ctx.platformById.get(p)?.name ?? p);
      try {
        await browser.action.setBadgeText({ tabId, text: n > 0 ? String(n) : '' });
        await browser.action.setBadgeBackgroundColor({ tabId, color: BADGE_COLOUR });
        await browser.action.setTitle({ tabId, title: n > 0 ? ctx.t('badgeTitleFound', names.join(', ')) : ctx.t('extName') });
      } catch {
        // The tab closed between the event and the update.
      }
    }),
  );
}
