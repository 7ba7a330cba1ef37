/** Runs probes when the user asks or on their schedule, and records timeouts the browser reports as aborts. */
import browser from 'webextension-polyfill';
import { decisionContext } from './context';
import { probeAll, probeRefusal, probeTargets, PROBE_TIMEOUT_MS, type ProbeRefusal } from '../reach/probe';
import { matchHost } from '../dataset/matcher';
import type { ReachLog } from '../log/observe';
import { logContext } from './log-context';

const LAST_RUN = 'probeLastRun';
export const PROBE_ALARM = 'banlens-probe';

export async function runProbes(log: ReachLog, scheduled: boolean): Promise<{ ran: number; skipped: ProbeRefusal | null }> {
  const ctx = await decisionContext();
  const targets = probeTargets(ctx.dataset, ctx.restrictedNow);
  const lastRun = ((await browser.storage.local.get(LAST_RUN))[LAST_RUN] as number | undefined) ?? null;
  const refusal = probeRefusal({ ...ctx.settings.probe, lastRun, now: Date.now(), targets: targets.length, scheduled });
  if (refusal) return { ran: 0, skipped: refusal };
  await browser.storage.local.set({ [LAST_RUN]: Date.now() });
  const ran = await probeAll(targets, (t, startedAt) => {
    const match = matchHost(ctx.hostIndex, t.host);
    if (!match) return;
    log.record(
      {
        host: t.host,
        match,
        platform: ctx.platformById.get(t.platform),
        timeStamp: startedAt,
        resourceType: 'other',
        vantage: 'probe',
        outcome: 'timeout',
        error: null,
        httpStatus: null,
        durationMs: PROBE_TIMEOUT_MS,
        restricted: ctx.restrictedNow.has(t.platform),
      },
      logContext(ctx),
    );
  });
  await log.flush();
  return { ran, skipped: null };
}

/** Keeps the alarm in step with the user's schedule setting. */
export async function syncProbeAlarm(): Promise<void> {
  const { settings } = await decisionContext();
  const every = settings.probe.enabled && settings.probe.consentedAt ? settings.probe.everyHours : null;
  if (every) await browser.alarms.create(PROBE_ALARM, { periodInMinutes: every * 60 });
  else await browser.alarms.clear(PROBE_ALARM);
}
