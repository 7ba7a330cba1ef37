/**
 * The reachability dashboard (ARCHITECTURE.md "The log and its export"): what the log holds, as totals, charts and a table, and the
 * controls over it: export, retention, clearing, and opt-in active probing.
 *
 *   load, Refresh ─► logSummary() + newestRecords(50)   totals and the first page at once, whatever the size
 *                 ─► buildLogIndex(iterateRecords())    then one pass, seconds for 100k records, with progress
 *   filters       ─► summariseView(index, view)         in memory, milliseconds (once the pass is done)
 *   table page    ─► getRecords(50 ids), or before the pass newestRecords(50, skip): fresh from IndexedDB
 *
 * The page reads IndexedDB directly: extension pages share the background's origin, and reading
 * never conflicts with the background's batched writes. Records written after the last pass show
 * after Refresh.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { tagOf, type Lang, type T } from '@/utils/i18n';
import { activeDataset } from '@/utils/dataset/store';
import { countRecords, getRecords, iterateRecords, logSummary, newestRecords } from '@/utils/log/db';
import type { LogRecord } from '@/utils/log/record';
import { buildLogIndex, chartBars, disagreements, EMPTY_VIEW, outcomesPresent, PAGE_SIZE, pageCount, pageIds, summariseView, type LogIndex, type LogView, type Totals } from '@/utils/log/summary';
import { OONI_BLOCKING } from '@/utils/reach/classify';
import { OUTCOMES } from '@/utils/reach/outcome';
import { getSettings, settingsItem, updateSettings, type Settings } from '@/utils/settings';
import { Brand } from './Brand';
import { LogExport, type ShownRecords } from './LogExport';
import { LogFilters } from './LogFilters';
import { LogLossNotice } from './LogLossNotice';
import { LogSettings } from './LogSettings';
import { LogTable } from './LogTable';
import { OutcomeBadge } from './OutcomeBadge';
import { OutcomeChart, OutcomeLegend } from './OutcomeChart';
import { ProbeSettings } from './ProbeSettings';
import { PrivacySummary } from './PrivacySummary';

/** Bigger IndexedDB pages than the default make a full pass over 100k records about twice as fast. */
const SCAN_PAGE_SIZE = 2000;
export const FIRST_PAGE_MARK = 'banlens:dashboard-first-page';

