/**
 * Host → platform by registrable domain. `x.com` owns `api.x.com`; it never owns `x.com.evil.test`,
 * `notx.com` or `x.co`. The walk goes label by label from the full host towards the TLD, so a match
 * always ends exactly at a label boundary.
 */
import type { Platform } from './schema';

export type HostRole = 'site' | 'shortlink' | 'cdn';
export interface HostMatch {
  platform: string;
  role: HostRole;
  domain: string;
}
export type HostIndex = ReadonlyMap<string, HostMatch>;

export function buildHostIndex(platforms: readonly Pick<Platform, 'id' | 'domains' | 'shortLinkDomains' | 'cdnDomains'>[]): HostIndex {
  const index = new Map<string, HostMatch>();
  for (const p of platforms) {
    const put = (domain: string, role: HostRole) => {
      if (!index.has(domain)) index.set(domain, { platform: p.id, role, domain });
    };
    for (const d of p.domains) put(d, 'site');
    for (const d of p.shortLinkDomains) put(d, 'shortlink');
    for (const d of p.cdnDomains) put(d, 'cdn');
  }
  return index;
}

/**
 * Normalises a host as a URL parser would hand it over: lower case, one trailing dot dropped.
 * Anything that is not a plain DNS name (IP literals, ports, brackets, empty labels, odd characters) yields null.
 *
 * One pass over the characters, with no regular expression and no split: it runs for every request the browser
 * makes (issue 12 asks for 5 million lookups a second). A host that is already lower-case ASCII, as the browser's
 * URL parser hands it over, is returned as it is.
 */
export function normaliseHost(host: string): string | null {
  let end = checkHost(host);
  let h = host;
  // Upper case or beyond ASCII: lower-case once, then check what it became (toLowerCase turns a few non-ASCII
  // letters into ASCII ones: the Kelvin sign becomes k).
  if (end === NEEDS_LOWER) {
    h = host.toLowerCase();
    end = checkHost(h);
  }
  if (end < 0) return null;
  return end === h.length ? h : h.slice(0, end);
}

const INVALID = -1;
const NEEDS_LOWER = -2;

/**
 * The length of the host without its one trailing dot when it is a plain lower-case DNS name; else INVALID, or
 * NEEDS_LOWER at the first character that lower-casing could change. What comes before that character is
 * lower-case ASCII, which lower-casing leaves alone, so a fault found there is a fault of the lowered host too.
 */
function checkHost(h: string): number {
  let end = h.length;
  if (end > 0 && h.charCodeAt(end - 1) === 46) end--;
  if (end === 0 || end > 253) return INVALID;
  let labelStart = 0;
  let labels = 0;
  let digitLabels = 0;
  let allDigits = true;
  for (let i = 0; i <= end; i++) {
    const c = i < end ? h.charCodeAt(i) : 46;
    if (c >= 97 && c <= 122) {
      allDigits = false;
    } else if (c === 46) {
      const len = i - labelStart;
      if (len === 0 || len > 63 || h.charCodeAt(labelStart) === 45 || h.charCodeAt(i - 1) === 45) return INVALID;
      labels++;
      if (allDigits && len <= 3) digitLabels++;
      labelStart = i + 1;
      allDigits = true;
    } else if (c >= 48 && c <= 57) {
      // a digit: the label may still be part of an IPv4 address
    } else if (c === 45) {
      allDigits = false;
    } else if ((c >= 65 && c <= 90) || c > 127) {
      return NEEDS_LOWER;
    } else {
      return INVALID;
    }
  }
  // Four labels of one to three digits is how an IPv4 address looks: never a platform host.
  if (labels === 4 && digitLabels === 4) return INVALID;
  return end;
}

/**
 * The index's domains as a trie of their characters read from the end, so a lookup walks the host once from the
 * right with no substring and no hashing. Built once per index (ARCHITECTURE.md "Dataset": the index is made once
 * per dataset). The alphabet is what normaliseHost lets through; an index with any other key keeps the plain walk.
 */
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789-.';
const SLOT = new Uint8Array(128).fill(255);
for (let i = 0; i < ALPHABET.length; i++) SLOT[ALPHABET.charCodeAt(i)] = i;
interface HostTrie {
  /** node * ALPHABET.length + slot → the next node, 0 for none (node 0 is the root, never a child). */
  next: Int32Array;
  match: (HostMatch | undefined)[];
}
const tries = new WeakMap<HostIndex, HostTrie | null>();

