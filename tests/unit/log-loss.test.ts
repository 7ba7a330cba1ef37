import { deleteDB } from 'idb';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addObservations, closeDb, countRecords, LOG_DB_NAME, LogWriter, MIN_ROOM_BYTES, type AddResult } from '../../utils/log/db';
import { tallyLogLoss } from '../../utils/log/loss';
import { clearLogLoss, logLossItem, logLossSessionItem, readLogLoss, watchLogLoss } from '../../utils/storage';
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

describe('where the tally is kept, and what the dashboard reads', () => {
  const loss = { lostObservations: 3, prunedRecords: 0, since: AT, quota: true };
  it("this session's tally wins over the one kept from an earlier session; none, none", async () => {
    expect(await readLogLoss()).toBeNull();
    await logLossItem.setValue({ ...loss, lostObservations: 1 });
    expect(await readLogLoss()).toMatchObject({ lostObservations: 1 });
    await logLossSessionItem.setValue(loss);
    expect(await readLogLoss()).toMatchObject({ lostObservations: 3 });
  });

  it('the OK hides both copies, even when the quota refuses removing the local one', async () => {
    await logLossItem.setValue(loss);
    await logLossSessionItem.setValue(loss);
    vi.spyOn(fakeBrowser.storage.local, 'remove').mockRejectedValue(new DOMException('did not allow mutations', 'InvalidStateError'));
    await clearLogLoss();
    expect(await readLogLoss()).toBeNull();
    expect(await logLossItem.getValue()).toMatchObject({ lostObservations: 3 });
  });

  it('the watcher hears a change of either copy', async () => {
    const heard: (number | null)[] = [];
    const stop = watchLogLoss((l) => heard.push(l?.lostObservations ?? null));
    await logLossItem.setValue(loss);
    await vi.waitFor(() => expect(heard).toEqual([3]));
    await logLossSessionItem.setValue({ ...loss, lostObservations: 5 });
    await vi.waitFor(() => expect(heard).toEqual([3, 5]));
    stop();
  });
});

describe('a browser that says it has almost no room left', () => {
  it('is not written to: the records count as not saved, for the quota, after a prune that did not make room', async () => {
    await addObservations([rec(), rec({ host: 'video.twimg.com' })]);
    const result = await addObservations([rec({ count: 3 })], { room: async () => MIN_ROOM_BYTES - 1 });
    expect(result).toMatchObject({ stored: 0, lost: 1, lostObservations: 3, quotaExceeded: true, pruned: 1 });
    expect(await countRecords()).toBe(1);
  });

  it('is written to once a prune made room, and where the browser does not say', async () => {
    let room = 0;
    await addObservations([rec()]);
    expect(await addObservations([rec({ host: 'video.twimg.com' })], { room: async () => (room++ === 0 ? 10 : MIN_ROOM_BYTES) })).toMatchObject({ stored: 1, lost: 0, pruned: 1 });
    expect(await addObservations([rec({ host: 'abs.twimg.com' })], { room: async () => null })).toMatchObject({ stored: 1, lost: 0, pruned: 0 });
  });
});
