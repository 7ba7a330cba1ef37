// @vitest-environment happy-dom
/**
 * Edges of the DOM scan (utils/detect/scan.ts) that the fixture pages do not reach: host spellings, every
 * URL-loading tag and attribute, selectors of the shapes the dataset does not use today (`tag[attr]` on a
 * common tag, anything else), the compiled pack, and the shadow-root search with and without XPath.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundledDataset } from '@/utils/dataset/store';
import { classifyCandidate, classifyElement, compilePack, customElementsIn, firstScanPlan, isCandidate, openShadowRoots, planCollections, platformOfHost, platformOfUrl, requestedPlatforms, scanRoot } from '@/utils/detect/scan';
import { buildSignaturePack, URL_ELEMENTS, type SignaturePack } from '@/utils/detect/signatures';

const pack = buildSignaturePack(bundledDataset().platforms)!;
const none = new Set<string>();

/** A pack with one selector of each shape, for platforms a, b, c and d. */
function shapes(): SignaturePack {
  const markup: [string, string][] = [
    ['blockquote.a-post', 'a'],
    ['div[data-b-embed]', 'b'],
    ['section > p.c-card', 'c'],
    ['aside.d-card', 'd'],
  ];
  return { selector: [...markup.map(([s]) => s), URL_ELEMENTS].join(','), markup, hosts: { 'a.example': 'a', 'b.example': 'b' } };
}

const el = (html: string) => {
  document.body.innerHTML = html;
  return document.body.firstElementChild!;
};
beforeEach(() => {
  document.body.innerHTML = '';
});

describe('host spellings', () => {
  it.each([
    ['pbs.twimg.com.', 'x'],
    ['PBS.TWIMG.COM', 'x'],
    ['twimg.com', 'x'],
    ['com', null],
    ['', null],
    ['.', null],
  ])('platformOfHost(%j) → %s', (host, platform) => {
    expect(platformOfHost(pack.hosts, host)).toBe(platform);
  });

  it.each([
    ['https://pbs.twimg.com/a.jpg', 'x'],
    ['  https://pbs.twimg.com/a.jpg', 'x'],
    ['http://pbs.twimg.com', 'x'],
    ['HTTP://PBS.TWIMG.COM/A', 'x'],
    ['//pbs.twimg.com/a', 'x'],
    ['https://pbs.twimg.com:443/a', 'x'],
    ['https://pbs.twimg.com?a=1', 'x'],
    ['https://pbs.twimg.com#a', 'x'],
    ['https://pbs.twimg.com 2x', 'x'],
    ['ftp://pbs.twimg.com/a', null],
    ['https:pbs.twimg.com/a', null],
    ['/pbs.twimg.com/a', null],
    ['pbs.twimg.com/a', null],
    ['x https://pbs.twimg.com/a', null],
    ['https://pbs.twimg.com.evil.test/a', null],
    ['https://evil.test@pbs.twimg.com/a', null],
    ['https:///pbs.twimg.com/a', null],
  ])('platformOfUrl(%j) → %s', (url, platform) => {
    expect(platformOfUrl(pack.hosts, url)).toBe(platform);
  });
});

describe('every URL-loading tag and attribute', () => {
  it.each([
    ['<audio src="https://pbs.twimg.com/a.mp3"></audio>', 'media'],
    ['<video><source src="https://pbs.twimg.com/a.mp4"></video>', 'media'],
    ['<img data-srcset="https://pbs.twimg.com/a.jpg 2x">', 'media'],
    ['<img src="" data-src="https://pbs.twimg.com/a.jpg">', 'media'],
    ['<img src="/local.png" data-src="https://pbs.twimg.com/a.jpg">', 'media'],
    ['<script src="https://platform.twitter.com/widgets.js"></script>', 'script'],
  ])('%s → x/%s', (html, kind) => {
    const target = el(html).matches('video') ? document.querySelector('source')! : el(html);
    expect(classifyElement(target, pack)).toEqual({ el: target, platform: 'x', kind });
    expect(classifyCandidate(target, compilePack(pack))).toEqual({ el: target, platform: 'x', kind });
  });

  it('a frame element is a frame', () => {
    const frame = document.createElement('frame');
    frame.setAttribute('src', 'https://www.youtube.com/embed/a');
    document.body.append(frame);
    expect(classifyElement(frame, pack)).toMatchObject({ platform: 'youtube', kind: 'frame' });
    expect(classifyCandidate(frame, compilePack(pack))).toMatchObject({ platform: 'youtube', kind: 'frame' });
  });

  it.each([
    '<div src="https://pbs.twimg.com/a.jpg"></div>',
    '<link href="https://pbs.twimg.com/a.css">',
    '<img href="https://pbs.twimg.com/a.jpg">',
    '<code><img src="https://pbs.twimg.com/a.jpg"></code>',
    '<pre><iframe src="https://www.youtube.com/embed/a"></iframe></pre>',
  ])('%s is not an embed', (html) => {
    const root = el(html);
    const target = root.firstElementChild ?? root;
    expect(classifyElement(target, pack)).toBeNull();
    expect(classifyCandidate(target, compilePack(pack))).toBeNull();
  });
});

