/**
 * The background's frame, part by part on WXT's fakeBrowser: the tab store (the only owner of tab state),
 * the notice UI injector, and the decision context (ARCHITECTURE.md "Background features").
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { buildDecisionContext, decisionContext, invalidateContext, observedForRegions, type DecisionContext } from '@/utils/background/context';
import { injectNoticeScript, NOTICE_SCRIPT, NoticeUi, type NoticePart } from '@/utils/background/notice-ui';
import { emptyTabState, type TabEvent } from '@/utils/background/tab-state';
import { TabStore, type TabChange } from '@/utils/background/tab-store';
import { bundledDataset } from '@/utils/dataset/store';
import { compactDataset } from '@/utils/dataset/core';
import { makeT } from '@/utils/i18n';
import { resolveRegions } from '@/utils/region';
import { DEFAULT_SETTINGS, updateSettings, type Settings } from '@/utils/settings';
import { tabStatesItem, type ObservedStatusMap } from '@/utils/storage';

const TODAY = '2026-12-01';
/** A tab id no other test's store uses: a store of another test may still write its own tabs meanwhile. */
const TAB = 4242;
/** How many of these writes carried this tab. */
const writesOf = (set: { mock: { calls: [Record<string, unknown>][] } }, tabId: number) => set.mock.calls.filter(([v]) => String(tabId) in v).length;
const found = (frameId: number, platform = 'bluesky'): TabEvent => ({ type: 'found', frameId, found: { [platform]: ['markup'] } });

function ctxWith(settings: Partial<Settings> = {}, observed?: ObservedStatusMap): DecisionContext {
  const all = { ...DEFAULT_SETTINGS, regions: ['PK'], ...settings };
  return buildDecisionContext({
    dataset: compactDataset(bundledDataset()),
    datasetSource: 'bundled',
    settings: all,
    today: TODAY,
    uiLanguage: 'en-US',
    words: makeT,
    region: resolveRegions(all.regions),
    observed,
  });
}

