import { useEffect, useState } from 'preact/hooks';
import { acknowledgeSettingsRepair, getSettings, settingsRepairItem, updateSettings, type Settings, type SettingsRepair } from '@/utils/settings';
import { inferRegionHere, isCountryCode } from '@/utils/region';
import { activeDataset, importDataset, resetDataset, watchDatasetChanges, type DatasetSource } from '@/utils/dataset/store';
import { isoDay, restrictionsActiveAt } from '@/utils/dataset/query';
import { regionName, intlTag, LANGUAGES, tagOf, type Lang, type T } from '@/utils/i18n';
import countryCodes from '@/utils/region/countries.json';
import type { Dataset } from '@/utils/dataset/schema';
import { updateHost } from '@/utils/dataset/channel';
import { Brand } from './Brand';
import { DatasetDates } from './DatasetDates';
import { DatasetUpdatePanel, DatasetUpdatesChoice } from './DatasetUpdatePanel';

const SOURCE_KEYS = { bundled: 'datasetBundled', imported: 'datasetImported', updated: 'datasetUpdated' } as const satisfies Record<DatasetSource, string>;

export function Options({ lang, t }: { lang: Lang; t: T }) {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [dataset, setDataset] = useState<{ dataset: Dataset; source: DatasetSource } | null>(null);
  const [importMessage, setImportMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pick, setPick] = useState('');
  const [repair, setRepair] = useState<SettingsRepair | null>(null);
  useEffect(() => {
    // Read after getSettings, which records a repair it had to make.
    void getSettings().then(async (s) => {
      setSettings(s);
      setRepair(await settingsRepairItem.getValue());
    });
    void activeDataset().then(setDataset);
    // The background applies updates while this page is open: show the dataset they leave in use.
    return watchDatasetChanges(() => void activeDataset().then(setDataset));
  }, []);
  if (!settings || !dataset) return <p>…</p>;

  const save = async (patch: (s: Settings) => Settings) => setSettings(await updateSettings(patch));
  const inferred = inferRegionHere();
  const chosen = settings.regions ?? inferred.regions;
  const today = isoDay();
  const names = (codes: string[]) => codes.map((c) => regionName(c, lang)).join(', ');
  const restrictedIn = (code: string) => restrictionsActiveAt(dataset.dataset, [code], today).length;
  const sortedCountries = [...countryCodes].sort((a, b) => regionName(a, lang).localeCompare(regionName(b, lang), intlTag(lang)));
  const notices = settings.notices;
  const setNotices = (patch: Partial<Settings['notices']>) => save((s) => ({ ...s, notices: { ...s.notices, ...patch } }));

  return (
    <div>
      <Brand />
      <h1>{t('optionsTitle')}</h1>
      {repair ? (
        <p role="status" class="card" data-settings-repaired={repair.fields.join(' ')}>
          {t('settingsRepaired', repair.fields.join(', '))}{' '}
          <button type="button" onClick={() => void acknowledgeSettingsRepair().then(() => setRepair(null))}>
            {t('settingsRepairedOk')}
          </button>
        </p>
      ) : null}

      <section aria-labelledby="region-h">
        <h2 id="region-h">{t('regionHeading')}</h2>
        <p>
          {t('regionInferred', inferred.regions.length ? names(inferred.regions) : t('regionUnknown'))}{' '}
          <span class="muted">{t(`regionHow_${inferred.source}` as 'regionHow_timezone', inferred.timeZone ?? '')}</span>
        </p>
        <p>{settings.regions ? t('regionUsingChosen', names(settings.regions)) : t('regionUsingInferred')}</p>
        <ul>
          {chosen.map((code) => (
            <li key={code} data-region={code}>
              {regionName(code, lang)} ({code}) — {restrictedIn(code) > 0 ? t('regionActiveCount', String(restrictedIn(code))) : t('noRestrictionsInRegion', regionName(code, lang))}{' '}
              {settings.regions ? (
                <button type="button" aria-label={t('removeRegion', regionName(code, lang))} onClick={() => save((s) => ({ ...s, regions: (s.regions ?? []).filter((r) => r !== code).length ? (s.regions ?? []).filter((r) => r !== code) : null }))}>
                  {t('remove')}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
        <div class="row">
          <label>
            {t('addRegion')}{' '}
            <select value={pick} onChange={(e) => setPick((e.currentTarget as HTMLSelectElement).value)}>
              <option value="">—</option>
              {sortedCountries.map((c) => (
                <option key={c} value={c}>
                  {regionName(c, lang)} ({c})
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            disabled={!pick || !isCountryCode(pick)}
            onClick={() => {
              const code = pick;
              setPick('');
              return save((s) => ({ ...s, regions: [...new Set([...(s.regions ?? []), code])] }));
            }}
          >
            {t('add')}
          </button>
          {settings.regions ? (
            <button type="button" onClick={() => save((s) => ({ ...s, regions: null }))}>
              {t('useInferredRegion')}
            </button>
          ) : null}
        </div>
      </section>

      <section aria-labelledby="notices-h">
        <h2 id="notices-h">{t('noticesHeading')}</h2>
        <p>
          <label>
            <input type="checkbox" checked={notices.enabled} onChange={(e) => setNotices({ enabled: (e.currentTarget as HTMLInputElement).checked })} /> {t('noticesEnabled')}
          </label>
        </p>
        <fieldset>
          <legend>{t('noticesMode')}</legend>
          <label>
            <input type="radio" name="mode" checked={notices.mode === 'full'} onChange={() => setNotices({ mode: 'full' })} /> {t('modeFull')}
          </label>
          <br />
          <label>
            <input type="radio" name="mode" checked={notices.mode === 'badge-only'} onChange={() => setNotices({ mode: 'badge-only' })} /> {t('modeBadgeOnly')}
          </label>
        </fieldset>
        <p>
          <label>
            <input type="checkbox" checked={notices.showLifted} onChange={(e) => setNotices({ showLifted: (e.currentTarget as HTMLInputElement).checked })} /> {t('showLifted')}
          </label>
        </p>
        <p>
          <label>
            <input type="checkbox" checked={notices.explanationPage} onChange={(e) => setNotices({ explanationPage: (e.currentTarget as HTMLInputElement).checked })} /> {t('explanationPageSetting')}
          </label>
        </p>
        <p>
          <label>
            <input type="checkbox" checked={notices.observed} onChange={(e) => setNotices({ observed: (e.currentTarget as HTMLInputElement).checked })} /> {t('optionsObserved')}
          </label>
        </p>
        <fieldset>
          <legend>{t('platformsHeading')}</legend>
          {dataset.dataset.platforms.map((p) => (
            <label key={p.id} class="platform-toggle">
              <input
                type="checkbox"
                data-platform={p.id}
                checked={!notices.mutedPlatforms.includes(p.id)}
                onChange={(e) => {
                  const on = (e.currentTarget as HTMLInputElement).checked;
                  return setNotices({ mutedPlatforms: on ? notices.mutedPlatforms.filter((x) => x !== p.id) : [...notices.mutedPlatforms, p.id] });
                }}
              />{' '}
              {p.name}
            </label>
          ))}
        </fieldset>
        <h3>{t('mutedSitesHeading')}</h3>
        {notices.mutedSites.length === 0 ? <p class="muted">{t('mutedSitesNone')}</p> : null}
        <ul>
          {notices.mutedSites.map((site) => (
            <li key={site}>
              <bdi>{site}</bdi>{' '}
              <button type="button" onClick={() => setNotices({ mutedSites: notices.mutedSites.filter((x) => x !== site) })}>
                {t('remove')}
              </button>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="lang-h">
        <h2 id="lang-h">{t('languageHeading')}</h2>
        <select
          aria-labelledby="lang-h"
          value={settings.language}
          onChange={async (e) => {
            const language = (e.currentTarget as HTMLSelectElement).value as Settings['language'];
            await save((s) => ({ ...s, language }));
            location.reload();
          }}
        >
          <option value="auto">{t('languageAuto')}</option>
          {LANGUAGES.map((l) => (
            <option key={l.code} value={l.code} lang={tagOf(l.code)} dir={l.dir}>
              {l.name}
            </option>
          ))}
        </select>
      </section>

      <section aria-labelledby="data-h">
        <h2 id="data-h">{t('datasetHeading')}</h2>
        <p data-testid="dataset-version">
          <DatasetDates dataset={dataset.dataset} t={t} lang={lang} /> · {t(SOURCE_KEYS[dataset.source])}
        </p>
        <DatasetUpdatesChoice host={updateHost()} settings={settings} save={save} lang={lang} t={t} />
        {updateHost() ? <DatasetUpdatePanel enabled={settings.datasetUpdates} lang={lang} t={t} onDatasetChanged={() => void activeDataset().then(setDataset)} /> : null}
        <div class="row">
          <label>
            {t('importDataset')}{' '}
            <input
              type="file"
              accept="application/json,.json"
              onChange={async (e) => {
                const file = (e.currentTarget as HTMLInputElement).files?.[0];
                if (!file) return;
                const r = await importDataset(await file.text());
                setImportMessage(r.ok ? { ok: true, text: t('importOk', r.dataset.version) } : { ok: false, text: t('importFailed', r.errors.join('; ')) });
                if (r.ok) setDataset(await activeDataset());
              }}
            />
          </label>
          {dataset.source !== 'bundled' ? (
            <button
              type="button"
              onClick={async () => {
                await resetDataset();
                setDataset(await activeDataset());
                setImportMessage({ ok: true, text: t('datasetResetDone') });
              }}
            >
              {t('useBundledDataset')}
            </button>
          ) : null}
        </div>
        {importMessage ? (
          <p role="status" class={importMessage.ok ? 'ok' : 'error'}>
            {importMessage.text}
          </p>
        ) : null}
      </section>
      <p class="row">
        <a href="/browse.html">{t('openBrowse')}</a> <a href="/dashboard.html">{t('openDashboard')}</a>
      </p>
    </div>
  );
}
