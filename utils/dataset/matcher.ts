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

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const HOST_CHARS = /^[a-z0-9.-]+$/;

/**
 * Normalises a host as a URL parser would hand it over: lower case, one trailing dot dropped.
 * Anything that is not a plain DNS name (IP literals, ports, brackets, empty labels, odd characters) yields null.
 */
export function normaliseHost(host: string): string | null {
  let h = host.toLowerCase();
  if (h.endsWith('.')) h = h.slice(0, -1);
  if (!h || h.length > 253 || !HOST_CHARS.test(h) || IPV4.test(h)) return null;
  if (h.split('.').some((label) => label === '' || label.length > 63 || label.startsWith('-') || label.endsWith('-'))) return null;
  return h;
}

export function matchHost(index: HostIndex, host: string): HostMatch | null {
  const h = normaliseHost(host);
  if (!h) return null;
  let candidate = h;
  for (;;) {
    const hit = index.get(candidate);
    if (hit) return hit;
    const dot = candidate.indexOf('.');
    if (dot < 0) return null;
    candidate = candidate.slice(dot + 1);
  }
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
