/**
 * Storage writes that coalesce (ARCHITECTURE.md "Background features": the observation journal and the log's
 * mirror). A write per item was the log's ingest limit: every storage.session call is a round trip to the
 * browser, and each one wakes every storage listener of the extension.
 *
 * Items added during one turn of the event loop go out in one write, at the end of that turn (a microtask), so a
 * burst of events handled in one task costs one write. Then, by `order`:
 *   'turn'    every turn's write goes at once, whatever is in flight: nothing added waits for another write,
 *             which is what the journal needs (an observation is durable before its task ends)
 *   'serial'  one write in flight; what is added meanwhile joins the next write, sent when the one in flight
 *             settles (group commit), for writes whose items are already safe elsewhere until they land
 *
 * The returned promise settles once the write that carried the item settled. A failed write is reported to
 * `failed` and never rejects: the caller's item is then where it was before (callers say what that means).
 */
export interface CoalescedWriteOptions<I, B> {
  /** A new, empty batch. */
  empty(): B;
  /** Adds one item to a batch. */
  add(batch: B, item: I): void;
  /** Writes a batch (never an empty one). */
  write(batch: B): Promise<unknown>;
  order: 'turn' | 'serial';
  failed(error: unknown): void;
}

export function coalescedWrite<I, B>({ empty, add, write, order, failed }: CoalescedWriteOptions<I, B>): (item: I) => Promise<void> {
  let batch = empty();
  let waiters: (() => void)[] = [];
  let scheduled = false;
  let inFlight = false;

  const send = (): void => {
    scheduled = false;
    if (waiters.length === 0 || (order === 'serial' && inFlight)) return;
    const sent = batch;
    const done = waiters;
    batch = empty();
    waiters = [];
    inFlight = true;
    let written: Promise<unknown>;
    try {
      written = write(sent);
    } catch (error) {
      written = Promise.reject(error);
    }
    void written.catch(failed).then(() => {
      inFlight = false;
      for (const resolve of done) resolve();
      if (order === 'serial' && waiters.length > 0 && !scheduled) send();
    });
  };

  return (item) => {
    add(batch, item);
    const done = new Promise<void>((resolve) => waiters.push(resolve));
    if (!scheduled && !(order === 'serial' && inFlight)) {
      scheduled = true;
      queueMicrotask(send);
    }
    return done;
  };
}
