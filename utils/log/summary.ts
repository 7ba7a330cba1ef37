/**
 * What the dashboard shows about the log, computed in one streaming pass so that a 100k-record log
 * is never held in memory (design §7: the user can see everything, as a table and as charts).
 *
 *   iterateRecords() ──► summariseLog(records, view) ──► totals of the whole log and of the view,
 *                                                        filter choices, per-platform daily counts,
 *                                                        hour offsets for paging
 *   page n ──► pageLocation(summary, n) ──► iterateRecords({ from: that hour }) ──► skip, take
 *
 * Pure apart from the async iteration, so it is tested without IndexedDB.
 */
import { OUTCOMES, type Outcome } from '../reach/outcome';
import type { RecordFilter } from './db';
import type { LogRecord, Vantage } from './record';

/** The dashboard's filters. Empty strings mean "any". `toHour` is included, unlike RecordFilter.to. */
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

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export function nextHour(hour: string): string {
  return `${new Date(Date.parse(hour) + HOUR_MS).toISOString().slice(0, 13)}:00:00Z`;
}

/** The part of the view IndexedDB can narrow by; the host substring is matched afterwards. */
export function toRecordFilter(view: LogView): RecordFilter {
  const filter: RecordFilter = {};
  if (view.platform) filter.platform = view.platform;
  if (view.region) filter.region = view.region;
  if (view.outcome) filter.outcome = view.outcome;
  if (view.vantage) filter.vantage = view.vantage;
  if (view.fromHour) filter.from = view.fromHour;
  if (view.toHour) filter.to = nextHour(view.toHour);
  return filter;
}

export function matchesView(record: LogRecord, view: LogView): boolean {
  return (
    (!view.platform || record.platform === view.platform) &&
    (!view.region || record.region === view.region) &&
    (!view.outcome || record.outcome === view.outcome) &&
    (!view.vantage || record.vantage === view.vantage) &&
    (!view.fromHour || record.hour >= view.fromHour) &&
    (!view.toHour || record.hour <= view.toHour) &&
    (!view.hostText || record.host.includes(view.hostText.trim().toLowerCase()))
  );
}

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

// ── The pass ────────────────────────────────────────────────────────────────────────────────────

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

/** Observations per outcome on one UTC day (`YYYY-MM-DD`). */
export type DayCounts = Partial<Record<Outcome, number>>;

export interface LogSummary {
  all: Totals;
  /** Choices for the filters, from the whole log. Sorted. */
  platforms: string[];
  regions: string[];
  matched: Totals;
  /** Matching records only: platform → day → observations per outcome. */
  byPlatformDay: Map<string, Map<string, DayCounts>>;
  /** Every hour with matching records, oldest first, with how many matching records come before it. */
  hourOffsets: { hour: string; before: number }[];
}

function emptyTotals(): Totals {
  return { records: 0, observations: 0, byOutcome: {}, firstHour: null, lastHour: null };
}

function addTo(totals: Totals, record: LogRecord): void {
  totals.records++;
  totals.observations += record.count;
  const o = (totals.byOutcome[record.outcome] ??= { records: 0, observations: 0 });
  o.records++;
  o.observations += record.count;
  // Records arrive oldest first, but a summary must not depend on it.
  if (totals.firstHour === null || record.hour < totals.firstHour) totals.firstHour = record.hour;
  if (totals.lastHour === null || record.hour > totals.lastHour) totals.lastHour = record.hour;
}

export interface SummariseOptions {
  /** Called every `progressEvery` records with how many were read. */
  onProgress?: (read: number) => void;
  progressEvery?: number;
  /** Checked between records; a superseded pass stops early and resolves to null. */
  isCancelled?: () => boolean;
}

/** One pass over the whole log (oldest hour first, as iterateRecords yields it). */
export async function summariseLog(records: AsyncIterable<LogRecord> | Iterable<LogRecord>, view: LogView, options: SummariseOptions = {}): Promise<LogSummary | null> {
  const { onProgress, progressEvery = 5000, isCancelled } = options;
  const all = emptyTotals();
  const matched = emptyTotals();
  const platforms = new Set<string>();
  const regions = new Set<string>();
  const byPlatformDay = new Map<string, Map<string, DayCounts>>();
  const hourOffsets: LogSummary['hourOffsets'] = [];
  for await (const record of records) {
    if (isCancelled?.()) return null;
    addTo(all, record);
    platforms.add(record.platform);
    regions.add(record.region);
    if (all.records % progressEvery === 0) onProgress?.(all.records);
    if (!matchesView(record, view)) continue;
    if (hourOffsets.at(-1)?.hour !== record.hour) hourOffsets.push({ hour: record.hour, before: matched.records });
    addTo(matched, record);
    let days = byPlatformDay.get(record.platform);
    if (!days) byPlatformDay.set(record.platform, (days = new Map()));
    const day = record.hour.slice(0, 10);
    let counts = days.get(day);
    if (!counts) days.set(day, (counts = {}));
    counts[record.outcome] = (counts[record.outcome] ?? 0) + record.count;
  }
  return { all, platforms: [...platforms].sort(), regions: [...regions].sort(), matched, byPlatformDay, hourOffsets };
}

// ── Paging ──────────────────────────────────────────────────────────────────────────────────────

export const PAGE_SIZE = 50;

export function pageCount(total: number, pageSize = PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/**
 * The table lists newest first, the log is read oldest first. Page `page` (0 = newest) holds the
 * matching records at oldest-first positions [start, end); reading begins at the hour that holds
 * `start`, skipping `skip` matching records of that hour.
 */
export function pageLocation(summary: Pick<LogSummary, 'matched' | 'hourOffsets'>, page: number, pageSize = PAGE_SIZE): { fromHour: string; skip: number; take: number } | null {
  const total = summary.matched.records;
  const end = total - page * pageSize;
  if (end <= 0) return null;
  const start = Math.max(0, end - pageSize);
  // Binary search for the last hour whose first record is at or before `start`.
  const offsets = summary.hourOffsets;
  let lo = 0;
  let hi = offsets.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (offsets[mid]!.before <= start) lo = mid;
    else hi = mid - 1;
  }
  const at = offsets[lo];
  if (!at) return null;
  return { fromHour: at.hour, skip: start - at.before, take: end - start };
}

/** Reads one page of the table, newest first. */
export async function readPage(records: AsyncIterable<LogRecord>, view: LogView, location: { skip: number; take: number }): Promise<LogRecord[]> {
  const rows: LogRecord[] = [];
  let skipped = 0;
  for await (const record of records) {
    if (!matchesView(record, view)) continue;
    if (skipped < location.skip) {
      skipped++;
      continue;
    }
    rows.push(record);
    if (rows.length >= location.take) break;
  }
  return rows.reverse();
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
