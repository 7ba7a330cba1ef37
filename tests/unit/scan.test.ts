// @vitest-environment happy-dom
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { bundledDataset } from '@/utils/dataset/store';
import { buildSignaturePack } from '@/utils/detect/signatures';
import { classifyCandidate, classifyElement, compilePack, firstScanPlan, openShadowRoots, platformOfHost, platformOfUrl, requestedPlatforms, scanRoot, subtreePlan, URL_TAGS } from '@/utils/detect/scan';
import { embedRegistry, MAX_REGISTERED_EMBEDS } from '@/utils/detect/registry';
import { startDetector } from '@/utils/detect/detector';

const pack = buildSignaturePack(bundledDataset().platforms)!;
const PAGES = `${resolve('tests/fixtures/pages')}/`;
// Pages whose embeds appear only when their own scripts run are covered by the browser tests.
// Pages whose embeds a script adds, or that sit inside frames: the e2e suites check those in real browsers.
const SCRIPTED = new Set(['dynamic.html', 'shadow.html', 'subframe.html', 'hostile.html', 'frames-odd.html', 'hostile-churn.html', 'hostile-prototypes.html']);

function load(file: string): { expected: string[] } {
  const html = readFileSync(PAGES + file, 'utf8');
  document.documentElement.innerHTML = html.replace(/^<!doctype html>/i, '').replace(/<script(?![^>]*\bsrc=)[^>]*>[\s\S]*?<\/script>/g, '');
  const expected = (/<meta name="banlens-expect" content="([^"]*)"/.exec(html)?.[1] ?? '').split(/\s+/).filter(Boolean);
  return { expected };
}

describe('scanRoot on fixture pages', () => {
  const files = readdirSync(PAGES).filter((f) => f.endsWith('.html') && !f.startsWith('frame-') && !f.startsWith('platform-') && !SCRIPTED.has(f));
  it.each(files)('%s finds exactly the platforms it declares', (file) => {
    const { expected } = load(file);
    const found = [...new Set(scanRoot(document, pack).map((f) => f.platform))].sort();
    expect(found).toEqual([...expected].sort());
  });
});

describe('classifyElement', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
  });
  const el = (html: string) => {
    document.body.innerHTML = html;
    return document.body.firstElementChild!;
  };
  it.each([
    ['<blockquote class="twitter-tweet"></blockquote>', 'x', 'markup'],
    ['<iframe src="https://platform.twitter.com/embed/Tweet.html?id=20"></iframe>', 'x', 'frame'],
    ['<script src="https://platform.twitter.com/widgets.js"></script>', 'x', 'script'],
    ['<img src="https://pbs.twimg.com/media/a.jpg">', 'x', 'media'],
    ['<img data-src="//pbs.twimg.com/media/a.jpg">', 'x', 'media'],
    ['<img srcset="https://pbs.twimg.com/media/a.jpg 2x">', 'x', 'media'],
    ['<video poster="https://i.ytimg.com/vi/a/hq.jpg"></video>', 'youtube', 'media'],
    ['<iframe data-src="https://www.youtube.com/embed/a"></iframe>', 'youtube', 'frame'],
    ['<iframe data-lazy-src="https://www.youtube.com/embed/a"></iframe>', 'youtube', 'frame'],
    ['<embed src="https://www.youtube.com/v/a">', 'youtube', 'frame'],
    ['<object data="https://www.youtube.com/v/a"></object>', 'youtube', 'frame'],
    ['<iframe src="HTTPS://WWW.YOUTUBE.COM/embed/a"></iframe>', 'youtube', 'frame'],
  ])('%s → %s/%s', (html, platform, kind) => {
    expect(classifyElement(el(html), pack)).toMatchObject({ platform, kind });
    expect(classifyCandidate(el(html), compilePack(pack))).toMatchObject({ platform, kind });
  });
  it.each([
    '<a href="https://x.com/jack">link</a>',
    '<img src="https://x.com.evil.test/a.png">',
    '<img src="/local.png">',
    '<img src="data:image/png;base64,AAAA">',
    '<iframe src="about:blank"></iframe>',
    '<iframe src="https://evil.test/?https://www.youtube.com/embed/a"></iframe>',
    '<iframe src="https://user@evil.test/x.com"></iframe>',
    '<div class="twitter-tweet"></div>',
    '<pre><blockquote class="twitter-tweet"></blockquote></pre>',
  ])('%s is not an embed', (html) => {
    const root = el(html);
    const target = root.matches('pre') ? root.firstElementChild! : root;
    expect(classifyElement(target, pack)).toBeNull();
    expect(classifyCandidate(target, compilePack(pack))).toBeNull();
  });
});