describe('selectors of every shape', () => {
  const page = `
    <blockquote class="a-post"></blockquote>
    <div data-b-embed></div>
    <section><p class="c-card"></p></section>
    <aside class="d-card"></aside>
    <p class="c-card"></p>
    <div class="a-post"></div>
    <iframe src="https://b.example/x"></iframe>`;

  it('scanRoot finds each, on a document and on a subtree, and nothing that only looks alike', () => {
    const p = shapes();
    document.body.innerHTML = page;
    const found = scanRoot(document, p).map((f) => `${f.platform}/${f.kind}/${f.el.localName}`);
    expect(found.sort()).toEqual(['a/markup/blockquote', 'b/frame/iframe', 'b/markup/div', 'c/markup/p', 'd/markup/aside']);
  });

  it('scanRoot of an element includes the element itself', () => {
    const iframe = el('<iframe src="https://b.example/x"></iframe>');
    expect(scanRoot(iframe, shapes())).toEqual([{ el: iframe, platform: 'b', kind: 'frame' }]);
    const plain = el('<span></span>');
    expect(scanRoot(plain, shapes())).toEqual([]);
  });

  it('compilePack indexes the simple shapes by tag, joins the others, and walks class collections only for common tags', () => {
    const p = shapes();
    const c = compilePack(p);
    expect(compilePack(p)).toBe(c);
    expect([...c.markupByTag.keys()].sort()).toEqual(['aside', 'blockquote', 'div']);
    expect(c.otherMarkup).toBe('section > p.c-card');
    expect(c.classMarkup).toEqual([{ tag: 'aside', cls: 'd-card', platform: 'd' }]);
    expect(compilePack(pack).otherMarkup).toBeNull();
  });

  it('isCandidate: URL tags, tags a selector names, and whatever the other selectors match', () => {
    const c = compilePack(shapes());
    document.body.innerHTML = page;
    const candidate = (sel: string) => isCandidate(document.querySelector(sel)!, c);
    expect(candidate('iframe')).toBe(true);
    expect(candidate('blockquote')).toBe(true);
    expect(candidate('div[data-b-embed]')).toBe(true);
    expect(candidate('section > p')).toBe(true);
    expect(candidate('body > p')).toBe(false);
    expect(candidate('section')).toBe(false);
    expect(isCandidate(el('<p></p>'), compilePack(pack))).toBe(false);
  });

  it('classifyCandidate names the platform of the selector that matched, and not in a code sample', () => {
    const p = shapes();
    p.markup.push(['section > p.e-card', 'e']);
    const c = compilePack(p);
    document.body.innerHTML = '<section><p class="e-card"></p><p class="c-card"></p></section><code><section><p class="c-card"></p></section></code><div></div>';
    const [e, cc, sample] = [...document.querySelectorAll('p')];
    expect(classifyCandidate(e!, c)).toMatchObject({ platform: 'e', kind: 'markup' });
    expect(classifyCandidate(cc!, c)).toMatchObject({ platform: 'c', kind: 'markup' });
    expect(classifyCandidate(sample!, c)).toBeNull();
    expect(classifyCandidate(document.querySelector('div')!, c)).toBeNull();
    expect(classifyCandidate(el('<div data-b-embed></div>'), c)).toMatchObject({ platform: 'b', kind: 'markup' });
  });

  it('the first plan: rare markup tags always (aside is common), attribute selectors on common tags only once a platform loads, other shapes always', () => {
    const c = compilePack(shapes());
    const quiet = firstScanPlan(c, { frames: 0, requested: none, complete: true });
    expect(quiet.tags).toEqual(['blockquote']);
    expect(quiet.selectors).toEqual(['section > p.c-card']);
    expect(quiet.classes).toEqual([]);
    expect(quiet.shadows).toBe(false);
    const loading = firstScanPlan(c, { frames: 0, requested: new Set(['d']), complete: true });
    expect(loading.selectors).toEqual(['div[data-b-embed]', 'section > p.c-card']);
    expect(loading.classes).toEqual([{ tag: 'aside', cls: 'd-card' }]);
    expect(loading.shadows).toBe(true);
    expect(firstScanPlan(c, { frames: 0, requested: new Set(['b']), complete: true }).classes).toEqual([]);
    const framed = firstScanPlan(c, { frames: 1, requested: none, complete: true });
    expect(framed.tags.sort()).toEqual(['blockquote', 'frame', 'iframe']);
    expect(framed.selectors).toEqual(['section > p.c-card']);
  });

  it('planCollections yields the tag, class and selector walks in that order', () => {
    document.body.innerHTML = page;
    const lists = planCollections(document, { tags: ['blockquote', 'iframe'], classes: [{ tag: 'aside', cls: 'd-card' }], selectors: ['section > p.c-card'], shadows: false });
    expect(lists.map((l) => Array.from(l, (e) => e.localName))).toEqual([['blockquote'], ['iframe'], ['aside'], ['p']]);
    expect(planCollections(document, { tags: [], classes: [], selectors: [], shadows: true })).toEqual([]);
  });
});

