/**
 * Opt-in signed dataset updates (README "Dataset updates"). Off until the user chooses it. Once it is on,
 * an alarm looks every few hours whether a check is due; a check is due at most once a day, and after a
 * failure the wait doubles (1, 2, 4, then 8 days), so a broken channel never causes a retry storm. The user's
 * "Check now" is the one exception. Everything a check decides is in utils/dataset/update.ts; a refusal
 * changes nothing but the status that Settings shows. A build with no channel (utils/dataset/channel.ts) never
 * checks, and Settings says so instead of offering the choice.
 */
import browser from 'webextension-polyfill';
import { updateChannel, updateHost } from '../../dataset/channel';
import { activeCore, applyUpdate, previousDataset } from '../../dataset/store';
import { checkForUpdate, compareVersions, type UpdateResult } from '../../dataset/update';
import { isoDay } from '../../dataset/query';
import type { DatasetUpdateState } from '../../protocol';
import { datasetUpdateStatusItem, type DatasetUpdateStatus } from '../../storage';
import { defineFeature, type Background } from '../host';

export const UPDATE_ALARM = 'banlens-dataset-update';
/** How often the alarm looks whether a check is due; the check itself is daily at most. */
export const UPDATE_ALARM_MINUTES = 6 * 60;
const DAY_MS = 86_400_000;
const MAX_BACKOFF_DAYS = 8;

export const EMPTY_STATUS: DatasetUpdateStatus = { lastCheckAt: null, result: null, reason: null, detail: null, version: null, failures: 0, nextCheckAt: 0, declinedVersion: null };

/** Days to wait after `failures` failed checks in a row: 1 after a success or the first failure, then 2, 4, 8. */
export function backoffDays(failures: number): number {
  return Math.min(MAX_BACKOFF_DAYS, 2 ** Math.max(0, failures - 1));
}

export function checkIsDue(enabled: boolean, status: DatasetUpdateStatus | null, now: number): boolean {
  return enabled && now >= (status?.nextCheckAt ?? 0);
}

/**
 * The status after a check. A newer version the user went back from counts as "current": it is not offered
 * again until the channel publishes a version newer still.
 */
export function statusAfter(prev: DatasetUpdateStatus | null, result: UpdateResult, now: number): DatasetUpdateStatus {
  const base = prev ?? EMPTY_STATUS;
  if (result.ok) {
    return { ...base, lastCheckAt: now, result: 'applied', reason: null, detail: null, version: result.manifest.version, failures: 0, nextCheckAt: now + DAY_MS };
  }
  // "Nothing newer" is the channel working as it should, not a failure to back off from.
  if (result.reason === 'not-newer') {
    return { ...base, lastCheckAt: now, result: 'current', reason: null, detail: result.detail, failures: 0, nextCheckAt: now + DAY_MS };
  }
  const failures = base.failures + 1;
  return { ...base, lastCheckAt: now, result: 'refused', reason: result.reason, detail: result.detail, version: null, failures, nextCheckAt: now + backoffDays(failures) * DAY_MS };
}

/** A verified update the user already went back from is not applied again. */
export function declined(status: DatasetUpdateStatus | null, version: string): boolean {
  return !!status?.declinedVersion && compareVersions(version, status.declinedVersion) <= 0;
}

let running: Promise<void> | null = null;

async function runCheck(bg: Background, manual: boolean): Promise<void> {
  if (running) return running;
  running = (async () => {
    const ctx = await bg.context();
    const status = await datasetUpdateStatusItem.getValue();
    const now = Date.now();
    // A build without a channel never fetches, whatever the stored setting says.
    const channel = updateChannel();
    if (!channel || !ctx.settings.datasetUpdates || (!manual && !checkIsDue(true, status, now))) return;
    const active = await activeCore();
    let result = await checkForUpdate(channel, active.core.version, { fetch: (...a) => fetch(...a), today: isoDay() });
    if (result.ok && declined(status, result.manifest.version)) {
      result = { ok: false, reason: 'not-newer', detail: `version ${result.manifest.version} was set aside by going back` };
    }
    if (result.ok) await applyUpdate(result.dataset, result.manifest, now);
    await datasetUpdateStatusItem.setValue(statusAfter(status, result, now));
  })().finally(() => {
    running = null;
  });
  return running;
}

async function updateState(bg: Background): Promise<DatasetUpdateState> {
  const [ctx, status, active, previous] = await Promise.all([bg.context(), datasetUpdateStatusItem.getValue(), activeCore(), previousDataset()]);
  return {
    enabled: ctx.settings.datasetUpdates,
    host: updateHost(),
    status,
    active: { version: active.core.version, researchedThrough: active.core.researchedThrough, source: active.source },
    previous: previous ? { version: previous.version, source: previous.source } : null,
  };
}

export default defineFeature({
  id: 'dataset-updates',
  setup(bg) {
    bg.onPage('dataset:update-state', () => updateState(bg));
    bg.onPage('dataset:update-now', async () => {
      await runCheck(bg, true);
      return updateState(bg);
    });
    browser.alarms.onAlarm.addListener((alarm) => {
      if (alarm.name === UPDATE_ALARM) void runCheck(bg, false);
    });
    // The alarm exists only while the user has opted in; turning it on checks at once if a check is due.
    bg.onContextChange((ctx) => {
      if (ctx.settings.datasetUpdates && updateChannel()) {
        // Firefox's alarms.create returns nothing, not a promise: wrapped, so `.catch` cannot throw there.
        void Promise.resolve(browser.alarms.create(UPDATE_ALARM, { periodInMinutes: UPDATE_ALARM_MINUTES })).catch(() => {});
        void runCheck(bg, false);
      } else {
        void browser.alarms.clear(UPDATE_ALARM).catch(() => {});
      }
    });
  },
});
