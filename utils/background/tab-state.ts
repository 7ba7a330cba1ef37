/**
 * What we know about each tab, kept in memory and mirrored to storage.session so that a service worker
 * restart loses nothing. Session storage is cleared when the browser closes and is not readable by
 * content scripts (Chrome's default access level), so pages never see it.
 */
import browser from 'webextension-polyfill';
import type { Outcome } from '../reach/outcome';

export type Evidence = 'page' | 'markup' | 'frame' | 'script' | 'media' | `request:${string}`;

export interface TabState {
  /** Host of the top-level page: used for per-site muting, never logged. */
  site: string | null;
  /** Platform id when the top-level page is itself a platform. */
  page: string | null;
  platforms: Record<string, { evidence: Evidence[]; frames: number[] }>;
  /** Frames that have the notice UI injected. */
  noticeFrames: number[];
  /** When the detector in the top frame last announced a new document (ms since the epoch). */
  docAt?: number;
  /** This tab's reachability results by platform host: shown in the popup, separate from the anonymised log. */
  reach: Record<string, { platform: string; outcomes: Partial<Record<Outcome, number>>; lastError: string | null }>;
}

const PREFIX = 'tab:';
/** Session key of a tab's failed main-frame load, kept for the explanation page and its retry. */
export const FAILURE_KEY = (tabId: number) => `failure:${tabId}`;
const tabs = new Map<number, TabState>();
const dirty = new Set<number>();
let loaded: Promise<void> | undefined;
let persistTimer: ReturnType<typeof setTimeout> | undefined;

export function emptyTabState(site: string | null = null): TabState {
  return { site, page: null, platforms: {}, noticeFrames: [], reach: {} };
}

export function loadTabStates(): Promise<void> {
  loaded ??= (async () => {
    const all = await browser.storage.session.get(null);
    for (const [key, value] of Object.entries(all)) {
      if (key.startsWith(PREFIX) && value && typeof value === 'object') tabs.set(Number(key.slice(PREFIX.length)), value as TabState);
    }
  })();
  return loaded;
}

export async function tabState(tabId: number): Promise<TabState> {
  await loadTabStates();
  let s = tabs.get(tabId);
  if (!s) {
    s = emptyTabState();
    tabs.set(tabId, s);
  }
  return s;
}

export function peekTabState(tabId: number): TabState | undefined {
  return tabs.get(tabId);
}

export async function resetTab(tabId: number, site: string | null): Promise<TabState> {
  await loadTabStates();
  const s = emptyTabState(site);
  tabs.set(tabId, s);
  markDirty(tabId);
  return s;
}

export async function forgetTab(tabId: number): Promise<void> {
  await loadTabStates();
  tabs.delete(tabId);
  dirty.delete(tabId);
  // The failed URL kept for the explanation page's retry goes with the tab.
  await browser.storage.session.remove([PREFIX + tabId, FAILURE_KEY(tabId)]);
}

export function addEvidence(s: TabState, platform: string, evidence: Evidence, frameId?: number): boolean {
  const p = (s.platforms[platform] ??= { evidence: [], frames: [] });
  let changed = false;
  if (!p.evidence.includes(evidence)) {
    p.evidence.push(evidence);
    changed = true;
  }
  if (frameId !== undefined && !p.frames.includes(frameId)) {
    p.frames.push(frameId);
    changed = true;
  }
  return changed;
}

/** Writes changed tabs at most every 250 ms; the in-memory copy is the truth meanwhile. */
export function markDirty(tabId: number): void {
  dirty.add(tabId);
  persistTimer ??= setTimeout(() => void flushTabStates(), 250);
}

export async function flushTabStates(): Promise<void> {
  persistTimer = undefined;
  const ids = [...dirty];
  dirty.clear();
  const items: Record<string, TabState> = {};
  for (const id of ids) {
    const s = tabs.get(id);
    if (s) items[PREFIX + id] = s;
  }
  if (ids.length) await browser.storage.session.set(items);
}
