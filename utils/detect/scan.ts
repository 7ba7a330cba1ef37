/**
 * The DOM half of detection. It runs in every frame, so it stays small and dependency-free: no zod, no
 * dataset, no polyfill. One combined selector finds candidates; URL hosts are checked against a map.
 *
 *   scanRoot(root)        one querySelectorAll over a document or shadow root
 *   classifyElement(el)   markup selector hit → 'markup'; else the host of src/data-src/poster/… → kind
 *   openShadowRoots(root) open shadow roots below root (they are invisible to querySelectorAll)
 */
import type { SignaturePack } from './signatures';

export type EmbedKind = 'markup' | 'frame' | 'script' | 'media';
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

export function scanRoot(root: Document | ShadowRoot | Element, pack: SignaturePack): FoundEmbed[] {
  const found: FoundEmbed[] = [];
  if (root instanceof Element && root.matches(pack.selector)) {
    const hit = classifyElement(root, pack);
    if (hit) found.push(hit);
  }
  for (const el of root.querySelectorAll(pack.selector)) {
    const hit = classifyElement(el, pack);
    if (hit) found.push(hit);
  }
  return found;
}

/** Open shadow roots at or below `root`, including nested ones. */
export function openShadowRoots(root: Document | ShadowRoot | Element): ShadowRoot[] {
  const out: ShadowRoot[] = [];
  const visit = (start: Node) => {
    const doc = start.ownerDocument ?? (start as Document);
    const walker = doc.createTreeWalker(start, NodeFilter.SHOW_ELEMENT);
    for (let n: Node | null = walker.currentNode; n; n = walker.nextNode()) {
      const sr = (n as Element).shadowRoot;
      if (sr) {
        out.push(sr);
        visit(sr);
      }
    }
  };
  visit(root);
  return out;
}
