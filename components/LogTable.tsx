/** One page of matching records, newest first. Only a page is ever rendered: the log can hold 100k. */
import { Fragment } from 'preact';
import { memo } from 'preact/compat';
import { intlTag, regionName, tagOf, type Lang, type T } from '@/utils/i18n';
import { MS_BUCKETS, type LogRecord } from '@/utils/log/record';
import { PAGE_SIZE, pageCount } from '@/utils/log/summary';
import { OutcomeBadge } from './OutcomeBadge';

/** `22 Nov 2026, 16:00`: records keep UTC hours, so they are shown in UTC, never shifted. */
export function formatHour(hour: string, lang: Lang): string {
  try {
    return new Intl.DateTimeFormat(intlTag(lang), { timeZone: 'UTC', calendar: 'gregory', year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(hour));
  } catch {
    return hour;
  }
}

/** Status, error text and duration. Codes stay left-to-right inside an Urdu row, each isolated. */
function Details({ r, t }: { r: LogRecord; t: T }) {
  const parts: { text: string; ltr: boolean }[] = [];
  if (r.http_status !== null) parts.push({ text: `HTTP ${r.http_status}`, ltr: true });
  if (r.error !== null) parts.push({ text: r.error, ltr: true });
  // Bucket 0 holds everything under the next bound, so it reads "< 100 ms", not "≥ 0 ms".
  if (r.ms_bucket !== null) parts.push({ text: (r.ms_bucket === 0 ? t('dashMsUnder', String(MS_BUCKETS[1])) : t('dashMsBucket', String(r.ms_bucket))).replaceAll(' ', '\u00a0'), ltr: false });
  return (
    <>
      {parts.map((p, i) => (
        <Fragment key={i}>
          {i > 0 ? ' · ' : null}
          <bdi dir={p.ltr ? 'ltr' : undefined}>{p.text}</bdi>
        </Fragment>
      ))}
    </>
  );
}

/** Memoised, like the charts: a page of rows need not be diffed again when unrelated state changes. */
export const LogTable = memo(function LogTable(props: { rows: LogRecord[] | null; total: number; page: number; onPage: (page: number) => void; platformName: (id: string) => string; lang: Lang; t: T }) {
  const { rows, total, page, onPage, platformName, lang, t } = props;
  const number = new Intl.NumberFormat(tagOf(lang));
  const pages = pageCount(total);
  const first = total === 0 ? 0 : page * PAGE_SIZE + 1;
  const last = Math.min(total, (page + 1) * PAGE_SIZE);
  const caption = t('dashTableCaption', number.format(first), number.format(last), number.format(total));
  const pager = (
    <nav class="row dash-pager" aria-label={t('dashPages')}>
      <button type="button" disabled={page === 0} onClick={() => onPage(0)}>
        {t('dashNewest')}
      </button>
      <button type="button" disabled={page === 0} onClick={() => onPage(page - 1)}>
        {t('dashNewer')}
      </button>
      <span>{t('dashPageOf', number.format(page + 1), number.format(pages))}</span>
      <button type="button" disabled={page >= pages - 1} onClick={() => onPage(page + 1)}>
        {t('dashOlder')}
      </button>
      <button type="button" disabled={page >= pages - 1} onClick={() => onPage(pages - 1)}>
        {t('dashOldest')}
      </button>
    </nav>
  );
  if (total === 0) return <p>{t('dashNoMatches')}</p>;
  return (
    <div>
      {pager}
      {/* biome-ignore lint/a11y/useSemanticElements lint/a11y/noNoninteractiveTabindex: a scrollable region must take keyboard focus to scroll (axe scrollable-region-focusable); the div keeps the table's layout. */}
      <div class="dash-scroll" tabIndex={0} role="region" aria-label={caption}>
        <table class="dash-table" aria-busy={rows === null}>
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t('dashColHour')}</th>
              <th scope="col">{t('dashColPlatform')}</th>
              <th scope="col">{t('host')}</th>
              <th scope="col">{t('dashColResource')}</th>
              <th scope="col">{t('dashColRegion')}</th>
              <th scope="col">{t('dashColVantage')}</th>
              <th scope="col">{t('outcome')}</th>
              <th scope="col">{t('dashColDetails')}</th>
              <th scope="col">{t('dashColCount')}</th>
            </tr>
          </thead>
          <tbody>
            {(rows ?? []).map((r) => (
              <tr key={r.id} data-outcome={r.outcome}>
                <td class="bl-date">{formatHour(r.hour, lang)}</td>
                <td>
                  {platformName(r.platform)}
                  {r.restricted ? <span class="muted"> ({t('dashRestricted')})</span> : null}
                </td>
                <td dir="ltr" class="dash-code">
                  {r.host}
                </td>
                <td class="dash-code">{r.resource}</td>
                <td title={regionName(r.region, lang)}>{r.region}</td>
                <td>{t(`dashVantage_${r.vantage}` as 'dashVantage_passive')}</td>
                <td>
                  <OutcomeBadge outcome={r.outcome} t={t} />
                </td>
                <td class="dash-code dash-wrap">
                  <Details r={r} t={t} />
                </td>
                <td>{number.format(r.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows === null ? <p class="muted">{t('dashLoading')}</p> : null}
      {pages > 1 ? pager : null}
    </div>
  );
});
