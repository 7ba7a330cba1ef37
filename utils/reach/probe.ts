/**
 * Opt-in active checks (ARCHITECTURE.md "Reachability"). Off until the user turns them on and confirms the risk. A probe is a
 * plain no-cors fetch with nothing of the user's attached; its outcome is read from webRequest like any
 * other request, so passive and active observations share one classifier. Only a timeout, which the
 * browser reports as an abort, is recorded here.
 */
import type { DatasetCore } from '../dataset/core';

export interface ProbeTarget {
  platform: string;
  host: string;
}

/** Manual runs closer together than this are refused, so a stuck button cannot hammer a network. */
export const MIN_PROBE_INTERVAL_MS = 10 * 60 * 1000;
export const PROBE_TIMEOUT_MS = 15_000;
const MAX_TARGETS = 24;
const HOSTS_PER_PLATFORM = 3;
const SPACING_MS = 500;

/** Each restricted platform's main domain and the hosts its embed code loads from. */
export function probeTargets(dataset: Pick<DatasetCore, 'platforms'>, platforms: ReadonlySet<string>): ProbeTarget[] {
  const targets: ProbeTarget[] = [];
  for (const p of dataset.platforms) {
    if (!platforms.has(p.id)) continue;
    const hosts = [p.domains[0]!, ...p.embeds.urlPrefixes.map((u) => new URL(u).hostname)];
    for (const host of [...new Set(hosts)].slice(0, HOSTS_PER_PLATFORM)) targets.push({ platform: p.id, host });
  }
  return targets.slice(0, MAX_TARGETS);
}

export type ProbeRefusal = 'disabled' | 'too-soon' | 'nothing-restricted';

export function probeRefusal(opts: { enabled: boolean; consentedAt: string | null; lastRun: number | null; now: number; targets: number; scheduled: boolean }): ProbeRefusal | null {
  if (!opts.enabled || !opts.consentedAt) return 'disabled';
  if (opts.targets === 0) return 'nothing-restricted';
  if (!opts.scheduled && opts.lastRun !== null && opts.now - opts.lastRun < MIN_PROBE_INTERVAL_MS) return 'too-soon';
  return null;
}

export async function probeOnce(target: ProbeTarget, onTimeout: (target: ProbeTarget, startedAt: number) => void, timeoutMs = PROBE_TIMEOUT_MS): Promise<void> {
  const controller = new AbortController();
  const startedAt = Date.now();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    await fetch(`https://${target.host}/`, { mode: 'no-cors', cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer', redirect: 'manual', signal: controller.signal });
  } catch {
    if (controller.signal.aborted) onTimeout(target, startedAt);
  } finally {
    clearTimeout(timer);
  }
}

export async function probeAll(targets: readonly ProbeTarget[], onTimeout: (target: ProbeTarget, startedAt: number) => void): Promise<number> {
  let ran = 0;
  for (const t of targets) {
    await probeOnce(t, onTimeout);
    ran++;
    await new Promise((r) => setTimeout(r, SPACING_MS));
  }
  return ran;
}
