/**
 * Every storage key the extension uses, declared once (ARCHITECTURE.md "Storage"). Each fixed key is a
 * WXT storage item with a version and its migrations; a change of shape bumps the version and adds a
 * migration, tested on a frozen example of the old shape (tests/unit/storage.test.ts).
 *
 *   local:settings          user settings; repaired field by field on read (utils/settings.ts)
 *   local:settingsRepair    which settings fields a repair reset, until the options page has shown it
 *   local:datasetImported   a dataset file the user imported (validated once, when it was imported)
 *   local:datasetCore       what the background decides with from the dataset in use (utils/dataset/core.ts),
 *                           written with every import, update and go-back; null core means the bundled one
 *   local:datasetUpdated    a signed dataset update that was verified and applied, with its manifest
 *   local:datasetPrevious   the dataset in use before the last change, for the one-click "go back"
 *   local:datasetUpdateStatus  the last update check: when, what happened, why it was refused, when the next is due
 *   local:probeLastRun      when the last probe run started (rate limit for manual runs)
 *   local:logLoss           what the log could not keep (utils/log/loss.ts), until the dashboard's OK
 *   session:logLoss         the same tally, newest first: storage.session takes it when the browser's quota
 *                           refuses storage.local too (Firefox keeps storage.local in IndexedDB); `ok` after
 *                           the dashboard's OK, in case the quota also refuses removing the local copy
 *   session:tabStates       what each tab holds (utils/background/tab-state.ts), written by the tab store only
 *   session:failures        a tab's failed main-frame load, for the explanation page and its retry
 *   session:bannersShown    platforms whose banner was shown this session (once per session)
 *   session:observedSummary the observed-status evidence (utils/observed/status.ts): timestamps, outcomes and
 *                           opaque page-load tokens per region and platform; no host, URL or tab
 *   session:observedStatus  what that evidence says, `<region>:<platform>` → status, for the decision context;
 *                           written only when it changes (utils/background/features/observed-status.ts)
 *   session:pageLoads       tab id → the opaque random token of its current page load
 *
 * Two key families in storage.session are written per event rather than as one item, because each
 * write must be small and immediate; their owners say how they are recovered:
 *   banlens.obs/<worker>/<n>        one webRequest observation, journaled before anything is awaited
 *                                   (utils/background/observations.ts)
 *   banlens.log.pending/<batch>/<n> one anonymised record waiting for its IndexedDB batch (utils/log/db.ts)
 *
 * The reachability log's IndexedDB schema is owned by utils/log/db.ts. Session storage is cleared when the
 * browser closes and is not readable by content scripts, so pages never see any of it.
 */
import { storage } from '#imports';
import type { TabState } from './background/tab-state';
import type { MainFrameFailure } from './protocol';
import { emptySummary, type ObservedSummary, type ObservedVerdict } from './observed/status';
import type { DatasetCore } from './dataset/core';
import type { LogLoss } from './log/loss';

/** The settings' stored shape has had one version so far; a new one adds a migration here. */
export const SETTINGS_VERSION = 1;
/**
 * `migrations[n]` turns a version n-1 value into version n. Values may be corrupt: a migration passes on
 * what it does not understand and leaves the repair to utils/settings.ts.
 */
export const SETTINGS_MIGRATIONS: Record<number, (old: unknown) => unknown> = {};

/** Stored as the user's last save; read only through getSettings(), which repairs it. */
export const settingsItem = storage.defineItem<unknown>('local:settings', {
  fallback: null,
  version: SETTINGS_VERSION,
  migrations: SETTINGS_MIGRATIONS,
});

export interface SettingsRepair {
  /** Dotted paths of the fields that fell back to their defaults. */
  fields: string[];
  at: number;
}
export const settingsRepairItem = storage.defineItem<SettingsRepair | null>('local:settingsRepair', { fallback: null, version: 1, migrations: {} });

export const datasetImportedItem = storage.defineItem<unknown>('local:datasetImported', { fallback: null, version: 1, migrations: {} });

/**
 * The dataset in use, as the background reads it at start: its source and compact core, so a worker start reads
 * a few kilobytes and validates nothing. `format` is DATASET_CORE_FORMAT when written; another format is made again
 * from the stored dataset (utils/dataset/store.ts).
 */
