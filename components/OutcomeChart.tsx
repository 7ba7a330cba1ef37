/**
 * One platform's observations over time as a stacked bar chart in plain SVG, one bar per day (or per
 * group of days on a long log). Colours are CSS variables (dashboard index.html), so dark mode works.
 * The SVG holds only shapes: axis labels are HTML beside it, so they follow the page's direction and
 * shape Urdu text properly. Screen readers get a summary as the image's name and a data table.
 */
import { memo } from 'preact/compat';
import { formatDate, tagOf, type Lang, type T } from '@/utils/i18n';
import type { ChartBar } from '@/utils/log/summary';
import { outcomesPresent } from '@/utils/log/summary';
import { OUTCOMES, type Outcome } from '@/utils/reach/outcome';

const WIDTH = 600;
const HEIGHT = 120;
/** Space between bars, as a share of a bar's slot. */
const GAP = 0.2;

export function outcomeLabel(t: T, outcome: Outcome): string {
  return t(`outcome_${outcome}` as 'outcome_ok');
}

/** The last day a bar covers, `YYYY-MM-DD`. */
function barEnd(bar: ChartBar): string {
  return new Date(Date.parse(`${bar.start}T00:00:00Z`) + (bar.days - 1) * 86_400_000).toISOString().slice(0, 10);
}

export function barLabel(bar: ChartBar, lang: Lang): string {
  return bar.days === 1 ? formatDate(bar.start, lang) : `${formatDate(bar.start, lang)} – ${formatDate(barEnd(bar), lang)}`;
}

function breakdown(counts: ChartBar['counts'], total: number, lang: Lang, t: T): string {
  const percent = new Intl.NumberFormat(tagOf(lang), { style: 'percent', maximumFractionDigits: 1 });
  const number = new Intl.NumberFormat(tagOf(lang));
  const parts = OUTCOMES.filter((o) => counts[o]).map((o) => `${outcomeLabel(t, o)} ${number.format(counts[o]!)} (${percent.format(counts[o]! / total)})`);
  return new Intl.ListFormat(tagOf(lang), { type: 'conjunction' }).format(parts);
}

/** Memoised: hundreds of shapes per chart, and the page re-renders on every export or settings change. */
export const OutcomeChart = memo(function OutcomeChart({ name, bars, lang, t }: { name: string; bars: ChartBar[]; lang: Lang; t: T }) {
  const number = new Intl.NumberFormat(tagOf(lang));
  const rtl = document.documentElement.dir === 'rtl';
  const max = Math.max(1, ...bars.map((b) => b.total));
  const total = bars.reduce((sum, b) => sum + b.total, 0);
  const sum: ChartBar['counts'] = {};
  for (const bar of bars) for (const o of OUTCOMES) if (bar.counts[o]) sum[o] = (sum[o] ?? 0) + bar.counts[o]!;
  const first = bars[0];
  const last = bars.at(-1);
  const firstDay = first ? formatDate(first.start, lang) : '';
  const lastDay = last ? formatDate(barEnd(last), lang) : '';
  const summary = t('dashChartSummary', name, number.format(total), firstDay, lastDay, breakdown(sum, total, lang, t));
  const slot = WIDTH / Math.max(1, bars.length);
  const present = outcomesPresent(bars.map((b) => b.counts));

  return (
    <figure class="dash-chart" data-platform-chart={name}>
      <figcaption>
        <h3>{name}</h3>
        <span class="muted">{t('dashChartScale', number.format(max))}</span>
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={summary}>
        <line class="dash-axis" x1="0" x2={WIDTH} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} />
        {bars.map((bar, i) => {
          if (bar.total === 0) return null;
          // Time runs with the reading direction: right to left in Urdu.
          const x = (rtl ? bars.length - 1 - i : i) * slot + (slot * GAP) / 2;
          let y = HEIGHT;
          return (
            <g key={bar.start}>
              <title>{`${barLabel(bar, lang)}: ${breakdown(bar.counts, bar.total, lang, t)}`}</title>
              {OUTCOMES.map((o) => {
                const n = bar.counts[o];
                if (!n) return null;
                const h = (n / max) * HEIGHT;
                y -= h;
                return <rect key={o} class={`dash-fill-${o}`} x={x} y={y} width={slot * (1 - GAP)} height={h} />;
              })}
            </g>
          );
        })}
      </svg>
      <div class="dash-axis-labels muted" aria-hidden="true">
        <span>{firstDay}</span>
        <span>{lastDay}</span>
      </div>
      <details>
        <summary>{t('dashChartTable', name)}</summary>
        <div class="dash-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('dashColDay')}</th>
                {present.map((o) => (
                  <th key={o} scope="col">
                    {outcomeLabel(t, o)}
                  </th>
                ))}
                <th scope="col">{t('dashColTotal')}</th>
              </tr>
            </thead>
            <tbody>
              {bars
                .filter((b) => b.total > 0)
                .map((bar) => (
                  <tr key={bar.start}>
                    <th scope="row" class="bl-date">
                      {barLabel(bar, lang)}
                    </th>
                    {present.map((o) => (
                      <td key={o}>{number.format(bar.counts[o] ?? 0)}</td>
                    ))}
                    <td>{number.format(bar.total)}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
});

/** The colours used by every chart, with the outcomes' names. */
export function OutcomeLegend({ outcomes, t }: { outcomes: readonly Outcome[]; t: T }) {
  return (
    <ul class="dash-legend" aria-label={t('dashLegend')}>
      {outcomes.map((o) => (
        <li key={o}>
          <span class={`dash-swatch dash-fill-${o}`} aria-hidden="true" /> {outcomeLabel(t, o)}
        </li>
      ))}
    </ul>
  );
}
