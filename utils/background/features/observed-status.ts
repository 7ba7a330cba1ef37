/**
 * Observed status (issue 7): what this browser's own requests say about each platform, when the dataset is
 * silent or behind. The rules are pure, in utils/observed/status.ts; this file only feeds them and keeps the
 * result.
 *
 *   onRequestStart (main frame)  ─► a fresh random page-load token for the tab (session:pageLoads)
 *   onObservation (platform host) ─► recordObservation ─┐
 *   onControl (public non-platform https load) ─► recordControl ─┴─► session:observedSummary (bounded)
 *                                                            └─► observedStatuses ─► session:observedStatus,
 *                                                                written only when it changes; the frame then
 *                                                                rebuilds the decision context (ctx.observed,
 *                                                                ctx.observedFailing, ctx.watched)
 *
 * It also takes the user's own reports ("I think this is blocked here") from the popup and from an observed
 * notice, and hands them to the log as observations with vantage `report`. Nothing is sent anywhere.
 */
import { emptySummary, observedStatus, recordControl, recordObservation, type ObservedSummary } from '../../observed/status';
import { observedStatusItem, observedSummaryItem, pageLoadsItem, type ObservedStatusMap } from '../../storage';
import type { DecisionContext } from '../context';
import { defineFeature, type Background } from '../host';
import type { PlatformObservation } from '../observations';
import { logContext } from './log';

/** Every region:platform status the summary supports, leaving out `unknown`. Pure. */
export function observedStatuses(s: ObservedSummary, now: number): ObservedStatusMap {
  const out: ObservedStatusMap = {};
  for (const key of Object.keys(s.platforms)) {
    const i = key.lastIndexOf(':');
    const { status, outcome, failures, failedLoads, oks, controls } = observedStatus(s, key.slice(0, i), key.slice(i + 1), now);
    if (status !== 'unknown') out[key] = { status, outcome, failures, failedLoads, oks, controls };
  }
  return out;
}

function sameStatuses(a: ObservedStatusMap, b: ObservedStatusMap): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => b[k]?.status === a[k]!.status && b[k]?.outcome === a[k]!.outcome);
}

/** The region a summary entry is kept under: the log's (the first of the user's regions, country only). */
export const observedRegion = (ctx: Pick<DecisionContext, 'settings' | 'region' | 'dataset'>): string => logContext(ctx).region;

/** The observation the user's own report becomes: no request behind it, so outcome `other`, no tab, no duration. */
export function reportObservation(ctx: Pick<DecisionContext, 'platformById' | 'restrictedNow'>, platform: string, now: number): PlatformObservation | null {
  const p = ctx.platformById.get(platform);
  const host = p?.domains[0];
  if (!p || !host) return null;
  return {
    event: 'completed',
    requestId: `report-${crypto.randomUUID()}`,
    tabId: -1,
    frameId: -1,
    url: `https://${host}/`,
    host,
    resourceType: 'other',
    timeStamp: now,
    durationMs: null,
    outcome: 'other',
    error: null,
    httpStatus: null,
    vantage: 'report',
    match: { platform, role: 'site', domain: host },
    platform: p,
    restricted: ctx.restrictedNow.has(platform),
  };
}

/** The longest a change to the summary waits in memory before it is written. */
const PERSIST_MS = 250;

