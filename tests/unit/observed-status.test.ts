import { describe, expect, it } from 'vitest';
import {
  BLOCKING_OUTCOMES,
  OBSERVED_THRESHOLDS as T,
  emptySummary,
  isControlHost,
  observedStatus,
  recordControl,
  recordObservation,
  type ObservedStatus,
  type ObservedSummary,
} from '@/utils/observed/status';
import type { Outcome } from '@/utils/reach/outcome';

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 1, 10, 0, 0);

/** One step of a table: a platform observation (`x` on page load `load`), or a control load (`control`). */
type Step = { min: number; outcome: Outcome; load: string; platform?: string } | { min: number; control: true };

function run(steps: Step[]): ObservedSummary {
  let s = emptySummary();
  for (const step of steps) {
    const at = T0 + step.min * MIN;
    s = 'control' in step ? recordControl(s, at) : recordObservation(s, { at, region: 'PK', platform: step.platform ?? 'x', outcome: step.outcome, load: step.load });
  }
  return s;
}

const resets = (load: string, min: number, n = 2): Step[] => Array.from({ length: n }, (_, i) => ({ min: min + i * 0.1, outcome: 'tcp_reset' as const, load }));
const oks = (load: string, min: number, n = 2): Step[] => Array.from({ length: n }, (_, i) => ({ min: min + i * 0.1, outcome: 'ok' as const, load }));
const control = (min: number): Step => ({ min, control: true });

describe('observed status', () => {
  it.each<[string, Step[], number, ObservedStatus]>([
    ['no evidence at all', [], 0, 'unknown'],
    ['one failure, with controls', [...resets('a', 0, 1), control(0), control(1)], 2, 'unknown'],
    ['many failures on one page load only, with controls', [...resets('a', 0, 6), control(0), control(1)], 2, 'unknown'],
    ['failures on two page loads with controls in the same window', [...resets('a', 0), ...resets('b', 3), control(1), control(4)], 5, 'failing'],
    ['everything failing: failures on two page loads, no control (offline, captive portal, DNS down)', [...resets('a', 0), ...resets('b', 3)], 5, 'unknown'],
    ['failures with a single control', [...resets('a', 0), ...resets('b', 3), control(1)], 5, 'unknown'],
    ['controls, but long before the failures', [control(0), control(1), ...resets('a', 60), ...resets('b', 63)], 65, 'unknown'],
    ['success after failure', [...resets('a', 0), ...resets('b', 3), control(1), control(4), ...oks('c', 5, 1)], 6, 'unknown'],
    ['success after failure, repeated', [...resets('a', 0), ...resets('b', 3), control(1), control(4), ...oks('c', 5), ...oks('d', 7)], 8, 'loading'],
    ['failing evidence ages out', [...resets('a', 0), ...resets('b', 3), control(1), control(4)], 5 + 6 * 60 + 1, 'unknown'],
    ['loads normally on two page loads', [...oks('a', 0), ...oks('b', 2)], 3, 'loading'],
    ['loads three times on one page load only', [...oks('a', 0, 3)], 1, 'unknown'],
    ['failure after repeated success, not yet repeated', [...oks('a', 0), ...oks('b', 2), ...resets('c', 4, 1), control(4)], 5, 'unknown'],
  ])('%s', (_, steps, nowMin, expected) => {
    expect(observedStatus(run(steps), 'PK', 'x', T0 + nowMin * MIN).status).toBe(expected);
  });

  it('keeps platforms and regions apart', () => {
    const s = run([...resets('a', 0), ...resets('b', 3), control(1), control(4)]);
    expect(observedStatus(s, 'PK', 'x', T0 + 5 * MIN).status).toBe('failing');
    expect(observedStatus(s, 'PK', 'youtube', T0 + 5 * MIN).status).toBe('unknown');
    expect(observedStatus(s, 'CN', 'x', T0 + 5 * MIN).status).toBe('unknown');
  });

  it('says how it failed: the most frequent blocking-like outcome', () => {
    const s = run([{ min: 0, outcome: 'dns', load: 'a' }, { min: 1, outcome: 'tls', load: 'b' }, { min: 2, outcome: 'tls', load: 'b' }, control(1), control(2)]);
    const v = observedStatus(s, 'PK', 'x', T0 + 3 * MIN);
    expect(v).toMatchObject({ status: 'failing', outcome: 'tls', failures: 3, failedLoads: 2, controls: 2 });
  });

  it.each<Outcome>(['http_error', 'inconclusive', 'other'])('%s never counts either way', (outcome) => {
    const steps: Step[] = [0, 1, 2, 3].map((min) => ({ min, outcome, load: String(min) }));
    const s = run([...steps, control(0), control(2)]);
    expect(s.platforms).toEqual({});
    expect(observedStatus(s, 'PK', 'x', T0 + 4 * MIN).status).toBe('unknown');
  });

  it('counts as blocking exactly the outcomes OONI classes as blocking', () => {
    expect([...BLOCKING_OUTCOMES].sort()).toEqual(['dns', 'http_blockpage', 'tcp_refused', 'tcp_reset', 'timeout', 'tls']);
  });

  it('stays bounded whatever a page does', () => {
    let s = emptySummary();
    for (let i = 0; i < 10_000; i++) {
      s = recordObservation(s, { at: T0 + i, region: 'PK', platform: 'x', outcome: i % 2 ? 'ok' : 'tcp_reset', load: String(i) });
      s = recordControl(s, T0 + i * 10_000);
    }
    expect(s.platforms['PK:x']!.failures.length).toBeLessThanOrEqual(T.maxEvidence);
    expect(s.platforms['PK:x']!.oks.length).toBeLessThanOrEqual(T.maxEvidence);
    expect(s.controls.length).toBeLessThanOrEqual(T.maxControls);
  });

  it('a burst of control loads is one control', () => {
    let s = emptySummary();
    for (let i = 0; i < 200; i++) s = recordControl(s, T0 + i * 10);
    expect(s.controls).toHaveLength(1);
  });

  it.each([
    ['news.example.com', true],
    ['news.banlens.test', true],
    ['cdn.jsdelivr.net', true],
    ['localhost', false],
    ['app.localhost', false],
    ['printer.local', false],
    ['router.home.arpa', false],
    ['nas.lan', false],
    ['127.0.0.1', false],
    ['10.0.0.8', false],
    ['8.8.8.8', false],
    ['[::1]', false],
    ['intranet', false],
  ])('isControlHost(%s) is %s', (host, expected) => {
    expect(isControlHost(host)).toBe(expected);
  });
});