function buildTrie(index: HostIndex): HostTrie | null {
  let next = new Int32Array(ALPHABET.length * 256);
  const match: (HostMatch | undefined)[] = [undefined];
  let nodes = 1;
  for (const [domain, hit] of index) {
    let node = 0;
    for (let i = domain.length - 1; i >= 0; i--) {
      const c = domain.charCodeAt(i);
      const slot = c < 128 ? SLOT[c]! : 255;
      if (slot === 255) return null;
      const at = node * ALPHABET.length + slot;
      if (next[at] === 0) {
        if ((nodes + 1) * ALPHABET.length > next.length) {
          const grown = new Int32Array(next.length * 2);
          grown.set(next);
          next = grown;
        }
        next[at] = nodes;
        match.push(undefined);
        nodes++;
      }
      node = next[at]!;
    }
    if (domain.length > 0) match[node] = hit;
  }
  return { next, match };
}

/**
 * The most specific indexed domain that owns the host: the host itself, else its nearest parent at a label
 * boundary. The trie walk reads the host from the end and keeps the last domain that ended at a boundary.
 *
 * Most hosts belong to no platform, and the walk stops within a few characters of the end for them: when no
 * domain ends the host there is no match, whatever else may be wrong with it, so only a host that matched is
 * checked in full. A character the trie has no slot for (upper case, beyond ASCII, never in a host name) sends
 * the host the long way, through normaliseHost.
 */
export function matchHost(index: HostIndex, host: string): HostMatch | null {
  let trie = tries.get(index);
  if (trie === undefined) {
    trie = buildTrie(index);
    tries.set(index, trie);
  }
  if (trie === null) {
    const h = normaliseHost(host);
    return h ? matchBySuffixes(index, h) : null;
  }
  const { next, match } = trie;
  let end = host.length;
  if (end > 0 && host.charCodeAt(end - 1) === 46) end--;
  let node = 0;
  let best: HostMatch | null = null;
  for (let i = end - 1; i >= 0; i--) {
    const c = host.charCodeAt(i);
    const slot = c < 128 ? SLOT[c]! : 255;
    if (slot === 255) return matchNormalised(trie, host);
    node = next[node * ALPHABET.length + slot]!;
    if (node === 0) break;
    if (i === 0 || host.charCodeAt(i - 1) === 46) best = match[node] ?? best;
  }
  if (best === null) return null;
  const valid = checkHost(host);
  if (valid === NEEDS_LOWER) return matchNormalised(trie, host);
  return valid < 0 ? null : best;
}

/** The long way: normalise first, then walk the normalised host. */
function matchNormalised({ next, match }: HostTrie, host: string): HostMatch | null {
  const h = normaliseHost(host);
  if (!h) return null;
  let node = 0;
  let best: HostMatch | null = null;
  for (let i = h.length - 1; i >= 0; i--) {
    node = next[node * ALPHABET.length + SLOT[h.charCodeAt(i)]!]!;
    if (node === 0) break;
    if (i === 0 || h.charCodeAt(i - 1) === 46) best = match[node] ?? best;
  }
  return best;
}

/** The plain walk, for an index whose keys are not all host names: each parent looked up as a substring. */
function matchBySuffixes(index: HostIndex, h: string): HostMatch | null {
  const whole = index.get(h);
  if (whole) return whole;
  for (let dot = h.indexOf('.'); dot >= 0; dot = h.indexOf('.', dot + 1)) {
    const hit = index.get(h.slice(dot + 1));
    if (hit) return hit;
  }
  return null;
}

/** The host of an http(s) or ws(s) URL, or null for anything else (data:, blob:, about:, extension pages). */
export function hostOfUrl(url: string): string | null {
  try {
    const u = new URL(url);
    return /^(https?|wss?):$/.test(u.protocol) ? u.hostname : null;
  } catch {
    return null;
  }
}

export function matchUrl(index: HostIndex, url: string): HostMatch | null {
  const host = hostOfUrl(url);
  return host ? matchHost(index, host) : null;
}
