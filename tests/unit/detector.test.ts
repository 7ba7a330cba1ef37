// @vitest-environment happy-dom
/**
 * The detector in one frame (utils/detect/detector.ts) beyond the first scan: mutation batches, changed
 * attributes, removed nodes, floods, shadow roots that appear late, requests that appear late, and stop.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bundledDataset } from '@/utils/dataset/store';
import { startDetector, type Detector, type FoundSummary } from '@/utils/detect/detector';
import { buildSignaturePack } from '@/utils/detect/signatures';

const pack = buildSignaturePack(bundledDataset().platforms)!;
const g = globalThis as unknown as Record<string, unknown>;
let detector: Detector | undefined;
let reports: FoundSummary[];
const report = (s: FoundSummary) => void reports.push(s);
const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));

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
});

describe('startDetector after the first scan', () => {
  it('a changed src is looked at on its own element', async () => {
    document.body.innerHTML = '<img id="i" src="https://news.example/a.jpg">';
    detector = startDetector(document, pack, { report, batchDelayMs: 1 });
    expect(reports).toEqual([]);
    document.getElementById('i')!.setAttribute('src', 'https://pbs.twimg.com/media/a.jpg');
    await tick();
    detector.flush();
    expect(reports).toEqual([{ x: { media: 1 } }]);
  });

  it('a node removed before its batch runs is not counted', async () => {
    detector = startDetector(document, pack, { report, batchDelayMs: 50 });
    const card = document.createElement('div');
    card.innerHTML = '<blockquote class="twitter-tweet"></blockquote>';
    document.body.append(card);
    card.remove();
    await tick(80);
    detector.flush();
    expect(reports).toEqual([]);
  });

  it('a flood of added nodes past maxQueue rescans the document instead, and still finds every kind once', async () => {
    detector = startDetector(document, pack, { report, batchDelayMs: 1, maxQueue: 3 });
    for (let i = 0; i < 10; i++) {
      const el = document.createElement('blockquote');
      el.className = 'twitter-tweet';
      document.body.append(el);
    }
    const frame = document.createElement('iframe');
    frame.setAttribute('data-src', 'https://www.youtube.com/embed/a');
    document.body.append(frame);
    await tick();
    detector.flush();
    expect(reports.at(-1)).toEqual({ x: { markup: 10 }, youtube: { frame: 1 } });
  });

  it('after stop it reports nothing more', async () => {
    detector = startDetector(document, pack, { report, batchDelayMs: 1 });
    detector.stop();
    document.body.innerHTML = '<blockquote class="twitter-tweet"></blockquote>';
    await tick();
    expect(reports).toEqual([]);
  });

  it('counts each embed once however often it is seen', async () => {
    document.body.innerHTML = '<blockquote class="twitter-tweet"></blockquote>';
    detector = startDetector(document, pack, { report, batchDelayMs: 1 });
    const bq = document.querySelector('blockquote')!;
    bq.remove();
    document.body.append(bq);
    await tick();
    detector.flush();
    expect(reports).toEqual([{ x: { markup: 1 } }]);
  });

  it('reports again only when a platform or a kind is new', async () => {
    document.body.innerHTML = '<blockquote class="twitter-tweet"></blockquote>';
    detector = startDetector(document, pack, { report, batchDelayMs: 1 });
    document.body.insertAdjacentHTML('beforeend', '<blockquote class="twitter-tweet"></blockquote>');
    await tick();
    detector.flush();
    expect(reports).toHaveLength(1);
    document.body.insertAdjacentHTML('beforeend', '<img src="https://pbs.twimg.com/media/a.jpg">');
    await tick();
    detector.flush();
    expect(reports).toEqual([{ x: { markup: 1 } }, { x: { markup: 2, media: 1 } }]);
  });
});

describe('shadow roots', () => {
  it('with incomplete signals the first scan walks the whole tree and looks into open shadow roots', () => {
    document.body.innerHTML = '<news-card></news-card>';
    document.querySelector('news-card')!.attachShadow({ mode: 'open' }).innerHTML = '<blockquote class="twitter-tweet"></blockquote>';
    detector = startDetector(document, pack, { report, signals: { frames: 0, requested: new Set(), complete: false } });
    detector.flush();
    expect(reports.at(-1)).toEqual({ x: { markup: 1 } });
  });

  it('embeds added later inside an observed shadow root are found', async () => {
    document.body.innerHTML = '<news-card></news-card>';
    const root = document.querySelector('news-card')!.attachShadow({ mode: 'open' });
    detector = startDetector(document, pack, { report, batchDelayMs: 1, signals: { frames: 0, requested: new Set(), complete: false } });
    detector.flush();
    root.innerHTML = '<img src="https://pbs.twimg.com/media/a.jpg">';
    await tick();
    detector.flush();
    expect(reports).toEqual([{ x: { media: 1 } }]);
  });

  it('a custom element that attaches its shadow root after load is swept again a second later', async () => {
    document.body.innerHTML = '<late-card></late-card>';
    detector = startDetector(document, pack, { report, batchDelayMs: 1, signals: { frames: 0, requested: new Set(), complete: false } });
    detector.flush();
    document.querySelector('late-card')!.attachShadow({ mode: 'open' }).innerHTML = '<blockquote class="twitter-tweet"></blockquote>';
    expect(reports).toEqual([]);
    await vi.waitFor(() => expect(reports).toEqual([{ x: { markup: 1 } }]), { timeout: 2500 });
  });

  it('a custom element added later brings its shadow root with it', async () => {
    detector = startDetector(document, pack, { report, batchDelayMs: 1, signals: { frames: 0, requested: new Set(), complete: false } });
    const card = document.createElement('news-card');
    card.attachShadow({ mode: 'open' }).innerHTML = '<blockquote class="twitter-tweet"></blockquote>';
    document.body.append(card);
    await tick();
    detector.flush();
    expect(reports).toEqual([{ x: { markup: 1 } }]);
  });
});

describe('the page\'s own signals', () => {
  /** Resource Timing as a browser has it: the entries so far, and an observer for later ones. */
  function stubResourceTiming(entries: { name: string; initiatorType: string }[]) {
    let callback: ((list: { getEntries(): unknown[] }) => void) | undefined;
    vi.spyOn(performance, 'getEntriesByType').mockReturnValue(entries as never);
    vi.stubGlobal(
      'PerformanceObserver',
      class {
        constructor(cb: typeof callback) {
          callback = cb;
        }
        observe() {}
        disconnect() {
          callback = undefined;
        }
      },
    );
    return { later: (more: { name: string; initiatorType: string }[]) => callback?.({ getEntries: () => more }) };
  }

  it('nothing requested from a platform: the images are not walked, until a request to it appears', () => {
    const timing = stubResourceTiming([{ name: 'https://news.example/a.jpg', initiatorType: 'img' }]);
    document.body.innerHTML = '<img src="https://pbs.twimg.com/media/a.jpg">';
    detector = startDetector(document, pack, { report });
    detector.flush();
    expect(reports).toEqual([]);
    timing.later([{ name: 'https://pbs.twimg.com/media/a.jpg', initiatorType: 'img' }]);
    detector.flush();
    expect(reports).toEqual([{ x: { media: 1 } }]);
  });

  it('a request the page already made to a platform opens the walk at once', () => {
    stubResourceTiming([{ name: 'https://pbs.twimg.com/media/a.jpg', initiatorType: 'img' }]);
    document.body.innerHTML = '<img src="https://pbs.twimg.com/media/a.jpg">';
    detector = startDetector(document, pack, { report });
    detector.flush();
    expect(reports).toEqual([{ x: { media: 1 } }]);
  });

  it('a full Resource Timing buffer may have lost requests: everything is walked', () => {
    stubResourceTiming(Array.from({ length: 250 }, (_, i) => ({ name: `https://news.example/${i}.jpg`, initiatorType: 'img' })));
    document.body.innerHTML = '<img src="https://pbs.twimg.com/media/a.jpg">';
    detector = startDetector(document, pack, { report });
    detector.flush();
    expect(reports).toEqual([{ x: { media: 1 } }]);
  });

  it('markup on a common tag added before its platform is requested is found by the class walk the request brings', async () => {
    const timing = stubResourceTiming([]);
    detector = startDetector(document, pack, { report, batchDelayMs: 1 });
    document.body.insertAdjacentHTML('beforeend', '<article><p>Post</p><div class="fb-post"></div></article>');
    await tick();
    detector.flush();
    expect(reports).toEqual([]);
    timing.later([{ name: 'https://connect.facebook.net/en_US/sdk.js', initiatorType: 'script' }]);
    detector.flush();
    expect(reports).toEqual([{ facebook: { markup: 1 } }]);
  });

  it('once the document had that class walk, the same markup in a subtree added later is found by the batch', async () => {
    stubResourceTiming([{ name: 'https://connect.facebook.net/en_US/sdk.js', initiatorType: 'script' }]);
    detector = startDetector(document, pack, { report, batchDelayMs: 1 });
    detector.flush();
    document.body.insertAdjacentHTML('beforeend', '<article><p>Post</p><section><div class="fb-video"></div></section></article>');
    await tick();
    detector.flush();
    expect(reports).toEqual([{ facebook: { markup: 1 } }]);
  });

  it('embeds deep inside an added subtree are found, whatever the page requested', async () => {
    stubResourceTiming([]);
    detector = startDetector(document, pack, { report, batchDelayMs: 1 });
    document.body.insertAdjacentHTML('beforeend', '<article><section><p><img data-src="https://pbs.twimg.com/media/a.jpg"></p></section><div><iframe data-src="https://www.youtube.com/embed/a"></iframe></div></article>');
    await tick();
    detector.flush();
    expect(reports.at(-1)).toEqual({ x: { media: 1 }, youtube: { frame: 1 } });
  });

  it('text-only mutations schedule no batch at all', async () => {
    stubResourceTiming([]);
    document.body.innerHTML = '<p id="clock">12:00</p>';
    detector = startDetector(document, pack, { report, batchDelayMs: 1 });
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const clock = document.getElementById('clock')!;
    for (let i = 0; i < 5; i++) {
      clock.textContent = `12:0${i}`;
      await Promise.resolve();
    }
    clock.append(document.createTextNode('!'), document.createComment('c'));
    await tick();
    expect(timers.mock.calls.filter(([, ms]) => ms === 1)).toHaveLength(0);
  });

  it('a later request to a platform already walked, or to no platform, changes nothing', () => {
    const timing = stubResourceTiming([{ name: 'https://pbs.twimg.com/media/a.jpg', initiatorType: 'img' }]);
    detector = startDetector(document, pack, { report });
    detector.flush();
    document.body.innerHTML = '<img src="https://pbs.twimg.com/media/b.jpg">';
    timing.later([{ name: 'https://news.example/b.jpg', initiatorType: 'img' }]);
    timing.later([{ name: 'https://pbs.twimg.com/media/b.jpg', initiatorType: 'img' }]);
    // Found by the mutation observer in its own time, not by a second walk of the image collection.
    expect(reports).toEqual([]);
  });
});
