/**
 * The one owner of the reachability log's IndexedDB schema, and the batching writer in front of it.
 *
 *   anonymise() ─► LogWriter.push ─┬─► memory buffer ──(≤ 1 s or 200 records)──► addObservations ─► IDB
 *                                  └─► storage.session mirror (survives a killed service worker)
 *   startup ─► LogWriter.recoverPending ─► addObservations(leftover batch, batchId) ─► IDB, once
 *
 * Exactly-once recovery: every batch has an id, and the transaction that merges a batch into
 * `records` also writes its id to `flushes`. A batch whose id is already there was committed before
 * the worker died, so recovery only drops its mirror.
 *
 * Schema history (every step is tested on a database built by the earlier version):
 *   v1  `records`, keyed by `id`; values are LogRecords.
 *   v2  `records` values gain `mergeKey`, indexed by `by-merge-key` (merging without a scan) and
 *       `by-hour` on [hour, id] (ordered export, oldest-first pruning); new `flushes` store.
 *   v3  new `summary` store: records and observations per outcome, kept by every transaction that
 *       changes `records` (write, prune, clear), so the dashboard shows totals without reading the log.
 *   v4  `records` keyed by [hour, id], in place of `id` and the `by-hour` index; `by-id` (unique) finds a
 *       record by its id. Reading the log in hour order (export, the dashboard's pass, pruning) walks the
 *       store itself: read through `by-hour`, each entry cost a second lookup of its record, and
 *       Chromium's export of 100k records spent most of its time waiting for those.
 * A future change to the record's fields changes mergeKey(); its upgrade step must recompute the
 * stored keys, as v2 does.
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPObjectStore, type IDBPTransaction, type StoreNames } from 'idb';
import browser from 'webextension-polyfill';
import type { Outcome } from '../reach/outcome';
import { groupCommit } from '../group-commit';
import { addCounts, hourOf, LogRecord, mergeKey, mergeObservations } from './record';

export const LOG_DB_NAME = 'banlens-log';
export const LOG_DB_VERSION = 4;
export const RECORDS_STORE = 'records';
export const FLUSHES_STORE = 'flushes';
export const SUMMARY_STORE = 'summary';

/** A record as stored: the exported record plus its merge key, which is never exported. */
export type StoredRecord = LogRecord & { mergeKey: string };

/** Proof that a batch was committed; kept long enough to outlive any crash-and-restart. */
export interface FlushMark {
  batchId: string;
  at: number;
}

/** The log's totals for one outcome, as the `summary` store keeps them. */
export interface OutcomeSummary {
  outcome: Outcome;
  /** Records with this outcome. */
  records: number;
  /** Their summed counts. */
  observations: number;
}

export interface LogDbSchema extends DBSchema {
  records: {
    /** [hour, id]: the store's own order is the log's order, oldest hour first. */
    key: [string, string];
    value: StoredRecord;
    indexes: { 'by-merge-key': string; 'by-id': string };
  };
  flushes: {
    key: string;
    value: FlushMark;
    indexes: { 'by-at': number };
  };
  summary: {
    key: Outcome;
    value: OutcomeSummary;
  };
}

type LogDb = IDBPDatabase<LogDbSchema>;
type UpgradeTx = IDBPTransaction<LogDbSchema, StoreNames<LogDbSchema>[], 'versionchange'>;

const DAY_MS = 86_400_000;
/** storage.session lives as long as the browser session; a week covers any realistic one. */
const FLUSH_MARK_TTL_MS = 7 * DAY_MS;
/** Share of the log dropped, oldest first, when the browser says the disk quota is exhausted. */
const QUOTA_PRUNE_FRACTION = 0.1;
/**
 * Writes stop when the browser says less than this is left of the origin's quota. At the very edge, Firefox
 * reported the log's transactions as committed and then lost most of their records (the hardening e2e:
 * 3.6 KB left, 300 observations written, 90 readable afterwards), so a loss nobody could tell of; below
 * this much room a write is counted as not saved instead, which the dashboard does tell.
 */
export const MIN_ROOM_BYTES = 1024 * 1024;

/** Bytes left of the origin's quota, or null where the browser does not say. */
export async function roomLeft(): Promise<number | null> {
  const estimate = await globalThis.navigator?.storage?.estimate?.().catch(() => null);
  return estimate?.quota !== undefined && estimate.usage !== undefined ? estimate.quota - estimate.usage : null;
}

