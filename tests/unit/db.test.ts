import { deleteDB } from 'idb';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  addObservations,
  clearLog,
  closeDb,
  countRecords,
  getDb,
  getRecords,
  iterateRecords,
  LOG_DB_NAME,
  LOG_DB_VERSION,
  logSummary,
  LogWriter,
  newestRecords,
  PENDING_KEY_PREFIX,
  prune,
  queryRecords,
  type StoredRecord,
} from '../../utils/log/db';
import { mergeKey, type LogRecord } from '../../utils/log/record';
import { sampleRecord } from './helpers/records';

const rec = sampleRecord;

/** `2026-11-01T00:00:00Z` plus n hours. */
function hour(n: number): string {
  return new Date(Date.parse('2026-11-01T00:00:00Z') + n * 3_600_000).toISOString().replace('.000Z', 'Z');
}

async function totalCount(): Promise<number> {
  return (await queryRecords()).reduce((sum, r) => sum + r.count, 0);
}

async function pendingKeys(): Promise<string[]> {
  return Object.keys(await fakeBrowser.storage.session.get(null)).filter((k) => k.startsWith(PENDING_KEY_PREFIX));
}

function quotaError(): DOMException {
  return new DOMException('The quota has been exceeded.', 'QuotaExceededError');
}

beforeEach(async () => {
  await closeDb();
  await deleteDB(LOG_DB_NAME);
  fakeBrowser.reset();
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('schema upgrades', () => {
  /** Version 1 exactly as it shipped: one store keyed by id, records without mergeKey. Frozen. */
  function createV1Database(records: object[]): Promise<void> {
    return new Promise((resolve, reject) => {
      const open = indexedDB.open(LOG_DB_NAME, 1);
      open.onupgradeneeded = () => {
        const store = open.result.createObjectStore('records', { keyPath: 'id' });
        for (const r of records) store.put(r);
      };
      open.onsuccess = () => {
        open.result.close();
        resolve();
      };
      open.onerror = () => reject(open.error);
    });
  }

  const V1_RECORDS = [
    { schema: 'banlens.reachability/1', id: '11111111-1111-4111-8111-111111111111', hour: '2026-11-22T16:00:00Z', region: 'PK', platform: 'x', host: 'platform.twitter.com', resource: 'script', vantage: 'passive', outcome: 'tcp_reset', error: 'net::ERR_CONNECTION_RESET', http_status: null, ms_bucket: 100, count: 3, restricted: true, browser: 'chromium/156', extension: '0.1.0', dataset: '2026.11.22' },
    // v1 did not merge on write, so the same observation can appear twice.
    { schema: 'banlens.reachability/1', id: '22222222-2222-4222-8222-222222222222', hour: '2026-11-22T16:00:00Z', region: 'PK', platform: 'x', host: 'platform.twitter.com', resource: 'script', vantage: 'passive', outcome: 'tcp_reset', error: 'net::ERR_CONNECTION_RESET', http_status: null, ms_bucket: 100, count: 2, restricted: true, browser: 'chromium/156', extension: '0.1.0', dataset: '2026.11.22' },
    { schema: 'banlens.reachability/1', id: '33333333-3333-4333-8333-333333333333', hour: '2026-11-21T09:00:00Z', region: 'IN-JK', platform: 'youtube', host: 'i.ytimg.com', resource: 'image', vantage: 'passive', outcome: 'ok', error: null, http_status: 200, ms_bucket: 250, count: 40, restricted: false, browser: 'firefox/153', extension: '0.1.0', dataset: '2026.11.22' },
    { schema: 'banlens.reachability/1', id: '44444444-4444-4444-8444-444444444444', hour: '2026-11-22T17:00:00Z', region: 'PK', platform: 'x', host: 'x.com', resource: 'probe', vantage: 'probe', outcome: 'timeout', error: 'TypeError: Failed to fetch', http_status: null, ms_bucket: 10000, count: 1, restricted: true, browser: 'chromium/156', extension: '0.1.0', dataset: '2026.11.22' },
  ];

  it('keeps every v1 record, adds its merge key and indexes it', async () => {
    await createV1Database(V1_RECORDS);
    const db = await getDb();
    expect(db.version).toBe(LOG_DB_VERSION);
    const stored = await db.getAll('records');
    expect(stored).toHaveLength(V1_RECORDS.length);
    for (const v1 of V1_RECORDS) {
      const s = stored.find((r) => r.id === v1.id) as StoredRecord;
      expect(s).toEqual({ ...v1, mergeKey: mergeKey(v1 as LogRecord) });
    }
    expect(await db.countFromIndex('records', 'by-merge-key')).toBe(V1_RECORDS.length);
    expect((await queryRecords()).map((r) => r.id)).toEqual([V1_RECORDS[2]!.id, V1_RECORDS[0]!.id, V1_RECORDS[1]!.id, V1_RECORDS[3]!.id]);
    expect(await totalCount()).toBe(46);
  });

  it('merges new observations into upgraded records without losing counts', async () => {
    await createV1Database(V1_RECORDS);
    const { hour: h, ...same } = V1_RECORDS[0]!;
    await addObservations([rec({ ...(same as Partial<LogRecord>), hour: h, id: crypto.randomUUID(), count: 1 })]);
    expect(await countRecords()).toBe(V1_RECORDS.length);
    expect(await totalCount()).toBe(47);
  });

  it('gives an upgraded database the same shape as a new one', async () => {
    const shapeOf = async () => {
      const db = await getDb();
      const tx = db.transaction(['records', 'flushes']);
      const describe = (store: IDBObjectStore) => ({
        keyPath: store.keyPath,
        indexes: [...store.indexNames].map((n) => ({ n, keyPath: store.index(n).keyPath, unique: store.index(n).unique })),
      });
      return {
        stores: [...db.objectStoreNames],
        records: describe(tx.objectStore('records') as unknown as IDBObjectStore),
        flushes: describe(tx.objectStore('flushes') as unknown as IDBObjectStore),
      };
    };
    const fresh = await shapeOf();
    await closeDb();
    await deleteDB(LOG_DB_NAME);
    await createV1Database(V1_RECORDS);
    expect(await shapeOf()).toEqual(fresh);
  });

  it('opens the current version again without touching its data', async () => {
    await addObservations([rec(), rec({ platform: 'youtube', host: 'www.youtube.com' })]);
    await closeDb();
    expect(await totalCount()).toBe(2);
  });
});

describe('schema v3: the summary', () => {
  /** Version 2 exactly as it shipped (records with mergeKey and two indexes, the flush ledger). Frozen. */
  function createV2Database(records: LogRecord[]): Promise<void> {
    return new Promise((resolve, reject) => {
      const open = indexedDB.open(LOG_DB_NAME, 2);
      open.onupgradeneeded = () => {
        const store = open.result.createObjectStore('records', { keyPath: 'id' });
        store.createIndex('by-merge-key', 'mergeKey');
        store.createIndex('by-hour', ['hour', 'id']);
        open.result.createObjectStore('flushes', { keyPath: 'batchId' }).createIndex('by-at', 'at');
        for (const r of records) store.put({ ...r, mergeKey: mergeKey(r) });
      };
      open.onsuccess = () => {
        open.result.close();
        resolve();
      };
      open.onerror = () => reject(open.error);
    });
  }

  /** The summary as a full read of the log computes it. */
  async function readTotals() {
    const all = await queryRecords();
    const byOutcome: Record<string, { records: number; observations: number }> = {};
    for (const r of all) {
      byOutcome[r.outcome] ??= { records: 0, observations: 0 };
      byOutcome[r.outcome]!.records++;
      byOutcome[r.outcome]!.observations += r.count;
    }
    return { records: all.length, observations: all.reduce((n, r) => n + r.count, 0), byOutcome, firstHour: all[0]?.hour ?? null, lastHour: all.at(-1)?.hour ?? null };
  }

  it('is built from every record when a v2 database is upgraded, and the records are kept', async () => {
    const v2 = [rec({ hour: hour(3), count: 4 }), rec({ hour: hour(1), outcome: 'ok', error: null, http_status: 200, count: 2 }), rec({ hour: hour(2), count: 1 })];
    await createV2Database(v2);
    expect((await getDb()).version).toBe(LOG_DB_VERSION);
    expect(await countRecords()).toBe(3);
    expect(await logSummary()).toEqual({ records: 3, observations: 7, byOutcome: { tcp_reset: { records: 2, observations: 5 }, ok: { records: 1, observations: 2 } }, firstHour: hour(1), lastHour: hour(3) });
    expect(await logSummary()).toEqual(await readTotals());
  });

  it('follows every write, merge, prune and clear', async () => {
    expect(await logSummary()).toEqual({ records: 0, observations: 0, byOutcome: {}, firstHour: null, lastHour: null });
    await addObservations(Array.from({ length: 30 }, (_, n) => rec({ hour: hour(n % 10), count: 1 + (n % 3), ...(n % 4 === 0 ? { outcome: 'dns', error: 'net::ERR_NAME_NOT_RESOLVED' } : {}) })));
    expect(await logSummary()).toEqual(await readTotals());
    await addObservations([rec({ hour: hour(5), count: 9 })]); // merges into a stored record
    expect(await logSummary()).toEqual(await readTotals());
    await prune({ maxRecords: 7 });
    expect(await logSummary()).toEqual(await readTotals());
    expect((await logSummary()).records).toBe(7);
    await prune({ maxAgeDays: 0, now: Date.parse(hour(8)) });
    expect(await logSummary()).toEqual(await readTotals());
    await clearLog();
    expect(await logSummary()).toEqual({ records: 0, observations: 0, byOutcome: {}, firstHour: null, lastHour: null });
  });

  it('rolls back with a failed write', async () => {
    await addObservations([rec({ hour: hour(1) })]);
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'summary') throw new DOMException('disk', 'UnknownError');
      return put.apply(this, args);
    });
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(await addObservations([rec({ hour: hour(2) })])).toMatchObject({ stored: 0, lost: 1 });
    vi.restoreAllMocks();
    expect(await countRecords()).toBe(1);
    expect(await logSummary()).toEqual(await readTotals());
  });

  it('pages the log newest first with a cursor', async () => {
    await addObservations(Array.from({ length: 12 }, (_, n) => rec({ hour: hour(n) })));
    const all = (await queryRecords()).reverse();
    expect(await newestRecords(5)).toEqual(all.slice(0, 5));
    expect(await newestRecords(5, 10)).toEqual(all.slice(10));
    expect(await newestRecords(5, 20)).toEqual([]);
  });
});