describe('host lookup in the content script', () => {
  it('matches at label boundaries only, like the background matcher', () => {
    expect(platformOfHost(pack.hosts, 'a.pbs.twimg.com')).toBe('x');
    expect(platformOfHost(pack.hosts, 'twimg.com.evil.test')).toBeNull();
    expect(platformOfHost(pack.hosts, 'nottwimg.com')).toBeNull();
    expect(platformOfHost(pack.hosts, 'constructor')).toBeNull();
    expect(platformOfHost(pack.hosts, '__proto__')).toBeNull();
    expect(platformOfUrl(pack.hosts, 'https://x.com@evil.test/')).toBeNull();
  });
});

describe('shadow roots and the detector', () => {
  it('finds embeds inside open shadow roots of custom elements, nested too', () => {
    document.body.innerHTML = '<social-card id="host"></social-card><div id="plain"></div>';
    const outer = document.getElementById('host')!.attachShadow({ mode: 'open' });
    outer.innerHTML = '<inner-card id="inner"></inner-card><blockquote class="twitter-tweet"></blockquote>';
    // A shadow root on a built-in element is a known blind spot (see openShadowRoots).
    document.getElementById('plain')!.attachShadow({ mode: 'open' }).innerHTML = '<blockquote class="bluesky-embed"></blockquote>';
    const inner = outer.getElementById('inner')!.attachShadow({ mode: 'open' });
    inner.innerHTML = '<iframe src="https://www.youtube.com/embed/a"></iframe>';
    const roots = openShadowRoots(document);
    expect(roots).toHaveLength(2);
    expect(roots.flatMap((r) => scanRoot(r, pack)).map((f) => f.platform).sort()).toEqual(['x', 'youtube']);
  });

  it('reports new platforms once, batches late embeds, and ignores repeats', async () => {
    document.body.innerHTML = '<blockquote class="twitter-tweet"></blockquote>';
    const reports: Record<string, Record<string, number>>[] = [];
    const d = startDetector(document, pack, { report: (s) => reports.push(s as never), batchDelayMs: 1 });
    expect(reports).toHaveLength(1);
    expect(reports[0]).toEqual({ x: { markup: 1 } });
    const late = document.createElement('div');
    late.innerHTML = '<iframe src="https://www.youtube.com/embed/a"></iframe><blockquote class="twitter-tweet"></blockquote>';
    document.body.append(late);
    await new Promise((r) => setTimeout(r, 30));
    d.flush();
    expect(reports.at(-1)).toEqual({ x: { markup: 2 }, youtube: { frame: 1 } });
    const count = reports.length;
    document.body.append(document.createElement('p'));
    await new Promise((r) => setTimeout(r, 30));
    d.flush();
    expect(reports).toHaveLength(count);
    d.stop();
  });

  it('a lazy iframe whose data-src becomes src is still one embed', async () => {
    document.body.innerHTML = '<iframe id="f"></iframe>';
    const reports: unknown[] = [];
    const d = startDetector(document, pack, { report: (s) => reports.push(s), batchDelayMs: 1 });
    expect(reports).toHaveLength(0);
    document.getElementById('f')!.setAttribute('data-src', 'https://www.youtube.com/embed/a');
    await new Promise((r) => setTimeout(r, 30));
    d.flush();
    expect(reports).toEqual([{ youtube: { frame: 1 } }]);
    d.stop();
  });
});

