/** Whether the log is kept, how long, and clearing it (with an in-page confirmation step). */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { tagOf, type Lang, type T } from '@/utils/i18n';
import { clearLog, countRecords } from '@/utils/log/db';
import type { Settings } from '@/utils/settings';

/** The bounds of the settings schema, repeated for the inputs' min/max and messages. */
const RETENTION_DAYS = { min: 1, max: 3650 };
const MAX_RECORDS = { min: 100, max: 1_000_000 };

type Save = (patch: (s: Settings) => Settings) => Promise<void>;

function NumberSetting(props: { label: string; value: number; bounds: { min: number; max: number }; onSave: (n: number) => Promise<void>; lang: Lang; t: T }) {
  const { label, value, bounds, onSave, lang, t } = props;
  const [text, setText] = useState(String(value));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setText(String(value)), [value]);
  const number = new Intl.NumberFormat(tagOf(lang));
  const id = `setting-${label.replace(/\W+/g, '-')}`;
  return (
    <p>
      <label>
        {label}{' '}
        <input
          type="number"
          inputMode="numeric"
          min={bounds.min}
          max={bounds.max}
          step={1}
          value={text}
          aria-invalid={error !== null}
          aria-describedby={error ? `${id}-error` : undefined}
          onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
          onChange={async (e) => {
            const n = Number((e.currentTarget as HTMLInputElement).value);
            if (!Number.isInteger(n) || n < bounds.min || n > bounds.max) {
              setError(t('dashNumberRange', number.format(bounds.min), number.format(bounds.max)));
              return;
            }
            setError(null);
            await onSave(n);
          }}
        />
      </label>
      {error ? (
        <span id={`${id}-error`} class="error">
          {' '}
          {error}
        </span>
      ) : null}
    </p>
  );
}

function ClearLog({ disabled, onCleared, lang, t }: { disabled: boolean; onCleared: () => void; lang: Lang; t: T }) {
  const [step, setStep] = useState<{ phase: 'idle' | 'clearing' | 'cleared' | 'empty' } | { phase: 'confirm'; records: number }>({ phase: 'idle' });
  const cancelRef = useRef<HTMLButtonElement>(null);
  const clearRef = useRef<HTMLButtonElement>(null);
  const number = new Intl.NumberFormat(tagOf(lang));
  const returnFocus = useRef(false);
  // Focus the safe choice when asking, and give focus back to "Clear log" when the question goes
  // away, as the buttons that had it no longer exist. A layout effect, so no keystroke lands in between.
  useLayoutEffect(() => {
    if (step.phase === 'confirm') cancelRef.current?.focus();
    else if (returnFocus.current) {
      returnFocus.current = false;
      clearRef.current?.focus();
    }
  }, [step.phase]);
  const back = (phase: 'idle' | 'cleared') => {
    returnFocus.current = true;
    setStep({ phase });
  };

  if (step.phase === 'confirm') {
    return (
      // biome-ignore lint/a11y/useSemanticElements: a <fieldset> would need a <legend> and a reset of the browser's fieldset styles; role="group" with its label is the same to assistive technology.
      <div class="card dash-confirm" role="group" aria-labelledby="clear-q">
        <p id="clear-q">{t('dashClearQuestion')}</p>
        <div class="row">
          <button
            type="button"
            class="dash-danger"
            onClick={async () => {
              setStep({ phase: 'clearing' });
              await clearLog();
              onCleared();
              back('cleared');
            }}
          >
            {t('dashClearConfirm', number.format(step.records))}
          </button>
          <button type="button" ref={cancelRef} onClick={() => back('idle')}>
            {t('dashCancel')}
          </button>
        </div>
      </div>
    );
  }
  return (
    <p class="row">
      <button
        type="button"
        ref={clearRef}
        disabled={disabled || step.phase === 'clearing'}
        onClick={async () => {
          const records = await countRecords();
          setStep(records === 0 ? { phase: 'empty' } : { phase: 'confirm', records });
        }}
      >
        {t('dashClearLog')}
      </button>
      <span role="status">{step.phase === 'cleared' ? t('dashCleared') : step.phase === 'empty' ? t('dashNothingToClear') : ''}</span>
    </p>
  );
}

export function LogSettings(props: { settings: Settings; save: Save; busy: boolean; onCleared: () => void; lang: Lang; t: T }) {
  const { settings, save, busy, onCleared, lang, t } = props;
  const log = settings.log;
  const setLog = (patch: Partial<Settings['log']>) => save((s) => ({ ...s, log: { ...s.log, ...patch } }));
  return (
    <div>
      <p>
        <label>
          <input type="checkbox" checked={log.enabled} onChange={(e) => setLog({ enabled: (e.currentTarget as HTMLInputElement).checked })} /> {t('dashLogEnabled')}
        </label>
      </p>
      {!log.enabled ? <p class="muted">{t('dashLogDisabledNote')}</p> : null}
      <NumberSetting label={t('dashRetentionDays')} value={log.retentionDays} bounds={RETENTION_DAYS} onSave={(retentionDays) => setLog({ retentionDays })} lang={lang} t={t} />
      <NumberSetting label={t('dashMaxRecords')} value={log.maxRecords} bounds={MAX_RECORDS} onSave={(maxRecords) => setLog({ maxRecords })} lang={lang} t={t} />
      <p class="muted">{t('dashRetentionNote')}</p>
      <ClearLog disabled={busy} onCleared={onCleared} lang={lang} t={t} />
    </div>
  );
}