beforeEach(() => {
  fakeBrowser.reset();
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('TabStore', () => {
  it('tells every listener what changed, even when one of them throws', async () => {
    const store = new TabStore();
    const heard: TabChange[] = [];
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    store.onChange(() => {
      throw new Error('a broken feature');
    });
    store.onChange((change) => heard.push(change));
    const change = await store.dispatch(5, found(2));
    expect(change).toMatchObject({ tabId: 5, before: emptyTabState(), after: { platforms: { bluesky: { evidence: ['markup'], frames: [2] } } }, event: found(2) });
    expect(heard).toEqual([change]);
    expect(await store.read(5)).toBe(change!.after);
    expect(store.tabIds()).toEqual([5]);
    await store.flush(); // no write of this store left pending for the next test
  });

  it('an event that changes nothing is neither announced nor persisted', async () => {
    const store = new TabStore();
    await store.dispatch(TAB, found(0));
    await store.flush();
    const listener = vi.fn();
    store.onChange(listener);
    const set = vi.spyOn(tabStatesItem, 'setValue');
    expect(await store.dispatch(TAB, found(0))).toBeNull();
    await new Promise((r) => setTimeout(r, 300));
    expect(listener).not.toHaveBeenCalled();
    expect(writesOf(set, TAB)).toBe(0);
  });

  it('coalesces the writes of a burst of changes into one', async () => {
    const store = new TabStore();
    await store.load();
    const set = vi.spyOn(tabStatesItem, 'setValue');
    await store.dispatch(TAB, found(0));
    await store.dispatch(TAB, found(1));
    await store.dispatch(TAB + 1, found(0));
    expect(writesOf(set, TAB)).toBe(0);
    await vi.waitFor(() => expect(writesOf(set, TAB)).toBe(1));
    await new Promise((r) => setTimeout(r, 300));
    expect(writesOf(set, TAB)).toBe(1);
    expect(Object.keys(set.mock.calls.find(([v]) => String(TAB) in v)![0]).sort()).toEqual([String(TAB), String(TAB + 1)]);
  });

  it('forgets a closed tab, and persists that; an unknown tab changes nothing', async () => {
    const store = new TabStore();
    await store.dispatch(TAB, found(0));
    await store.flush();
    const set = vi.spyOn(tabStatesItem, 'setValue');
    await store.forget(9);
    await new Promise((r) => setTimeout(r, 300));
    expect(writesOf(set, TAB)).toBe(0);
    await store.forget(TAB);
    expect(store.tabIds()).toEqual([]);
    expect(await store.read(TAB)).toEqual(emptyTabState());
    await vi.waitFor(() => expect(set).toHaveBeenCalledWith({}));
  });

  it('restores only integer tab ids with valid states, and starts empty when storage fails', async () => {
    const good = { ...emptyTabState('a.example') };
    await tabStatesItem.setValue({ '5': good, abc: good, '1.5': good, '-2': good } as never);
    const store = new TabStore();
    await store.load();
    expect(store.tabIds().sort()).toEqual([-2, 5]);
    vi.spyOn(tabStatesItem, 'getValue').mockRejectedValue(new Error('storage gone'));
    const fresh = new TabStore();
    expect(await fresh.read(5)).toEqual(emptyTabState());
  });

  it('a failed write is reported, not thrown, and the next write still happens', async () => {
    const store = new TabStore();
    await store.dispatch(5, found(0));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.spyOn(tabStatesItem, 'setValue').mockRejectedValueOnce(new Error('quota'));
    await expect(store.flush()).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalled();
    await store.flush();
    expect(Object.keys(await tabStatesItem.getValue())).toEqual(['5']);
  });
});

describe('injectNoticeScript', () => {
  it('tries again when the frame refuses at first (Firefox), up to three times', async () => {
    const executeScript = vi.fn().mockRejectedValueOnce(new Error('not ready')).mockResolvedValue([]);
    Object.assign(fakeBrowser.scripting, { executeScript });
    await injectNoticeScript(5, 2);
    expect(executeScript).toHaveBeenCalledTimes(2);
    expect(executeScript).toHaveBeenCalledWith({ target: { tabId: 5, frameIds: [2] }, files: [NOTICE_SCRIPT] });
  });

  it('gives up after the third refusal', async () => {
    const executeScript = vi.fn().mockRejectedValue(new Error('no such frame'));
    Object.assign(fakeBrowser.scripting, { executeScript });
    await expect(injectNoticeScript(5, 0)).rejects.toThrow('no such frame');
    expect(executeScript).toHaveBeenCalledTimes(3);
  });
});

describe('NoticeUi', () => {
  const part = (id: string, wants: boolean | ((frameId: number) => boolean), contribution: object = {}): NoticePart => ({
    id,
    wants: (_ctx, _s, frameId) => (typeof wants === 'function' ? wants(frameId) : wants),
    build: () => contribution,
  });

  function setup(inject = vi.fn(async () => {})) {
    const tabs = new TabStore();
    const handlers = new Map<string, (...a: never[]) => unknown>();
    const ctx = ctxWith();
    const ui = new NoticeUi({ context: async () => ctx, tabs, onContent: ((type: string, h: (...a: never[]) => unknown) => handlers.set(type, h)) as never }, inject);
    const sendMessage = vi.fn(async () => undefined);
    Object.assign(fakeBrowser.tabs, { sendMessage });
    return { ui, tabs, inject, handlers, ctx, sendMessage };
  }

  it('injects nothing where no part wants it', async () => {
    const { ui, tabs, inject } = setup();
    ui.register(part('a', false));
    await ui.ensure(5, 0);
    expect(inject).not.toHaveBeenCalled();
    expect((await tabs.read(5)).noticeFrames).toEqual([]);
  });

  it('injects once into the frame any part wants, then only asks it to refresh', async () => {
    const { ui, tabs, inject, sendMessage } = setup();
    ui.register(part('a', false));
    ui.register(part('b', (frameId) => frameId === 3));
    await ui.ensure(5, 0);
    expect(inject).not.toHaveBeenCalled();
    await ui.ensure(5, 3);
    await ui.ensure(5, 3);
    expect(inject).toHaveBeenCalledTimes(1);
    expect(inject).toHaveBeenCalledWith(5, 3);
    expect(sendMessage).toHaveBeenCalledTimes(1);
    expect(sendMessage).toHaveBeenCalledWith(5, { type: 'notice:refresh' }, { frameId: 3 });
    expect((await tabs.read(5)).noticeFrames).toEqual([3]);
  });

  it('frees a frame whose injection failed, so a later finding tries again', async () => {
    const inject = vi.fn().mockRejectedValueOnce(new Error('no')).mockResolvedValue(undefined);
    const { ui, tabs } = setup(inject);
    ui.register(part('a', true));
    await ui.ensure(5, 0);
    expect((await tabs.read(5)).noticeFrames).toEqual([]);
    await ui.ensure(5, 0);
    expect(inject).toHaveBeenCalledTimes(2);
    expect((await tabs.read(5)).noticeFrames).toEqual([0]);
  });

  it('answers notice:context with every part\'s share, in the language of the context', async () => {
    const { ui, handlers, ctx } = setup();
    ui.register(part('labels', true, { platforms: [{ platform: 'bluesky' }] }));
    ui.register(part('banner', true, { banner: { platform: 'bluesky' } }));
    const context = await ui.contextFor({ tabId: 5, frameId: 0, url: 'https://news.example/' }, ctx);
    expect(context).toMatchObject({ lang: 'en', dir: 'ltr', platforms: [{ platform: 'bluesky' }], banner: { platform: 'bluesky' } });
    expect(context.strings.why).toBe('Why?');
    const viaMessage = await (handlers.get('notice:context') as (r: unknown, f: unknown, c: DecisionContext) => Promise<unknown>)({}, { tabId: 5, frameId: 0, url: '' }, ctx);
    expect(viaMessage).toEqual(context);
  });

  it('with no part contributing, a frame shows nothing', async () => {
    const { ui, ctx } = setup();
    expect(await ui.contextFor({ tabId: 5, frameId: 0, url: '' }, ctx)).toMatchObject({ platforms: [], banner: null });
  });
});

describe('the decision context', () => {
  const failing = (outcome = 'tcp_reset') => ({ status: 'failing' as const, outcome: outcome as never, failures: 3, failedLoads: 2, oks: 0, controls: 5 });
  const loading = () => ({ status: 'loading' as const, outcome: null, failures: 0, failedLoads: 0, oks: 4, controls: 5 });

  it('reads the observed statuses of the user\'s countries only; failing in any of them wins', () => {
    const map = { 'PK:x': loading(), 'IN:x': failing(), 'PK:youtube': failing(), 'CN:bluesky': failing() };
    const seen = observedForRegions(map, ['PK-IS', 'IN']);
    expect([...seen.keys()].sort()).toEqual(['x', 'youtube']);
    expect(seen.get('x')?.status).toBe('failing');
    expect(observedForRegions({ 'IN:x': failing(), 'PK:x': loading() }, ['PK', 'IN']).get('x')?.status).toBe('failing');
    expect(observedForRegions({ 'PK:x': loading() }, ['PK']).get('x')?.status).toBe('loading');
    expect(observedForRegions(map, []).size).toBe(0);
  });

  it('a platform failing here with nothing in force recorded is restricted on the observed basis, and watched', () => {
    const ctx = ctxWith({ notices: { ...DEFAULT_SETTINGS.notices, observed: true } }, { 'PK:x': failing(), 'PK:bluesky': failing(), 'PK:nonexistent': failing(), 'PK:youtube': loading() });
    expect([...ctx.observedFailing]).toEqual(['x']);
    expect(ctx.watched.has('x')).toBe(true);
    expect(ctx.watched.has('youtube')).toBe(false);
    expect(ctx.pack?.hosts['x.com']).toBe('x');
    expect(ctx.observed.get('youtube')?.status).toBe('loading');
  });

  it('with observed notices off, what was observed is kept but restricts nothing', () => {
    const ctx = ctxWith({ notices: { ...DEFAULT_SETTINGS.notices, observed: false } }, { 'PK:x': failing() });
    expect(ctx.observed.get('x')?.status).toBe('failing');
    expect(ctx.observedFailing.size).toBe(0);
    expect(ctx.watched.has('x')).toBe(false);
  });

  it('nothing watched: no signatures to hand out', () => {
    expect(ctxWith({ regions: ['NO'] }).pack).toBeNull();
  });

  it('is built once, and again after settings change or on a new day', async () => {
    Object.assign(fakeBrowser.i18n, { getUILanguage: () => 'en-US' });
    await updateSettings((s) => ({ ...s, regions: ['PK'] }));
    invalidateContext();
    const first = decisionContext();
    expect(decisionContext()).toBe(first);
    const ctx = await first;
    expect(ctx.region.regions).toEqual(['PK']);
    await updateSettings((s) => ({ ...s, regions: ['CN'] }));
    expect(await decisionContext()).toBe(ctx);
    invalidateContext();
    expect((await decisionContext()).region.regions).toEqual(['CN']);
    const sameDay = await decisionContext();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 86_400_000);
    const nextDay = await decisionContext();
    expect(nextDay).not.toBe(sameDay);
    expect(nextDay.today).not.toBe(sameDay.today);
  });
});
