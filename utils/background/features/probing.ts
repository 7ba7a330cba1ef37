/**
 * Opt-in active probing: when the user asks (dashboard) or on their schedule (an alarm). A probe's
 * outcome is read from webRequest like any other request; only a timeout, which the browser reports as
 * an abort, is fed into the observation pipeline from here.
 */
import browser from 'webextension-polyfill';
import { matchHost } from '../../dataset/matcher';
import type { ProbeRunResult } from '../../protocol';
import { probeAll, probeRefusal, probeTargets, PROBE_TIMEOUT_MS, type ProbeTarget } from '../../reach/probe';
import { probeLastRunItem } from '../../storage';
import type { DecisionContext } from '../context';
import { defineFeature, type Background } from '../host';
import type { PlatformObservation } from '../observations';

export const PROBE_ALARM = 'banlens-probe';

/** A probe the browser gave up on, as an observation. */
export function probeTimeout(ctx: Pick<DecisionContext, 'hostIndex' | 'platformById' | 'restrictedNow'>, target: ProbeTarget, startedAt: number): PlatformObservation | null {
  const match = matchHost(ctx.hostIndex, target.host);
  if (!match) return null;
  return {
    event: 'error',
    requestId: `probe:${target.host}:${startedAt}`,
    tabId: -1,
    frameId: -1,
    url: `https://${target.host}/`,
    host: target.host,
    match,
    platform: ctx.platformById.get(match.platform),
    timeStamp: startedAt,
    resourceType: 'other',
    vantage: 'probe',
    outcome: 'timeout',
    error: null,
    httpStatus: null,
    durationMs: PROBE_TIMEOUT_MS,
    restricted: ctx.restrictedNow.has(match.platform),
  };
}

/** The alarm period the user's schedule asks for, or null for none. */
export function probePeriodMinutes(probe: DecisionContext['settings']['probe']): number | null {
  return probe.enabled && probe.consentedAt && probe.everyHours ? probe.everyHours * 60 : null;
}

async function runProbes(bg: Background, scheduled: boolean): Promise<ProbeRunResult> {
  const ctx = await bg.context();
  const targets = probeTargets(ctx.dataset, ctx.restrictedNow);
  const refusal = probeRefusal({ ...ctx.settings.probe, lastRun: await probeLastRunItem.getValue(), now: Date.now(), targets: targets.length, scheduled });
  if (refusal) return { ran: 0, skipped: refusal };
  await probeLastRunItem.setValue(Date.now());
  const timeouts: Promise<void>[] = [];
  const ran = await probeAll(targets, (target, startedAt) => {
    const obs = probeTimeout(ctx, target, startedAt);
    if (obs) timeouts.push(bg.observe(obs));
  });
  await Promise.all(timeouts);
  await bg.flush();
  return { ran, skipped: null };
}

export default defineFeature({
  id: 'probing',
  setup(bg) {
    bg.onPage('probe:run', () => runProbes(bg, false));
    browser.alarms.onAlarm.addListener((alarm) => {
      if (alarm.name === PROBE_ALARM) void runProbes(bg, true);
    });
    // Keeps the alarm in step with the user's schedule setting.
    bg.onContextChange((ctx) => {
      const every = probePeriodMinutes(ctx.settings.probe);
      // Firefox's alarms.create returns nothing, not a promise: wrapped, so `.catch` cannot throw there.
      void Promise.resolve(every ? browser.alarms.create(PROBE_ALARM, { periodInMinutes: every }) : browser.alarms.clear(PROBE_ALARM)).catch(() => {});
    });
  },
});
