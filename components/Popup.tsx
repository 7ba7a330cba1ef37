/**
 * The popup, read at a glance: one line that sums up the tab, then one compact row per platform (status
 * chip, headline, last confirmed, this tab's evidence), details on demand, and the dataset's own dates.
 */
import { useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { ask, type PopupState } from '@/utils/protocol';
import type { ExplainedPlatform } from '@/utils/explain';
import { isolate, makeT, pluralKey, tagOf, type Lang, type T } from '@/utils/i18n';
import { Brand } from './Brand';
import { DatasetDates } from './DatasetDates';
import { OutcomeBadge } from './OutcomeBadge';
import { RecordRow, rowAge, StatusChip } from './RecordRow';
import { RestrictionDetails } from './RestrictionDetails';

const STATUS_ORDER = { active: 0, stale: 1, lifted: 2 } as const;

/** In force first (fresh, then not reconfirmed), then history; by name within each. The same tab always reads the same. */
export function orderPlatforms(platforms: readonly ExplainedPlatform[], lang: Lang): ExplainedPlatform[] {
  const rank = (p: ExplainedPlatform) => STATUS_ORDER[p.restrictions[0]?.chip.status ?? 'lifted'];
  return [...platforms].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name, tagOf(lang)) || a.platform.localeCompare(b.platform));
}

/** "1 platform on this page is blocked in Pakistan today", with the language's own plural forms. */
export function tabSummary(platforms: readonly ExplainedPlatform[], regionText: string, lang: Lang, t: T): string | null {
  const inForce = platforms.filter((p) => p.active);
  const count = (n: number) => new Intl.NumberFormat(tagOf(lang)).format(n);
  if (inForce.length > 0) {
    // "Blocked" only when every restriction in force is a block; a throttle or a partial block is a restriction.
    const allBlocks = inForce.every((p) => p.restrictions.filter((r) => r.active).every((r) => r.kind === 'block'));
    const key = pluralKey(allBlocks ? 'popupSummaryBlocked' : 'popupSummaryRestricted', inForce.length, lang);
    return t(key, count(inForce.length), isolate(regionText, lang));
  }
  if (platforms.length > 0) return t(pluralKey('popupSummaryHistory', platforms.length, lang), count(platforms.length), isolate(regionText, lang));
  return null;
}

function PlatformRow({ p, reach, lang, t }: { p: ExplainedPlatform; reach: PopupState['reach']; lang: Lang; t: T }) {
  const [open, setOpen] = useState(false);
  const [first, ...earlier] = p.restrictions;
  const evidence = reach.filter((r) => r.platform === p.platform);
  const moreKey = pluralKey('popupMoreRecords', earlier.length, lang);
  // One line that joins both bases: what the dataset records and what this browser saw (issue 7). In the row
  // only when this browser's evidence adds something to the chip; otherwise with the details.
  const telling = p.status && p.status.key !== 'recorded' && p.status.key !== 'history';
  const failing = p.status?.key === 'recorded-failing' || p.status?.key === 'observed-failing';
  const status = p.status ? (
    <p class="bl-status small" data-status={p.status.key}>
      {p.status.text}
    </p>
  ) : null;
  if (!first) {
    // Observed only: nothing is recorded for this platform here, but it fails the way blocking looks.
    return (
      <li class="record" data-platform={p.platform} data-basis={p.basis ?? 'observed'}>
        <div class="record-body">
          <span class="record-headline">{p.name}</span>
          {status}
          <ReportButton platform={p.platform} t={t} />
        </div>
      </li>
    );
  }
  return (
    <li data-basis={p.basis ?? 'recorded'}>
      {telling ? status : null}
      {failing ? <ReportButton platform={p.platform} t={t} /> : null}
      <details class={`record${first.active ? ' active' : ''}`} data-platform={p.platform} onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
        <summary>
          <StatusChip r={first} />
          <span class="record-headline">{first.headline}</span>
          <span class="record-meta">
            {rowAge(first)}
            {evidence.length > 0 ? (
              <span class="evidence">
                {' · '}
                {evidence.map((r) => (
                  <span key={r.host} title={r.host}>
                    {Object.entries(r.outcomes).map(([o, n]) => (
                      <OutcomeBadge key={o} outcome={o} count={n} t={t} />
                    ))}
                  </span>
                ))}
              </span>
            ) : null}
          </span>
        </summary>
        {open ? (
          <div class="record-body">
            {evidence.length > 0 ? (
              <p class="small" data-testid="evidence">
                {evidence.map((r) => (
                  <span key={r.host}>
                    <bdi class="code">{r.host}</bdi>
                    {': '}
                    {Object.entries(r.outcomes).map(([o, n]) => (
                      <OutcomeBadge key={o} outcome={o} count={n} t={t} />
                    ))}
                  </span>
                ))}
              </p>
            ) : null}
            {telling ? null : status}
            {failing ? null : <ReportButton platform={p.platform} t={t} />}
            <RestrictionDetails r={first} t={t} lang={lang} />
            {earlier.length > 0 ? (
              <>
                <p class="muted small">{t(moreKey, new Intl.NumberFormat(tagOf(lang)).format(earlier.length))}</p>
                <div class="records">
                  {earlier.map((r) => (
                    <RecordRow key={r.id} r={r} t={t} lang={lang} />
                  ))}
                </div>
              </>
            ) : null}
          </div>
        ) : null}
      </details>
    </li>
  );
}

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
  const platforms = orderPlatforms(state.platforms, lang);
  const summary = tabSummary(platforms, regionText, lang, t);
  return (
    <div class="popup">
      <Brand>
        <span class="brand-region muted">
          {t('popupRegion', isolate(regionText, lang))} · {t(`regionSource_${state.regionSource}` as 'regionSource_user')}
        </span>
      </Brand>
      <h1 class="popup-summary" data-testid="popup-summary">
        {summary ?? t('popupNothingFound')}
      </h1>
      {state.restrictedHere === 0 && state.regions.length > 0 ? <p>{t('noRestrictionsInRegion', isolate(regionText, lang))}</p> : null}
      {platforms.length > 0 ? (
        <ul class="records" aria-label={t('popupOnThisTab')}>
          {platforms.map((p) => (
            <PlatformRow key={p.platform} p={p} reach={state.reach} lang={lang} t={t} />
          ))}
        </ul>
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
            />
            {t('showNoticesOnSite', isolate(state.site, lang))}
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
      <p class="muted small">
        <DatasetDates dataset={state.dataset} t={t} lang={lang} />
      </p>
    </div>
  );
}
