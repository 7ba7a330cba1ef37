/**
 * The background features' edges that the main suites left open (found by `npm run mutate`): the mute
 * messages, when the badge and the banner are brought back, what detection keeps of a top page, the
 * explanation page's two bases, the observed basis of embed labels, the probe's observation, the region's
 * names and the detector's registration.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { buildDecisionContext, recordsFor, type RecordsContext } from '@/utils/background/context';
import { failureToExplain } from '@/utils/background/features/explanation-page';
import { labelsFor } from '@/utils/background/features/embed-labels';
import { probeTimeout } from '@/utils/background/features/probing';
import type { PlatformObservation } from '@/utils/background/observations';
import { emptyTabState, reduceTab, type TabEvent, type TabState } from '@/utils/background/tab-state';
import { compactDataset } from '@/utils/dataset/core';
import { bundledDataset } from '@/utils/dataset/store';
import { makeT } from '@/utils/i18n';
import { PROBE_TIMEOUT_MS } from '@/utils/reach/probe';
import { resolveRegions } from '@/utils/region';
import { DEFAULT_SETTINGS, getSettings, type Settings } from '@/utils/settings';
import { details, freshLogPerTest, fromContent, fromPage, send, settle, startFakeBackground, type FakeBackground } from './helpers/background';

let fake: FakeBackground | undefined;
freshLogPerTest(() => fake);
afterEach(() => {
  fake = undefined;
});

function ctxWith(notices: Partial<Settings['notices']> = {}): RecordsContext {
  const settings: Settings = { ...DEFAULT_SETTINGS, regions: ['PK'], notices: { ...DEFAULT_SETTINGS.notices, ...notices } };
  const ctx = buildDecisionContext({ dataset: compactDataset(bundledDataset()), datasetSource: 'bundled', settings, today: '2026-12-01', uiLanguage: 'en-US', words: makeT, region: resolveRegions(settings.regions) });
  return { ...ctx, records: recordsFor(bundledDataset(), ctx.region.regions) };
}
const tab = (...events: TabEvent[]): TabState => events.reduce(reduceTab, emptyTabState());
const failing = { status: 'failing' as const, outcome: 'tcp_reset' as const, failures: 4, failedLoads: 2, oks: 0, controls: 3 };
/** X observed failing here (nothing in force recorded for it in Pakistan). */
const xFailing = (ctx: RecordsContext): RecordsContext => ({ ...ctx, observed: new Map([['x', failing]]), observedFailing: new Set(['x']) });

/** A top-level page load in tab `tabId`. */
function navigate(url: string, tabId = 5) {
  const d = details(url, { type: 'main_frame', tabId });
  fake!.web.onBeforeRequest.trigger(d);
  fake!.web.onCompleted.trigger({ ...d, statusCode: 200 });
}

describe('site mutes, from the popup and from a notice', () => {
  it('the popup mutes and unmutes the tab\'s site, and refuses a tab with no site', async () => {
    fake = await startFakeBackground();
    navigate('https://www.news.example/a');
    await settle(20);
    expect(await send({ type: 'popup:set-site-muted', tabId: 5, muted: true }, fromPage())).toEqual({ ok: true });
    expect((await getSettings()).notices.mutedSites).toEqual(['news.example']);
    expect(await send({ type: 'popup:set-site-muted', tabId: 5, muted: false }, fromPage())).toEqual({ ok: true });
    expect((await getSettings()).notices.mutedSites).toEqual([]);
    expect(await send({ type: 'popup:set-site-muted', tabId: 6, muted: true }, fromPage())).toEqual({ ok: false });
    expect((await getSettings()).notices.mutedSites).toEqual([]);
  });

  it('a notice mutes its own site, and nothing when the tab has no site', async () => {
    fake = await startFakeBackground();
    expect(await send({ type: 'notice:mute-site' }, fromContent('https://news.example/a', 0, 6))).toEqual({ ok: false });
    expect((await getSettings()).notices.mutedSites).toEqual([]);
    navigate('https://news.example/a');
    await settle(20);
    expect(await send({ type: 'notice:mute-site' }, fromContent('https://news.example/a'))).toEqual({ ok: true });
    expect((await getSettings()).notices.mutedSites).toEqual(['news.example']);
  });
});

