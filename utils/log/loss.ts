/**
 * What the log could not keep: observations the browser refused to store, and old records deleted to
 * make room when its storage ran out (utils/log/db.ts addObservations). The dashboard tells the user
 * until they acknowledge it; nothing here names a host or a page.
 */
import type { AddResult } from './db';

export interface LogLoss {
  /** Observations not saved since `since`. */
  lostObservations: number;
  /** Old records deleted to make room since `since`. */
  prunedRecords: number;
  /** When the first of these losses happened (ms since the epoch, cut to the hour like the log). */
  since: number;
  /** The last loss was the browser's storage quota (rather than another write failure). */
  quota: boolean;
  /** The name of the error behind the last loss, for the dashboard's other kind of warning. */
  error?: string;
}

const HOUR_MS = 3_600_000;

/** The running tally after one write that lost or pruned something. */
export function tallyLogLoss(previous: LogLoss | null, result: Pick<AddResult, 'lostObservations' | 'pruned' | 'quotaExceeded' | 'errorName'>, now: number): LogLoss {
  const lost = result.lostObservations > 0;
  return {
    lostObservations: (previous?.lostObservations ?? 0) + result.lostObservations,
    prunedRecords: (previous?.prunedRecords ?? 0) + result.pruned,
    since: previous?.since ?? Math.floor(now / HOUR_MS) * HOUR_MS,
    // A prune is only ever made for the quota; a write that pruned and then succeeded still ran out.
    quota: lost ? result.quotaExceeded : result.pruned > 0 || (previous?.quota ?? false),
    ...(lost && result.errorName ? { error: result.errorName } : previous?.error ? { error: previous.error } : {}),
  };
}
