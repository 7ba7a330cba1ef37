/**
 * What the background's features do to the browser, on WXT's fakeBrowser: the badge's text, colour and
 * title, the alarms of probing and dataset updates, and what a closed tab takes with it.
 */
import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { UPDATE_ALARM, UPDATE_ALARM_MINUTES } from '@/utils/background/features/dataset-updates';
import { PROBE_ALARM } from '@/utils/background/features/probing';
import { updateSettings } from '@/utils/settings';
import { datasetUpdateStatusItem, failuresItem } from '@/utils/storage';
import { details, fromContent, fromPage, freshLogPerTest, send, settle, startFakeBackground, type FakeBackground } from './helpers/background';

let fake: FakeBackground;
freshLogPerTest(() => fake);

const badge = async (tabId: number) => ({
  text: await fakeBrowser.action.getBadgeText({ tabId }),
  title: await fakeBrowser.action.getTitle({ tabId }),
});

describe('the badge', () => {
  it('shows the count in amber, and names the platforms in its title', async () => {
    fake = await startFakeBackground();
    const colour = vi.spyOn(fakeBrowser.action, 'setBadgeBackgroundColor');
    await send({ type: 'found', found: { bluesky: { markup: 1 } } }, fromContent('https://news.example/'));
    await vi.waitFor(async () => expect(await badge(5)).toEqual({ text: '1', title: expect.stringContaining('Bluesky') }));
    expect(colour).toHaveBeenCalledWith({ tabId: 5, color: '#b54708' });
  });

  it('one update per tab for a burst of changes', async () => {
    fake = await startFakeBackground();
    const setText = vi.spyOn(fakeBrowser.action, 'setBadgeText');
    fake.web.onBeforeRequest.trigger(details('https://news.example/', { type: 'main_frame' }));
    for (const url of ['https://embed.bsky.app/a.js', 'https://cdn.bsky.app/a.jpg', 'https://video.bsky.app/a.mp4']) fake.web.onBeforeRequest.trigger(details(url, { type: 'script' }));
    fake.web.onBeforeRequest.trigger(details('https://bsky.app/', { type: 'sub_frame', tabId: 6 }));
    await vi.waitFor(async () => expect((await badge(5)).text).toBe('1'));
    await vi.waitFor(async () => expect((await badge(6)).text).toBe('1'));
    await settle(80);
    expect(setText.mock.calls.filter(([d]) => d.tabId === 5)).toHaveLength(1);
  });

  it('follows the user\'s regions: moving where nothing found is restricted clears it', async () => {
    fake = await startFakeBackground();
    await send({ type: 'found', found: { bluesky: { markup: 1 } } }, fromContent('https://news.example/'));
    await vi.waitFor(async () => expect((await badge(5)).text).toBe('1'));
    await updateSettings((s) => ({ ...s, regions: ['FR'] }));
    await vi.waitFor(async () => expect(await badge(5)).toEqual({ text: '', title: 'BanLens' }));
  });

  it('a tab that closed before its update does not break the others', async () => {
    fake = await startFakeBackground();
    const setText = fakeBrowser.action.setBadgeText.bind(fakeBrowser.action);
    vi.spyOn(fakeBrowser.action, 'setBadgeText').mockImplementation(async (d) => (d.tabId === 6 ? Promise.reject(new Error('No tab with id: 6')) : setText(d)));
    await send({ type: 'found', found: { bluesky: { markup: 1 } } }, fromContent('https://news.example/', 0, 6));
    await send({ type: 'found', found: { bluesky: { markup: 1 } } }, fromContent('https://news.example/', 0, 5));
    await vi.waitFor(async () => expect((await badge(5)).text).toBe('1'));
  });
});

describe('the explanation page', () => {
  it('a closed tab takes only its own failed URL with it', async () => {
    fake = await startFakeBackground();
    for (const tabId of [5, 6]) fake.web.onErrorOccurred.trigger(details('https://bsky.app/', { type: 'main_frame', tabId, error: 'net::ERR_CONNECTION_RESET' }));
    await vi.waitFor(async () => expect(Object.keys(await failuresItem.getValue()).sort()).toEqual(['5', '6']));
    await fakeBrowser.tabs.onRemoved.trigger(6, { windowId: 1, isWindowClosing: false });
    await vi.waitFor(async () => expect(Object.keys(await failuresItem.getValue())).toEqual(['5']));
    const set = vi.spyOn(failuresItem, 'setValue');
    await fakeBrowser.tabs.onRemoved.trigger(9, { windowId: 1, isWindowClosing: false });
    await settle(20);
    expect(set).not.toHaveBeenCalled();
  });

  it('not for a sub-frame, a tab-less request or a load that worked', async () => {
    fake = await startFakeBackground();
    fake.web.onErrorOccurred.trigger(details('https://bsky.app/', { type: 'sub_frame', error: 'net::ERR_CONNECTION_RESET' }));
    fake.web.onErrorOccurred.trigger(details('https://bsky.app/', { type: 'main_frame', tabId: -1, error: 'net::ERR_CONNECTION_RESET' }));
    fake.web.onCompleted.trigger(details('https://bsky.app/', { type: 'main_frame', statusCode: 200 }));
    await settle(30);
    expect(fake.tabsUpdate).not.toHaveBeenCalled();
    expect(await failuresItem.getValue()).toEqual({});
  });
});