describe('what detection keeps of a page', () => {
  it('the top frame of a watched platform is the tab\'s page; a platform not watched here, or a subframe, is not', async () => {
    fake = await startFakeBackground();
    await send({ type: 'signatures' }, fromContent('https://bsky.app/profile/someone'));
    expect((await fake.bg.tabs.read(5)).page).toBe('bluesky');
    await send({ type: 'signatures' }, fromContent('https://x.com/home', 0, 7));
    expect((await fake.bg.tabs.read(7)).page).toBeNull();
    await send({ type: 'signatures' }, fromContent('https://bsky.app/profile/someone', 3, 8));
    expect((await fake.bg.tabs.read(8)).page).toBeNull();
  });

  it('a request to a host of no platform adds no platform; tab 0 is a tab like any other', async () => {
    fake = await startFakeBackground();
    navigate('https://news.example/a', 0);
    const d = details('https://cdn.news.example/x.js', { tabId: 0 });
    fake.web.onBeforeRequest.trigger(d);
    fake.web.onCompleted.trigger({ ...d, statusCode: 200 });
    const b = details('https://embed.bsky.app/static/embed.js', { tabId: 0 });
    fake.web.onBeforeRequest.trigger(b);
    fake.web.onErrorOccurred.trigger({ ...b, error: 'net::ERR_CONNECTION_RESET' });
    await settle(30);
    const s = await fake.bg.tabs.read(0);
    expect(Object.keys(s.platforms)).toEqual(['bluesky']);
    expect(s.reach).toEqual({ 'embed.bsky.app': { platform: 'bluesky', outcomes: { tcp_reset: 1 }, lastError: 'net::ERR_CONNECTION_RESET' } });
  });
});

describe('the badge and the banner come back with a new top document', () => {
  it('the badge is set again when the top frame\'s detector starts (Chromium clears it on commit), not for a subframe', async () => {
    fake = await startFakeBackground();
    navigate('https://news.example/a');
    const b = details('https://embed.bsky.app/static/embed.js');
    fake.web.onBeforeRequest.trigger(b);
    await vi.waitFor(async () => expect(await fakeBrowser.action.getBadgeText({ tabId: 5 })).toBe('1'));
    await fakeBrowser.action.setBadgeText({ tabId: 5, text: '' });
    await send({ type: 'signatures' }, fromContent('https://news.example/a', 2));
    await settle(120);
    expect(await fakeBrowser.action.getBadgeText({ tabId: 5 })).toBe('');
    await send({ type: 'signatures' }, fromContent('https://news.example/a'));
    await vi.waitFor(async () => expect(await fakeBrowser.action.getBadgeText({ tabId: 5 })).toBe('1'));
  });

  it('the banner is injected when a restricted platform\'s own page starts in the top frame, once per session', async () => {
    fake = await startFakeBackground();
    navigate('https://bsky.app/');
    await settle(30);
    expect(fake.executeScript).not.toHaveBeenCalled();
    await send({ type: 'signatures' }, fromContent('https://bsky.app/'));
    await vi.waitFor(() => expect(fake!.executeScript).toHaveBeenCalledWith(expect.objectContaining({ target: expect.objectContaining({ tabId: 5, frameIds: [0] }) })));
    const context = (await send({ type: 'notice:context' }, fromContent('https://bsky.app/'))) as { banner: { platform: string } | null };
    expect(context.banner?.platform).toBe('bluesky');
    expect(((await send({ type: 'notice:context' }, fromContent('https://bsky.app/'))) as { banner: unknown }).banner).toBeNull();
  });
});

describe('the explanation page', () => {
  const mainFrameReset = (platform: string, host: string, tabId = 0): PlatformObservation => {
    const ctx = ctxWith();
    return {
      event: 'error',
      requestId: '1',
      tabId,
      frameId: 0,
      url: `https://${host}/`,
      host,
      resourceType: 'main_frame',
      timeStamp: 1,
      durationMs: 20,
      outcome: 'tcp_reset',
      error: 'net::ERR_CONNECTION_RESET',
      httpStatus: null,
      vantage: 'passive',
      match: { platform, role: 'site', domain: host },
      platform: ctx.platformById.get(platform),
      restricted: ctx.restrictedNow.has(platform),
    };
  };
  it('tab 0 is a real tab; a probe (tab -1) is not', () => {
    expect(failureToExplain(ctxWith(), mainFrameReset('bluesky', 'bsky.app', 0))).toMatchObject({ platform: 'bluesky', basis: 'recorded' });
    expect(failureToExplain(ctxWith(), mainFrameReset('bluesky', 'bsky.app', -1))).toBeNull();
  });

  it('a recorded failure gets no observed wording; an observed one says what was seen, then what was last recorded', async () => {
    fake = await startFakeBackground();
    const b = details('https://bsky.app/', { type: 'main_frame', tabId: 7 });
    fake.web.onBeforeRequest.trigger(b);
    fake.web.onErrorOccurred.trigger({ ...b, error: 'net::ERR_CONNECTION_RESET' });
    await vi.waitFor(() => expect(fake!.tabsUpdate).toHaveBeenCalledWith(7, expect.anything()));
    const recorded = (await send({ type: 'blocked:state', tabId: 7 }, fromPage('blocked.html'))) as Record<string, unknown> & { explained: { basis?: string; platform: string } };
    expect(recorded.observed).toBeUndefined();
    expect(recorded.explained.platform).toBe('bluesky');
    expect(recorded.explained.basis).toBeUndefined();
  });
});

