/**
 * Settings' view of the dataset update channel: what the last check did and why, when the next is due,
 * "Check now", and going back to the dataset in use before. The checks themselves run in the background
 * (utils/background/features/dataset-updates.ts); going back is a storage change the background follows.
 */
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { rollbackDataset } from '@/utils/dataset/store';
import { formatDate, isolate, type Lang, type MessageKey, type T } from '@/utils/i18n';
import { ask, type DatasetUpdateState } from '@/utils/protocol';
import { UPDATE_FAILURES, type UpdateFailure } from '@/utils/dataset/update';
import type { Settings } from '@/utils/settings';
import { datasetUpdateStatusItem } from '@/utils/storage';

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function failureKey(reason: UpdateFailure): MessageKey {
  return `updateFailure_${reason.replace(/-/g, '_')}` as MessageKey;
}

/**
 * The opt-in, on the first-run page and in Settings: a checkbox naming the update host, or, when this build has
 * no update channel (`host` null), a sentence saying so, since there is nothing to opt in to.
 */
export function DatasetUpdatesChoice({ host, settings, save, lang, t }: { host: string | null; settings: Settings; save: (patch: (s: Settings) => Settings) => Promise<unknown>; lang: Lang; t: T }) {
  if (!host) return <p data-testid="dataset-no-channel">{t('updateNoChannel')}</p>;
  return (
    <p>
      <label>
        <input
          type="checkbox"
          data-setting="datasetUpdates"
          checked={settings.datasetUpdates}
          onChange={(e) => {
            // Read now: the patch runs after an await, when the event's currentTarget is already null.
            const on = (e.currentTarget as HTMLInputElement).checked;
            void save((s) => ({ ...s, datasetUpdates: on }));
          }}
        />
        {t('datasetUpdatesSetting', isolate(host, lang))}
      </label>
    </p>
  );
}

export function DatasetUpdatePanel({ enabled, lang, t, onDatasetChanged }: { enabled: boolean; lang: Lang; t: T; onDatasetChanged: () => void }) {
  const [state, setState] = useState<DatasetUpdateState | null>(null);
  const [busy, setBusy] = useState(false);
  const refresh = async () => setState(await ask(browser.runtime, { type: 'dataset:update-state' }));
  useEffect(() => {
    void refresh();
  }, [enabled]);
  // The background's checks (on opting in, on the alarm) land in storage: show them as they come.
  useEffect(() => datasetUpdateStatusItem.watch(() => void refresh()), []);
  if (!state) return null;
  const s = state.status;
  const when = s?.lastCheckAt ? formatDate(day(s.lastCheckAt), lang) : '';
  const reason = s?.reason && (UPDATE_FAILURES as readonly string[]).includes(s.reason) ? t(failureKey(s.reason as UpdateFailure)) : (s?.reason ?? '');
  return (
    <div data-testid="dataset-updates">
      <p role="status" data-update-result={s?.result ?? 'none'} data-update-reason={s?.reason ?? ''}>
        {!s?.result ? t('updateNotChecked') : null}
        {s?.result === 'applied' ? t('updateStatusApplied', s.version ?? '', when) : null}
        {s?.result === 'current' ? t('updateStatusCurrent', when) : null}
        {s?.result === 'refused' ? t('updateStatusRefused', when, reason) : null}
        {enabled && s?.nextCheckAt ? <> {t('updateNextCheck', formatDate(day(s.nextCheckAt), lang))}</> : null}
      </p>
      {s?.result === 'refused' && s.detail ? (
        <details>
          <summary>{t('blockedTechnical')}</summary>
          <code dir="ltr">{s.detail}</code>
        </details>
      ) : null}
      <div class="row">
        <button
          type="button"
          disabled={!enabled || busy}
          onClick={async () => {
            setBusy(true);
            try {
              setState(await ask(browser.runtime, { type: 'dataset:update-now' }));
              onDatasetChanged();
            } finally {
              setBusy(false);
            }
          }}
        >
          {t('updateCheckNow')}
        </button>
        {state.previous ? (
          <button
            type="button"
            disabled={busy}
            onClick={async () => {
              await rollbackDataset();
              onDatasetChanged();
              await refresh();
            }}
          >
            {t('updateGoBack', state.previous.version)}
          </button>
        ) : null}
      </div>
    </div>
  );
}
