/**
 * Opt-in active probing (ARCHITECTURE.md "Background features": features/probing.ts). Probing a
 * blocked host is itself visible on the network, so it stays off until the user has read the risk
 * and confirmed in a second step; the probes themselves run in the background, which answers
 * `probe:run`.
 */
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { tagOf, type Lang, type MessageKey, type T } from '@/utils/i18n';
import { MIN_PROBE_INTERVAL_MS } from '@/utils/reach/probe';
import type { Settings } from '@/utils/settings';
import { ask, type ProbeRunResult } from '@/utils/protocol';
import { formatHour } from './LogTable';


const SCHEDULE_HOURS = [6, 12, 24] as const;
/** The background's writer flushes within a second; read the log again once it has. */
const LOG_FLUSH_WAIT_MS = 1500;

/** The background's refusal codes (utils/reach/probe.ts ProbeRefusal), worded; an unknown code is shown as it is. */
const REFUSAL_KEYS: Readonly<Record<string, MessageKey>> = {
  disabled: 'dashProbeRefused_disabled',
  'too-soon': 'dashProbeRefused_too_soon',
  'nothing-restricted': 'dashProbeRefused_nothing_restricted',
};

function refusalText(code: string, t: T): string {
  const key = Object.hasOwn(REFUSAL_KEYS, code) ? REFUSAL_KEYS[code] : undefined;
  return key ? t(key, String(MIN_PROBE_INTERVAL_MS / 60_000)) : code;
}

type Save = (patch: (s: Settings) => Settings) => Promise<void>;
type RunState = { phase: 'idle' | 'running' } | { phase: 'done'; result: ProbeRunResult } | { phase: 'failed'; message: string };

export function ProbeSettings({ settings, save, onProbed, lang, t }: { settings: Settings; save: Save; onProbed: () => void; lang: Lang; t: T }) {
  const probe = settings.probe;
  const [confirming, setConfirming] = useState(false);
  const [run, setRun] = useState<RunState>({ phase: 'idle' });
  const confirmRef = useRef<HTMLDivElement>(null);
  const checkboxRef = useRef<HTMLInputElement>(null);
  const asked = useRef(false);
  const number = new Intl.NumberFormat(tagOf(lang));
  // Focus follows the question: onto it when it opens, back to the checkbox when it is answered.
  useLayoutEffect(() => {
    if (confirming) {
      asked.current = true;
      confirmRef.current?.focus();
    } else if (asked.current) {
      asked.current = false;
      checkboxRef.current?.focus();
    }
  }, [confirming]);

  const enable = () =>
    save((s) => ({ ...s, probe: { ...s.probe, enabled: true, consentedAt: new Date().toISOString() } }));
  // Turning probing off withdraws consent and stops the schedule: turning it on again asks again.
  const disable = () => save((s) => ({ ...s, probe: { enabled: false, consentedAt: null, everyHours: null } }));

  const runNow = async () => {
    setRun({ phase: 'running' });
    try {
      // An extension being updated or reloaded may leave the message unanswered.
      const result: ProbeRunResult | undefined = await ask(browser.runtime, { type: 'probe:run' });
      setRun(result ? { phase: 'done', result } : { phase: 'failed', message: t('dashProbeNoAnswer') });
      if (result && result.ran > 0) setTimeout(onProbed, LOG_FLUSH_WAIT_MS);
    } catch (error) {
      setRun({ phase: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  };

  const schedules: (number | null)[] = [null, ...SCHEDULE_HOURS];
  if (probe.everyHours !== null && !schedules.includes(probe.everyHours)) schedules.push(probe.everyHours);

  return (
    <div>
      <p>{t('dashProbeExplain')}</p>
      <p class="error">{t('dashProbeRisk')}</p>
      <p>
        <label>
          <input
            type="checkbox"
            ref={checkboxRef}
            checked={probe.enabled}
            aria-expanded={probe.enabled ? undefined : confirming}
            onChange={(e) => {
              if ((e.currentTarget as HTMLInputElement).checked) setConfirming(true);
              else void disable();
            }}
          />{' '}
          {t('dashProbeEnable')}
        </label>
      </p>
      {confirming && !probe.enabled ? (
        // biome-ignore lint/a11y/useSemanticElements: a <fieldset> would need a <legend> and a reset of the browser's fieldset styles; role="group" with its label is the same to assistive technology.
        <div class="card dash-confirm" role="group" aria-labelledby="probe-q" tabIndex={-1} ref={confirmRef}>
          <p id="probe-q">{t('dashProbeConfirmQuestion')}</p>
          <div class="row">
            <button
              type="button"
              class="dash-danger"
              onClick={async () => {
                await enable();
                setConfirming(false);
              }}
            >
              {t('dashProbeConfirm')}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              {t('dashCancel')}
            </button>
          </div>
        </div>
      ) : null}
      {probe.enabled ? (
        <div>
          {probe.consentedAt ? <p class="muted">{t('dashProbeConsented', formatHour(probe.consentedAt, lang))}</p> : null}
          <p class="row">
            <button type="button" disabled={run.phase === 'running'} onClick={() => void runNow()}>
              {t('dashProbeRun')}
            </button>
            <span role="status" class={run.phase === 'failed' ? 'error' : undefined}>
              {run.phase === 'running'
                ? t('dashProbeRunning')
                : run.phase === 'done'
                  ? run.result.skipped === null
                    ? t('dashProbeRan', number.format(run.result.ran))
                    : t('dashProbeSkipped', refusalText(run.result.skipped, t))
                  : run.phase === 'failed'
                    ? t('dashProbeFailed', run.message)
                    : ''}
            </span>
          </p>
          <p>
            <label>
              {t('dashProbeSchedule')}{' '}
              <select
                value={probe.everyHours === null ? '' : String(probe.everyHours)}
                onChange={(e) => {
                  const v = (e.currentTarget as HTMLSelectElement).value;
                  return save((s) => ({ ...s, probe: { ...s.probe, everyHours: v === '' ? null : Number(v) } }));
                }}
              >
                {schedules.map((h) => (
                  <option key={h ?? 'off'} value={h === null ? '' : String(h)}>
                    {h === null ? t('dashProbeScheduleOff') : t('dashProbeEvery', number.format(h))}
                  </option>
                ))}
              </select>
            </label>
          </p>
        </div>
      ) : null}
    </div>
  );
}