describe('schema v4: records keyed in hour order', () => {
  /**
   * Version 3 exactly as it shipped: records keyed by id with the merge-key and hour indexes, the flush
   * ledger and the summary. Frozen.
   */
  function createV3Database(records: StoredRecord[], summary: object[], flushes: object[]): Promise<void> {
    return new Promise((resolve, reject) => {
      const open = indexedDB.open(LOG_DB_NAME, 3);
      open.onupgradeneeded = () => {
        const store = open.result.createObjectStore('records', { keyPath: 'id' });
        store.createIndex('by-merge-key', 'mergeKey');
        store.createIndex('by-hour', ['hour', 'id']);
        const ledger = open.result.createObjectStore('flushes', { keyPath: 'batchId' });
        ledger.createIndex('by-at', 'at');
        const totals = open.result.createObjectStore('summary', { keyPath: 'outcome' });
        for (const r of records) store.put(r);
        for (const s of summary) totals.put(s);
        for (const f of flushes) ledger.put(f);
      };
      open.onsuccess = () => {
        open.result.close();
        resolve();
      };
      open.onerror = () => reject(open.error);
    });
  }

  // Ids out of hour order, and two records in one hour, so the new order is seen to come from the key.
  const V3_RECORDS: StoredRecord[] = [
    rec({ id: 'ffffffff-ffff-4fff-8fff-ffffffffffff', hour: hour(1), count: 4 }),
    rec({ id: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', hour: hour(3), outcome: 'ok', error: null, http_status: 200, count: 2 }),
    rec({ id: 'cccccccc-cccc-4ccc-8ccc-cccccccccccc', hour: hour(1), platform: 'youtube', host: 'i.ytimg.com', resource: 'image', count: 1 }),
    rec({ id: 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', hour: hour(2), vantage: 'probe', resource: 'probe', host: 'x.com', outcome: 'timeout', error: 'TypeError: Failed to fetch', count: 7 }),
  ].map((r) => ({ ...r, mergeKey: mergeKey(r) }));
  const V3_SUMMARY = [
    { outcome: 'tcp_reset', records: 2, observations: 5 },
    { outcome: 'ok', records: 1, observations: 2 },
    { outcome: 'timeout', records: 1, observations: 7 },
  ];
  const V3_FLUSHES = [{ batchId: 'batch-before-v4', at: Date.parse(hour(3)) }];

  it('keeps every v3 record as it was, now keyed by [hour, id], with the summary and the ledger', async () => {
    await createV3Database(V3_RECORDS, V3_SUMMARY, V3_FLUSHES);
    const db = await getDb();
    expect(db.version).toBe(LOG_DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['flushes', 'records', 'summary']);
    expect(await db.getAll('records')).toEqual([V3_RECORDS[0], V3_RECORDS[2], V3_RECORDS[3], V3_RECORDS[1]].sort((a, b) => (a!.hour === b!.hour ? (a!.id < b!.id ? -1 : 1) : a!.hour < b!.hour ? -1 : 1)));
    expect(await db.getAllKeys('records')).toEqual([
      [hour(1), 'cccccccc-cccc-4ccc-8ccc-cccccccccccc'],
      [hour(1), 'ffffffff-ffff-4fff-8fff-ffffffffffff'],
      [hour(2), 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb'],
      [hour(3), 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'],
    ]);
    expect(await db.countFromIndex('records', 'by-merge-key')).toBe(4);
    expect(await db.getAll('summary')).toEqual(expect.arrayContaining(V3_SUMMARY));
    expect(await db.getAll('flushes')).toEqual(V3_FLUSHES);
    expect(await logSummary()).toEqual({ records: 4, observations: 14, byOutcome: { tcp_reset: { records: 2, observations: 5 }, ok: { records: 1, observations: 2 }, timeout: { records: 1, observations: 7 } }, firstHour: hour(1), lastHour: hour(3) });
  });

  it('reads, merges, finds by id, pages and prunes the upgraded log as v3 did', async () => {
    await createV3Database(V3_RECORDS, V3_SUMMARY, V3_FLUSHES);
    const strip = ({ mergeKey: _m, ...r }: StoredRecord) => r;
    const inHourOrder = [V3_RECORDS[2]!, V3_RECORDS[0]!, V3_RECORDS[3]!, V3_RECORDS[1]!].map(strip);
    expect(await queryRecords()).toEqual(inHourOrder);
    expect(await newestRecords(2)).toEqual([inHourOrder[3], inHourOrder[2]]);
    expect(await getRecords(['bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', 'not-there', 'ffffffff-ffff-4fff-8fff-ffffffffffff'])).toEqual([inHourOrder[2], inHourOrder[1]]);
    // The same observation again merges into the upgraded record; a batch the ledger knows is not written twice.
    await addObservations([strip({ ...V3_RECORDS[0]!, id: crypto.randomUUID(), count: 1 })]);
    expect(await addObservations([rec()], { batchId: 'batch-before-v4' })).toMatchObject({ alreadyApplied: true });
    expect(await countRecords()).toBe(4);
    expect(await totalCount()).toBe(15);
    expect(await prune({ maxRecords: 2 })).toBe(2);
    expect((await queryRecords()).map((r) => r.id)).toEqual(['bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa']);
    expect(await logSummary()).toMatchObject({ records: 2, observations: 9, firstHour: hour(2), lastHour: hour(3) });
  });

  it('upgrades a v3 log larger than one page of the copy', async () => {
    const many = Array.from({ length: 4500 }, (_, n) => rec({ hour: hour(n % 100), count: 1 + (n % 3) })).map((r) => ({ ...r, mergeKey: mergeKey(r) }));
    await createV3Database(many, [{ outcome: 'tcp_reset', records: many.length, observations: many.reduce((n, r) => n + r.count, 0) }], []);
    const byHourThenId = (a: { hour: string; id: string }, b: { hour: string; id: string }) => (a.hour === b.hour ? (a.id < b.id ? -1 : 1) : a.hour < b.hour ? -1 : 1);
    expect((await queryRecords()).map((r) => r.id)).toEqual([...many].sort(byHourThenId).map((r) => r.id));
    expect(await totalCount()).toBe(many.reduce((n, r) => n + r.count, 0));
  });
});

describe('addObservations', () => {
  it('merges identical observations of the same hour, within a batch and across batches', async () => {
    const result = await addObservations([rec(), rec(), rec({ count: 5 })]);
    expect(result).toMatchObject({ stored: 3, invalid: 0, lost: 0, alreadyApplied: false });
    await addObservations([rec()]);
    const records = await queryRecords();
    expect(records).toHaveLength(1);
    expect(records[0]!.count).toBe(8);
  });

  it('keeps observations apart when the hour or any other field differs', async () => {
    await addObservations([rec(), rec({ hour: '2026-11-22T17:00:00Z' }), rec({ outcome: 'timeout', error: 'net::ERR_TIMED_OUT' }), rec({ region: 'IN' })]);
    expect(await countRecords()).toBe(4);
  });

  it('drops records that do not pass the schema and stores the rest', async () => {
    const bad = { ...rec(), page: 'https://news.example/' } as unknown as LogRecord;
    expect(await addObservations([bad, rec({ host: '10.0.0.1' }), rec()])).toMatchObject({ stored: 1, invalid: 2 });
    expect(await countRecords()).toBe(1);
  });

  it('writes a batch id once, however often the batch is written', async () => {
    const batch = [rec(), rec({ platform: 'youtube', host: 'www.youtube.com' })];
    expect(await addObservations(batch, { batchId: 'b1' })).toMatchObject({ stored: 2, alreadyApplied: false });
    expect(await addObservations(batch, { batchId: 'b1' })).toMatchObject({ stored: 0, alreadyApplied: true });
    expect(await totalCount()).toBe(2);
  });
});

describe('reading', () => {
  beforeEach(async () => {
    await addObservations([
      rec({ hour: hour(5), platform: 'youtube', host: 'www.youtube.com' }),
      rec({ hour: hour(1) }),
      rec({ hour: hour(3), outcome: 'ok', error: null, http_status: 200 }),
      rec({ hour: hour(3), region: 'IN' }),
      rec({ hour: hour(0), region: 'IN' }),
    ]);
  });

  it('iterates oldest hour first, ties by id, across pages', async () => {
    const all: LogRecord[] = [];
    for await (const r of iterateRecords({}, 2)) {
      all.push(r);
      await new Promise((resolve) => setTimeout(resolve, 0)); // a slow consumer must not break the walk
    }
    expect(all.map((r) => r.hour)).toEqual([hour(0), hour(1), hour(3), hour(3), hour(5)]);
    expect(all[2]!.id < all[3]!.id).toBe(true);
    expect(all.every((r) => !('mergeKey' in r))).toBe(true);
  });

  it('filters by hour range and by field', async () => {
    expect((await queryRecords({ from: hour(1), to: hour(5) })).map((r) => r.hour)).toEqual([hour(1), hour(3), hour(3)]);
    expect(await queryRecords({ from: hour(5), to: hour(1) })).toEqual([]);
    expect((await queryRecords({ region: 'IN' })).map((r) => r.hour)).toEqual([hour(0), hour(3)]);
    expect((await queryRecords({ platform: 'youtube' })).map((r) => r.host)).toEqual(['www.youtube.com']);
    expect((await queryRecords({ outcome: 'ok' })).map((r) => r.http_status)).toEqual([200]);
    expect(await queryRecords({}, 2)).toHaveLength(2);
    expect(await countRecords()).toBe(5);
  });

  it('clears everything', async () => {
    await clearLog();
    expect(await countRecords()).toBe(0);
  });
});

describe('retention', () => {
  const now = Date.parse(hour(24 * 10)); // 10 days after hour(0)

  beforeEach(async () => {
    await addObservations(Array.from({ length: 10 }, (_, day) => rec({ hour: hour(day * 24) })));
  });

  it('deletes records older than maxAgeDays', async () => {
    expect(await prune({ maxAgeDays: 3, now })).toBe(7);
    expect((await queryRecords()).map((r) => r.hour)).toEqual([7, 8, 9].map((d) => hour(d * 24)));
  });

  it('deletes the oldest records beyond maxRecords', async () => {
    expect(await prune({ maxRecords: 4, now })).toBe(6);
    expect((await queryRecords()).map((r) => r.hour)).toEqual([6, 7, 8, 9].map((d) => hour(d * 24)));
    expect(await prune({ maxRecords: 4, now })).toBe(0);
  });

  it('applies both bounds', async () => {
    expect(await prune({ maxAgeDays: 5, maxRecords: 2, now })).toBe(8);
    expect(await countRecords()).toBe(2);
  });

  it('refuses nonsense bounds', async () => {
    await expect(prune({ maxAgeDays: -1 })).rejects.toThrow(RangeError);
    await expect(prune({ maxRecords: 1.5 })).rejects.toThrow(RangeError);
  });
});

describe('quota', () => {
  beforeEach(async () => {
    await addObservations(Array.from({ length: 20 }, (_, n) => rec({ hour: hour(n) })));
  });

  it('prunes the oldest tenth and retries once when a write exceeds the quota', async () => {
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementationOnce(() => {
      throw quotaError();
    });
    const result = await addObservations([rec({ hour: hour(100) })]);
    expect(result).toMatchObject({ stored: 1, lost: 0, pruned: 2 });
    const hours = (await queryRecords()).map((r) => r.hour);
    expect(hours).toHaveLength(19);
    expect(hours[0]).toBe(hour(2));
    expect(hours.at(-1)).toBe(hour(100));
  });

  it('rolls back a half-written batch so the retry counts nothing twice', async () => {
    const put = IDBObjectStore.prototype.put;
    let calls = 0;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (++calls === 2) throw quotaError();
      return put.apply(this, args);
    });
    const before = await totalCount();
    await addObservations([rec({ hour: hour(19) }), rec({ hour: hour(50) }), rec({ hour: hour(51) })]);
    const records = await queryRecords({ from: hour(19) });
    expect(records.map((r) => [r.hour, r.count])).toEqual([[hour(19), 2], [hour(50), 1], [hour(51), 1]]);
    expect(await totalCount()).toBe(before - 2 + 3);
  });

  it('never throws when the quota stays exhausted', async () => {
    // Writes that add records fail; the prune's own transaction deletes more than it writes (its summary
    // update replaces a few numbers), which a full disk still allows.
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'records') throw quotaError();
      return put.apply(this, args);
    });
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    await expect(addObservations([rec({ hour: hour(100) }), rec({ hour: hour(101) })])).resolves.toMatchObject({ stored: 0, lost: 2, pruned: 2 });
    expect(await countRecords()).toBe(18);
  });
});

describe('LogWriter', () => {
  beforeEach(() => {
    // Only the writer's timer is faked: fake-indexeddb schedules its work with setImmediate.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });

  it('buffers pushes and writes them together after about a second', async () => {
    const writer = new LogWriter();
    await Promise.all([writer.push(rec()), writer.push(rec()), writer.push(rec({ platform: 'youtube', host: 'www.youtube.com' }))]);
    await vi.advanceTimersByTimeAsync(999);
    expect(await countRecords()).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    await writer.flush();
    expect((await queryRecords()).map((r) => [r.platform, r.count]).sort()).toEqual([['x', 2], ['youtube', 1]]);
    expect(await pendingKeys()).toEqual([]);
  });

  it('writes at once when 200 records are waiting', async () => {
    const write = vi.fn(addObservations);
    const writer = new LogWriter({ write });
    for (let n = 0; n < 450; n++) void writer.push(rec({ hour: hour(n) }));
    await writer.flush();
    expect(write.mock.calls.map(([records]) => records.length)).toEqual([200, 200, 50]);
    expect(await countRecords()).toBe(450);
  });

  it('mirrors a burst in a few writes, each record superseding its journal entry, and loses none', async () => {
    const session = fakeBrowser.storage.session;
    const set = vi.spyOn(session, 'set');
    await session.set(Object.fromEntries(Array.from({ length: 150 }, (_, n) => [`journal/${n}`, { n }])));
    set.mockClear();
    const writer = new LogWriter({ maxBatch: 1000 });
    const mirrored = Array.from({ length: 150 }, (_, n) => writer.push(rec({ hour: hour(n) }), `journal/${n}`));
    await Promise.all(mirrored);
    // The first push writes at once; the other 149 join one write sent when it ends.
    expect(set.mock.calls.length).toBeLessThanOrEqual(3);
    const stored = await session.get(null);
    expect(Object.keys(stored).filter((k) => k.startsWith(PENDING_KEY_PREFIX))).toHaveLength(150);
    expect(Array.from({ length: 150 }, (_, n) => stored[`journal/${n}`])).toEqual(Array(150).fill(false));
    await writer.flush();
    expect(await countRecords()).toBe(150);
    expect(await pendingKeys()).toEqual([]);
  });

  it('mirrors the buffer into session storage until it is written', async () => {
    const writer = new LogWriter();
    await writer.push(rec());
    await writer.push(rec());
    expect(await pendingKeys()).toHaveLength(2);
    await writer.flush();
    expect(await pendingKeys()).toEqual([]);
  });

  it('recovers records pushed before the worker was killed, exactly once', async () => {
    const dead = new LogWriter();
    await Promise.all([dead.push(rec()), dead.push(rec()), dead.push(rec({ outcome: 'dns', error: 'net::ERR_NAME_NOT_RESOLVED' }))]);
    vi.clearAllTimers(); // the worker dies: its timer never fires

    const next = new LogWriter();
    expect(await next.recoverPending()).toBe(3);
    expect(await totalCount()).toBe(3);
    expect(await pendingKeys()).toEqual([]);
    expect(await new LogWriter().recoverPending()).toBe(0);
    expect(await totalCount()).toBe(3);
  });

  it('does not count a batch twice when the worker died after writing it but before dropping its mirror', async () => {
    const dead = new LogWriter();
    await Promise.all([dead.push(rec()), dead.push(rec({ region: 'IN' }))]);
    vi.spyOn(fakeBrowser.storage.session, 'remove').mockRejectedValueOnce(new Error('worker killed'));
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    await dead.flush();
    expect(await totalCount()).toBe(2);
    expect(await pendingKeys()).toHaveLength(2);

    expect(await new LogWriter().recoverPending()).toBe(0);
    expect(await totalCount()).toBe(2);
    expect(await pendingKeys()).toEqual([]);
  });

  it("leaves its own buffer and other extension state alone when recovering", async () => {
    await fakeBrowser.storage.session.set({ 'tabs/3': { platforms: ['x'] } });
    const dead = new LogWriter();
    await dead.push(rec());
    vi.clearAllTimers();
    const live = new LogWriter();
    await live.push(rec({ region: 'IN' }));
    expect(await live.recoverPending()).toBe(1);
    expect(await queryRecords()).toHaveLength(1);
    expect(await pendingKeys()).toHaveLength(1);
    await live.flush();
    expect((await queryRecords()).map((r) => r.region).sort()).toEqual(['IN', 'PK']);
    expect(await fakeBrowser.storage.session.get('tabs/3')).toEqual({ 'tabs/3': { platforms: ['x'] } });
  });

  it('skips mirrored entries that no longer pass the schema', async () => {
    await fakeBrowser.storage.session.set({ [`${PENDING_KEY_PREFIX}old-batch/0`]: { ...rec(), url: 'https://x.com/secret' }, [`${PENDING_KEY_PREFIX}old-batch/1`]: rec() });
    expect(await new LogWriter().recoverPending()).toBe(1);
    expect(await pendingKeys()).toEqual([]);
  });
});
