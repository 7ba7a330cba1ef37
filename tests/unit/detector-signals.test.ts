// @vitest-environment happy-dom
/**
 * Edges of how the detector (utils/detect/detector.ts) reads the page's own signals and stops: the Resource
 * Timing buffer's boundary, a browser without an observer or with a Resource Timing that throws, and that a
 * stopped detector neither reports nor re-sweeps.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bundledDataset } from '@/utils/dataset/store';
import { startDetector, type Detector, type FoundSummary } from '@/utils/detect/detector';
import { embedRegistry } from '@/utils/detect/registry';
import { buildSignaturePack } from '@/utils/detect/signatures';

const pack = buildSignaturePack(bundledDataset().platforms)!;
const g = globalThis as unknown as Record<string, unknown>;
let detector: Detector | undefined;
let reports: FoundSummary[];
const report = (s: FoundSummary) => void reports.push(s);
const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));
const unrelated = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `https://news.example/${i}.jpg`, initiatorType: 'img' }));

/** Resource Timing with these entries so far; an observer class that records whether it was disconnected. */
function stubTiming(entries: { name: string; initiatorType: string }[]) {
  const state = { observed: 0, disconnected: 0 };
  vi.spyOn(performance, 'getEntriesByType').mockReturnValue(entries as never);
  vi.stubGlobal(
    'PerformanceObserver',
    class {
      observe() {
        state.observed++;
      }
      disconnect() {
        state.disconnected++;
      }
    },
  );
  return state;
}

beforeEach(() => {
  delete g.__banlensEmbedRegistry;
  document.body.innerHTML = '';
  reports = [];
});
afterEach(() => {
  detector?.stop();
  detector = undefined;
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('the page signals', () => {
  it('249 entries is a complete buffer: nothing requested from a platform, so its images are not walked', () => {
    const state = stubTiming(unrelated(249));
    document.body.innerHTML = '<img src="https://pbs.twimg.com/media/a.jpg">';
    detector = startDetector(document, pack, { report });
    detector.flush();
    expect(reports).toEqual([]);
    expect(state.observed).toBe(1);
  });

  it('250 entries may have lost some: everything is walked, and no observer is needed', () => {
    const state = stubTiming(unrelated(250));
    document.body.innerHTML = '<img src="https://pbs.twimg.com/media/a.jpg">';
    detector = startDetector(document, pack, { report });
    expect(reports).toEqual([{ x: { media: 1 } }]);
    expect(state.observed).toBe(0);
  });

  it('no PerformanceObserver: the first scan walks everything', () => {
    vi.spyOn(performance, 'getEntriesByType').mockReturnValue([] as never);
    vi.stubGlobal('PerformanceObserver', undefined);
    document.body.innerHTML = '<img src="https://pbs.twimg.com/media/a.jpg">';
    detector = startDetector(document, pack, { report });
    expect(reports).toEqual([{ x: { media: 1 } }]);
  });

  it('Resource Timing that throws: the first scan walks everything', () => {
    vi.spyOn(performance, 'getEntriesByType').mockImplementation(() => {
      throw new Error('no timing here');
    });
    document.body.innerHTML = '<img src="https://pbs.twimg.com/media/a.jpg">';
    detector = startDetector(document, pack, { report });
    expect(reports).toEqual([{ x: { media: 1 } }]);
  });

  it('an observer that cannot observe resources: the first plan is built without the gate', () => {
    vi.spyOn(performance, 'getEntriesByType').mockReturnValue([] as never);
    vi.stubGlobal(
      'PerformanceObserver',
      class {
        observe() {
          throw new TypeError('resource is not a supported entry type');
        }
        disconnect() {}
      },
    );
    document.body.innerHTML = '<img src="https://pbs.twimg.com/media/a.jpg">';
    detector = startDetector(document, pack, { report });
    expect(reports).toEqual([{ x: { media: 1 } }]);
  });

  it('signals given by the caller are used as they are, with no observer', () => {
    const state = stubTiming([]);
    document.body.innerHTML = '<img src="https://pbs.twimg.com/media/a.jpg">';
    detector = startDetector(document, pack, { report, signals: { frames: 0, requested: new Set(), complete: true } });
    detector.flush();
    expect(reports).toEqual([]);
    expect(state.observed).toBe(0);
  });
});

describe('stop', () => {
  it('disconnects the resource observer', () => {
    const state = stubTiming([]);
    detector = startDetector(document, pack, { report });
    detector.stop();
    expect(state.disconnected).toBe(1);
  });

  it('a pending batch is dropped', async () => {
    detector = startDetector(document, pack, { report, batchDelayMs: 30, signals: { frames: 0, requested: new Set(), complete: false } });
    document.body.insertAdjacentHTML('beforeend', '<blockquote class="twitter-tweet"></blockquote>');
    await tick(5);
    detector.stop();
    await tick(60);
    expect(reports).toEqual([]);
    expect(embedRegistry().embeds).toEqual([]);
  });

  it('the shadow re-sweeps of custom elements are cancelled', async () => {
    vi.useFakeTimers();
    document.body.innerHTML = '<late-card></late-card>';
    detector = startDetector(document, pack, { report, signals: { frames: 0, requested: new Set(), complete: false } });
    detector.flush();
    detector.stop();
    document.querySelector('late-card')!.attachShadow({ mode: 'open' }).innerHTML = '<blockquote class="twitter-tweet"></blockquote>';
    await vi.advanceTimersByTimeAsync(9000);
    expect(reports).toEqual([]);
  });

  it('a custom element is swept again at 1, 3 and 8 seconds, and not before', async () => {
    vi.useFakeTimers();
    document.body.innerHTML = '<late-card id="a"></late-card><late-card id="b"></late-card><late-card id="c"></late-card>';
    detector = startDetector(document, pack, { report, signals: { frames: 0, requested: new Set(), complete: false } });
    detector.flush();
    const attach = (id: string, html: string) => {
      document.getElementById(id)!.attachShadow({ mode: 'open' }).innerHTML = html;
    };
    attach('a', '<blockquote class="twitter-tweet"></blockquote>');
    await vi.advanceTimersByTimeAsync(990);
    expect(reports).toEqual([]);
    await vi.advanceTimersByTimeAsync(20);
    expect(reports).toEqual([{ x: { markup: 1 } }]);
    attach('b', '<img src="https://pbs.twimg.com/media/a.jpg">');
    await vi.advanceTimersByTimeAsync(1980);
    expect(reports).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(20);
    expect(reports.at(-1)).toEqual({ x: { markup: 1, media: 1 } });
    attach('c', '<iframe data-src="https://www.youtube.com/embed/a"></iframe>');
    await vi.advanceTimersByTimeAsync(4980);
    expect(reports).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(20);
    expect(reports.at(-1)).toEqual({ x: { markup: 1, media: 1 }, youtube: { frame: 1 } });
  });
});
