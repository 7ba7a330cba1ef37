/**
 * The toolbar badge: how many distinct platforms found on the tab have a restriction in force today in
 * the user's regions, or observed failing here (README "Interfaces", `data-basis`). Updates are coalesced: a platform page fires hundreds of
 * requests in its first second.
 */
import browser from 'webextension-polyfill';
import type { DecisionContext } from '../context';
import { defineFeature } from '../host';
import type { TabState } from '../tab-state';

// Amber on the icon's blue tile; white badge text on it has a contrast of 5.4:1.
const BADGE_COLOUR = '#b54708';
const COALESCE_MS = 50;

export interface Badge {
  text: string;
  title: string;
}

/** The badge for a tab: platforms restricted here by either basis, recorded or observed. Lifted restrictions never count. */
export function badgeFor(ctx: Pick<DecisionContext, 'restrictedNow' | 'observedFailing' | 'platformById' | 't'>, s: TabState): Badge {
  const counted = Object.keys(s.platforms).filter((p) => ctx.restrictedNow.has(p) || ctx.observedFailing.has(p));
  if (counted.length === 0) return { text: '', title: ctx.t('extName') };
  const names = counted.map((p) => ctx.platformById.get(p)?.name ?? p);
  return { text: String(counted.length), title: ctx.t('badgeTitleFound', names.join(', ')) };
}

function samePlatforms(a: TabState, b: TabState): boolean {
  const x = Object.keys(a.platforms);
  const y = Object.keys(b.platforms);
  return x.length === y.length && x.every((p) => p in b.platforms);
}

export default defineFeature({
  id: 'badge',
  setup(bg) {
    const pending = new Set<number>();
    // biome-ignore lint/correctness/noUnusedVariables: read by `timer ??=` in schedule, which coalesces updates.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = async () => {
      timer = undefined;
      const ctx = await bg.context();
      const ids = [...pending];
      pending.clear();
      await Promise.all(
        ids.map(async (tabId) => {
          const badge = badgeFor(ctx, await bg.tabs.read(tabId));
          try {
            await browser.action.setBadgeText({ tabId, text: badge.text });
            await browser.action.setBadgeBackgroundColor({ tabId, color: BADGE_COLOUR });
            await browser.action.setTitle({ tabId, title: badge.title });
          } catch {
            // The tab closed between the event and the update.
          }
        }),
      );
    };
    const schedule = (tabId: number) => {
      pending.add(tabId);
      timer ??= setTimeout(() => void flush(), COALESCE_MS);
    };
    bg.tabs.onChange(({ tabId, before, after, event }) => {
      // Chromium clears a tab's badge when a navigation commits, so a new top document sets it again.
      if (event.type === 'navigated' || (event.type === 'document' && event.frameId === 0) || !samePlatforms(before, after)) schedule(tabId);
    });
    // New regions, a new dataset or a new day change what counts.
    bg.onContextChange(() => bg.tabs.tabIds().forEach(schedule));
  },
});
