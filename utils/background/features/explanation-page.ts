/**
 * The explanation page: when a main-frame load of a restricted platform fails in a censorship-like way,
 * the tab shows blocked.html instead of the browser's error page. Never for offline, aborted or
 * ad-blocked loads (the classifier does not even log those).
 */
import browser from 'webextension-polyfill';
import { dirOf } from '../../i18n-core';
import { explainPlatform } from '../../explain';
import type { MainFrameFailure } from '../../protocol';
import type { Outcome } from '../../reach/outcome';
import { failuresItem } from '../../storage';
import { withRecords, type DecisionContext } from '../context';
import { defineFeature } from '../host';
import { lastRecorded, outcomeWords, regionWords } from '../../observed/words';
import type { PlatformObservation } from '../observations';

/** Outcomes that look like censorship of a page load. */
export const CENSORSHIP_OUTCOMES: ReadonlySet<Outcome> = new Set(['dns', 'tcp_reset', 'tcp_refused', 'timeout', 'tls', 'http_blockpage']);

/** The failure to explain instead of the browser's error page, or null. */
export function failureToExplain(ctx: Pick<DecisionContext, 'settings' | 'restrictedNow' | 'observedFailing'>, obs: PlatformObservation): MainFrameFailure | null {
  if (obs.event !== 'error' || obs.resourceType !== 'main_frame' || obs.frameId !== 0 || obs.tabId < 0) return null;
  const recorded = ctx.restrictedNow.has(obs.match.platform);
  if (!ctx.settings.notices.explanationPage || !CENSORSHIP_OUTCOMES.has(obs.outcome) || !(recorded || ctx.observedFailing.has(obs.match.platform))) return null;
  return { url: obs.url, host: obs.host, platform: obs.match.platform, outcome: obs.outcome, error: obs.error, basis: recorded ? 'recorded' : 'observed' };
}

export default defineFeature({
  id: 'explanation-page',
  setup(bg) {
    // One read-modify-write of the failures at a time: two tabs failing at once must not lose one of them.
    let writes: Promise<unknown> = Promise.resolve();
    const updateFailures = (change: (all: Record<string, MainFrameFailure>) => Record<string, MainFrameFailure> | null): Promise<unknown> => {
      writes = writes.then(async () => {
        const next = change(await failuresItem.getValue());
        if (next) await failuresItem.setValue(next);
      }).catch((error: unknown) => console.warn('BanLens: could not keep a failed load', error));
      return writes;
    };
    bg.onObservation(async (obs, ctx) => {
      const failure = failureToExplain(ctx, obs);
      if (!failure) return;
      await updateFailures((all) => ({ ...all, [String(obs.tabId)]: failure }));
      await browser.tabs.update(obs.tabId, { url: browser.runtime.getURL('/blocked.html') }).catch(() => {});
    });
    bg.onPage('blocked:state', async ({ tabId }, decisions) => {
      const failure = (await failuresItem.getValue())[String(tabId)];
      if (!failure) return null;
      const ctx = await withRecords(decisions);
      const observed = failure.basis === 'observed';
      const explained = explainPlatform(ctx.records, failure.platform, ctx.region.regions, { lang: ctx.lang, t: ctx.t, today: ctx.today, includeLifted: observed });
      if (!observed || !explained) return { failure, explained, lang: ctx.lang, dir: dirOf(ctx.lang) };
      // The observed basis: what was seen and what was not, never a block the sources do not show.
      const words = { dataset: ctx.dataset, regions: ctx.region.regions, lang: ctx.lang, t: ctx.t };
      const observedWords = {
        heading: ctx.t('blockedObservedHeading', explained.name, outcomeWords(ctx.t, failure.outcome)),
        body: [ctx.t('blockedObservedBody', regionWords(words)), lastRecorded(words, failure.platform)].filter(Boolean).join(' '),
      };
      return { failure, explained: { ...explained, basis: 'observed' as const }, observed: observedWords, lang: ctx.lang, dir: dirOf(ctx.lang) };
    });
    // The failed URL kept for the retry goes with the tab.
    bg.onTabRemoved((tabId) => {
      void updateFailures((all) => {
        if (!(String(tabId) in all)) return null;
        const { [String(tabId)]: _gone, ...rest } = all;
        return rest;
      });
    });
  },
});
