import { useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { ask, type PopupState } from '@/utils/protocol';
import { formatDate, makeT, type Lang } from '@/utils/i18n';
import { RestrictionDetails } from './RestrictionDetails';
import { OutcomeBadge } from './OutcomeBadge';

/** "I think this is blocked here": a log record with vantage report, on this device only. */
function ReportButton({ platform, t }: { platform: string; t: ReturnType<typeof makeT> }) {
  const [saved, setSaved] = useState(false);
  if (saved) return <p role="status" class="muted">{t('reportSaved')}</p>;
  return (
    <button type="button" class="bl-report" data-report={platform} onClick={() => void ask(browser.runtime, { type: 'popup:report', platform }).then((a) => setSaved(a?.ok === true))}>
      {t('reportBlocked')}
    </button>
  );
}

export function Popup({ state, tabId }: { state: PopupState; tabId: number }) {
  const lang = state.lang;
  const t = makeT(lang);
  const [muted, setMuted] = useState(state.siteMuted);
  const regionText = state.regions.length ? state.regions.map((r) => r.name).join(', ') : t('regionUnknown');
  const open = (page: string) => void browser.tabs.create({ url: browser.runtime.getURL(page) });
  return (
    <div>
      <h1>{t('extName')}</h1>
      <p class="muted">
        {t('popupRegion', regionText)} · {t(`regionSource_${state.regionSource}` as 'regionSource_user')}
      </p>
      {state.restrictedHere === 0 && state.regions.length > 0 ? <p>{t('noRestrictionsInRegion', regionText)}</p> : null}
      <h2>{t('popupOnThisTab')}</h2>
      {state.platforms.length === 0 ? <p>{t('popupNothingFound')}</p> : null}
      {state.platforms.map((p) => (
        <section key={p.platform} class={`card${p.active ? ' active' : ''}`} data-platform={p.platform} data-basis={p.basis ?? 'recorded'} aria-label={p.name}>
          <h3>{p.name}</h3>
          {p.status ? (
            <p class="bl-status" data-status={p.status.key}>
              {p.status.text}
            </p>
          ) : null}
          <ReportButton platform={p.platform} t={t} />
          {p.restrictions.map((r) => (
            <details key={r.id} open={r.active}>
              <summary>{r.headline}</summary>
              <RestrictionDetails r={r} t={t} lang={lang} />
            </details>
          ))}
        </section>
      ))}
      {state.reach.length > 0 ? (
        <>
          <h2>{t('popupReachability')}</h2>
          <table>
            <thead>
              <tr>
                <th>{t('host')}</th>
                <th>{t('outcome')}</th>
              </tr>
            </thead>
            <tbody>
              {state.reach.map((r) => (
                <tr key={r.host}>
                  <td>{r.host}</td>
                  <td>
                    {Object.entries(r.outcomes).map(([o, n]) => (
                      <OutcomeBadge key={o} outcome={o} count={n} t={t} />
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      {state.site ? (
        <p>
          <label>
            <input
              type="checkbox"
              checked={!muted}
              onChange={async (e) => {
                const show = (e.currentTarget as HTMLInputElement).checked;
                setMuted(!show);
                await ask(browser.runtime, { type: 'popup:set-site-muted', tabId, muted: !show });
              }}
            />{' '}
            {t('showNoticesOnSite', state.site)}
          </label>
        </p>
      ) : null}
      {state.noticesMode === 'badge-only' ? <p class="muted">{t('badgeOnlyActive')}</p> : null}
      <p class="row">
        <button type="button" onClick={() => open('/browse.html')}>
          {t('openBrowse')}
        </button>
        <button type="button" onClick={() => open('/dashboard.html')}>
          {t('openDashboard')}
        </button>
        <button type="button" onClick={() => open('/options.html')}>
          {t('openOptions')}
        </button>
      </p>
      <p class="muted">{t('datasetLine', state.dataset.version, formatDate(state.dataset.asOf, lang))}</p>
    </div>
  );
}
