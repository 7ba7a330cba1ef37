/**
 * What the dashboard shows about the log. Reading 100k records out of IndexedDB takes seconds, so the
 * page reads the log once into a compact column index (small integers per record, strings once) and
 * answers every filter change from memory; only the 50 rows of a table page are read again, by id.
 *
 *   iterateRecords() ──► buildLogIndex ──► LogIndex ──► summariseView(index, view) ──► totals,
 *                        (once, and on Refresh)             per-platform daily counts, matching rows
 *   table page ──► pageIds(summary, index, n) ──► read those records by id
 *
 * Pure apart from the async iteration, so it is tested without IndexedDB.
 */
import { OUTCOMES, type Outcome } from '../reach/outcome';
import { VANTAGES, type LogRecord, type Vantage } from './record';

/** The dashboard's filters. Empty strings mean "any". `toHour` is included. */
export interface LogView {
  platform: string;
  region: string;
  outcome: Outcome | '';
  vantage: Vantage | '';
  /** Case-insensitive substring of the host name. */
  hostText: string;
  fromHour: string;
  toHour: string;
}

export const EMPTY_VIEW: LogView = { platform: '', region: '', outcome: '', vantage: '', hostText: '', fromHour: '', toHour: '' };

const DAY_MS = 86_400_000;

export function isEmptyView(view: LogView): boolean {
  return (Object.keys(EMPTY_VIEW) as (keyof LogView)[]).every((k) => view[k].trim() === '');
}

/** `YYYY-MM-DDTHH:mm` from an <input type="datetime-local">, read as UTC, to the hour it falls in. */
export function hourFromInput(value: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}/.test(value) ? `${value.slice(0, 13)}:00:00Z` : '';
}

export function hourToInput(hour: string): string {
  return hour ? hour.slice(0, 16) : '';
}

// ── The index ───────────────────────────────────────────────────────────────────────────────────

/** Interns strings: each distinct value is stored once and records hold its number. */
class Dictionary {
  readonly values: string[] = [];
  readonly #numbers = new Map<string, number>();
  numberOf(value: string): number {
    let n = this.#numbers.get(value);
    if (n === undefined) {
      n = this.values.length;
      this.values.push(value);
      this.#numbers.set(value, n);
    }
    return n;
  }
}

/** One entry per record, in the order read (oldest hour first). Numbers index the string lists. */
export interface LogIndex {
  ids: string[];
  platform: number[];
  region: number[];
  host: number[];
  hour: number[];
  outcome: number[];
  vantage: number[];
  count: number[];
  platforms: string[];
  regions: string[];
  hosts: string[];
  hours: string[];
  all: Totals;
  /** `<region>:<platform>` → observations by the dataset's `restricted` at the time, for disagreements(). */
  agreement: Map<string, AgreementCounts>;
}

/** Observations of one region and platform: ok and blocking-like, split by whether the dataset recorded a restriction. */
export interface AgreementCounts {
  region: string;
  platform: string;
  recordedOk: number;
  recordedBlocking: number;
  unrecordedOk: number;
  unrecordedBlocking: number;
  /** The user's own "I think this is blocked here" reports. */
  reports: number;
}

const BLOCKING_LIKE: ReadonlySet<Outcome> = new Set(['dns', 'tcp_reset', 'tcp_refused', 'timeout', 'tls', 'http_blockpage']);
/** As in utils/observed/status.ts OBSERVED_THRESHOLDS: the repetition a disagreement needs before it is shown. */
const MIN_DISAGREEING = 3;

export interface Disagreement extends AgreementCounts {
  /** recorded-loading: recorded as restricted, but it loads; failing-unrecorded: it fails the way blocking looks, and nothing is recorded. */
  kind: 'recorded-loading' | 'failing-unrecorded';
}

/** Where the log and the dataset disagree, per region and platform, with the counts behind it. Pure. */
export function disagreements(index: Pick<LogIndex, 'agreement'>): Disagreement[] {
  const out: Disagreement[] = [];
  for (const c of index.agreement.values()) {
    if (c.recordedOk >= MIN_DISAGREEING && c.recordedOk > c.recordedBlocking) out.push({ ...c, kind: 'recorded-loading' });
    if (c.unrecordedBlocking + c.reports >= MIN_DISAGREEING && c.unrecordedBlocking + c.reports > c.unrecordedOk) out.push({ ...c, kind: 'failing-unrecorded' });
  }
  return out.sort((a, b) => a.region.localeCompare(b.region) || a.platform.localeCompare(b.platform) || a.kind.localeCompare(b.kind));
}