describe('the first scan walks only what can hold an embed on this page', () => {
  const c = compilePack(pack);
  const none = new Set<string>();
  it('nothing loaded from a platform, no frames: only the rare markup tags (blockquote), no shadow sweep', () => {
    const plan = firstScanPlan(c, { frames: 0, requested: none, complete: true });
    expect(plan.tags).toEqual(['blockquote']);
    expect(plan.classes).toEqual([]);
    expect(plan.shadows).toBe(false);
  });
  it('child frames: iframes and frames too', () => {
    expect(firstScanPlan(c, { frames: 2, requested: none, complete: true }).tags.sort()).toEqual(['blockquote', 'frame', 'iframe']);
  });
  it('a request to Facebook: every URL tag, the div.fb-* classes (not the X ones), and shadow roots', () => {
    const plan = firstScanPlan(c, { frames: 0, requested: new Set(['facebook']), complete: true });
    expect(plan.tags).toEqual(expect.arrayContaining(['iframe', 'script', 'img', 'video', 'source', 'embed', 'object']));
    expect(plan.classes.map((k) => k.cls).sort()).toEqual(['fb-comments', 'fb-page', 'fb-post', 'fb-video']);
    expect(plan.shadows).toBe(true);
  });
  it('incomplete signals (no Resource Timing, or a full buffer): everything', () => {
    const plan = firstScanPlan(c, { frames: 0, requested: none, complete: false });
    expect(plan.classes.length).toBe(c.classMarkup.length);
    expect(plan.tags).toEqual(expect.arrayContaining(['iframe', 'img', 'blockquote']));
    expect(plan.shadows).toBe(true);
  });
  it('requests made by elements count; fetch, XHR, CSS and preloads do not', () => {
    const entries = [
      { name: 'https://pbs.twimg.com/a.jpg', initiatorType: 'img' },
      { name: 'https://www.youtube.com/embed/a', initiatorType: 'iframe' },
      { name: 'https://connect.facebook.net/sdk.js', initiatorType: 'fetch' },
      { name: 'https://www.instagram.com/embed.js', initiatorType: 'link' },
      { name: 'https://t.co/x', initiatorType: 'css' },
    ];
    expect([...requestedPlatforms(entries, pack.hosts)].sort()).toEqual(['x', 'youtube']);
  });
  it('with nothing requested, the fixture pages still find every markup embed on a rare tag', () => {
    load('embed-bluesky.html');
    const found: string[] = [];
    const d = startDetector(document, pack, { report: (s) => found.push(...Object.keys(s)), signals: { frames: 0, requested: none, complete: true } });
    d.stop();
    expect(found).toContain('bluesky');
  });
});

describe('what an added subtree is checked for', () => {
  const c = compilePack(pack);
  const nothingYet = { tags: [], classes: [], selectors: [], shadows: false };
  it('every URL tag and every rare markup tag, whatever the document has had; no common tag', () => {
    const plan = subtreePlan(c, nothingYet);
    expect(plan.tags.sort()).toEqual([...URL_TAGS, 'blockquote'].sort());
    expect(plan.tags).not.toContain('div');
    expect(plan.tags).not.toContain('a');
  });
  it('before the document had a class walk or a shadow sweep, neither (that walk will find what was added)', () => {
    const plan = subtreePlan(c, nothingYet);
    expect(plan.classes).toEqual([]);
    expect(plan.shadows).toBe(false);
  });
  it('after it, the same classes and the shadow-root search', () => {
    const fb = firstScanPlan(c, { frames: 0, requested: new Set(['facebook']), complete: true });
    const plan = subtreePlan(c, fb);
    expect(plan.classes.map((k) => k.cls).sort()).toEqual(['fb-comments', 'fb-page', 'fb-post', 'fb-video']);
    expect(plan.shadows).toBe(true);
  });
});

describe('a flood of fake embeds', () => {
  it('the first scan yields to the page within its budget and carries on later; the registry stays capped', async () => {
    const html: string[] = [];
    for (let i = 0; i < 3000; i++) html.push('<blockquote class="twitter-tweet">fake</blockquote>');
    document.body.innerHTML = html.join('');
    const reports: Record<string, Record<string, number>>[] = [];
    const d = startDetector(document, pack, { report: (s) => reports.push(s as never), budgetMs: 0, signals: { frames: 0, requested: new Set(), complete: true } });
    // The first slice stopped long before the 3000th element: the page got its turn.
    expect(reports).toHaveLength(1);
    expect(reports[0]!.x!.markup).toBeLessThan(3000);
    await new Promise((r) => setTimeout(r, 50));
    d.flush();
    expect(embedRegistry().embeds.length).toBeLessThanOrEqual(MAX_REGISTERED_EMBEDS);
    expect(embedRegistry().embeds.filter((e) => e.el.isConnected).length).toBeGreaterThan(reports[0]!.x!.markup!);
    d.stop();
  });
});
