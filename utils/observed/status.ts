/**
 * Observed status: what this browser's own requests say about a platform, when the dataset is silent or behind.
 *
 *   observation (platform host, outcome, page load) ──► recordObservation ──┐
 *   a public non-platform https load that succeeded ──► recordControl ──────┴─► ObservedSummary ──► observedStatus
 *
 * The summary is small and bounded (a few dozen timestamps per platform, a few hours long) and holds no host, page,
 * URL or tab: a page load is an opaque random token. Everything here is pure, so the rules are table-tested.
 */
import { OONI_BLOCKING, type Outcome } from '../reach/outcome';

export const OBSERVED_STATUSES = ['failing', 'loading', 'unknown'] as const;
export type ObservedStatus = (typeof OBSERVED_STATUSES)[number];

/**
 * The thresholds, in one place. Chosen from what the censorship lab showed (tests/lab/README.md):
 * - `minFailures` 3 and `minFailedLoads` 2: one embed makes one to three requests to platform hosts (widget script,
 *   frame, images), and Firefox retries a reset or refused connection, so a single page load can produce three
 *   failures by itself. Blocking repeats across page loads; a flaky load does not.
 * - `controlWindowMs` 10 min: Chromium reports a dropped SYN only after 137 s and Firefox a stalled handshake after
 *   about 32 s, so a failure's control loads may come minutes before or after it.
 * - `minControls` 2: two public https loads that succeeded show the network works. Offline, behind a captive portal
 *   (which breaks https) or with DNS down, there are none, and nothing is flagged.
 * - `minOks` 3 over `minOkLoads` 2: "loads normally here" needs the same repetition as "fails here".
 * - `windowMs` 6 h: evidence older than this ages out, so a block that ends stops being claimed the same day.
 * - `maxEvidence` 24 per platform and `maxControls` 24: bounded whatever a page does.
 */
export const OBSERVED_THRESHOLDS = {
  windowMs: 6 * 3_600_000,
  minFailures: 3,
  minFailedLoads: 2,
  controlWindowMs: 10 * 60_000,
  minControls: 2,
  minOks: 3,
  minOkLoads: 2,
  maxEvidence: 24,
  maxControls: 24,
  /** Controls closer together than this are one control: a page of 200 requests is not 200 proofs. */
  controlSpacingMs: 5_000,
} as const;

/** Outcomes that look like blocking: those OONI classes as blocking. http_error, inconclusive and other never count. */
export const BLOCKING_OUTCOMES: ReadonlySet<Outcome> = new Set(
  (Object.entries(OONI_BLOCKING) as [Outcome, unknown][]).filter(([, b]) => typeof b === 'string').map(([o]) => o),
);

export interface Evidence {
  at: number;
  /** An opaque random token per page load (never a tab id or URL). */
  load: string;
  outcome: Outcome;
}

export interface PlatformEvidence {
  failures: Evidence[];
  oks: Evidence[];
}

export interface ObservedSummary {
  v: 1;
  /** Keyed `<region>:<platform>`. */
  platforms: Record<string, PlatformEvidence>;
  /** Times of successful loads of other public hosts. */
  controls: number[];
}

export const emptySummary = (): ObservedSummary => ({ v: 1, platforms: {}, controls: [] });

const key = (region: string, platform: string) => `${region}:${platform}`;
const recent = (now: number) => (e: { at: number } | number) => now - (typeof e === 'number' ? e : e.at) <= OBSERVED_THRESHOLDS.windowMs;

/** Adds one platform observation. Outcomes that are neither ok nor blocking-like change nothing. */
export function recordObservation(s: ObservedSummary, o: { at: number; region: string; platform: string; outcome: Outcome; load: string }): ObservedSummary {
  const isOk = o.outcome === 'ok';
  if (!isOk && !BLOCKING_OUTCOMES.has(o.outcome)) return s;
  const k = key(o.region, o.platform);
  const prev = s.platforms[k] ?? { failures: [], oks: [] };
  const keep = (list: Evidence[]) => [...list, { at: o.at, load: o.load, outcome: o.outcome }].filter(recent(o.at)).slice(-OBSERVED_THRESHOLDS.maxEvidence);
  const next: PlatformEvidence = isOk ? { failures: prev.failures.filter(recent(o.at)), oks: keep(prev.oks) } : { failures: keep(prev.failures), oks: prev.oks.filter(recent(o.at)) };
  return { ...s, platforms: { ...s.platforms, [k]: next } };
}

/** Adds one successful load of a public host that belongs to no platform (see isControlHost). */
export function recordControl(s: ObservedSummary, at: number): ObservedSummary {
  const last = s.controls.at(-1);
  if (last !== undefined && Math.abs(at - last) < OBSERVED_THRESHOLDS.controlSpacingMs) return s;
  return { ...s, controls: [...s.controls, at].filter(recent(at)).slice(-OBSERVED_THRESHOLDS.maxControls) };
}

export interface ObservedVerdict {
  status: ObservedStatus;
  /** Blocking-like failures since the last success, within the window. */
  failures: number;
  failedLoads: number;
  oks: number;
  /** The most frequent blocking-like outcome among those failures, for the notice's "how". */
  outcome: Outcome | null;
  controls: number;
}

export function observedStatus(s: ObservedSummary, region: string, platform: string, now: number): ObservedVerdict {
  const T = OBSERVED_THRESHOLDS;
  const e = s.platforms[key(region, platform)] ?? { failures: [], oks: [] };
  const oks = e.oks.filter(recent(now));
  const lastOk = Math.max(Number.NEGATIVE_INFINITY, ...oks.map((x) => x.at));
  const failures = e.failures.filter(recent(now)).filter((x) => x.at > lastOk);
  const failedLoads = new Set(failures.map((x) => x.load)).size;
  let controls = 0;
  if (failures.length) {
    const from = Math.min(...failures.map((x) => x.at)) - T.controlWindowMs;
    const to = Math.max(...failures.map((x) => x.at)) + T.controlWindowMs;
    controls = s.controls.filter((t) => t >= from && t <= to && recent(now)(t)).length;
  }
  const outcome = mostFrequent(failures.map((x) => x.outcome));
  const base = { failures: failures.length, failedLoads, oks: oks.length, outcome, controls };
  if (failures.length >= T.minFailures && failedLoads >= T.minFailedLoads && controls >= T.minControls) return { status: 'failing', ...base };
  if (failures.length === 0 && oks.length >= T.minOks && new Set(oks.map((x) => x.load)).size >= T.minOkLoads) return { status: 'loading', ...base };
  return { status: 'unknown', ...base };
}

function mostFrequent(list: Outcome[]): Outcome | null {
  const counts = new Map<Outcome, number>();
  for (const o of list) counts.set(o, (counts.get(o) ?? 0) + 1);
  let best: Outcome | null = null;
  for (const [o, n] of counts) if (best === null || n > counts.get(best)!) best = o;
  return best;
}

/**
 * A host whose successful load may serve as a control: a public name, not an IP literal, not loopback, not a
 * private or local name. The control is about the public internet working, so the user's router, intranet or a
 * local development server never counts.
 */
export function isControlHost(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (!h.includes('.') || h.includes(':') || h.startsWith('[')) return false;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(h)) return false;
  return !/(^|\.)(localhost|local|internal|lan|home|corp|intranet|home\.arpa)$/.test(h);
}