export default defineFeature({
  id: 'observed-status',
  setup(bg: Background) {
    // Page-load tokens: memory first (no await on the hot path), session storage so a new worker keeps a page's token.
    const loads = new Map<number, string>();
    const loadsRead = pageLoadsItem.getValue().then(
      (stored) => {
        for (const [tab, token] of Object.entries(stored)) if (!loads.has(Number(tab))) loads.set(Number(tab), token);
      },
      () => {},
    );
    const saveLoads = () => void pageLoadsItem.setValue(Object.fromEntries([...loads].map(([t, v]) => [String(t), v]))).catch(() => {});
    const tokenFor = (tabId: number): string => {
      let token = loads.get(tabId);
      if (!token) {
        token = crypto.randomUUID();
        loads.set(tabId, token);
        saveLoads();
      }
      return token;
    };

    // The summary and the statuses live in memory, read once; every change is applied at once and written at
    // most every PERSIST_MS. A storage call costs the worker about as much as the rest of an observation, and a
    // busy worker is one that the browser's stops catch with events still undelivered (the hardening
    // e2e's stopped-worker trials). What a killed worker had not yet written is evidence of its last
    // quarter second only; the log, which journals every observation, keeps all of it.
    let state: Promise<{ summary: ObservedSummary; statuses: ObservedStatusMap }> | undefined;
    const stateNow = () =>
      (state ??= Promise.all([observedSummaryItem.getValue().catch(() => emptySummary()), observedStatusItem.getValue().catch((): ObservedStatusMap => ({}))]).then(([summary, statuses]) => ({ summary, statuses })));
    let timer: ReturnType<typeof setTimeout> | undefined;
    let writing: Promise<void> = Promise.resolve();
    const persist = (): Promise<void> => {
      clearTimeout(timer);
      timer = undefined;
      writing = writing
        .then(async () => {
          const s = await stateNow();
          await observedSummaryItem.setValue(s.summary);
          const next = observedStatuses(s.summary, Date.now());
          if (sameStatuses(next, s.statuses)) return;
          s.statuses = next;
          await observedStatusItem.setValue(next);
          // This feature is the only writer of the statuses: it tells the frame, rather than every
          // storage.session write waking a watcher in the worker.
          bg.refreshContext();
        })
        .catch((error: unknown) => console.warn('BanLens: the observed summary was not updated', error));
      return writing;
    };
    const update = async (change: (s: ObservedSummary) => ObservedSummary): Promise<void> => {
      const s = await stateNow().catch(() => null);
      if (!s) return;
      const after = change(s.summary);
      if (after === s.summary) return;
      s.summary = after;
      timer ??= setTimeout(() => void persist(), PERSIST_MS);
    };
    bg.onFlush(() => (timer !== undefined ? persist() : writing));

    bg.onRequestStart((start) => {
      if (start.resourceType !== 'main_frame' || start.frameId !== 0) return;
      loads.set(start.tabId, crypto.randomUUID());
      saveLoads();
    });
    bg.onTabRemoved((tabId) => {
      if (loads.delete(tabId)) saveLoads();
    });

    bg.onObservation(async (obs, ctx) => {
      // Probes and reports have no page load; ad-blocked, aborted, offline and ORB-hidden loads never get here.
      if (obs.vantage !== 'passive' || obs.tabId < 0) return;
      await loadsRead;
      const load = tokenFor(obs.tabId);
      const region = observedRegion(ctx);
      await update((s) => recordObservation(s, { at: obs.timeStamp, region, platform: obs.match.platform, outcome: obs.outcome, load }));
    });
    bg.onControl((at) => void update((s) => recordControl(s, at)));

    // A platform that starts failing here gets its notices on tabs where it was already found.
    let failing = new Set<string>();
    bg.onContextChange((ctx) => {
      const added = [...ctx.observedFailing].filter((p) => !failing.has(p));
      failing = new Set(ctx.observedFailing);
      if (added.length === 0) return;
      void (async () => {
        for (const tabId of bg.tabs.tabIds()) {
          const s = await bg.tabs.read(tabId);
          const frames = new Set(added.flatMap((p) => s.platforms[p]?.frames ?? []));
          for (const frameId of frames) await bg.notices.ensure(tabId, frameId).catch(() => {});
        }
      })();
    });

    const report = async (platform: string, ctx: DecisionContext) => {
      if (!ctx.settings.log.enabled) return { ok: false };
      const obs = reportObservation(ctx, platform, Date.now());
      if (!obs) return { ok: false };
      await bg.observe(obs);
      await bg.flush();
      return { ok: true };
    };
    bg.onPage('popup:report', ({ platform }, ctx) => report(platform, ctx));
    bg.onContent('notice:report', ({ platform }, _from, ctx) => report(platform, ctx));
  },
});
