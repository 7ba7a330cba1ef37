/**
 * The dashboard's filters. Every change starts a new pass over the log, so typing is debounced.
 * The hour bounds are chosen from the log's own hours, written as the table writes them (formatHour: UTC,
 * 24-hour clock), so what the user picks reads exactly like the rows it selects. Quick ranges set "From".
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { regionName, tagOf, type Lang, type T } from '@/utils/i18n';
import { hourOf, VANTAGES } from '@/utils/log/record';
import { EMPTY_VIEW, isEmptyView, type LogView } from '@/utils/log/summary';
import { OUTCOMES } from '@/utils/reach/outcome';
import { formatHour } from './LogTable';
import { outcomeLabel } from './OutcomeChart';

const HOUR_MS = 3_600_000;

/** Quick ranges: the hour that starts the last N hours, the current hour included. */
export const QUICK_RANGES = [
  { key: 'dashLast24h', hours: 24 },
  { key: 'dashLast7d', hours: 7 * 24 },
  { key: 'dashLast30d', hours: 30 * 24 },
] as const;

export function quickRangeStart(hours: number, now: number = Date.now()): string {
  return hourOf(now - (hours - 1) * HOUR_MS) ?? '';
}

const TYPING_DEBOUNCE_MS = 300;

export interface FilterChoices {
  platforms: string[];
  regions: string[];
  /** Every hour the log holds, in any order. */
  hours: readonly string[];
}

export function LogFilters(props: { view: LogView; onChange: (view: LogView) => void; choices: FilterChoices; platformName: (id: string) => string; lang: Lang; t: T }) {
  const { view, onChange, choices, platformName, lang, t } = props;
  const [hostText, setHostText] = useState(view.hostText);
  useEffect(() => setHostText(view.hostText), [view.hostText]);
  useEffect(() => {
    if (hostText === view.hostText) return;
    const timer = setTimeout(() => onChange({ ...view, hostText }), TYPING_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [hostText, view]);

  const set = (patch: Partial<LogView>) => onChange({ ...view, ...patch });
  const value = (e: Event) => (e.currentTarget as HTMLInputElement | HTMLSelectElement).value;
  const platforms = [...choices.platforms].sort((a, b) => platformName(a).localeCompare(platformName(b), tagOf(lang)));
  const regions = [...choices.regions].sort();
  const hours = useMemo(() => [...choices.hours].sort(), [choices.hours]);
  /** The log's hours, and the bound itself when a quick range starts at an hour with no record. */
  const hourOptions = (bound: string) => (bound && !hours.includes(bound) ? [bound, ...hours].sort() : hours);
  const now = Date.now();

  return (
    <fieldset class="dash-filters">
      <legend>{t('dashFilters')}</legend>
      <label>
        {t('dashColPlatform')}
        <select value={view.platform} onChange={(e) => set({ platform: value(e) })}>
          <option value="">{t('dashAny')}</option>
          {platforms.map((p) => (
            <option key={p} value={p}>
              {platformName(p)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('dashColRegion')}
        <select value={view.region} onChange={(e) => set({ region: value(e) })}>
          <option value="">{t('dashAny')}</option>
          {regions.map((r) => (
            <option key={r} value={r}>
              {regionName(r, lang)} ({r})
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('outcome')}
        <select value={view.outcome} onChange={(e) => set({ outcome: value(e) as LogView['outcome'] })}>
          <option value="">{t('dashAny')}</option>
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {outcomeLabel(t, o)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('dashColVantage')}
        <select value={view.vantage} onChange={(e) => set({ vantage: value(e) as LogView['vantage'] })}>
          <option value="">{t('dashAny')}</option>
          {VANTAGES.map((v) => (
            <option key={v} value={v}>
              {t(`dashVantage_${v}` as 'dashVantage_passive')}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('dashHostContains')}
        <input type="search" dir="ltr" value={hostText} spellcheck={false} autocomplete="off" onInput={(e) => setHostText(value(e))} />
      </label>
      {/* Records keep UTC hours, so the bounds are UTC hours too, written as the table writes them. */}
      <label>
        {t('dashFromHour')}
        <select value={view.fromHour} onChange={(e) => set({ fromHour: value(e) })}>
          <option value="">{t('dashAny')}</option>
          {hourOptions(view.fromHour).map((h) => (
            <option key={h} value={h}>
              {formatHour(h, lang)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('dashToHour')}
        <select value={view.toHour} onChange={(e) => set({ toHour: value(e) })}>
          <option value="">{t('dashAny')}</option>
          {hourOptions(view.toHour).map((h) => (
            <option key={h} value={h}>
              {formatHour(h, lang)}
            </option>
          ))}
        </select>
      </label>
      {/* biome-ignore lint/a11y/useSemanticElements: a <fieldset> would need a <legend> and a reset of the browser's fieldset styles; role="group" with its label is the same to assistive technology. */}
      <div class="row" role="group" aria-label={t('dashQuickRange')}>
        {QUICK_RANGES.map(({ key, hours: n }) => {
          const start = quickRangeStart(n, now);
          return (
            <button key={key} type="button" aria-pressed={view.fromHour === start && view.toHour === ''} onClick={() => set({ fromHour: start, toHour: '' })}>
              {t(key)}
            </button>
          );
        })}
      </div>
      <button type="button" disabled={isEmptyView(view) && hostText === ''} onClick={() => onChange(EMPTY_VIEW)}>
        {t('dashClearFilters')}
      </button>
    </fieldset>
  );
}