describe('probing', () => {
  const probeAlarm = () => fakeBrowser.alarms.get(PROBE_ALARM);

  it('keeps an alarm only while the user consented to a schedule', async () => {
    fake = await startFakeBackground((s) => ({ ...s, probe: { ...s.probe, enabled: true, consentedAt: '2026-12-01T00:00:00Z', everyHours: 6 } }));
    await vi.waitFor(async () => expect((await probeAlarm())?.periodInMinutes).toBe(360));
    await updateSettings((s) => ({ ...s, probe: { ...s.probe, everyHours: null } }));
    await vi.waitFor(async () => expect(await probeAlarm()).toBeUndefined());
  });

  it('a run without consent probes nothing and says why', async () => {
    fake = await startFakeBackground();
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    expect(await send({ type: 'probe:run' }, fromPage('dashboard.html'))).toEqual({ ran: 0, skipped: 'disabled' });
    expect(fetch).not.toHaveBeenCalled();
  });

  it('a consented run probes each restricted platform once, then waits before the next run by hand', async () => {
    fake = await startFakeBackground((s) => ({ ...s, probe: { ...s.probe, enabled: true, consentedAt: '2026-12-01T00:00:00Z' } }));
    const fetch = vi.fn(async () => new Response(null));
    vi.stubGlobal('fetch', fetch);
    const first = (await send({ type: 'probe:run' }, fromPage('dashboard.html'))) as { ran: number; skipped: null };
    expect(first.skipped).toBeNull();
    expect(first.ran).toBeGreaterThan(0);
    expect(fetch).toHaveBeenCalledTimes(first.ran);
    expect(await send({ type: 'probe:run' }, fromPage('dashboard.html'))).toEqual({ ran: 0, skipped: 'too-soon' });
  });
});

describe('dataset updates', () => {
  const updateAlarm = () => fakeBrowser.alarms.get(UPDATE_ALARM);

  it('off by default: no alarm, no request, and "Check now" changes nothing', async () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    fake = await startFakeBackground();
    await settle(20);
    expect(await updateAlarm()).toBeUndefined();
    const state = (await send({ type: 'dataset:update-now' }, fromPage('options.html'))) as { enabled: boolean; status: unknown };
    expect(state).toMatchObject({ enabled: false, active: { source: 'bundled' }, previous: null });
    expect(fetch).not.toHaveBeenCalled();
    expect(await datasetUpdateStatusItem.getValue()).toEqual(state.status);
  });

  it('turned on: an alarm every few hours, and a check at once that records a failure and backs off', async () => {
    // A build with a channel (wxt.config.ts defines these from BANLENS_DATASET_URL / BANLENS_DATASET_KEY).
    vi.stubGlobal('__BANLENS_DATASET_URL__', 'https://updates.example.org/v1/manifest.json');
    vi.stubGlobal('__BANLENS_DATASET_KEY__', 'NtEzONimzp63nfBrMXHKN/ebVCqZ/pwaJo1N1zzaMdE=');
    const fetch = vi.fn(async () => Promise.reject(new TypeError('Failed to fetch')));
    vi.stubGlobal('fetch', fetch);
    fake = await startFakeBackground((s) => ({ ...s, datasetUpdates: true }));
    await vi.waitFor(async () => expect((await updateAlarm())?.periodInMinutes).toBe(UPDATE_ALARM_MINUTES));
    await vi.waitFor(async () => expect(await datasetUpdateStatusItem.getValue()).toMatchObject({ result: 'refused', failures: 1 }));
    const status = (await datasetUpdateStatusItem.getValue())!;
    expect(status.nextCheckAt - status.lastCheckAt!).toBe(86_400_000);
    // Not due again: the alarm does not check.
    const calls = fetch.mock.calls.length;
    await fakeBrowser.alarms.onAlarm.trigger({ name: UPDATE_ALARM, scheduledTime: Date.now() });
    await settle(20);
    expect(fetch.mock.calls.length).toBe(calls);
    // "Check now" does, and the wait doubles.
    await send({ type: 'dataset:update-now' }, fromPage('options.html'));
    expect(await datasetUpdateStatusItem.getValue()).toMatchObject({ result: 'refused', failures: 2 });
    await updateSettings((s) => ({ ...s, datasetUpdates: false }));
    await vi.waitFor(async () => expect(await updateAlarm()).toBeUndefined());
  });
});