function addAgreement(map: Map<string, AgreementCounts>, r: LogRecord): void {
  const key = `${r.region}:${r.platform}`;
  const c = map.get(key) ?? { region: r.region, platform: r.platform, recordedOk: 0, recordedBlocking: 0, unrecordedOk: 0, unrecordedBlocking: 0, reports: 0 };
  map.set(key, c);
  if (r.vantage === 'report') c.reports += r.count;
  else if (r.outcome === 'ok') c[r.restricted ? 'recordedOk' : 'unrecordedOk'] += r.count;
  else if (BLOCKING_LIKE.has(r.outcome)) c[r.restricted ? 'recordedBlocking' : 'unrecordedBlocking'] += r.count;
}

export interface OutcomeCounts {
  /** Log records (one per distinct observation and hour). */
  records: number;
  /** Observations: the records' summed `count`. */
  observations: number;
}

export interface Totals extends OutcomeCounts {
  byOutcome: Partial<Record<Outcome, OutcomeCounts>>;
  firstHour: string | null;
  lastHour: string | null;
}

function emptyTotals(): Totals {
  return { records: 0, observations: 0, byOutcome: {}, firstHour: null, lastHour: null };
}

function addTo(totals: Totals, outcome: Outcome, count: number, hour: string): void {
  totals.records++;
  totals.observations += count;
  totals.byOutcome[outcome] ??= { records: 0, observations: 0 };
  const o = totals.byOutcome[outcome]!;
  o.records++;
  o.observations += count;
  if (totals.firstHour === null || hour < totals.firstHour) totals.firstHour = hour;
  if (totals.lastHour === null || hour > totals.lastHour) totals.lastHour = hour;
}

const OUTCOME_NUMBER = new Map<string, number>(OUTCOMES.map((o, i) => [o, i]));
const VANTAGE_NUMBER = new Map<string, number>(VANTAGES.map((v, i) => [v, i]));

export interface BuildOptions {
  /** Called every `progressEvery` records with how many were read. */
  onProgress?: (read: number) => void;
  progressEvery?: number;
  /** Checked between records; a superseded build stops early and resolves to null. */
  isCancelled?: () => boolean;
}

export async function buildLogIndex(records: AsyncIterable<LogRecord> | Iterable<LogRecord>, options: BuildOptions = {}): Promise<LogIndex | null> {
  const { onProgress, progressEvery = 5000, isCancelled } = options;
  const platforms = new Dictionary();
  const regions = new Dictionary();
  const hosts = new Dictionary();
  const hours = new Dictionary();
  const index: LogIndex = { ids: [], platform: [], region: [], host: [], hour: [], outcome: [], vantage: [], count: [], platforms: platforms.values, regions: regions.values, hosts: hosts.values, hours: hours.values, all: emptyTotals(), agreement: new Map() };
  for await (const r of records) {
    if (isCancelled?.()) return null;
    index.ids.push(r.id);
    index.platform.push(platforms.numberOf(r.platform));
    index.region.push(regions.numberOf(r.region));
    index.host.push(hosts.numberOf(r.host));
    index.hour.push(hours.numberOf(r.hour));
    index.outcome.push(OUTCOME_NUMBER.get(r.outcome) ?? OUTCOMES.indexOf('other'));
    index.vantage.push(VANTAGE_NUMBER.get(r.vantage) ?? 0);
    index.count.push(r.count);
    addTo(index.all, r.outcome, r.count, r.hour);
    addAgreement(index.agreement, r);
    if (index.ids.length % progressEvery === 0) onProgress?.(index.ids.length);
  }
  return index;
}

// ── A view of the index ─────────────────────────────────────────────────────────────────────────

/** Observations per outcome on one UTC day (`YYYY-MM-DD`). */
export type DayCounts = Partial<Record<Outcome, number>>;

export interface ViewSummary {
  matched: Totals;
  /** Matching records only: platform → day → observations per outcome. */
  byPlatformDay: Map<string, Map<string, DayCounts>>;
  /** Positions in the index of the matching records, oldest first. */
  rows: number[];
}

/** A per-value test, worked out once for each distinct string instead of once per record. */
function allowed(values: readonly string[], test: (value: string) => boolean): boolean[] {
  return values.map(test);
}

