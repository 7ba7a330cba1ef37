/** The one "coalesce the writes" helper behind the observation journal and the log's mirror (utils/coalesced-write.ts). */
import { describe, expect, it, vi } from 'vitest';
import { coalescedWrite } from '../../utils/coalesced-write';

/** A store whose writes stay in flight until the test settles them. */
function slowStore() {
  const writes: { batch: string[]; settle: (error?: Error) => void }[] = [];
  const write = (batch: string[]) =>
    new Promise<void>((resolve, reject) => {
      writes.push({ batch: [...batch], settle: (error) => (error ? reject(error) : resolve()) });
    });
  return { writes, write };
}

const keys = (order: 'turn' | 'serial', write: (batch: string[]) => Promise<unknown>, failed: (error: unknown) => void = () => {}) =>
  coalescedWrite<string, string[]>({ empty: () => [], add: (batch, key) => void batch.push(key), write, order, failed });

const turn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('coalescedWrite', () => {
  it.each(['turn', 'serial'] as const)('%s: what is added in one turn is one write, sent before the turn ends', async (order) => {
    const store = slowStore();
    const add = keys(order, store.write);
    void add('a');
    void add('b');
    expect(store.writes).toHaveLength(0);
    await Promise.resolve();
    expect(store.writes.map((w) => w.batch)).toEqual([['a', 'b']]);
  });

  it('turn: a new turn writes at once, whatever is in flight', async () => {
    const store = slowStore();
    const add = keys('turn', store.write);
    void add('a');
    await turn();
    void add('b');
    await turn();
    expect(store.writes.map((w) => w.batch)).toEqual([['a'], ['b']]);
  });

  it('serial: one write in flight; everything added meanwhile joins the next, sent when it settles', async () => {
    const store = slowStore();
    const add = keys('serial', store.write);
    const a = add('a');
    await turn();
    const later = [add('b'), add('c')];
    await turn();
    void add('d');
    await turn();
    expect(store.writes.map((w) => w.batch)).toEqual([['a']]);
    store.writes[0]!.settle();
    await a;
    await turn();
    expect(store.writes.map((w) => w.batch)).toEqual([['a'], ['b', 'c', 'd']]);
    let settled = false;
    void Promise.all(later).then(() => (settled = true));
    await turn();
    expect(settled).toBe(false);
    store.writes[1]!.settle();
    await Promise.all(later);
  });

  it.each(['turn', 'serial'] as const)('%s: a failed or throwing write is reported, settles its items, and the next one still goes', async (order) => {
    const failed = vi.fn();
    let calls = 0;
    const written: string[][] = [];
    const add = keys(
      order,
      (batch) => {
        calls++;
        if (calls === 1) throw new Error('refused');
        if (calls === 2) return Promise.reject(new Error('quota'));
        written.push(batch);
        return Promise.resolve();
      },
      failed,
    );
    await expect(add('a')).resolves.toBeUndefined();
    await expect(add('b')).resolves.toBeUndefined();
    await add('c');
    expect(failed.mock.calls.map(([e]) => (e as Error).message)).toEqual(['refused', 'quota']);
    expect(written).toEqual([['c']]);
  });
});
