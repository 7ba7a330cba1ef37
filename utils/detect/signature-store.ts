/**
 * How the signatures reach the detector without waking the service worker: the background writes the
 * pack for the user's regions to storage.local whenever settings or the dataset change, and every frame's
 * detector reads it from there. storage.local is readable by content scripts in Chrome and Firefox;
 * storage.session is not in Firefox (no `setAccessLevel`, bug 1724754), and opening it in Chrome would
 * also expose the tab states kept there. storage.local also outlives a browser restart, as the
 * registered detector does (`persistAcrossSessions`).
 *
 * This module is imported by the detector, so it takes the storage area as an argument and imports
 * nothing that would pull the polyfill into the content script.
 */
import type { SignaturePack } from './signatures';

export const SIGNATURES_KEY = 'detectorSignatures';

/** The part of a StorageArea both `chrome.storage.local` and the polyfill's `browser.storage.local` have. */
export interface SignatureArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

export function isSignaturePack(v: unknown): v is SignaturePack {
  if (!v || typeof v !== 'object') return false;
  const p = v as Partial<SignaturePack>;
  return (
    typeof p.selector === 'string' &&
    Array.isArray(p.markup) &&
    p.markup.every((m) => Array.isArray(m) && typeof m[0] === 'string' && typeof m[1] === 'string') &&
    !!p.hosts &&
    typeof p.hosts === 'object' &&
    Object.values(p.hosts).every((x) => typeof x === 'string')
  );
}

export async function readSignatures(area: Pick<SignatureArea, 'get'>): Promise<SignaturePack | null> {
  const v = (await area.get(SIGNATURES_KEY))[SIGNATURES_KEY];
  return isSignaturePack(v) ? v : null;
}

/** Writes the pack, or removes it for null; returns whether anything changed (no write when equal). */
export async function writeSignatures(area: SignatureArea, pack: SignaturePack | null): Promise<boolean> {
  const current = (await area.get(SIGNATURES_KEY))[SIGNATURES_KEY];
  if (pack === null) {
    if (current === undefined) return false;
    await area.remove(SIGNATURES_KEY);
    return true;
  }
  if (JSON.stringify(current) === JSON.stringify(pack)) return false;
  await area.set({ [SIGNATURES_KEY]: pack });
  return true;
}