export async function upgradeLogDb(db: LogDb, oldVersion: number, tx: UpgradeTx): Promise<void> {
  if (oldVersion < 1) {
    db.createObjectStore(RECORDS_STORE, { keyPath: 'id' });
  }
  if (oldVersion < 2) {
    const records = tx.objectStore(RECORDS_STORE);
    records.createIndex('by-merge-key', 'mergeKey');
    // v4 drops it, with the store it indexed; the v4 schema's types no longer know it.
    records.createIndex('by-hour' as 'by-id', ['hour', 'id']);
    db.createObjectStore(FLUSHES_STORE, { keyPath: 'batchId' }).createIndex('by-at', 'at');
    // v1 records have no mergeKey, so the new index would not see them. v1 never merged on write,
    // so two v1 records may share a key; both are kept (the index is not unique) and counts stay exact.
    let cursor = await records.openCursor();
    while (cursor) {
      await cursor.update({ ...cursor.value, mergeKey: mergeKey(cursor.value) });
      cursor = await cursor.continue();
    }
  }
  if (oldVersion < 3) {
    db.createObjectStore(SUMMARY_STORE, { keyPath: 'outcome' });
    const change = new SummaryChange();
    let cursor = await tx.objectStore(RECORDS_STORE).openCursor();
    while (cursor) {
      change.add(cursor.value.outcome, 1, cursor.value.count);
      cursor = await cursor.continue();
    }
    await change.apply(tx.objectStore(SUMMARY_STORE));
  }
  if (oldVersion < 4) await rekeyByHour(db, tx);
}

/** The v3 records store while v4's upgrade copies it; it exists only inside that transaction. */
const V3_RECORDS_STORE = 'records-v3';
/** Records per read of the copy: enough for few round trips, few enough to keep the worker's heap small. */
const REKEY_PAGE_RECORDS = 2000;

/**
 * v4: a store's key cannot change, so the v3 store is renamed, a store keyed by [hour, id] takes its name
 * and its indexes, every record is copied as it is (same value, same merge key), and the old store goes.
 * All in the upgrade transaction: an upgrade that does not finish leaves v3 untouched, to be done again.
 */
async function rekeyByHour(db: LogDb, tx: UpgradeTx): Promise<void> {
  // The v3 store is not in the v4 schema's types.
  const old = tx.objectStore(RECORDS_STORE) as unknown as IDBPObjectStore<unknown, string[], string, 'versionchange'>;
  old.name = V3_RECORDS_STORE;
  const records = db.createObjectStore(RECORDS_STORE, { keyPath: ['hour', 'id'] });
  records.createIndex('by-merge-key', 'mergeKey');
  records.createIndex('by-id', 'id', { unique: true });
  for (let after: IDBValidKey | undefined; ; ) {
    const page = (await old.getAll(after === undefined ? undefined : IDBKeyRange.lowerBound(after, true), REKEY_PAGE_RECORDS)) as StoredRecord[];
    await Promise.all(page.map((r) => records.put(r)));
    if (page.length < REKEY_PAGE_RECORDS) break;
    after = page.at(-1)!.id;
  }
  db.deleteObjectStore(V3_RECORDS_STORE as typeof RECORDS_STORE);
}

/** What one transaction does to the summary: per outcome, records and observations added (or, negative, removed). */
class SummaryChange {
  readonly #by = new Map<Outcome, { records: number; observations: number }>();

  add(outcome: Outcome, records: number, observations: number): void {
    const d = this.#by.get(outcome) ?? { records: 0, observations: 0 };
    d.records += records;
    d.observations += observations;
    this.#by.set(outcome, d);
  }

