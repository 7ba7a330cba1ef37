/**
 * The background's frame as features see it (utils/background/host.ts): who may ask what, which requests
 * become tab events, controls and observations, and what a feature's failure cannot break.
 */
import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { defineFeature, type Background } from '@/utils/background/host';
import type { PlatformObservation } from '@/utils/background/observations';
import { updateSettings } from '@/utils/settings';
import { OBSERVATION_JOURNAL_PREFIX } from '@/utils/storage';
import { FEATURES } from '@/utils/background/features';
import { details, fromContent, fromPage, freshLogPerTest, send, settle, startFakeBackground, type FakeBackground } from './helpers/background';

let fake: FakeBackground;
freshLogPerTest(() => fake);

/** A feature that records what the frame hands it. */
function spyFeature() {
  const seen = { starts: [] as unknown[], observations: [] as PlatformObservation[], controls: [] as number[], removed: [] as number[], contexts: 0 };
  let bg: Background | undefined;
  const feature = defineFeature({
    id: 'spy',
    setup(b) {
      bg = b;
      b.onRequestStart((start) => seen.starts.push(start));
      b.onObservation((obs) => void seen.observations.push(obs));
      b.onControl((at) => seen.controls.push(at));
      b.onTabRemoved((tabId) => seen.removed.push(tabId));
      b.onContextChange(() => seen.contexts++);
    },
  });
  return { seen, feature, bg: () => bg! };
}

describe('messages', () => {
  it('each type has one handler: a second registration is a programming error', async () => {
    fake = await startFakeBackground();
    expect(() => fake.bg.onContent('signatures', () => null)).toThrow('two handlers for signatures');
    expect(() => fake.bg.onPage('popup:state', () => ({}) as never)).toThrow('two handlers for popup:state');
  });

  it('a content script that names no frame speaks for the top frame', async () => {
    fake = await startFakeBackground();
    const { frameId: _none, ...sender } = fromContent('https://news.example/');
    expect(await send({ type: 'found', found: { bluesky: { markup: 1 } } }, sender)).toEqual({ ok: true });
    expect((await fake.bg.tabs.read(5)).platforms).toEqual({ bluesky: { evidence: ['markup'], frames: [0] } });
  });

  it('an extension page gets page answers only; a tab gets content answers only', async () => {
    fake = await startFakeBackground();
    expect(await send({ type: 'signatures' }, fromPage('popup.html'))).toBeUndefined();
    expect(await send({ type: 'popup:state', tabId: 5 }, fromPage('popup.html'))).toMatchObject({ regions: [{ code: 'PK' }] });
    expect(await send({ type: 'popup:state', tabId: 5 }, { ...fromContent('https://news.example/'), url: 'https://evil.example/popup.html' })).toBeUndefined();
    expect(await send({ type: 'signatures' }, { ...fromContent('https://news.example/'), tab: { id: -1 } })).toBeUndefined();
  });
});