export interface DatasetCoreEntry {
  format: number;
  source: 'bundled' | 'imported' | 'updated';
  /** Null for the bundled dataset, whose core is built into the extension. */
  core: DatasetCore | null;
  manifest?: DatasetUpdated['manifest'];
}
export const datasetCoreItem = storage.defineItem<DatasetCoreEntry | null>('local:datasetCore', { fallback: null, version: 1, migrations: {} });

export interface DatasetUpdated {
  dataset: unknown;
  manifest: { version: string; researchedThrough: string; sha256: string; url: string };
  appliedAt: number;
}
export const datasetUpdatedItem = storage.defineItem<DatasetUpdated | null>('local:datasetUpdated', { fallback: null, version: 1, migrations: {} });

/** What was in use before the last import, update or go-back: null dataset means the bundled one. */
export interface DatasetPrevious {
  source: 'bundled' | 'imported' | 'updated';
  dataset: unknown;
  manifest?: DatasetUpdated['manifest'];
  version: string;
}
export const datasetPreviousItem = storage.defineItem<DatasetPrevious | null>('local:datasetPrevious', { fallback: null, version: 1, migrations: {} });

export interface DatasetUpdateStatus {
  lastCheckAt: number | null;
  /** `applied`: a newer dataset was installed; `refused`: see reason; `current`: nothing newer was offered. */
  result: 'applied' | 'refused' | 'current' | null;
  reason: string | null;
  detail: string | null;
  /** The version installed by the last applied update, or offered by the last refused one. */
  version: string | null;
  /** Failed checks in a row, for the back-off. */
  failures: number;
  nextCheckAt: number;
  /** The user went back from this version: it is never applied again automatically. */
  declinedVersion: string | null;
}
export const datasetUpdateStatusItem = storage.defineItem<DatasetUpdateStatus | null>('local:datasetUpdateStatus', { fallback: null, version: 1, migrations: {} });

export const probeLastRunItem = storage.defineItem<number | null>('local:probeLastRun', { fallback: null, version: 1, migrations: {} });

export const logLossItem = storage.defineItem<LogLoss | null>('local:logLoss', { fallback: null, version: 1, migrations: {} });
export const logLossSessionItem = storage.defineItem<LogLoss | 'ok' | null>('session:logLoss', { fallback: null, version: 1, migrations: {} });

/** What the log could not keep, as the user is to be told: this session's tally, else the one kept from an earlier session. */
export async function readLogLoss(): Promise<LogLoss | null> {
  const [now, kept] = await Promise.all([logLossSessionItem.getValue().catch(() => null), logLossItem.getValue().catch(() => null)]);
  return now === 'ok' ? null : (now ?? kept);
}

/** Calls back with readLogLoss() whenever either copy changes; returns the unwatch. */
export function watchLogLoss(callback: (loss: LogLoss | null) => void): () => void {
  const changed = () => void readLogLoss().then(callback);
  const stops = [logLossSessionItem.watch(changed), logLossItem.watch(changed)];
  return () => {
    for (const stop of stops) stop();
  };
}

/** The user's OK: gone from both copies (the session's says `ok`, should removing the local copy fail). */
export async function clearLogLoss(): Promise<void> {
  await logLossSessionItem.setValue('ok');
  await logLossItem.removeValue().catch(() => {});
}

/** Tab id (as a string, since storage keys are strings) → state. */
export const tabStatesItem = storage.defineItem<Record<string, TabState>>('session:tabStates', { fallback: {}, version: 1, migrations: {} });

export const failuresItem = storage.defineItem<Record<string, MainFrameFailure>>('session:failures', { fallback: {}, version: 1, migrations: {} });

export const bannersShownItem = storage.defineItem<string[]>('session:bannersShown', { fallback: [], version: 1, migrations: {} });

export const observedSummaryItem = storage.defineItem<ObservedSummary>('session:observedSummary', { fallback: emptySummary(), version: 1, migrations: {} });

/** Only the platforms whose status is not `unknown`. */
export type ObservedStatusMap = Record<string, Pick<ObservedVerdict, 'status' | 'outcome' | 'failures' | 'failedLoads' | 'oks' | 'controls'>>;
export const observedStatusItem = storage.defineItem<ObservedStatusMap>('session:observedStatus', { fallback: {}, version: 1, migrations: {} });

export const pageLoadsItem = storage.defineItem<Record<string, string>>('session:pageLoads', { fallback: {}, version: 1, migrations: {} });

export const OBSERVATION_JOURNAL_PREFIX = 'banlens.obs/';