  /** Applies the change inside the caller's transaction, so the summary commits or rolls back with the records. */
  async apply(store: { get(key: Outcome): Promise<OutcomeSummary | undefined>; put(value: OutcomeSummary): Promise<unknown>; delete(key: Outcome): Promise<unknown> }): Promise<void> {
    const changes = [...this.#by];
    const current = await Promise.all(changes.map(([outcome]) => store.get(outcome)));
    await Promise.all(
      changes.map(([outcome, d], i) => {
        const records = (current[i]?.records ?? 0) + d.records;
        const observations = Math.min((current[i]?.observations ?? 0) + d.observations, Number.MAX_SAFE_INTEGER);
        return records > 0 ? store.put({ outcome, records, observations }) : store.delete(outcome);
      }),
    );
  }
}

let dbPromise: Promise<LogDb> | null = null;

export function getDb(): Promise<LogDb> {
  dbPromise ??= openDB<LogDbSchema>(LOG_DB_NAME, LOG_DB_VERSION, {
    upgrade: (db, oldVersion, _newVersion, tx) => upgradeLogDb(db, oldVersion, tx),
    // An updated extension page wants a newer version: step aside; the next call reopens.
    blocking: () => void closeDb(),
    // The browser closed the connection (e.g. the user cleared site data).
    terminated: () => {
      dbPromise = null;
    },
  }).catch((error: unknown) => {
    dbPromise = null;
    throw error;
  });
  return dbPromise;
}

/** Closes the connection; the next getDb() opens a new one. For tests and version changes. */
export async function closeDb(): Promise<void> {
  const pending = dbPromise;
  dbPromise = null;
  const db = await pending?.catch(() => null);
  db?.close();
}

// ── Writing ─────────────────────────────────────────────────────────────────────────────────────

export interface AddOptions {
  /** Identifies a batch so that writing it twice (crash recovery) counts it once. */
  batchId?: string;
  now?: number;
  /** What is left of the quota (roomLeft, unless a test says otherwise). */
  room?: () => Promise<number | null>;
}

export interface AddResult {
  /** Input records now counted in the log (0 when the batch had been written before). */
  stored: number;
  /** Input records dropped because they do not pass the LogRecord schema. */
  invalid: number;
  /** Valid input records not written even after a retry (logged, never thrown). */
  lost: number;
  /** The observations those records counted (a record may merge several). */
  lostObservations: number;
  /** The browser said its storage quota is exhausted (the last failure, when records were lost). */
  quotaExceeded: boolean;
  /** The name of the error that refused the records (a DOMException name), when records were lost. */
  errorName?: string;
  /** Old records deleted to make room after a QuotaExceededError. */
  pruned: number;
  /** The batch id had already been committed. */
  alreadyApplied: boolean;
}

function isQuotaExceeded(error: unknown): boolean {
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
  // Old Firefox versions used their own name for the same condition. Once an origin has run out, Firefox
  // refuses its next writes with this InvalidStateError instead (the e2e quota test sees it every time;
  // uBlock Origin and Privacy Badger users reported it on full disks: uBlock-issues#141, privacybadger#2404).
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || (name === 'InvalidStateError' && typeof message === 'string' && message.includes('did not allow mutations'));
}

/**
 * Merges the observations into the log: an identical observation in the same hour raises the
 * stored count. One transaction; never throws. On QuotaExceededError the oldest tenth of the log is
 * pruned and the write retried once; any other failure is retried once as it is.
 */
export async function addObservations(records: readonly LogRecord[], options: AddOptions = {}): Promise<AddResult> {
  const valid = records.filter((r) => LogRecord.safeParse(r).success);
  const result: AddResult = { stored: 0, invalid: records.length - valid.length, lost: 0, lostObservations: 0, quotaExceeded: false, pruned: 0, alreadyApplied: false };
  if (valid.length === 0 && options.batchId === undefined) return result;
  const merged = mergeObservations(valid);
  const room = options.room ?? roomLeft;
  const tooFull = async () => ((await room()) ?? Number.POSITIVE_INFINITY) < MIN_ROOM_BYTES;
  if (valid.length > 0 && (await tooFull())) {
    result.pruned += await pruneOldestShare(QUOTA_PRUNE_FRACTION).catch(() => 0);
    if (await tooFull()) {
      result.lost = valid.length;
      result.lostObservations = valid.reduce((n, r) => n + r.count, 0);
      result.quotaExceeded = true;
      result.errorName = 'QuotaExceededError';
      return result;
    }
  }
  for (let attempt = 1; ; attempt++) {
    try {
      const applied = await writeMerged(await getDb(), merged, options.batchId, options.now ?? Date.now());
      result.alreadyApplied = !applied;
      result.stored = applied ? valid.length : 0;
      return result;
    } catch (error) {
      if (attempt === 2) {
        console.warn(`BanLens: ${valid.length} log records lost`, error);
        result.lost = valid.length;
        result.lostObservations = valid.reduce((n, r) => n + r.count, 0);
        result.quotaExceeded = isQuotaExceeded(error);
        result.errorName = String((error as { name?: unknown } | null)?.name ?? error);
        return result;
      }
      if (isQuotaExceeded(error)) result.pruned += await pruneOldestShare(QUOTA_PRUNE_FRACTION).catch(() => 0);
    }
  }
}

/** Returns false when the batch had already been written. Rolls back entirely on any error. */
async function writeMerged(db: LogDb, merged: Map<string, LogRecord>, batchId: string | undefined, now: number): Promise<boolean> {
  const tx = db.transaction([RECORDS_STORE, FLUSHES_STORE, SUMMARY_STORE], 'readwrite');
  const done = tx.done;
  done.catch(() => {}); // observed below; this only stops an abort from surfacing as unhandled
  try {
    const flushes = tx.objectStore(FLUSHES_STORE);
    if (batchId !== undefined && (await flushes.get(batchId)) !== undefined) {
      await done;
      return false;
    }
    const records = tx.objectStore(RECORDS_STORE);
    const byMergeKey = records.index('by-merge-key');
    // Every request is issued at once and the transaction runs them in order: one round trip per
    // batch, not two per record (awaiting each made a 5,000-record batch take seconds).
    const entries = [...merged];
    const found = await Promise.all(entries.map(([key]) => byMergeKey.get(key)));
    const change = new SummaryChange();
    const puts = entries.map(([key, record], i) => {
      const stored = found[i];
      change.add(record.outcome, stored ? 0 : 1, record.count);
      const put = records.put(stored ? { ...stored, count: addCounts(stored.count, record.count) } : { ...record, mergeKey: key });
      put.catch(() => {}); // a later put may throw before Promise.all below observes this one
      return put;
    });
    await Promise.all([...puts, change.apply(tx.objectStore(SUMMARY_STORE))]);
    if (batchId !== undefined) {
      await flushes.put({ batchId, at: now });
      for (const expired of await flushes.index('by-at').getAllKeys(IDBKeyRange.upperBound(now - FLUSH_MARK_TTL_MS))) {
        await flushes.delete(expired);
      }
    }
    await done;
    return true;
  } catch (error) {
    // A request can throw before the transaction notices; abort so that no half-batch commits
    // and the retry cannot count anything twice.
    try {
      tx.abort();
    } catch {
      // already aborted or finished
    }
    throw error;
  }
}

// ── Reading ─────────────────────────────────────────────────────────────────────────────────────

export interface RecordFilter {
  /** First hour included, `YYYY-MM-DDTHH:00:00Z`. */
  from?: string;
  /** First hour excluded. */
  to?: string;
  platform?: string;
  region?: string;
  host?: string;
  outcome?: LogRecord['outcome'];
  vantage?: LogRecord['vantage'];
}

function toLogRecord(stored: StoredRecord): LogRecord {
  const { mergeKey: _internal, ...record } = stored;
  return record;
}

function matches(record: LogRecord, filter: RecordFilter): boolean {
  return (
    (filter.platform === undefined || record.platform === filter.platform) &&
    (filter.region === undefined || record.region === filter.region) &&
    (filter.host === undefined || record.host === filter.host) &&
    (filter.outcome === undefined || record.outcome === filter.outcome) &&
    (filter.vantage === undefined || record.vantage === filter.vantage)
  );
}

/**
 * Every matching record, oldest hour first (ties by id), read in pages of short transactions so a
 * consumer may await anything between records (an export yielding to the page) without the
 * transaction closing under it. Records written during the walk may or may not be seen.
 */
export async function* iterateRecords(filter: RecordFilter = {}, pageSize = 500): AsyncGenerator<LogRecord> {
  for await (const page of iterateRecordPages(filter, pageSize)) yield* page;
}

/**
 * The same walk as iterateRecords, a page at a time: for a consumer of the whole log (an export), one
 * await per page instead of one per record.
 */
export async function* iterateRecordPages(filter: RecordFilter = {}, pageSize = 500): AsyncGenerator<LogRecord[]> {
  for await (const page of storedPages(filter, pageSize)) {
    const records: LogRecord[] = [];
    for (const stored of page) {
      const record = toLogRecord(stored);
      if (matches(record, filter)) records.push(record);
    }
    if (records.length > 0) yield records;
  }
}

/**
 * The whole log a page at a time, oldest hour first, as stored: each record still carries its merge key.
 * For the export writers, which write the record's named fields and nothing else; copying 100k records
 * only to drop a field they never read was a tenth of an export's script time.
 */
export function logPagesAsStored(pageSize = 500): AsyncGenerator<readonly StoredRecord[]> {
  return storedPages({}, pageSize);
}

/**
 * The walk over the store, whose keys [hour, id] are the log's order. Each page is its own short
 * transaction, and the next page's read is sent before this page is handed over, so IndexedDB reads it
 * while the caller works on this one (formatting a page took as long as reading one).
 */
async function* storedPages(filter: RecordFilter, pageSize: number): AsyncGenerator<StoredRecord[]> {
  // [hour] sorts before every [hour, id], so these bounds select whole hours.
  if (filter.from !== undefined && filter.to !== undefined && filter.from >= filter.to) return; // IDBKeyRange would throw
  const lower = filter.from === undefined ? undefined : [filter.from];
  const upper = filter.to === undefined ? undefined : [filter.to];
  const read = async (after: [string, string] | undefined) => {
    const start = after ?? lower;
    const range =
      start && upper ? IDBKeyRange.bound(start, upper, after !== undefined, true)
      : start ? IDBKeyRange.lowerBound(start, after !== undefined)
      : upper ? IDBKeyRange.upperBound(upper, true)
      : undefined;
    return (await getDb()).getAll(RECORDS_STORE, range, pageSize);
  };
  let next = read(undefined);
  for (;;) {
    const page = await next;
    const last = page.at(-1);
    const more = page.length === pageSize && last !== undefined;
    if (more) {
      next = read([last.hour, last.id]);
      next.catch(() => {}); // a caller that stops early never awaits it; one that goes on gets its error below
    }
    if (page.length > 0) yield page;
    if (!more) return;
  }
}

/** The records with these ids, in the order given; ids no longer in the log are skipped. */
export async function getRecords(ids: readonly string[]): Promise<LogRecord[]> {
  const tx = (await getDb()).transaction(RECORDS_STORE);
  const byId = tx.store.index('by-id');
  const found = await Promise.all(ids.map((id) => byId.get(id)));
  return found.filter((r): r is StoredRecord => r !== undefined).map(toLogRecord);
}

export async function queryRecords(filter: RecordFilter = {}, limit = Number.POSITIVE_INFINITY): Promise<LogRecord[]> {
  const found: LogRecord[] = [];
  if (limit <= 0) return found;
  for await (const record of iterateRecords(filter)) {
    found.push(record);
    if (found.length >= limit) break;
  }
  return found;
}

export async function countRecords(): Promise<number> {
  return (await getDb()).count(RECORDS_STORE);
}

/** Deletes every record. The batch ledger stays, so a batch cleared away is not recovered again. */
export async function clearLog(): Promise<void> {
  const tx = (await getDb()).transaction([RECORDS_STORE, SUMMARY_STORE], 'readwrite');
  await Promise.all([tx.objectStore(RECORDS_STORE).clear(), tx.objectStore(SUMMARY_STORE).clear(), tx.done]);
}

export interface LogSummary {
  records: number;
  observations: number;
  byOutcome: Partial<Record<Outcome, { records: number; observations: number }>>;
  /** The oldest and newest hour in the log; null when it is empty. */
  firstHour: string | null;
  lastHour: string | null;
}

/** The whole log's totals without reading its records: the summary store and the first and last keys of `records`. */
export async function logSummary(): Promise<LogSummary> {
  const tx = (await getDb()).transaction([RECORDS_STORE, SUMMARY_STORE]);
  const records = tx.objectStore(RECORDS_STORE);
  const [outcomes, first, last] = await Promise.all([tx.objectStore(SUMMARY_STORE).getAll(), records.openKeyCursor(), records.openKeyCursor(null, 'prev')]);
  const summary: LogSummary = { records: 0, observations: 0, byOutcome: {}, firstHour: first?.key[0] ?? null, lastHour: last?.key[0] ?? null };
  for (const o of outcomes) {
    summary.records += o.records;
    summary.observations += o.observations;
    summary.byOutcome[o.outcome] = { records: o.records, observations: o.observations };
  }
  return summary;
}

/** A page of the log, newest first (the dashboard's table order, unfiltered), read with a cursor: `skip` records, then up to `limit`. */
export async function newestRecords(limit: number, skip = 0): Promise<LogRecord[]> {
  const found: LogRecord[] = [];
  if (limit <= 0) return found;
  let cursor = await (await getDb()).transaction(RECORDS_STORE).store.openCursor(null, 'prev');
  if (cursor && skip > 0) cursor = await cursor.advance(skip);
  while (cursor && found.length < limit) {
    found.push(toLogRecord(cursor.value));
    cursor = await cursor.continue();
  }
  return found;
}

// ── Retention ───────────────────────────────────────────────────────────────────────────────────

export interface RetentionPolicy {
  /** Delete records whose hour began before the hour `maxAgeDays` days before `now`. */
  maxAgeDays?: number;
  /** Then delete the oldest records beyond this many. */
  maxRecords?: number;
  now?: number;
}

/** Applies the retention bounds in one transaction, oldest first. Returns how many were deleted. */
export async function prune({ maxAgeDays, maxRecords, now = Date.now() }: RetentionPolicy): Promise<number> {
  if (maxAgeDays !== undefined && !(maxAgeDays >= 0)) throw new RangeError(`maxAgeDays must be ≥ 0, got ${maxAgeDays}`);
  if (maxRecords !== undefined && !(Number.isInteger(maxRecords) && maxRecords >= 0)) throw new RangeError(`maxRecords must be a whole number ≥ 0, got ${maxRecords}`);
  const db = await getDb();
  const tx = db.transaction([RECORDS_STORE, SUMMARY_STORE], 'readwrite');
  const done = tx.done;
  done.catch(() => {}); // a failed request rejects below; this only keeps the abort from going unhandled
  const store = tx.objectStore(RECORDS_STORE);
  const change = new SummaryChange();
  let deleted = 0;
  // The records themselves are read, not only their keys: the summary loses what they counted.
  const remove = async (victims: StoredRecord[]) => {
    for (const v of victims) change.add(v.outcome, -1, -v.count);
    deleted += victims.length;
    await Promise.all(victims.map((v) => store.delete([v.hour, v.id])));
  };
  const cutoff = maxAgeDays === undefined ? null : hourOf(now - maxAgeDays * DAY_MS);
  if (cutoff !== null) await remove(await store.getAll(IDBKeyRange.upperBound([cutoff], true)));
  if (maxRecords !== undefined) {
    const excess = (await store.count()) - maxRecords;
    if (excess > 0) await remove(await store.getAll(undefined, excess));
  }
  if (deleted > 0) await change.apply(tx.objectStore(SUMMARY_STORE));
  await done;
  return deleted;
}

/** Deletes the oldest `share` of the records (at least one). */
async function pruneOldestShare(share: number): Promise<number> {
  const total = await countRecords();
  return total === 0 ? 0 : prune({ maxRecords: total - Math.max(1, Math.ceil(total * share)) });
}

// ── Batching writer ─────────────────────────────────────────────────────────────────────────────

/** The part of a storage area the writer uses; `browser.storage.session` in the extension. */
export type PendingStore = {
  get(keys: null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
};

export interface LogWriterOptions {
  /** The longest a pushed record waits in memory. */
  flushDelayMs?: number;
  /** A batch this large is written at once. */
  maxBatch?: number;
  pending?: PendingStore;
  write?: typeof addObservations;
  /** Told of every write that lost records or pruned old ones to make room, so the user can be told. */
  onLoss?: (result: AddResult) => void;
}

/** Session-storage keys are `<prefix><batchId>/<n>`: one small write per push, not the whole buffer. */
export const PENDING_KEY_PREFIX = 'banlens.log.pending/';

interface Batch {
  id: string;
  records: LogRecord[];
  keys: string[];
  mirrored: Promise<void>[];
}

export class LogWriter {
  readonly #flushDelayMs: number;
  readonly #maxBatch: number;
  readonly #pending: PendingStore;
  readonly #write: typeof addObservations;
  readonly #onLoss: (result: AddResult) => void;
  /** Batches this instance made; a leftover batch is one made by an instance that died. */
  readonly #ownBatchIds = new Set<string>();
  #batch: Batch;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Flushes and recoveries run one at a time, in order. */
  #queue: Promise<unknown> = Promise.resolve();
  /**
   * Group commit (utils/group-commit.ts). At 5,000 observations/s one storage.session write per record was the
   * ingest's limit. Waiting costs nothing in safety: until its mirror lands, an observation is still in the
   * journal (its entry is marked `false` by this very write).
   */
  readonly #mirror: (items: Record<string, unknown>) => Promise<void>;

  constructor(options: LogWriterOptions = {}) {
    this.#flushDelayMs = options.flushDelayMs ?? 1000;
    this.#maxBatch = options.maxBatch ?? 200;
    this.#pending = options.pending ?? browser.storage.session;
    this.#write = options.write ?? addObservations;
    this.#onLoss = options.onLoss ?? (() => {});
    const pending = this.#pending;
    this.#mirror = groupCommit<Record<string, unknown>>((parts) => pending.set(Object.assign({}, ...parts)), 'BanLens: could not mirror a log record');
    this.#batch = this.#newBatch();
  }

  #newBatch(): Batch {
    const id = crypto.randomUUID();
    this.#ownBatchIds.add(id);
    return { id, records: [], keys: [], mirrored: [] };
  }

  /**
   * Buffers a record. The returned promise settles once it is mirrored; callers need not wait.
   * `supersedes` names a storage entry that held the same observation until now (the background's
   * observation journal): the same write marks it `false`, so a crash can never count it twice.
   */
  push(record: LogRecord, supersedes?: string): Promise<void> {
    const batch = this.#batch;
    const key = `${PENDING_KEY_PREFIX}${batch.id}/${batch.records.length}`;
    batch.records.push(record);
    batch.keys.push(key);
    const items: Record<string, unknown> = { [key]: record };
    if (supersedes !== undefined) {
      items[supersedes] = false;
      batch.keys.push(supersedes);
    }
    const mirrored = this.#mirror(items);
    batch.mirrored.push(mirrored);
    if (batch.records.length >= this.#maxBatch) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), this.#flushDelayMs);
    return mirrored;
  }

  /** Writes the buffer now. Resolves when it and every earlier flush have been written. */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#batch;
    if (batch.records.length > 0) {
      this.#batch = this.#newBatch();
      this.#queue = this.#queue.then(() => this.#commit(batch));
    }
    return this.#queue.then(() => undefined);
  }

  async #commit(batch: Batch): Promise<void> {
    try {
      // Remove the mirror only after it exists, or a late set() would leave an orphan.
      await Promise.all(batch.mirrored);
      // A batch that could not be written even after addObservations' retry is dropped with
      // its mirror: keeping it would let a lasting failure fill session storage.
      this.#report(await this.#write(batch.records, { batchId: batch.id }));
      await this.#pending.remove(batch.keys);
    } catch (error) {
      // If only the removal failed, the mirror stays and recovery finds the batch in the ledger.
      console.warn('BanLens: log flush incomplete', error);
    } finally {
      this.#ownBatchIds.delete(batch.id);
    }
  }