describe('requests', () => {
  it('a main-frame load starts a page; a request to a platform host is evidence; others are not the tab\'s business', async () => {
    const spy = spyFeature();
    fake = await startFakeBackground(undefined, [...FEATURES, spy.feature]);
    fake.web.onBeforeRequest.trigger(details('https://www.news.example/a', { type: 'main_frame' }));
    fake.web.onBeforeRequest.trigger(details('https://cdn.news.example/a.js', { type: 'script' }));
    fake.web.onBeforeRequest.trigger(details('https://embed.bsky.app/embed.js', { type: 'script' }));
    fake.web.onBeforeRequest.trigger(details('https://bsky.app/xrpc', { type: 'xmlhttprequest', tabId: -1 }));
    await vi.waitFor(() => expect(spy.seen.starts).toHaveLength(2));
    expect(spy.seen.starts).toMatchObject([
      { tabId: 5, resourceType: 'main_frame', host: 'www.news.example', match: null },
      { tabId: 5, resourceType: 'script', host: 'embed.bsky.app', match: { platform: 'bluesky' } },
    ]);
    await vi.waitFor(async () => expect((await fake.bg.tabs.read(5)).platforms).toEqual({ bluesky: { evidence: ['request:script'], frames: [] } }));
    expect((await fake.bg.tabs.read(5)).site).toBe('www.news.example');
  });

  it('a redirect is an observation too, and the request stays timed across it', async () => {
    const spy = spyFeature();
    fake = await startFakeBackground(undefined, [...FEATURES, spy.feature]);
    const d = details('http://bsky.app/', { type: 'main_frame', timeStamp: 1_000 });
    fake.web.onBeforeRequest.trigger(d);
    fake.web.onBeforeRedirect.trigger({ ...d, timeStamp: 1_100, statusCode: 301, redirectUrl: 'https://bsky.app/' });
    fake.web.onCompleted.trigger({ ...d, url: 'https://bsky.app/', timeStamp: 1_400, statusCode: 200 });
    await vi.waitFor(() => expect(spy.seen.observations).toHaveLength(2));
    expect(spy.seen.observations.map((o) => [o.event, o.durationMs, o.match.platform])).toEqual([
      ['redirect', 100, 'bluesky'],
      ['completed', 400, 'bluesky'],
    ]);
  });

  it('a control is a time only: an https load of a public host that is no platform\'s, in a tab', async () => {
    const spy = spyFeature();
    fake = await startFakeBackground(undefined, [...FEATURES, spy.feature]);
    const ok = (url: string, more: Record<string, unknown> = {}) => fake.web.onCompleted.trigger(details(url, { type: 'image', statusCode: 200, timeStamp: 42, ...more }));
    ok('https://cdn.news.example/a.jpg');
    ok('http://cdn.news.example/a.jpg');
    ok('https://cdn.bsky.app/a.jpg');
    ok('https://cdn.news.example/b.jpg', { tabId: -1 });
    fake.web.onErrorOccurred.trigger(details('https://cdn.news.example/c.jpg', { type: 'image', error: 'net::ERR_CONNECTION_RESET' }));
    await settle(20);
    expect(spy.seen.controls).toEqual([42]);
    // Only the platform's request became an observation; nothing else was journaled.
    expect(spy.seen.observations.map((o) => o.host)).toEqual(['cdn.bsky.app']);
  });

  it('a feature that fails on an observation does not keep it from the others, nor leave it journaled', async () => {
    const spy = spyFeature();
    const broken = defineFeature({
      id: 'broken',
      setup: (b) => b.onObservation(() => Promise.reject(new Error('broken feature'))),
    });
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    fake = await startFakeBackground(undefined, [broken, spy.feature]);
    fake.web.onCompleted.trigger(details('https://bsky.app/', { type: 'main_frame', statusCode: 200 }));
    await vi.waitFor(() => expect(spy.seen.observations).toHaveLength(1));
    await vi.waitFor(async () => expect(Object.keys(await fakeBrowser.storage.session.get(null)).filter((k) => k.startsWith(OBSERVATION_JOURNAL_PREFIX))).toEqual([]));
  });

  it('an observation made outside webRequest (a probe\'s timeout) reaches the same listeners', async () => {
    const spy = spyFeature();
    fake = await startFakeBackground(undefined, [spy.feature]);
    const obs = { host: 'bsky.app', match: { platform: 'bluesky' } } as PlatformObservation;
    await spy.bg().observe(obs);
    expect(spy.seen.observations).toEqual([obs]);
  });
});

describe('the rest of the frame', () => {
  it('a closed tab is forgotten and every feature hears of it', async () => {
    const spy = spyFeature();
    fake = await startFakeBackground(undefined, [...FEATURES, spy.feature]);
    await send({ type: 'found', found: { bluesky: { markup: 1 } } }, fromContent('https://news.example/'));
    expect(fake.bg.tabs.tabIds()).toEqual([5]);
    await fakeBrowser.tabs.onRemoved.trigger(5, { windowId: 1, isWindowClosing: false });
    expect(spy.seen.removed).toEqual([5]);
    await vi.waitFor(() => expect(fake.bg.tabs.tabIds()).toEqual([]));
  });

  it('new settings reach every feature as a new context', async () => {
    const spy = spyFeature();
    fake = await startFakeBackground(undefined, [spy.feature]);
    await vi.waitFor(() => expect(spy.seen.contexts).toBe(1));
    await updateSettings((s) => ({ ...s, regions: ['CN'] }));
    await vi.waitFor(() => expect(spy.seen.contexts).toBe(2));
    expect((await fake.bg.context()).region.regions).toEqual(['CN']);
  });

  it('a feature that throws on a new context does not keep it from the features after it', async () => {
    const spy = spyFeature();
    const broken = defineFeature({
      id: 'broken',
      setup: (b) =>
        b.onContextChange(() => {
          throw new TypeError('not a promise');
        }),
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    fake = await startFakeBackground(undefined, [broken, spy.feature]);
    await vi.waitFor(() => expect(spy.seen.contexts).toBe(1));
    expect(warn).toHaveBeenCalledWith('BanLens: a context listener failed', expect.any(TypeError));
  });

  it('flush waits for every feature\'s pending writes', async () => {
    let written = false;
    const slow = defineFeature({
      id: 'slow',
      setup: (b) =>
        b.onFlush(async () => {
          await settle(30);
          written = true;
        }),
    });
    fake = await startFakeBackground(undefined, [slow]);
    await fake.bg.flush();
    expect(written).toBe(true);
  });
});
