/**
 * Group commit for storage writes: with no write in flight a part goes at once; otherwise it joins the next
 * write, sent when the current one ends. Each caller's promise settles once the write that carried its part
 * has landed or failed (a failure is logged with `failure`, never thrown). One storage call per part was the
 * worker's limit under a burst; the observation journal's removals and the log's mirror both go through this.
 */
export function groupCommit<T>(write: (parts: T[]) => Promise<unknown>, failure: string): (part: T) => Promise<void> {
  let queued: T[] = [];
  let waiting: (() => void)[] = [];
  let inFlight = false;
  const send = () => {
    const parts = queued;
    const done = waiting;
    queued = [];
    waiting = [];
    inFlight = true;
    void write(parts)
      .catch((error: unknown) => console.warn(failure, error))
      .then(() => {
        inFlight = false;
        for (const resolve of done) resolve();
        if (waiting.length > 0) send();
      });
  };
  return (part) => {
    queued.push(part);
    const landed = new Promise<void>((resolve) => waiting.push(resolve));
    if (!inFlight) send();
    return landed;
  };
}