describe('embed labels on the observed basis', () => {
  it('a platform failing here is labelled with what was seen and its history; one in force on the recorded basis', () => {
    const s = tab({ type: 'found', frameId: 0, found: { x: ['frame'], bluesky: ['markup'] } });
    const labels = labelsFor(xFailing(ctxWith()), s, 0);
    expect(labels.map((l) => [l.platform, l.basis])).toEqual([['x', 'observed'], ['bluesky', 'recorded']]);
    const x = labels[0]!;
    expect(x.observed).toMatch(/^X \(Twitter\) did not load here: connection reset, the way blocking looks\. No restriction in force is recorded for Pakistan\. Last recorded: blocked /);
    expect(x.restrictions.length).toBeGreaterThan(0);
    expect(labels[1]!.observed).toBeUndefined();
    // Without the failing verdict, X has only history here: no label unless history is asked for.
    expect(labelsFor(ctxWith(), s, 0).map((l) => l.platform)).toEqual(['bluesky']);
  });
});

describe('the probe, the region and the detector', () => {
  it('a probe the browser gave up on is an observation with no tab, a timeout, and the probe\'s own request id', () => {
    const ctx = ctxWith();
    expect(probeTimeout(ctx, { platform: 'bluesky', host: 'bsky.app' }, 1000)).toEqual({
      event: 'error',
      requestId: 'probe:bsky.app:1000',
      tabId: -1,
      frameId: -1,
      url: 'https://bsky.app/',
      host: 'bsky.app',
      match: { platform: 'bluesky', role: 'site', domain: 'bsky.app' },
      platform: ctx.platformById.get('bluesky'),
      timeStamp: 1000,
      resourceType: 'other',
      vantage: 'probe',
      outcome: 'timeout',
      error: null,
      httpStatus: null,
      durationMs: PROBE_TIMEOUT_MS,
      restricted: true,
    });
  });

  it('region:state names the regions in the interface language', async () => {
    fake = await startFakeBackground();
    expect(await send({ type: 'region:state' }, fromPage())).toMatchObject({ region: { regions: ['PK'] }, names: ['Pakistan'], anyRestriction: true });
  });

  it('the detector is registered when the worker starts, and again when the settings change', async () => {
    const calls: string[] = [];
    const stub = {
      getRegisteredContentScripts: vi.fn(async () => {
        calls.push('get');
        return [];
      }),
      registerContentScripts: vi.fn(async () => void calls.push('register')),
      updateContentScripts: vi.fn(async () => {}),
      unregisterContentScripts: vi.fn(async () => void calls.push('unregister')),
    };
    const original = { ...fakeBrowser.scripting };
    Object.assign(fakeBrowser.scripting, stub);
    try {
      fake = await startFakeBackground();
      Object.assign(fakeBrowser.scripting, stub);
      await vi.waitFor(() => expect(stub.registerContentScripts).toHaveBeenCalled());
      const before = stub.getRegisteredContentScripts.mock.calls.length;
      const { updateSettings } = await import('@/utils/settings');
      await updateSettings((x) => ({ ...x, notices: { ...x.notices, showLifted: true } }));
      await vi.waitFor(() => expect(stub.getRegisteredContentScripts.mock.calls.length).toBeGreaterThan(before));
    } finally {
      Object.assign(fakeBrowser.scripting, original);
    }
  });
});