/** The records with these ids, in this order; a record pruned since the last pass is left out. */
function TotalsTable({ totals, lang, t }: { totals: Totals; lang: Lang; t: T }) {
  const number = new Intl.NumberFormat(tagOf(lang));
  const percent = new Intl.NumberFormat(tagOf(lang), { style: 'percent', maximumFractionDigits: 1 });
  return (
    <table class="dash-totals">
      <thead>
        <tr>
          <th scope="col">{t('outcome')}</th>
          <th scope="col">{t('dashColRecords')}</th>
          <th scope="col">{t('dashColObservations')}</th>
          <th scope="col">{t('dashColShare')}</th>
          <th scope="col">{t('dashColOoni')}</th>
        </tr>
      </thead>
      <tbody>
        {OUTCOMES.filter((o) => totals.byOutcome[o]).map((o) => (
          <tr key={o} data-outcome={o}>
            <th scope="row">
              <OutcomeBadge outcome={o} t={t} />
            </th>
            <td>{number.format(totals.byOutcome[o]!.records)}</td>
            <td>{number.format(totals.byOutcome[o]!.observations)}</td>
            <td>{percent.format(totals.byOutcome[o]!.observations / Math.max(1, totals.observations))}</td>
            <td class="dash-code">{OONI_BLOCKING[o] ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Dashboard({ lang, t }: { lang: Lang; t: T }) {
  const number = new Intl.NumberFormat(tagOf(lang));
  const [settings, setSettings] = useState<Settings | null>(null);
  const [platformNames, setPlatformNames] = useState<ReadonlyMap<string, string>>(new Map());
  const [view, setView] = useState<LogView>(EMPTY_VIEW);
  const [reloads, setReloads] = useState(0);
  const [scan, setScan] = useState<{ read: number; total: number } | null>({ read: 0, total: 0 });
  const [index, setIndex] = useState<LogIndex | null>(null);
  /** The whole log's totals from the summary store: shown until the pass has built the index. */
  const [quickTotals, setQuickTotals] = useState<Totals | null>(null);
  const [page, setPage] = useState(0);
  const [rows, setRows] = useState<LogRecord[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const scanId = useRef(0);
  /** The first table page, read beside the totals when a pass starts: which pass, and its rows. */
  const firstPage = useRef<{ scan: number; rows: Promise<LogRecord[]> } | null>(null);

  useEffect(() => {
    void getSettings().then(setSettings);
    // The options page, the popup or another dashboard tab may change settings while this one is open.
    const unwatch = settingsItem.watch(() => void getSettings().then(setSettings));
    void activeDataset().then(({ dataset }) => setPlatformNames(new Map(dataset.platforms.map((p) => [p.id, p.name]))));
    return unwatch;
  }, []);

  useEffect(() => {
    const id = ++scanId.current;
    const current = () => id === scanId.current;
    setScan({ read: 0, total: 0 });
    // Asked first, and the pass waits for them: Firefox ran the first page's 50 cursor steps in turn with the
    // pass's pages, and 100k records took 5 s to show their first page instead of under one (npm run bench).
    const totalsRead = logSummary();
    const firstRows = newestRecords(PAGE_SIZE);
    firstPage.current = { scan: id, rows: firstRows };
    totalsRead.then(
      (totals) => current() && setQuickTotals(totals),
      () => {}, // the pass below reports a failing database
    );
    void (async () => {
      try {
        await Promise.allSettled([totalsRead, firstRows]);
        if (!current()) return;
        const total = await countRecords();
        if (current()) setScan({ read: 0, total });
        const built = await buildLogIndex(iterateRecords({}, SCAN_PAGE_SIZE), { onProgress: (read) => current() && setScan({ read, total }), isCancelled: () => !current() });
        if (!built || !current()) return;
        setIndex(built);
        setScan(null);
        setError(null);
      } catch (e) {
        if (!current()) return;
        setError(e instanceof Error ? e.message : String(e));
        setScan(null);
      }
    })();
  }, [reloads]);

  const summary = useMemo(() => (index ? summariseView(index, view) : null), [index, view]);
  const matched = summary?.matched;
  const totals = index?.all ?? quickTotals;
  const shownPage = Math.min(page, pageCount(matched?.records ?? totals?.records ?? 0) - 1);

  useEffect(() => {
    if (!index && !quickTotals) return;
    let stale = false;
    setRows(null);
    // Before the pass, the view is the whole log: a cursor walks it newest first.
    const early = shownPage === 0 && firstPage.current?.scan === scanId.current ? firstPage.current.rows : null;
    (index && summary ? getRecords(pageIds(index, summary.rows, shownPage)) : (early ?? newestRecords(PAGE_SIZE, shownPage * PAGE_SIZE))).then(
      (r) => !stale && setRows(r),
      (e: unknown) => !stale && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      stale = true;
    };
  }, [index, summary, quickTotals, shownPage]);

  // `npm run bench` (bench/log.ts) times the dashboard to this mark: the totals and the first table page on screen.
  const firstPageShown = totals !== null && (totals.records === 0 || rows !== null);
  useEffect(() => {
    if (firstPageShown && performance.getEntriesByName(FIRST_PAGE_MARK).length === 0) performance.mark(FIRST_PAGE_MARK);
  }, [firstPageShown]);

  const save = async (patch: (s: Settings) => Settings) => setSettings(await updateSettings(patch));
  const reload = () => setReloads((n) => n + 1);
  const platformName = useCallback((id: string) => platformNames.get(id) ?? id, [platformNames]);
  const firstDay = matched?.firstHour?.slice(0, 10);
  const lastDay = matched?.lastHour?.slice(0, 10);
  const charts = useMemo(
    () =>
      summary && firstDay && lastDay
        ? [...summary.byPlatformDay].map(([id, days]) => ({ id, name: platformName(id), bars: chartBars(days, firstDay, lastDay) })).sort((a, b) => a.name.localeCompare(b.name, tagOf(lang)))
        : [],
    [summary, platformNames],
  );

  // Exactly the rows the page counted; the ids are collected only when the user exports.
  const shown = useMemo<ShownRecords | null>(
    () =>
      index && summary
        ? {
            count: summary.matched.records,
            ids: () => summary.rows.map((i) => index.ids[i]!),
            scope: {
              fromHour: view.fromHour || summary.matched.firstHour,
              toHour: view.toHour || summary.matched.lastHour,
              filters: [view.region, view.platform, view.outcome, view.vantage].filter((f) => f !== ''),
            },
          }
        : null,
    [index, summary, view],
  );

  return (
    <div class="dash">
      <Brand />
      <h1>{t('dashTitle')}</h1>
      <PrivacySummary t={t} id="privacy-h" heading="dashPrivacyHeading" />

      {error ? (
        <p role="alert" class="error">
          {t('dashReadFailed', error)}
        </p>
      ) : null}
      <LogLossNotice lang={lang} t={t} />

      <section aria-labelledby="totals-h">
        <h2 id="totals-h">{t('dashTotalsHeading')}</h2>
        <p class="row">
          {totals ? <span data-testid="totals">{t('dashTotalsLine', number.format(totals.records), number.format(totals.observations))}</span> : null}
          <button type="button" onClick={reload} disabled={scan !== null}>
            {t('dashRefresh')}
          </button>
        </p>
        {/* Not a live region: announcing every 5000 records would drown everything else out. */}
        {scan ? (
          <p class="row">
            <progress max={Math.max(1, scan.total)} value={scan.read} aria-label={t('dashReading')} />
            <span>{t('dashReadingProgress', number.format(scan.read), number.format(scan.total))}</span>
          </p>
        ) : null}
        {totals && totals.records > 0 ? <TotalsTable totals={totals} lang={lang} t={t} /> : null}
        {totals && totals.records === 0 ? <p>{t('dashEmpty')}</p> : null}
        <p class="muted">{t('dashInconclusiveNote')}</p>
      </section>

      {index && index.all.records > 0 ? (
        <>
          <LogFilters
            view={view}
            onChange={(v) => {
              setView(v);
              setPage(0);
            }}
            choices={{ platforms: index.platforms, regions: index.regions, hours: index.hours }}
            platformName={platformName}
            lang={lang}
            t={t}
          />
          <p role="status">{matched ? t('dashMatchedLine', number.format(matched.records), number.format(matched.observations)) : ''}</p>

          <section aria-labelledby="charts-h">
            <h2 id="charts-h">{t('dashChartsHeading')}</h2>
            <p class="muted">{t('dashChartsNote')}</p>
            <OutcomeLegend outcomes={outcomesPresent(charts.flatMap((c) => c.bars.map((b) => b.counts)))} t={t} />
            <div class="dash-charts">
              {charts.map((c) => (
                <OutcomeChart key={c.id} name={c.name} bars={c.bars} lang={lang} t={t} />
              ))}
            </div>
          </section>

          {index && disagreements(index).length > 0 ? (
            <section aria-labelledby="disagree-h" data-section="disagreement">
              <h2 id="disagree-h">{t('dashboardDisagreement')}</h2>
              <table>
                <tbody>
                  {disagreements(index).map((d) => (
                    <tr key={`${d.region}:${d.platform}:${d.kind}`} data-kind={d.kind}>
                      <td>{d.region}</td>
                      <td>{platformName(d.platform)}</td>
                      <td>{t(d.kind === 'recorded-loading' ? 'dashboardRecordedLoading' : 'dashboardFailingUnrecorded')}</td>
                      <td>
                        {d.kind === 'recorded-loading'
                          ? `${t('outcome_ok')} ${number.format(d.recordedOk)} · ${number.format(d.recordedBlocking)} ✕`
                          : `✕ ${number.format(d.unrecordedBlocking)} · ${t('outcome_ok')} ${number.format(d.unrecordedOk)} · ⚑ ${number.format(d.reports)}`}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ) : null}
        </>
      ) : null}

      {totals && totals.records > 0 ? (
        <section aria-labelledby="records-h">
          <h2 id="records-h">{t('dashRecordsHeading')}</h2>
          <LogTable rows={rows} total={matched?.records ?? totals.records} page={shownPage} onPage={setPage} platformName={platformName} lang={lang} t={t} />
        </section>
      ) : null}

      <section aria-labelledby="export-h">
        <h2 id="export-h">{t('dashExportHeading')}</h2>
        <LogExport shown={shown} everything={{ fromHour: totals?.firstHour ?? null, toHour: totals?.lastHour ?? null }} onBusy={setExporting} lang={lang} t={t} />
      </section>

      {settings ? (
        <>
          <section aria-labelledby="keep-h">
            <h2 id="keep-h">{t('dashKeepHeading')}</h2>
            <LogSettings settings={settings} save={save} busy={exporting} onCleared={reload} lang={lang} t={t} />
          </section>
          <section aria-labelledby="probe-h">
            <h2 id="probe-h">{t('dashProbeHeading')}</h2>
            <ProbeSettings settings={settings} save={save} onProbed={reload} lang={lang} t={t} />
          </section>
        </>
      ) : null}
    </div>
  );
}
