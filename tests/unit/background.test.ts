/**
 * The background as the browser drives it: webRequest events and messages in, badge, injections,
 * storage and log records out. WXT's fakeBrowser, with webRequest and scripting stood in for
 * (tests/unit/helpers/background.ts).
 */
import { deleteDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { closeDb, LOG_DB_NAME, PENDING_KEY_PREFIX, queryRecords } from '@/utils/log/db';
import { CONTENT_REQUESTS, PAGE_REQUESTS } from '@/utils/protocol/requests';
import { bannersShownItem, failuresItem, OBSERVATION_JOURNAL_PREFIX, tabStatesItem } from '@/utils/storage';
import { TabStore } from '@/utils/background/tab-store';
import { details, fromContent, fromPage, send, settle, startFakeBackground, type FakeBackground } from './helpers/background';

let fake: FakeBackground;

beforeEach(async () => {
  await closeDb();
  await deleteDB(LOG_DB_NAME);
});
afterEach(() => vi.restoreAllMocks());

const badgeText = (tabId: number) => fakeBrowser.action.getBadgeText({ tabId });
const session = () => fakeBrowser.storage.session.get(null);

describe('every declared message', () => {
  it('has exactly one handler', async () => {
    fake = await startFakeBackground();
    const { content, page } = fake.bg.handled();
    expect(content.sort()).toEqual(Object.keys(CONTENT_REQUESTS).sort());
    expect(page.sort()).toEqual(Object.keys(PAGE_REQUESTS).sort());
  });

  it('is parsed at the boundary: forged, malformed or misdirected messages get no answer', async () => {
    fake = await startFakeBackground();
    const news = fromContent('https://news.example/');
    expect(await send({ type: 'signatures' }, news)).toMatchObject({ selector: expect.any(String) });
    expect(await send({ type: 'signatures', extra: 1 }, news)).toBeUndefined();
    expect(await send({ type: 'nonsense' }, news)).toBeUndefined();
    expect(await send('signatures', news)).toBeUndefined();
    expect(await send({ type: 'found', found: { bluesky: { markup: -1 } } }, news)).toBeUndefined();
    // A page's content script cannot ask what only extension pages may.
    expect(await send({ type: 'popup:state', tabId: 5 }, news)).toBeUndefined();
    expect(await send({ type: 'probe:run' }, news)).toBeUndefined();
    // Another extension cannot ask anything.
    expect(await send({ type: 'signatures' }, { ...news, id: 'someone-else' })).toBeUndefined();
    // A content script outside a tab is not one of ours to answer.
    expect(await send({ type: 'signatures' }, { id: fakeBrowser.runtime.id, url: 'https://news.example/' })).toBeUndefined();
    expect(await send({ type: 'region:state' }, fromPage('options.html'))).toMatchObject({ anyRestriction: true });
  });
});

describe('a page that embeds a restricted platform', () => {
  beforeEach(async () => {
    fake = await startFakeBackground();
  });

  it('gets the badge and the notice UI in the frame that found it', async () => {
    fake.web.onBeforeRequest.trigger(details('https://news.example/', { type: 'main_frame' }));
    await settle();
    await send({ type: 'signatures' }, fromContent('https://news.example/'));
    expect(await send({ type: 'found', found: { bluesky: { markup: 1 }, x: { frame: 1 } } }, fromContent('https://news.example/'))).toEqual({ ok: true });
    await vi.waitFor(async () => expect(await badgeText(5)).toBe('1'));
    expect(fake.executeScript).toHaveBeenCalledTimes(1);
    expect(fake.executeScript).toHaveBeenCalledWith({ target: { tabId: 5, frameIds: [0] }, files: ['/notice.js'] });
    const context = await send({ type: 'notice:context' }, fromContent('https://news.example/'));
    expect(context).toMatchObject({ lang: 'en', dir: 'ltr', banner: null, platforms: [{ platform: 'bluesky', active: true }] });
    expect(context).toHaveProperty('strings.why', 'Why?');
  });

  it('gets no notice UI when the platform is muted, but still the badge', async () => {
    fake = await startFakeBackground((s) => ({ ...s, notices: { ...s.notices, mutedPlatforms: ['bluesky'] } }));
    await send({ type: 'found', found: { bluesky: { markup: 1 } } }, fromContent('https://news.example/'));
    await vi.waitFor(async () => expect(await badgeText(5)).toBe('1'));
    await settle(10);
    expect(fake.executeScript).not.toHaveBeenCalled();
  });

  it('gets no notice UI after the user mutes the site from a notice', async () => {
    fake.web.onBeforeRequest.trigger(details('https://www.news.example/', { type: 'main_frame' }));
    await settle();
    expect(await send({ type: 'notice:mute-site' }, fromContent('https://www.news.example/'))).toEqual({ ok: true });
    await vi.waitFor(async () => expect((await fake.bg.context()).settings.notices.mutedSites).toEqual(['news.example']));
    await send({ type: 'found', found: { bluesky: { markup: 1 } } }, fromContent('https://www.news.example/'));
    await settle(10);
    expect(fake.executeScript).not.toHaveBeenCalled();
  });

  it('keeps only what the frame was asked to look for', async () => {
    await send({ type: 'found', found: { x: { markup: 3 }, facebook: { frame: 1 } } }, fromContent('https://news.example/'));
    await settle(60);
    expect((await fake.bg.tabs.read(5)).platforms).toEqual({});
    expect(fake.executeScript).not.toHaveBeenCalled();
  });

  it('persists the tab state in one place, and a new worker restores it', async () => {
    await send({ type: 'found', found: { bluesky: { markup: 1 } } }, fromContent('https://news.example/', 2));
    await fake.bg.flush();
    expect((await tabStatesItem.getValue())['5']?.platforms).toEqual({ bluesky: { evidence: ['markup'], frames: [2] } });
    const restarted = new TabStore();
    expect((await restarted.read(5)).platforms).toEqual({ bluesky: { evidence: ['markup'], frames: [2] } });
  });

  it('a stored tab state that no longer passes the schema is dropped, not trusted', async () => {
    // Written raw, as an older build or a corrupted session might have left it.
    await fakeBrowser.storage.session.set({ tabStates: { '5': { site: 'a.example', page: null, platforms: {}, noticeFrames: ['x'], reach: {} }, '6': { site: 'b.example', page: null, platforms: {}, noticeFrames: [], reach: {} } } });
    const restarted = new TabStore();
    expect((await restarted.read(5)).site).toBeNull();
    expect((await restarted.read(6)).site).toBe('b.example');
  });
});

describe('the platform banner', () => {
  it('is shown once per session per platform', async () => {
    fake = await startFakeBackground();
    fake.web.onBeforeRequest.trigger(details('https://bsky.app/', { type: 'main_frame' }));
    await settle();
    await send({ type: 'signatures' }, fromContent('https://bsky.app/'));
    await vi.waitFor(() => expect(fake.executeScript).toHaveBeenCalledTimes(1));
    const first = await send({ type: 'notice:context' }, fromContent('https://bsky.app/'));
    expect(first).toMatchObject({ banner: { platform: 'bluesky', active: true } });
    expect(await bannersShownItem.getValue()).toEqual(['bluesky']);
    // The same session, another tab: no banner.
    fake.web.onBeforeRequest.trigger(details('https://bsky.app/', { type: 'main_frame', tabId: 6 }));
    await settle();
    await send({ type: 'signatures' }, fromContent('https://bsky.app/', 0, 6));
    expect(await send({ type: 'notice:context' }, fromContent('https://bsky.app/', 0, 6))).toMatchObject({ banner: null });
    expect(await send({ type: 'notice:context' }, fromContent('https://bsky.app/'))).toMatchObject({ banner: null });
  });

  it('dismissed counts as shown', async () => {
    fake = await startFakeBackground();
    expect(await send({ type: 'notice:banner-dismissed', platform: 'bluesky' }, fromContent('https://bsky.app/'))).toEqual({ ok: true });
    expect(await bannersShownItem.getValue()).toEqual(['bluesky']);
  });
});

describe('a failed main-frame load of a restricted platform', () => {
  it('shows the explanation page, which gets the failure', async () => {
    fake = await startFakeBackground();
    fake.web.onBeforeRequest.trigger(details('https://bsky.app/profile/alice', { type: 'main_frame' }));
    fake.web.onErrorOccurred.trigger(details('https://bsky.app/profile/alice', { type: 'main_frame', error: 'net::ERR_CONNECTION_RESET' }));
    await vi.waitFor(() => expect(fake.tabsUpdate).toHaveBeenCalledWith(5, { url: fakeBrowser.runtime.getURL('/blocked.html') }));
    const state = await send({ type: 'blocked:state', tabId: 5 }, fromPage('blocked.html'));
    expect(state).toMatchObject({ failure: { url: 'https://bsky.app/profile/alice', host: 'bsky.app', platform: 'bluesky', outcome: 'tcp_reset' }, explained: { platform: 'bluesky' } });
    expect(await send({ type: 'blocked:state', tabId: 9 }, fromPage('blocked.html'))).toBeNull();
    // The failed URL goes with the tab.
    await fakeBrowser.tabs.onRemoved.trigger(5, { windowId: 1, isWindowClosing: false });
    await vi.waitFor(async () => expect(await failuresItem.getValue()).toEqual({}));
  });

  it('never for an aborted load', async () => {
    fake = await startFakeBackground();
    fake.web.onErrorOccurred.trigger(details('https://bsky.app/', { type: 'main_frame', error: 'net::ERR_ABORTED' }));
    await settle(20);
    expect(fake.tabsUpdate).not.toHaveBeenCalled();
  });
});

describe('the observation pipeline and the log', () => {
  it('journals a platform observation before anything is awaited, and clears it once logged', async () => {
    fake = await startFakeBackground();
    fake.web.onCompleted.trigger(details('https://cdn.bsky.app/img/a.jpg', { type: 'image', statusCode: 200 }));
    fake.web.onCompleted.trigger(details('https://news.example/a.jpg', { type: 'image', statusCode: 200 }));
    // No await since the event: the entry is there already, without the URL's path.
    const journaled = Object.entries(await session()).filter(([k]) => k.startsWith(OBSERVATION_JOURNAL_PREFIX));
    expect(journaled).toHaveLength(1);
    expect(journaled[0]![1]).toMatchObject({ host: 'cdn.bsky.app', outcome: 'ok' });
    expect(JSON.stringify(journaled)).not.toContain('/img/');
    await fake.bg.flush();
    await vi.waitFor(async () => expect(Object.keys(await session()).filter((k) => k.startsWith(OBSERVATION_JOURNAL_PREFIX))).toEqual([]));
    await fake.bg.flush();
    expect(await queryRecords()).toMatchObject([{ platform: 'bluesky', host: 'cdn.bsky.app', outcome: 'ok', count: 1, region: 'PK' }]);
  });

  it('logs CDN node names and user handles as the platform domain', async () => {
    fake = await startFakeBackground();
    fake.web.onErrorOccurred.trigger(details('https://alice.bsky.social/', { type: 'sub_frame', error: 'net::ERR_CONNECTION_RESET' }));
    fake.web.onErrorOccurred.trigger(details('https://rr3---sn-4g5e6nsz.googlevideo.com/videoplayback?id=1', { type: 'media', error: 'net::ERR_CONNECTION_RESET' }));
    await settle(10);
    await fake.bg.flush();
    expect((await queryRecords()).map((r) => r.host).sort()).toEqual(['bsky.social', 'googlevideo.com']);
  });

  it('counts the 451 Firefox showed in the headers before it aborted a script', async () => {
    fake = await startFakeBackground();
    const d = details('https://embed.bsky.app/static/embed.js', { type: 'script' });
    fake.web.onBeforeRequest.trigger(d);
    fake.web.onHeadersReceived.trigger({ ...d, statusCode: 451 });
    fake.web.onErrorOccurred.trigger({ ...d, timeStamp: d.timeStamp + 300, error: 'NS_BINDING_ABORTED' });
    await settle(10);
    await fake.bg.flush();
    expect(await queryRecords()).toMatchObject([{ host: 'embed.bsky.app', outcome: 'http_blockpage', http_status: 451, ms_bucket: 250 }]);
    expect((await fake.bg.tabs.read(5)).reach['embed.bsky.app']?.outcomes).toEqual({ http_blockpage: 1 });
  });

  it('logs nothing when the user turned the log off, and leaves no journal behind', async () => {
    fake = await startFakeBackground((s) => ({ ...s, log: { ...s.log, enabled: false } }));
    fake.web.onCompleted.trigger(details('https://bsky.app/', { type: 'main_frame', statusCode: 200 }));
    await settle(10);
    await fake.bg.flush();
    expect(await queryRecords()).toEqual([]);
    expect(Object.keys(await session()).filter((k) => k.startsWith(OBSERVATION_JOURNAL_PREFIX))).toEqual([]);
  });

  it('a new worker logs, exactly once, what a killed one journaled but never logged', async () => {
    fakeBrowser.reset();
    const entry = { event: 'error', requestId: '77', tabId: 5, frameId: 0, host: 'bsky.app', resourceType: 'script', timeStamp: Date.parse('2026-12-01T09:10:00Z'), durationMs: 40, outcome: 'tcp_reset', error: 'net::ERR_CONNECTION_RESET', httpStatus: null, vantage: 'passive' };
    await fakeBrowser.storage.session.set({
      [`${OBSERVATION_JOURNAL_PREFIX}dead-worker/0`]: entry,
      // Taken over by the log before the worker died: its record is in the log's own mirror instead.
      [`${OBSERVATION_JOURNAL_PREFIX}dead-worker/1`]: false,
    });
    // startFakeBackground resets the fake browser; keep what a killed worker left.
    const left = await fakeBrowser.storage.session.get(null);
    const reset = fakeBrowser.reset.bind(fakeBrowser);
    vi.spyOn(fakeBrowser, 'reset').mockImplementation(() => {
      reset();
      void fakeBrowser.storage.session.set(left);
    });
    fake = await startFakeBackground();
    await vi.waitFor(async () => expect(Object.keys(await session()).filter((k) => k.startsWith(OBSERVATION_JOURNAL_PREFIX))).toEqual([]));
    await fake.bg.flush();
    expect(await queryRecords()).toMatchObject([{ host: 'bsky.app', outcome: 'tcp_reset', count: 1, hour: '2026-12-01T09:00:00Z' }]);
  });

  it('the log\'s mirror replaces the journal entry in the same write', async () => {
    fake = await startFakeBackground();
    const writes: Record<string, unknown>[] = [];
    const set = fakeBrowser.storage.session.set.bind(fakeBrowser.storage.session);
    vi.spyOn(fakeBrowser.storage.session, 'set').mockImplementation(async (items) => {
      writes.push(items);
      return set(items);
    });
    fake.web.onCompleted.trigger(details('https://bsky.app/', { type: 'main_frame', statusCode: 200 }));
    await settle(10);
    const takeover = writes.find((w) => Object.keys(w).some((k) => k.startsWith(PENDING_KEY_PREFIX)));
    expect(takeover).toBeDefined();
    const journalKeys = Object.keys(takeover!).filter((k) => k.startsWith(OBSERVATION_JOURNAL_PREFIX));
    expect(journalKeys).toHaveLength(1);
    expect(takeover![journalKeys[0]!]).toBe(false);
  });
});

describe('the badge', () => {
  it('is set again when the top document commits (Chromium clears it on navigation)', async () => {
    fake = await startFakeBackground();
    fake.web.onBeforeRequest.trigger(details('https://bsky.app/', { type: 'main_frame' }));
    await vi.waitFor(async () => expect(await badgeText(5)).toBe('1'));
    await fakeBrowser.action.setBadgeText({ tabId: 5, text: '' });
    await send({ type: 'signatures' }, fromContent('https://bsky.app/'));
    await vi.waitFor(async () => expect(await badgeText(5)).toBe('1'));
  });
});

describe('the notice UI', () => {
  it('is injected once into a frame however many findings arrive at once, then refreshed', async () => {
    fake = await startFakeBackground();
    const news = fromContent('https://news.example/', 3);
    await Promise.all([
      send({ type: 'found', found: { bluesky: { markup: 1 } } }, news),
      send({ type: 'found', found: { bluesky: { frame: 1 } } }, news),
      send({ type: 'found', found: { bluesky: { media: 1 } } }, news),
    ]);
    await settle(20);
    expect(fake.executeScript).toHaveBeenCalledTimes(1);
    expect(fakeBrowser.tabs.sendMessage).toHaveBeenCalledWith(5, { type: 'notice:refresh' }, { frameId: 3 });
  });

  it('is injected again into a frame whose injection failed', async () => {
    fake = await startFakeBackground();
    fake.executeScript.mockRejectedValue(new Error('Frame not ready'));
    await send({ type: 'found', found: { bluesky: { markup: 1 } } }, fromContent('https://news.example/'));
    await vi.waitFor(async () => expect((await fake.bg.tabs.read(5)).noticeFrames).toEqual([]), { timeout: 3000 });
    expect(fake.executeScript).toHaveBeenCalledTimes(3);
  });
});