describe('the log, when the browser has no room', () => {
  const xReset = () => {
    const d = details('https://platform.twitter.com/widgets.js');
    fake!.web.onBeforeRequest.trigger(d);
    fake!.web.onErrorOccurred.trigger({ ...d, error: 'net::ERR_CONNECTION_RESET' });
  };
  const noRoom = () => vi.stubGlobal('navigator', { ...globalThis.navigator, storage: { estimate: async () => ({ quota: 1000, usage: 999 }) } });

  it('what it could not keep is tallied in the session and then in local storage', async () => {
    const { logLossItem, logLossSessionItem } = await import('@/utils/storage');
    fake = await startFakeBackground();
    noRoom();
    xReset();
    await settle(20);
    await fake.bg.flush();
    await vi.waitFor(async () => expect(await logLossItem.getValue()).toMatchObject({ lostObservations: 1, quota: true }));
    expect(await logLossSessionItem.getValue()).toMatchObject({ lostObservations: 1, quota: true });
    xReset();
    await settle(20);
    await fake.bg.flush();
    await vi.waitFor(async () => expect(await logLossItem.getValue()).toMatchObject({ lostObservations: 2 }));
    expect(await logLossSessionItem.getValue()).toMatchObject({ lostObservations: 2 });
  });

  it('a local copy the browser refuses is written on the next try', { timeout: 15_000 }, async () => {
    const { logLossItem, logLossSessionItem } = await import('@/utils/storage');
    fake = await startFakeBackground();
    noRoom();
    const original = logLossItem.setValue.bind(logLossItem);
    const refuse = vi.spyOn(logLossItem, 'setValue').mockRejectedValueOnce(new Error('QuotaExceededError')).mockImplementation(original);
    xReset();
    await settle(20);
    await fake.bg.flush();
    await vi.waitFor(async () => expect(await logLossSessionItem.getValue()).toMatchObject({ lostObservations: 1 }));
    expect(await logLossItem.getValue()).toBeNull();
    await vi.waitFor(async () => expect(await logLossItem.getValue()).toMatchObject({ lostObservations: 1 }), { timeout: 8000 });
    expect(refuse).toHaveBeenCalledTimes(2);
  });

  it('the log context: the first region, as a country, or ZZ when there is none', async () => {
    const { logContext } = await import('@/utils/background/features/log');
    const ctx = ctxWith();
    expect(logContext(ctx)).toEqual({ enabled: true, region: 'PK', dataset: ctx.dataset.version, retentionDays: ctx.settings.log.retentionDays, maxRecords: ctx.settings.log.maxRecords });
    expect(logContext({ ...ctx, region: { ...ctx.region, regions: ['GB-SCT', 'FR'] } }).region).toBe('GB');
    expect(logContext({ ...ctx, region: { ...ctx.region, regions: [] } }).region).toBe('ZZ');
  });
});

describe('what the worker fetches from its own package', () => {
  const here = Intl.DateTimeFormat().resolvedOptions().timeZone;
  it('the time zone table: only when the user picked no region, once, and again after a failure', async () => {
    vi.resetModules();
    const { regionsHere } = await import('@/utils/background/regions');
    const fetched = vi.fn(async () => new Response(JSON.stringify({ zones: { [here]: ['PK'] } })));
    vi.stubGlobal('fetch', fetched);
    expect(await regionsHere(['DE'])).toMatchObject({ regions: ['DE'], source: 'user' });
    expect(fetched).not.toHaveBeenCalled();
    expect(await regionsHere([])).toMatchObject({ regions: ['PK'], source: 'timezone' });
    expect(await regionsHere(null)).toMatchObject({ regions: ['PK'], source: 'timezone' });
    expect(fetched).toHaveBeenCalledTimes(1);
    expect(String((fetched.mock.calls[0] as unknown[])[0])).toMatch(/\/region\/timezones\.json$/);

    vi.resetModules();
    const again = await import('@/utils/background/regions');
    const failing = vi.fn(async () => new Response('', { status: 500 }));
    vi.stubGlobal('fetch', failing);
    expect((await again.regionsHere(null)).source).not.toBe('timezone');
    vi.stubGlobal('fetch', fetched);
    expect(await again.regionsHere(null)).toMatchObject({ regions: ['PK'], source: 'timezone' });
    expect(failing).toHaveBeenCalledTimes(1);
  });

  it('the catalogues: the language and English beside it, English alone for English, keys when nothing loads', async () => {
    vi.resetModules();
    const { wordsFor } = await import('@/utils/background/catalogues');
    const urls: string[] = [];
    const catalogues: Record<string, Record<string, { message: string }>> = { ur: { extName: { message: 'سلام' } }, en: { extName: { message: 'Hello' }, add: { message: 'Add' } } };
    vi.stubGlobal('fetch', async (url: string) => {
      urls.push(url);
      const lang = /_locales\/([^/]+)\//.exec(url)?.[1] ?? '';
      return catalogues[lang] ? new Response(JSON.stringify(catalogues[lang])) : new Response('', { status: 404 });
    });
    const ur = await wordsFor('ur');
    expect([ur('extName'), ur('add')]).toEqual(['سلام', 'Add']);
    expect(urls.map((u) => /_locales\/([^/]+)\//.exec(u)?.[1]).sort()).toEqual(['en', 'ur']);
    const en = await wordsFor('en');
    expect(en('extName')).toBe('Hello');
    expect(urls).toHaveLength(2);
    const fr = await wordsFor('fr');
    expect([fr('extName'), fr('host')]).toEqual(['Hello', 'host']);
    delete catalogues.en;
    vi.resetModules();
    const fresh = await import('@/utils/background/catalogues');
    expect((await fresh.wordsFor('en'))('extName')).toBe('extName');
    catalogues.en = { extName: { message: 'Hello' } };
    expect((await fresh.wordsFor('en'))('extName')).toBe('Hello');
  });
});
