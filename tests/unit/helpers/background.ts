/**
 * A background on WXT's fakeBrowser, with the APIs it does not implement (webRequest, scripting,
 * i18n.getUILanguage, tabs.sendMessage) stood in for, and helpers that speak like the browser does.
 */
import { deleteDB } from 'idb';
import { afterEach, beforeEach, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { invalidateContext, decisionContext } from '@/utils/background/context';
import { FEATURES } from '@/utils/background/features';
import { startBackground, type Background, type Feature } from '@/utils/background/host';
import { closeDb, LOG_DB_NAME } from '@/utils/log/db';
import { updateSettings, type Settings } from '@/utils/settings';

type Listener = (...args: never[]) => unknown;
export function fakeEvent() {
  const listeners: Listener[] = [];
  return {
    addListener: (l: Listener) => void listeners.push(l),
    removeListener: (l: Listener) => void listeners.splice(listeners.indexOf(l), 1),
    hasListener: (l: Listener) => listeners.includes(l),
    hasListeners: () => listeners.length > 0,
    trigger: (...args: unknown[]) => listeners.map((l) => (l as (...a: unknown[]) => unknown)(...args)),
  };
}

export interface FakeBackground {
  bg: Background;
  executeScript: ReturnType<typeof vi.fn>;
  tabsUpdate: ReturnType<typeof vi.fn>;
  web: {
    onBeforeRequest: ReturnType<typeof fakeEvent>;
    onHeadersReceived: ReturnType<typeof fakeEvent>;
    onCompleted: ReturnType<typeof fakeEvent>;
    onErrorOccurred: ReturnType<typeof fakeEvent>;
    onBeforeRedirect: ReturnType<typeof fakeEvent>;
  };
}

/** Resets the fake browser, applies the settings, and starts the background with these features. */
let previous: Background | undefined;

export async function startFakeBackground(settings: (s: Settings) => Settings = (s) => s, features: readonly Feature[] = FEATURES): Promise<FakeBackground> {
  // The last test's background lives on when test files share a process (Stryker's runs): its observations
  // and start-up recovery are finished and written first, and its log then deleted with it, so none of
  // it lands in this test's log. No test writes to the log before it starts its background.
  if (previous) {
    await settle(20);
    await previous.flush().catch(() => {});
    await closeDb();
    await deleteDB(LOG_DB_NAME);
  }
  fakeBrowser.reset();
  invalidateContext();
  Object.assign(fakeBrowser.i18n, { getUILanguage: () => 'en-US' });
  Object.assign(fakeBrowser.runtime, { getManifest: () => ({ manifest_version: 3, name: 'BanLens', version: '0.1.0' }) });
  const web = {
    onBeforeRequest: fakeEvent(),
    onHeadersReceived: fakeEvent(),
    onCompleted: fakeEvent(),
    onErrorOccurred: fakeEvent(),
    onBeforeRedirect: fakeEvent(),
  };
  Object.assign(fakeBrowser.webRequest, web);
  const executeScript = vi.fn(async () => []);
  Object.assign(fakeBrowser.scripting, { executeScript });
  Object.assign(fakeBrowser.tabs, { sendMessage: vi.fn(async () => undefined) });
  const tabsUpdate = vi.fn(async () => ({}));
  Object.assign(fakeBrowser.tabs, { update: tabsUpdate });
  await updateSettings((s) => settings({ ...s, regions: ['PK'] }));
  invalidateContext();
  const bg = startBackground(features);
  previous = bg;
  await decisionContext();
  return { bg, executeScript, tabsUpdate, web };
}

let nextRequest = 1;
export function details(url: string, more: Record<string, unknown> = {}) {
  return { requestId: String(nextRequest++), url, tabId: 5, frameId: 0, type: 'script', timeStamp: Date.now(), method: 'GET', parentFrameId: -1, ...more };
}

/** A message from a content script in tab 5 (frame and URL as given). */
export function fromContent(frameUrl: string, frameId = 0, tabId = 5) {
  return { id: fakeBrowser.runtime.id, tab: { id: tabId }, frameId, url: frameUrl };
}

/** A message from one of the extension's own pages. */
export function fromPage(page = 'popup.html') {
  return { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL(`/${page}`) };
}

/** The one answer the background gives to a message (as the browser would deliver it). */
export async function send(message: unknown, sender: object): Promise<unknown> {
  const answers = await fakeBrowser.runtime.onMessage.trigger(message, sender);
  return answers.find((a) => a !== undefined);
}

/** Lets queued promise callbacks and short timers run. */
export const settle = (ms = 0) => new Promise((r) => setTimeout(r, ms));

/**
 * Each test starts on an empty log, and what the last one's background still had on its way is written before
 * the next starts, not into its log. `current` names the test file's background.
 */
export function freshLogPerTest(current: () => FakeBackground | undefined): void {
  beforeEach(async () => {
    await closeDb();
    await deleteDB(LOG_DB_NAME);
  });
  afterEach(async () => {
    await settle(20);
    await current()?.bg.flush();
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });
}
