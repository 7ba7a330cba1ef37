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
