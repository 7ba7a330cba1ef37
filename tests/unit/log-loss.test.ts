import { deleteDB } from 'idb';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addObservations, closeDb, LOG_DB_NAME, LogWriter, type AddResult } from '../../utils/log/db';
import { tallyLogLoss } from '../../utils/log/loss';
import { sampleRecord as rec } from './helpers/records';

const HOUR = 3_600_000;

beforeEach(async () => {
  await closeDb();
  await deleteDB(LOG_DB_NAME);
  fakeBrowser.reset();
});
afterEach(() => vi.restoreAllMocks());
const AT = Date.parse('2026-11-01T10:20:00Z');

describe('tallyLogLoss', () => {
  it('starts at the hour of the first loss and adds up what later writes lost and pruned', () => {
    const first = tallyLogLoss(null, { lostObservations: 3, pruned: 0, quotaExceeded: true }, AT);
    expect(first).toEqual({ lostObservations: 3, prunedRecords: 0, since: Date.parse('2026-11-01T10:00:00Z'), quota: true });
    const second = tallyLogLoss(first, { lostObservations: 2, pruned: 5, quotaExceeded: true }, AT + 5 * HOUR);
    expect(second).toEqual({ lostObservations: 5, prunedRecords: 5, since: first.since, quota: true });
  });

  it('a write that pruned to make room and then succeeded still ran out of quota', () => {
    expect(tallyLogLoss(null, { lostObservations: 0, pruned: 4, quotaExceeded: false }, AT)).toMatchObject({ lostObservations: 0, prunedRecords: 4, quota: true });
  });

  it('says which kind of failure the last loss was', () => {
    const quota = tallyLogLoss(null, { lostObservations: 1, pruned: 1, quotaExceeded: true }, AT);
    expect(tallyLogLoss(quota, { lostObservations: 1, pruned: 0, quotaExceeded: false }, AT).quota).toBe(false);
    const other = tallyLogLoss(null, { lostObservations: 1, pruned: 0, quotaExceeded: false }, AT);
    expect(other.quota).toBe(false);
  });
});

describe('what a write lost reaches the writer’s onLoss', () => {
  it('counts the observations of the lost records, not the records, and says it was the quota', async () => {
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const result = await addObservations([rec({ count: 3 }), rec({ count: 2, platform: 'youtube', host: 'www.youtube.com' })]);
    expect(result).toMatchObject({ stored: 0, lost: 2, lostObservations: 5, quotaExceeded: true });
  });

  it('a lasting failure of another kind is not called the quota', async () => {
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('broken', 'UnknownError');
    });
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(await addObservations([rec()])).toMatchObject({ lost: 1, lostObservations: 1, quotaExceeded: false, pruned: 0 });
  });

  it('the writer reports each flush that lost or pruned, and stays quiet otherwise', async () => {
    const reports: AddResult[] = [];
    const results: AddResult[] = [
      { stored: 1, invalid: 0, lost: 0, lostObservations: 0, quotaExceeded: false, pruned: 0, alreadyApplied: false },
      { stored: 0, invalid: 0, lost: 1, lostObservations: 4, quotaExceeded: true, pruned: 2, alreadyApplied: false },
    ];
    const writer = new LogWriter({ write: async () => results.shift()!, onLoss: (r) => reports.push(r) });
    await writer.push(rec());
    await writer.flush();
    expect(reports).toEqual([]);
    await writer.push(rec());
    await writer.flush();
    expect(reports).toEqual([expect.objectContaining({ lostObservations: 4, pruned: 2 })]);
  });
});

describe('what counts as the storage running out', () => {
  it.each([
    ['QuotaExceededError', 'The quota has been exceeded.', true],
    ['NS_ERROR_DOM_QUOTA_REACHED', 'quota', true],
    ['InvalidStateError', 'A mutation operation was attempted on a database that did not allow mutations.', true],
    ['InvalidStateError', 'The database connection is closing.', false],
    ['UnknownError', 'did not allow mutations', false],
  ])('%s (%s): quota %s', async (name, message, quota) => {
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException(message, name);
    });
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(await addObservations([rec()])).toMatchObject({ lost: 1, quotaExceeded: quota, errorName: name });
  });
});
