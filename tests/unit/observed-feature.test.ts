/**
 * The observed-status feature on fakeBrowser (utils/background/features/observed-status.ts): webRequest events in,
 * the bounded summary, the statuses, the decision context, the badge and the user's reports out.
 */
import { deleteDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { decisionContext } from '@/utils/background/context';
import { closeDb, LOG_DB_NAME, queryRecords } from '@/utils/log/db';
import { observedStatusItem, observedSummaryItem, pageLoadsItem } from '@/utils/storage';
import { details, fromContent, fromPage, send, settle, startFakeBackground, type FakeBackground } from './helpers/background';

let fake: FakeBackground;
beforeEach(async () => {
  await closeDb();
  await deleteDB(LOG_DB_NAME);
});
afterEach(() => vi.restoreAllMocks());

/** One page load of an article on `page` whose X embed (`x`: how its two requests end), with one control image from `control`. */
function articleLoad(at: number, x: 'reset' | 'ok', { page = 'https://news.example/a', control = 'https://cdn.news.example/pic.jpg' as string | null } = {}) {
  const main = details(page, { type: 'main_frame', timeStamp: at });
  fake.web.onBeforeRequest.trigger(main);
  fake.web.onCompleted.trigger({ ...main, statusCode: 200 });
  if (control) fake.web.onCompleted.trigger({ ...details(control, { type: 'image', timeStamp: at + 100 }), statusCode: 200 });
  for (const url of ['https://platform.twitter.com/widgets.js', 'https://syndication.twitter.com/srv/timeline']) {
    const d = details(url, { type: 'script', timeStamp: at + 200 });
    fake.web.onBeforeRequest.trigger(d);
    if (x === 'reset') fake.web.onErrorOccurred.trigger({ ...d, error: 'net::ERR_CONNECTION_RESET' });
    else fake.web.onCompleted.trigger({ ...d, statusCode: 200 });
  }
}

async function twoLoads(x: 'reset' | 'ok', opts?: Parameters<typeof articleLoad>[2]) {
  const now = Date.now();
  articleLoad(now - 60_000, x, opts);
  await settle(20);
  articleLoad(now - 30_000, x, opts);
  await settle(50);
}

describe('observed status, fed by the browser', () => {
  it('an X embed that resets on two page loads while the rest of the web loads: failing, on the badge, watched', async () => {
    fake = await startFakeBackground();
    await twoLoads('reset');
    await vi.waitFor(async () => expect((await observedStatusItem.getValue())['PK:x']).toMatchObject({ status: 'failing', outcome: 'tcp_reset', failedLoads: 2 }));
    const ctx = await decisionContext();
    expect([...ctx.observedFailing]).toEqual(['x']);
    expect(ctx.watched.has('x')).toBe(true);
    expect(ctx.restrictedNow.has('x')).toBe(false);
    await vi.waitFor(async () => expect(await fakeBrowser.action.getBadgeText({ tabId: 5 })).toBe('1'));
    // The summary and the page-load tokens hold no host, URL or tab's page.
    const stored = JSON.stringify([await observedSummaryItem.getValue(), await pageLoadsItem.getValue()]);
    expect(stored).not.toMatch(/news\.example|twitter|https?:/);
  });

  it('control hosts are never logged', async () => {
    fake = await startFakeBackground();
    await twoLoads('reset');
    await fake.bg.flush();
    const hosts = new Set((await queryRecords()).map((r) => r.host));
    expect([...hosts].sort()).toEqual(['platform.twitter.com', 'syndication.twitter.com']);
  });

  it('the same article where X loads: loading, nothing flagged', async () => {
    fake = await startFakeBackground();
    await twoLoads('ok');
    await vi.waitFor(async () => expect((await observedStatusItem.getValue())['PK:x']).toMatchObject({ status: 'loading' }));
    const ctx = await decisionContext();
    expect(ctx.observedFailing.size).toBe(0);
    expect(await fakeBrowser.action.getBadgeText({ tabId: 5 })).toBe('');
  });

  it('everything failing (no control): nothing flagged', async () => {
    fake = await startFakeBackground();
    await twoLoads('reset', { control: null, page: 'http://news.example/a' });
    await settle(50);
    expect(await observedStatusItem.getValue()).toEqual({});
    expect((await decisionContext()).observedFailing.size).toBe(0);
  });

  it('loopback, private and plain-http loads are no control', async () => {
    fake = await startFakeBackground();
    await twoLoads('reset', { page: 'https://localhost/a', control: 'https://192.168.1.1/x.png' });
    await settle(50);
    expect(await observedStatusItem.getValue()).toEqual({});
  });

  it('observed notices off: failing is kept, but nothing is restricted on that basis', async () => {
    fake = await startFakeBackground((s) => ({ ...s, notices: { ...s.notices, observed: false } }));
    await twoLoads('reset');
    await vi.waitFor(async () => expect((await observedStatusItem.getValue())['PK:x']?.status).toBe('failing'));
    const ctx = await decisionContext();
    expect(ctx.observedFailing.size).toBe(0);
    expect(ctx.observed.get('x')?.status).toBe('failing');
  });
});

describe("the user's own report", () => {
  it('from the popup and from a notice: a log record with vantage report, host name only', async () => {
    fake = await startFakeBackground();
    expect(await send({ type: 'popup:report', platform: 'x' }, fromPage())).toEqual({ ok: true });
    expect(await send({ type: 'notice:report', platform: 'x' }, fromContent('https://news.example/a'))).toEqual({ ok: true });
    const records = await queryRecords();
    expect(records).toMatchObject([{ platform: 'x', host: 'x.com', vantage: 'report', resource: 'other', outcome: 'other', region: 'PK', count: 2, restricted: false }]);
  });

  it('is refused for an unknown platform, and stores nothing when the log is off', async () => {
    fake = await startFakeBackground((s) => ({ ...s, log: { ...s.log, enabled: false } }));
    expect(await send({ type: 'popup:report', platform: 'x' }, fromPage())).toEqual({ ok: false });
    expect(await send({ type: 'popup:report', platform: 'nope' }, fromPage())).toEqual({ ok: false });
    expect(await queryRecords()).toEqual([]);
  });
});

describe('what the observed basis shows', () => {
  it('an embed of X found on the tab: an observed notice that says what was seen and what was not; the popup line', async () => {
    fake = await startFakeBackground();
    await twoLoads('reset');
    await vi.waitFor(async () => expect((await decisionContext()).observedFailing.has('x')).toBe(true));
    // The detector, now watching X, finds the embed.
    await send({ type: 'found', found: { x: { markup: 1 } } }, fromContent('https://news.example/a'));
    const notice = (await send({ type: 'notice:context' }, fromContent('https://news.example/a'))) as { platforms: { platform: string; basis: string; observed: string }[] };
    expect(notice.platforms).toMatchObject([{ platform: 'x', basis: 'observed' }]);
    expect(notice.platforms[0]!.observed).toMatch(/^X \(Twitter\) did not load here: connection reset, the way blocking looks\. No restriction in force is recorded for Pakistan\. Last recorded: blocked .+ – .+\.$/);
    const popup = (await send({ type: 'popup:state', tabId: 5 }, fromPage())) as { platforms: { platform: string; basis: string; status: { key: string } }[] };
    expect(popup.platforms.find((p) => p.platform === 'x')).toMatchObject({ basis: 'observed', status: { key: 'observed-failing' } });
  });

  it('a recorded restriction whose platform loads normally here: the "loading normally" line', async () => {
    fake = await startFakeBackground();
    const now = Date.now();
    for (const [i, at] of [now - 60_000, now - 30_000].entries()) {
      const main = details(`https://news.example/${i}`, { type: 'main_frame', timeStamp: at });
      fake.web.onBeforeRequest.trigger(main);
      for (const url of ['https://embed.bsky.app/static/embed.js', 'https://cdn.bsky.app/img.jpg']) {
        const d = details(url, { type: 'script', timeStamp: at + 100 });
        fake.web.onBeforeRequest.trigger(d);
        fake.web.onCompleted.trigger({ ...d, statusCode: 200 });
      }
      await settle(20);
    }
    await vi.waitFor(async () => expect((await decisionContext()).observed.get('bluesky')?.status).toBe('loading'));
    const popup = (await send({ type: 'popup:state', tabId: 5 }, fromPage())) as { platforms: { platform: string; basis: string; status: { key: string; text: string } }[] };
    expect(popup.platforms.find((p) => p.platform === 'bluesky')).toMatchObject({ basis: 'recorded', status: { key: 'recorded-loading', text: expect.stringContaining('you may be using a VPN, or the restriction may have been lifted') } });
  });

  it('a main-frame load of a failing platform gets the explanation page, worded for the observed basis', async () => {
    fake = await startFakeBackground();
    await twoLoads('reset');
    await vi.waitFor(async () => expect((await decisionContext()).observedFailing.has('x')).toBe(true));
    const d = details('https://x.com/home', { type: 'main_frame', tabId: 7 });
    fake.web.onBeforeRequest.trigger(d);
    fake.web.onErrorOccurred.trigger({ ...d, error: 'net::ERR_CONNECTION_RESET' });
    await vi.waitFor(() => expect(fake.tabsUpdate).toHaveBeenCalledWith(7, { url: fakeBrowser.runtime.getURL('/blocked.html') }));
    const state = (await send({ type: 'blocked:state', tabId: 7 }, fromPage('blocked.html'))) as { failure: { basis: string }; observed: { heading: string; body: string } };
    expect(state.failure.basis).toBe('observed');
    expect(state.observed.heading).toBe('X (Twitter) did not load: connection reset, the way blocking looks');
    expect(state.observed.body).toMatch(/^No restriction in force is recorded for Pakistan\. This may be a new block/);
  });
});

describe('disagreement for researchers', () => {
  it('per region and platform: recorded as blocked but loading, failing but not recorded, with the counts', async () => {
    const { buildLogIndex, disagreements } = await import('@/utils/log/summary');
    const base = { schema: 'banlens.reachability/1', hour: '2026-12-01T09:00:00Z', resource: 'script', error: null, http_status: null, ms_bucket: null, browser: 'chromium/156', extension: '0.1.0', dataset: '1' } as const;
    let n = 0;
    const rec = (platform: string, outcome: string, restricted: boolean, count: number, vantage = 'passive') =>
      ({ ...base, id: `00000000-0000-4000-8000-${String(n++).padStart(12, '0')}`, region: 'PK', platform, host: `${platform}.example`, vantage, resource: vantage === 'report' ? 'other' : 'script', outcome, count, restricted }) as never;
    const index = await buildLogIndex([rec('bluesky', 'ok', true, 5), rec('bluesky', 'tls', true, 1), rec('x', 'tcp_reset', false, 4), rec('x', 'ok', false, 1), rec('x', 'other', false, 1, 'report'), rec('youtube', 'ok', false, 9)]);
    expect(disagreements(index!)).toEqual([
      expect.objectContaining({ region: 'PK', platform: 'bluesky', kind: 'recorded-loading', recordedOk: 5, recordedBlocking: 1 }),
      expect.objectContaining({ region: 'PK', platform: 'x', kind: 'failing-unrecorded', unrecordedBlocking: 4, unrecordedOk: 1, reports: 1 }),
    ]);
  });
});

describe('the pure parts', () => {
  const ev = (at: number, load: string, outcome: 'tcp_reset' | 'dns' | 'ok') => ({ at, load, outcome });
  it('observedStatuses: every region:platform with a verdict, leaving out unknown, with its counts', async () => {
    const { observedStatuses } = await import('@/utils/background/features/observed-status');
    const now = Date.UTC(2026, 11, 1, 12);
    const summary = {
      v: 1 as const,
      platforms: {
        'PK:x': { failures: [ev(now - 3000, 'a', 'tcp_reset'), ev(now - 2000, 'a', 'dns'), ev(now - 1000, 'b', 'tcp_reset')], oks: [] },
        'PK:bluesky': { failures: [], oks: [ev(now - 3000, 'a', 'ok'), ev(now - 2000, 'b', 'ok'), ev(now - 1000, 'b', 'ok')] },
        'RU:whatsapp': { failures: [ev(now - 1000, 'c', 'tcp_reset')], oks: [] },
      },
      controls: [now - 60_000, now - 30_000],
    };
    expect(observedStatuses(summary, now)).toEqual({
      'PK:x': { status: 'failing', outcome: 'tcp_reset', failures: 3, failedLoads: 2, oks: 0, controls: 2 },
      'PK:bluesky': { status: 'loading', outcome: null, failures: 0, failedLoads: 0, oks: 3, controls: 0 },
    });
    expect(observedStatuses({ v: 1, platforms: {}, controls: [] }, now)).toEqual({});
  });

  it("reportObservation: the user's report as an observation with no request, tab or duration behind it", async () => {
    const { reportObservation } = await import('@/utils/background/features/observed-status');
    const ctx = await decisionContext();
    const bluesky = reportObservation(ctx, 'bluesky', 1234);
    expect(bluesky).toEqual({
      event: 'completed',
      requestId: expect.stringMatching(/^report-[0-9a-f-]{36}$/),
      tabId: -1,
      frameId: -1,
      url: 'https://bsky.app/',
      host: 'bsky.app',
      resourceType: 'other',
      timeStamp: 1234,
      durationMs: null,
      outcome: 'other',
      error: null,
      httpStatus: null,
      vantage: 'report',
      match: { platform: 'bluesky', role: 'site', domain: 'bsky.app' },
      platform: ctx.platformById.get('bluesky'),
      restricted: true,
    });
    expect(reportObservation(ctx, 'x', 1)?.restricted).toBe(false);
    expect(reportObservation(ctx, 'nope', 1)).toBeNull();
    expect(reportObservation({ ...ctx, platformById: new Map([['x', { ...ctx.platformById.get('x')!, domains: [] }]]) }, 'x', 1)).toBeNull();
  });
});

describe('page loads and what is written', () => {
  const failure = (url: string, more: Record<string, unknown> = {}) => {
    const d = details(url, { type: 'script', ...more });
    fake.web.onBeforeRequest.trigger(d);
    fake.web.onErrorOccurred.trigger({ ...d, error: 'net::ERR_CONNECTION_RESET' });
  };
  const loadsOf = async () => {
    await fake.bg.flush();
    return (await observedSummaryItem.getValue()).platforms['PK:x']?.failures.map((f) => f.load) ?? [];
  };

  it('a page load is a main-frame request of the top frame: a subframe navigation is the same load, a new page a new one', async () => {
    fake = await startFakeBackground();
    const main = details('https://news.example/a', { type: 'main_frame' });
    fake.web.onBeforeRequest.trigger(main);
    failure('https://platform.twitter.com/widgets.js');
    fake.web.onBeforeRequest.trigger(details('https://news.example/frame', { type: 'sub_frame', frameId: 3, parentFrameId: 0 }));
    fake.web.onBeforeRequest.trigger(details('https://news.example/odd', { type: 'main_frame', frameId: 2 }));
    failure('https://syndication.twitter.com/srv/timeline');
    await settle(20);
    const first = await loadsOf();
    expect(first).toHaveLength(2);
    expect(new Set(first).size).toBe(1);
    fake.web.onBeforeRequest.trigger(details('https://news.example/b', { type: 'main_frame' }));
    failure('https://platform.twitter.com/widgets.js');
    await settle(20);
    const second = await loadsOf();
    expect(second).toHaveLength(3);
    expect(new Set(second).size).toBe(2);
    // Each tab has its own page load, kept for a new worker, and forgotten when the tab closes.
    failure('https://platform.twitter.com/widgets.js', { tabId: 8 });
    await settle(20);
    expect(new Set(await loadsOf()).size).toBe(3);
    expect(Object.keys(await pageLoadsItem.getValue()).sort()).toEqual(['5', '8']);
    await fakeBrowser.tabs.onRemoved.trigger(8, { windowId: 1, isWindowClosing: false });
    await settle(20);
    expect(Object.keys(await pageLoadsItem.getValue())).toEqual(['5']);
  });

  it("a new worker keeps a page's load token from session storage", async () => {
    vi.spyOn(pageLoadsItem, 'getValue').mockResolvedValue({ '5': 'load-before-the-restart' });
    fake = await startFakeBackground();
    failure('https://platform.twitter.com/widgets.js');
    await settle(20);
    expect(await loadsOf()).toEqual(['load-before-the-restart']);
  });

  it('probes and reports are no page load, and outcomes that are neither ok nor blocking-like change nothing', async () => {
    fake = await startFakeBackground();
    failure('https://platform.twitter.com/widgets.js', { tabId: -1 });
    const d = details('https://platform.twitter.com/widgets.js', { type: 'script' });
    fake.web.onBeforeRequest.trigger(d);
    fake.web.onCompleted.trigger({ ...d, statusCode: 500 });
    await settle(20);
    await fake.bg.flush();
    expect((await observedSummaryItem.getValue()).platforms).toEqual({});
  });

  it('the statuses are written when a verdict changes, not on every observation', async () => {
    fake = await startFakeBackground();
    const writes = vi.spyOn(observedStatusItem, 'setValue');
    await twoLoads('reset');
    await fake.bg.flush();
    await vi.waitFor(async () => expect((await observedStatusItem.getValue())['PK:x']?.status).toBe('failing'));
    expect(writes).toHaveBeenCalledTimes(1);
    articleLoad(Date.now() - 10_000, 'reset');
    await settle(300);
    await fake.bg.flush();
    expect((await observedSummaryItem.getValue()).platforms['PK:x']?.failures).toHaveLength(6);
    expect(writes).toHaveBeenCalledTimes(1);
    // A different verdict for another platform is a change.
    articleLoad(Date.now() - 5_000, 'ok');
    await settle(300);
    await fake.bg.flush();
    expect(writes).toHaveBeenCalledTimes(2);
  });

  it('a platform that starts failing gets the notice UI in tabs where it was already found', async () => {
    fake = await startFakeBackground();
    const xTab = details('https://x.com/home', { type: 'main_frame', tabId: 9, timeStamp: Date.now() - 90_000 });
    fake.web.onBeforeRequest.trigger(xTab);
    fake.web.onCompleted.trigger({ ...xTab, statusCode: 200 });
    await settle(20);
    expect(fake.executeScript).not.toHaveBeenCalled();
    await twoLoads('reset');
    await vi.waitFor(() => expect(fake.executeScript).toHaveBeenCalledWith(expect.objectContaining({ target: expect.objectContaining({ tabId: 9 }) })));
  });
});