describe('requested platforms', () => {
  it('adds to the set it is given and keeps what was there', () => {
    const into = new Set(['youtube']);
    const out = requestedPlatforms([{ name: 'https://pbs.twimg.com/a.jpg', initiatorType: 'script' }, { name: 'https://evil.test/a', initiatorType: 'img' }], pack.hosts, into);
    expect(out).toBe(into);
    expect([...out].sort()).toEqual(['x', 'youtube']);
  });
  it.each(['img', 'image', 'script', 'iframe', 'frame', 'embed', 'object', 'video', 'audio', 'track', 'input'])('a request by %s counts', (initiatorType) => {
    expect([...requestedPlatforms([{ name: 'https://pbs.twimg.com/a', initiatorType }], pack.hosts)]).toEqual(['x']);
  });
  it.each(['fetch', 'xmlhttprequest', 'css', 'link', 'beacon', 'other', ''])('a request by %j does not', (initiatorType) => {
    expect([...requestedPlatforms([{ name: 'https://pbs.twimg.com/a', initiatorType }], pack.hosts)]).toEqual([]);
  });
});

describe('custom elements and their shadow roots', () => {
  const doc = document as unknown as { evaluate?: unknown };
  const g = globalThis as unknown as { XPathResult?: unknown };
  afterEach(() => {
    delete doc.evaluate;
    delete g.XPathResult;
  });

  it('without XPath (as in a shadow root in some browsers): a walk, with a custom root first', () => {
    document.body.innerHTML = '<social-card id="a"><p></p><inner-card id="b"></inner-card></social-card><div-x></div-x><divx></divx>';
    expect(customElementsIn(document).map((e) => e.id || e.localName)).toEqual(['a', 'b', 'div-x']);
    const a = document.getElementById('a')!;
    expect(customElementsIn(a).map((e) => e.id)).toEqual(['a', 'b']);
    expect(customElementsIn(document.querySelector('p')!)).toEqual([]);
  });

  it('with XPath: one ordered snapshot query for elements with a dash in their name, every item taken', () => {
    document.body.innerHTML = '<social-card id="a"></social-card><p></p><inner-card id="b"></inner-card>';
    const calls: unknown[][] = [];
    g.XPathResult = { ORDERED_NODE_SNAPSHOT_TYPE: 7 };
    doc.evaluate = (expr: string, context: Node, resolver: unknown, type: number, result: unknown) => {
      calls.push([expr, context, resolver, type, result]);
      const items = [...(context as Element).querySelectorAll('*')].filter((e) => e.localName.includes('-'));
      return { snapshotLength: items.length, snapshotItem: (i: number) => items[i] ?? null };
    };
    expect(customElementsIn(document).map((e) => e.id)).toEqual(['a', 'b']);
    expect(calls).toEqual([[".//*[contains(local-name(), '-')]", document, null, 7, null]]);
  });

  it('openShadowRoots follows nested open roots only, from the hosts it is given', () => {
    document.body.innerHTML = '<social-card id="a"></social-card><closed-card id="c"></closed-card>';
    const outer = document.getElementById('a')!.attachShadow({ mode: 'open' });
    outer.innerHTML = '<inner-card id="b"></inner-card>';
    const inner = outer.getElementById('b')!.attachShadow({ mode: 'open' });
    document.getElementById('c')!.attachShadow({ mode: 'closed' });
    expect(openShadowRoots(document)).toEqual([outer, inner]);
    expect(openShadowRoots(document, [])).toEqual([]);
    expect(openShadowRoots(document, [document.getElementById('c')!])).toEqual([]);
  });

  it('scanRoot on a shadow root queries the whole selector there', () => {
    document.body.innerHTML = '<social-card id="a"></social-card>';
    const sr = document.getElementById('a')!.attachShadow({ mode: 'open' });
    sr.innerHTML = '<div data-b-embed></div><aside class="d-card"></aside><img src="https://a.example/i.png"><p></p>';
    expect(scanRoot(sr, shapes()).map((f) => `${f.platform}/${f.kind}`).sort()).toEqual(['a/media', 'b/markup', 'd/markup']);
  });
});