  #report(result: AddResult): void {
    if (result.lost > 0 || result.pruned > 0) this.#onLoss(result);
  }

  /**
   * Writes batches left in session storage by a worker that was killed before flushing, each
   * exactly once, then drops their mirrors. Call once at startup. Resolves to the records stored.
   */
  recoverPending(): Promise<number> {
    const run = this.#queue.then(() => this.#recover());
    this.#queue = run.catch(() => {});
    return run;
  }

  async #recover(): Promise<number> {
    const all = await this.#pending.get(null);
    const leftovers = new Map<string, { keys: string[]; records: LogRecord[] }>();
    for (const [key, value] of Object.entries(all)) {
      if (!key.startsWith(PENDING_KEY_PREFIX)) continue;
      const batchId = key.slice(PENDING_KEY_PREFIX.length).split('/')[0] ?? '';
      if (this.#ownBatchIds.has(batchId)) continue;
      const batch = leftovers.get(batchId) ?? { keys: [], records: [] };
      leftovers.set(batchId, batch);
      batch.keys.push(key);
      // The mirror is written by an older build of this code, possibly before an update.
      const parsed = LogRecord.safeParse(value);
      if (parsed.success) batch.records.push(parsed.data);
    }
    let recovered = 0;
    for (const [batchId, { keys, records }] of leftovers) {
      const written = await this.#write(records, { batchId });
      this.#report(written);
      recovered += written.stored;
      await this.#pending.remove(keys);
    }
    return recovered;
  }
}
