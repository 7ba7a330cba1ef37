/**
 * The DOM half of detection. It runs in every frame, so it stays small and dependency-free: no zod, no
 * dataset, no polyfill. One combined selector finds candidates; URL hosts are checked against a map.
 *
 *   scanRoot(root)        one querySelectorAll over a document or shadow root
 *   classifyElement(el)   markup selector hit → 'markup'; else the host of src/data-src/poster/… → kind
 *   openShadowRoots(root) open shadow roots below root (they are invisible to querySelectorAll)
 */
import type { SignaturePack } from './signatures';

export type { EmbedKind } from './kinds';
import type { EmbedKind } from './kinds';
export interface FoundEmbed {
  el: Element;
  platform: string;
  kind: EmbedKind;
}

const FRAME_TAGS = new Set(['IFRAME', 'FRAME', 'EMBED', 'OBJECT']);
const MEDIA_TAGS = new Set(['IMG', 'VIDEO', 'AUDIO', 'SOURCE']);
// Lazy loaders keep the real URL in data-* until the element scrolls into view.
const URL_ATTRS = ['src', 'data-src', 'data-lazy-src', 'poster', 'data', 'srcset', 'data-srcset'];
const ABSOLUTE_HOST = /^\s*(?:https?:)?\/\/([^/?#\s:@]+)(?=[/?#:\s]|$)/i;

/** The platform whose domain ends the host at a label boundary, as the background matcher does. */
export function platformOfHost(hosts: Record<string, string>, host: string): string | null {
  let h = host.toLowerCase();
  if (h.endsWith('.')) h = h.slice(0, -1);
  for (;;) {
    const hit = hosts[h];
    if (hit !== undefined && Object.hasOwn(hosts, h)) return hit;
    const dot = h.indexOf('.');
    if (dot < 0) return null;
    h = h.slice(dot + 1);
  }
}

export function platformOfUrl(hosts: Record<string, string>, url: string): string | null {
  const m = ABSOLUTE_HOST.exec(url);
  return m ? platformOfHost(hosts, m[1]!) : null;
}

function kindOfTag(tag: string): EmbedKind | null {
  if (FRAME_TAGS.has(tag)) return 'frame';
  if (tag === 'SCRIPT') return 'script';
  if (MEDIA_TAGS.has(tag)) return 'media';
  return null;
}

export function classifyElement(el: Element, pack: SignaturePack): FoundEmbed | null {
  for (const [selector, platform] of pack.markup) {
    if (el.matches(selector)) return isCodeSample(el) ? null : { el, platform, kind: 'markup' };
  }
  const kind = kindOfTag(el.tagName);
  if (!kind) return null;
  for (const attr of URL_ATTRS) {
    const value = el.getAttribute(attr);
    if (!value) continue;
    const platform = platformOfUrl(pack.hosts, value);
    if (platform) return isCodeSample(el) ? null : { el, platform, kind };
  }
  return null;
}

/** Markup shown as an example inside <pre> or <code> is documentation, not an embed. */
function isCodeSample(el: Element): boolean {
  return el.closest('pre,code,xmp,textarea') !== null;
}

/** Tag names whose src-like attributes load from a host. */
export const URL_TAGS = ['iframe', 'frame', 'embed', 'object', 'script', 'img', 'video', 'audio', 'source'] as const;
const SIMPLE_CLASS = /^([a-z][a-z0-9]*)\.([A-Za-z_][\w-]*)$/;
const SIMPLE_ATTR = /^([a-z][a-z0-9]*)\[([a-z][\w-]*)\]$/;

/**
 * Candidates come from the browser's tag and class collections, not from one long selector list: on a
 * 10k-element page ten getElementsByTagName calls cost about 0.1 ms where the equivalent selector list
 * costs about 3 ms (measured in Chromium 156). Anything not of the simple `tag.class` or `tag[attr]`
 * shape falls back to querySelectorAll.
 */
function candidates(root: Document | ShadowRoot | Element, pack: SignaturePack): Iterable<Element> {
  const out = new Set<Element>();
  // Shadow roots have no tag collections; their trees are small, so one query is fine.
  if (!('getElementsByTagName' in root)) {
    root.querySelectorAll(pack.selector).forEach((el) => {
      out.add(el);
    });
    return out;
  }
  for (const tag of URL_TAGS) for (const el of root.getElementsByTagName(tag)) out.add(el);
  for (const [selector] of pack.markup) {
    const cls = SIMPLE_CLASS.exec(selector);
    const attr = cls ? null : SIMPLE_ATTR.exec(selector);
    if (cls) {
      for (const el of root.getElementsByClassName(cls[2]!)) if (el.localName === cls[1]) out.add(el);
    } else if (attr) {
      for (const el of root.getElementsByTagName(attr[1]!)) if (el.hasAttribute(attr[2]!)) out.add(el);
    } else {
      root.querySelectorAll(selector).forEach((el) => {
        out.add(el);
      });
    }
  }
  return out;
}

/**
 * What the detector needs on every candidate, built once per frame from the pack. Markup selectors are
 * indexed by their tag, so testing one element costs a map lookup and a class check, not a selector list.
 */
export interface CompiledPack {
  pack: SignaturePack;
  /** tag → [test, platform] for markup selectors of the `tag.class` / `tag[attr]` shape. */
  markupByTag: Map<string, [(el: Element) => boolean, string][]>;
  /** Markup selectors of any other shape, joined; matched on every candidate (the dataset has none today). */
  otherMarkup: string | null;
  /** Markup on tags too common to walk (div, a, …): found through class collections instead. */
  classMarkup: { tag: string; cls: string; platform: string }[];
}

/** Tags so common on real pages that walking them to find markup costs more than a class collection. */
const COMMON_TAGS = new Set(['div', 'span', 'a', 'p', 'li', 'ul', 'ol', 'section', 'article', 'aside', 'header', 'footer', 'nav', 'main', 'figure', 'td', 'tr', 'table', 'button', 'label', 'strong', 'em', 'b', 'i', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
export const URL_TAG_SET: ReadonlySet<string> = new Set(URL_TAGS);

const compiled = new WeakMap<SignaturePack, CompiledPack>();

export function compilePack(pack: SignaturePack): CompiledPack {
  const hit = compiled.get(pack);
  if (hit) return hit;
  const markupByTag = new Map<string, [(el: Element) => boolean, string][]>();
  const other: string[] = [];
  const classMarkup: CompiledPack['classMarkup'] = [];
  for (const [selector, platform] of pack.markup) {
    const cls = SIMPLE_CLASS.exec(selector);
    const attr = cls ? null : SIMPLE_ATTR.exec(selector);
    const tag = (cls ?? attr)?.[1];
    if (!tag) {
      other.push(selector);
      continue;
    }
    const test = cls ? (el: Element) => el.classList.contains(cls[2]!) : (el: Element) => el.hasAttribute(attr![2]!);
    const list = markupByTag.get(tag) ?? [];
    markupByTag.set(tag, list);
    list.push([test, platform]);
    if (cls && COMMON_TAGS.has(tag)) classMarkup.push({ tag, cls: cls[2]!, platform });
  }
  const c: CompiledPack = { pack, markupByTag, otherMarkup: other.length ? other.join(',') : null, classMarkup };
  compiled.set(pack, c);
  return c;
}

/** Whether an element could be an embed at all: a URL-loading tag, or a tag some markup selector names. */
export function isCandidate(el: Element, c: CompiledPack): boolean {
  const tag = el.localName;
  return URL_TAG_SET.has(tag) || c.markupByTag.has(tag) || (c.otherMarkup !== null && el.matches(c.otherMarkup));
}

/** classifyElement with the compiled pack: the same answers, with no selector list to match. */
export function classifyCandidate(el: Element, c: CompiledPack): FoundEmbed | null {
  const markup = c.markupByTag.get(el.localName);
  if (markup) {
    for (const [test, platform] of markup) if (test(el)) return isCodeSample(el) ? null : { el, platform, kind: 'markup' };
  }
  if (c.otherMarkup !== null && el.matches(c.otherMarkup)) {
    for (const [selector, platform] of c.pack.markup) if (el.matches(selector)) return isCodeSample(el) ? null : { el, platform, kind: 'markup' };
  }
  const kind = kindOfTag(el.tagName);
  if (!kind) return null;
  for (const attr of URL_ATTRS) {
    const value = el.getAttribute(attr);
    if (!value) continue;
    const platform = platformOfUrl(c.pack.hosts, value);
    if (platform) return isCodeSample(el) ? null : { el, platform, kind };
  }
  return null;
}

/**
 * What the page itself tells us before any walk, for the first scan of a document:
 * - `frames`: child browsing contexts (`window.length`); an iframe, lazy or not, always has one.
 * - `requested`: platforms the page has requested something from with an element (Resource Timing lists
 *   every request an element made, failed ones included, in Chromium and Firefox).
 * - `complete`: false when Resource Timing is missing or its buffer may have overflowed (250 entries by default).
 */
export interface PageSignals {
  frames: number;
  requested: ReadonlySet<string>;
  complete: boolean;
}

export interface ScanPlan {
  /** Tag collections to walk. */
  tags: string[];
  /** Class collections to walk, with the tag the selector names. */
  classes: { tag: string; cls: string }[];
  /** Selectors to query (markup of an unusual shape). */
  selectors: string[];
  /** Look into the open shadow roots of custom elements. */
  shadows: boolean;
}

/** Initiator types of requests that an element made (not fetch, XHR, CSS or preloads). */
export const ELEMENT_INITIATORS: ReadonlySet<string> = new Set(['img', 'image', 'script', 'iframe', 'frame', 'embed', 'object', 'video', 'audio', 'track', 'input']);

/** The platforms requested by elements, from Resource Timing entries. */
export function requestedPlatforms(entries: Iterable<{ name: string; initiatorType: string }>, hosts: Record<string, string>, into = new Set<string>()): Set<string> {
  for (const e of entries) {
    if (!ELEMENT_INITIATORS.has(e.initiatorType)) continue;
    const p = platformOfUrl(hosts, e.name);
    if (p) into.add(p);
  }
  return into;
}

/**
 * The walks a first scan needs. Every DOM walk costs about 1 ms per 100k elements (Chromium 156 here),
 * so the plan walks only what can hold an embed on this page:
 * - markup on rare tags (blockquote): always; a class-less walk of few elements.
 * - frames: only when the page has child browsing contexts.
 * - scripts, images, media, embeds, and markup on common tags (`div.fb-post`, which shows nothing until
 *   the platform's script loads): only once the page has requested something from a watched platform.
 *   Elements that request later are found by the mutation observer or when their request appears.
 * - shadow roots: only on pages that requested something from a watched platform (an XPath over every
 *   element costs ~9 ms per 100k). Known blind spot: markup-only embeds inside shadow roots on a page
 *   that loads nothing from the platform.
 * When the signals are incomplete, everything is walked.
 */
export function firstScanPlan(c: CompiledPack, s: PageSignals): ScanPlan {
  const all = !s.complete;
  const loadsPlatform = all || s.requested.size > 0;
  const tags = new Set<string>();
  for (const tag of c.markupByTag.keys()) if (!COMMON_TAGS.has(tag) && !URL_TAG_SET.has(tag)) tags.add(tag);
  if (all || s.frames > 0) for (const t of ['iframe', 'frame']) tags.add(t);
  if (loadsPlatform) for (const t of URL_TAGS) tags.add(t);
  const classes = c.classMarkup.filter((m) => all || s.requested.has(m.platform)).map(({ tag, cls }) => ({ tag, cls }));
  // Attribute selectors on common tags have no collection: query them like other shapes.
  const selectors = c.pack.markup
    .filter(([sel]) => {
      const attr = SIMPLE_ATTR.exec(sel);
      return attr ? COMMON_TAGS.has(attr[1]!) && loadsPlatform : !SIMPLE_CLASS.exec(sel);
    })
    .map(([sel]) => sel);
  return { tags: [...tags], classes, selectors, shadows: loadsPlatform };
}

/**
 * The walks each added subtree gets. Every tag that can hold an embed, always: a tag collection of a
 * subtree costs about as much as one `matches` call, where the combined selector's querySelectorAll costs
 * four to five times a script walk (Chromium 156, a 100-element subtree). Of the class and selector walks
 * and of the shadow-root search, only those the document has had (`done`): until the document gets such
 * a walk, that walk itself finds what was added meanwhile.
 */
export function subtreePlan(c: CompiledPack, done: ScanPlan): ScanPlan {
  const tags = new Set<string>(URL_TAGS);
  for (const tag of c.markupByTag.keys()) if (!COMMON_TAGS.has(tag)) tags.add(tag);
  return { tags: [...tags], classes: done.classes, selectors: done.selectors, shadows: done.shadows };
}

/** The elements a plan's walks yield, as live collections (cheap to hold, walked lazily). */
export function planCollections(root: Document | Element, plan: ScanPlan): ArrayLike<Element>[] {
  const out: ArrayLike<Element>[] = [];
  for (const tag of plan.tags) out.push(root.getElementsByTagName(tag));
  for (const { cls } of plan.classes) out.push(root.getElementsByClassName(cls));
  for (const sel of plan.selectors) out.push(root.querySelectorAll(sel));
  return out;
}

export function scanRoot(root: Document | ShadowRoot | Element, pack: SignaturePack): FoundEmbed[] {
  const found: FoundEmbed[] = [];
  if (root instanceof Element && root.matches(pack.selector)) {
    const hit = classifyElement(root, pack);
    if (hit) found.push(hit);
  }
  for (const el of candidates(root, pack)) {
    const hit = classifyElement(el, pack);
    if (hit) found.push(hit);
  }
  return found;
}

/**
 * Open shadow roots at or below `root`, including nested ones. Only custom elements are visited: they
 * are where web components keep embeds, and one native XPath query finds them far faster than walking
 * every element from script (the detector budget, ARCHITECTURE.md "The flow of a page load"). A shadow root on a built-in element is not seen.
 */
export function openShadowRoots(root: Document | ShadowRoot | Element, hosts: Element[] = customElementsIn(root)): ShadowRoot[] {
  const out: ShadowRoot[] = [];
  for (const el of hosts) {
    const sr = el.shadowRoot;
    if (sr) out.push(sr, ...openShadowRoots(sr));
  }
  return out;
}

const CUSTOM_ELEMENTS = ".//*[contains(local-name(), '-')]";

export function customElementsIn(root: Document | ShadowRoot | Element): Element[] {
  const doc = root.ownerDocument ?? (root as Document);
  const found: Element[] = [];
  try {
    const snapshot = doc.evaluate(CUSTOM_ELEMENTS, root, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
    for (let i = 0; i < snapshot.snapshotLength; i++) found.push(snapshot.snapshotItem(i) as Element);
  } catch {
    // XPath with a shadow root as context is not supported everywhere: fall back to a walk.
    for (const el of root.querySelectorAll('*')) if (el.localName.includes('-')) found.push(el);
  }
  if (root instanceof Element && root.localName.includes('-')) found.unshift(root);
  return found;
}
