/** The dashboard's filters. Every change starts a new pass over the log, so typing is debounced. */
import { useEffect, useState } from 'preact/hooks';
import { regionName, tagOf, type Lang, type T } from '@/utils/i18n';
import { VANTAGES } from '@/utils/log/record';
import { EMPTY_VIEW, hourFromInput, hourToInput, isEmptyView, type LogView } from '@/utils/log/summary';
import { OUTCOMES } from '@/utils/reach/outcome';
import { outcomeLabel } from './OutcomeChart';

const TYPING_DEBOUNCE_MS = 300;

export interface FilterChoices {
  platforms: string[];
  regions: string[];
  firstHour: string | null;
  lastHour: string | null;
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
  const min = hourToInput(choices.firstHour ?? '');
  const max = hourToInput(choices.lastHour ?? '');

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
      {/* Records keep UTC hours, so the range is entered in UTC too; a local-time picker would shift it. */}
      <label>
        {t('dashFromHour')}
        <input type="datetime-local" step={3600} min={min} max={max} value={hourToInput(view.fromHour)} onChange={(e) => set({ fromHour: hourFromInput(value(e)) })} />
      </label>
      <label>
        {t('dashToHour')}
        <input type="datetime-local" step={3600} min={min} max={max} value={hourToInput(view.toHour)} onChange={(e) => set({ toHour: hourFromInput(value(e)) })} />
      </label>
      <button type="button" disabled={isEmptyView(view) && hostText === ''} onClick={() => onChange(EMPTY_VIEW)}>
        {t('dashClearFilters')}
      </button>
    </fieldset>
  );
}