export function summariseView(index: LogIndex, view: LogView): ViewSummary {
  const hostText = view.hostText.trim().toLowerCase();
  const platformOk = allowed(index.platforms, (p) => !view.platform || p === view.platform);
  const regionOk = allowed(index.regions, (r) => !view.region || r === view.region);
  const hostOk = allowed(index.hosts, (h) => !hostText || h.includes(hostText));
  const hourOk = allowed(index.hours, (h) => (!view.fromHour || h >= view.fromHour) && (!view.toHour || h <= view.toHour));
  const outcome = view.outcome ? OUTCOME_NUMBER.get(view.outcome) : undefined;
  const vantage = view.vantage ? VANTAGE_NUMBER.get(view.vantage) : undefined;
  const matched = emptyTotals();
  const byPlatformDay = new Map<string, Map<string, DayCounts>>();
  const rows: number[] = [];
  for (let i = 0; i < index.ids.length; i++) {
    if (!platformOk[index.platform[i]!] || !regionOk[index.region[i]!] || !hostOk[index.host[i]!] || !hourOk[index.hour[i]!]) continue;
    if ((outcome !== undefined && index.outcome[i] !== outcome) || (vantage !== undefined && index.vantage[i] !== vantage)) continue;
    rows.push(i);
    const o = OUTCOMES[index.outcome[i]!]!;
    const hour = index.hours[index.hour[i]!]!;
    const count = index.count[i]!;
    addTo(matched, o, count, hour);
    const platform = index.platforms[index.platform[i]!]!;
    let days = byPlatformDay.get(platform);
    if (!days) {
      days = new Map();
      byPlatformDay.set(platform, days);
    }
    const day = hour.slice(0, 10);
    let counts = days.get(day);
    if (!counts) {
      counts = {};
      days.set(day, counts);
    }
    counts[o] = (counts[o] ?? 0) + count;
  }
  return { matched, byPlatformDay, rows };
}

// ── Paging ──────────────────────────────────────────────────────────────────────────────────────

export const PAGE_SIZE = 50;

export function pageCount(total: number, pageSize = PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/** The ids on table page `page` (0 = newest), newest first. */
export function pageIds(index: Pick<LogIndex, 'ids'>, rows: readonly number[], page: number, pageSize = PAGE_SIZE): string[] {
  const end = rows.length - page * pageSize;
  const start = Math.max(0, end - pageSize);
  const ids: string[] = [];
  for (let k = end - 1; k >= start; k--) ids.push(index.ids[rows[k]!]!);
  return ids;
}

// ── Charts ──────────────────────────────────────────────────────────────────────────────────────

/** More bars than this would be thinner than a pixel or two; days are then grouped. */
export const MAX_BARS = 90;

export interface ChartBar {
  /** First day of the bar, `YYYY-MM-DD`; the bar covers `days` days. */
  start: string;
  days: number;
  counts: DayCounts;
  total: number;
}

function dayNumber(day: string): number {
  return Math.floor(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
}

function dayOf(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** How many days each bar covers so that the range [firstDay, lastDay] fits in MAX_BARS bars. */
export function daysPerBar(firstDay: string, lastDay: string, maxBars = MAX_BARS): number {
  const span = dayNumber(lastDay) - dayNumber(firstDay) + 1;
  return Math.max(1, Math.ceil(span / maxBars));
}

/**
 * One platform's bars over the shared range [firstDay, lastDay], empty days included so that every
 * platform's chart has the same time axis and gaps stay visible.
 */
export function chartBars(days: ReadonlyMap<string, DayCounts>, firstDay: string, lastDay: string, maxBars = MAX_BARS): ChartBar[] {
  const first = dayNumber(firstDay);
  const last = dayNumber(lastDay);
  const step = daysPerBar(firstDay, lastDay, maxBars);
  const bars: ChartBar[] = [];
  for (let d = first; d <= last; d += step) bars.push({ start: dayOf(d), days: Math.min(step, last - d + 1), counts: {}, total: 0 });
  for (const [day, counts] of days) {
    const bar = bars[Math.floor((dayNumber(day) - first) / step)];
    if (!bar) continue;
    for (const outcome of OUTCOMES) {
      const n = counts[outcome];
      if (!n) continue;
      bar.counts[outcome] = (bar.counts[outcome] ?? 0) + n;
      bar.total += n;
    }
  }
  return bars;
}

/** Outcomes present in any of the counts, in the vocabulary's order (which is the stacking order). */
export function outcomesPresent(counts: Iterable<DayCounts>): Outcome[] {
  const seen = new Set<Outcome>();
  for (const c of counts) for (const o of OUTCOMES) if (c[o]) seen.add(o);
  return OUTCOMES.filter((o) => seen.has(o));
}
