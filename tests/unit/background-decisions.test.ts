/**
 * Every background decision is a pure function of (state, settings, dataset, time): each is pinned here
 * on a context built from the bundled dataset, Pakistan, and a fixed day.
 */
import { describe, expect, it } from 'vitest';
import { buildDecisionContext, recordsFor, type RecordsContext } from '@/utils/background/context';
import { emptyTabState, reduceTab, type TabEvent, type TabState } from '@/utils/background/tab-state';
import { badgeFor } from '@/utils/background/features/badge';
import { bannerPlatform, explainBanner, withBannerShown } from '@/utils/background/features/banner';
import { labelPlatforms, labelsFor } from '@/utils/background/features/embed-labels';
import { CENSORSHIP_OUTCOMES, failureToExplain } from '@/utils/background/features/explanation-page';
import { isMuted, noticeAllowed, withSiteMuted } from '@/utils/background/features/mutes';
import { watchedFindings } from '@/utils/background/features/detection';
import { popupState } from '@/utils/background/features/popup';
import { probePeriodMinutes, probeTimeout } from '@/utils/background/features/probing';
import { logContext } from '@/utils/background/features/log';
import { regionState } from '@/utils/background/features/region';
import { matchObservation, type PlatformObservation, type RequestObservation } from '@/utils/background/observations';
import { bundledDataset } from '@/utils/dataset/store';
import { compactDataset } from '@/utils/dataset/core';
import { makeT } from '@/utils/i18n';
import { resolveRegions } from '@/utils/region';
import { DEFAULT_SETTINGS, type Settings } from '@/utils/settings';

const TODAY = '2026-12-01';
type SettingsPatch = { notices?: Partial<Settings['notices']>; log?: Partial<Settings['log']>; probe?: Partial<Settings['probe']>; regions?: string[] | null; language?: Settings['language'] };

/** A context as the background builds it, from the dataset's core, with the records of the user's regions beside it. */
function ctxWith(patch: SettingsPatch = {}, today = TODAY): RecordsContext {
  const settings: Settings = {
    ...DEFAULT_SETTINGS,
    regions: patch.regions === undefined ? ['PK'] : patch.regions,
    language: patch.language ?? 'auto',
    notices: { ...DEFAULT_SETTINGS.notices, ...patch.notices },
    log: { ...DEFAULT_SETTINGS.log, ...patch.log },
    probe: { ...DEFAULT_SETTINGS.probe, ...patch.probe },
  };
  const ctx = buildDecisionContext({ dataset: compactDataset(bundledDataset()), datasetSource: 'bundled', settings, today, uiLanguage: 'en-US', words: makeT, region: resolveRegions(settings.regions) });
  return { ...ctx, records: recordsFor(bundledDataset(), ctx.region.regions) };
}

const tab = (...events: TabEvent[]): TabState => events.reduce(reduceTab, emptyTabState());
/** A news site embedding Bluesky (restricted in Pakistan) and X (lifted there) in its top frame. */
const newsWithEmbeds = () =>
  tab({ type: 'navigated', site: 'www.news.example', platform: null, at: 1 }, { type: 'found', frameId: 0, found: { bluesky: ['markup'], x: ['frame'] } });
/** The top page is Bluesky itself. */
const blueskyPage = () => tab({ type: 'navigated', site: 'bsky.app', platform: 'bluesky', at: 1 });

describe('the context', () => {
  it('knows what is restricted in Pakistan today and what was lifted', () => {
    const ctx = ctxWith();
    expect([...ctx.restrictedNow]).toEqual(['bluesky']);
    expect(ctx.watched.has('x')).toBe(false);
    expect(ctxWith({ notices: { showLifted: true } }).watched.has('x')).toBe(true);
    expect(ctx.pack?.hosts['bsky.app']).toBe('bluesky');
  });
  it('follows the day: nothing was restricted before the Bluesky block began', () => {
    expect(ctxWith({}, '2024-11-19').restrictedNow.has('bluesky')).toBe(false);
  });
});

describe('badge', () => {
  it('counts distinct platforms in force today, never lifted ones', () => {
    expect(badgeFor(ctxWith(), newsWithEmbeds())).toEqual({ text: '1', title: expect.stringContaining('Bluesky') });
    expect(badgeFor(ctxWith({ notices: { showLifted: true } }), newsWithEmbeds()).text).toBe('1');
  });
  it('is empty where nothing restricted was found', () => {
    expect(badgeFor(ctxWith(), tab({ type: 'found', frameId: 0, found: { x: ['markup'] } }))).toEqual({ text: '', title: 'BanLens' });
    expect(badgeFor(ctxWith({ regions: ['FR'] }), newsWithEmbeds()).text).toBe('');
  });
  it('counts even when notices are muted or off: the badge is the quiet signal', () => {
    expect(badgeFor(ctxWith({ notices: { enabled: false, mode: 'badge-only', mutedPlatforms: ['bluesky'] } }), newsWithEmbeds()).text).toBe('1');
  });
});

describe('mutes', () => {
  it.each([
    [{}, 'news.example', 'bluesky', false],
    [{ mutedSites: ['news.example'] }, 'www.news.example', 'bluesky', true],
    [{ mutedSites: ['news.example'] }, 'NEWS.EXAMPLE', 'bluesky', true],
    [{ mutedSites: ['news.example'] }, 'other.example', 'bluesky', false],
    [{ mutedPlatforms: ['bluesky'] }, 'news.example', 'bluesky', true],
    [{ mutedPlatforms: ['bluesky'] }, null, 'bluesky', true],
    [{ mutedPlatforms: ['x'] }, 'news.example', 'bluesky', false],
  ])('%j on %s about %s → muted %s', (notices, site, platform, want) => {
    expect(isMuted({ mutedSites: [], mutedPlatforms: [], ...notices }, site, platform)).toBe(want);
  });

  it('a notice is allowed only in full mode, when on, not muted, for a platform restricted here', () => {
    expect(noticeAllowed(ctxWith(), 'news.example', 'bluesky')).toBe(true);
    expect(noticeAllowed(ctxWith({ notices: { enabled: false } }), 'news.example', 'bluesky')).toBe(false);
    expect(noticeAllowed(ctxWith({ notices: { mode: 'badge-only' } }), 'news.example', 'bluesky')).toBe(false);
    expect(noticeAllowed(ctxWith({ notices: { mutedSites: ['news.example'] } }), 'news.example', 'bluesky')).toBe(false);
    expect(noticeAllowed(ctxWith({ notices: { mutedPlatforms: ['bluesky'] } }), 'news.example', 'bluesky')).toBe(false);
    expect(noticeAllowed(ctxWith(), 'news.example', 'x')).toBe(false);
    expect(noticeAllowed(ctxWith({ notices: { showLifted: true } }), 'news.example', 'x')).toBe(true);
    expect(noticeAllowed(ctxWith({ notices: { showLifted: true, mutedPlatforms: ['x'] } }), 'news.example', 'x')).toBe(false);
  });

  it('muting and unmuting a site keeps every other setting and each site once', () => {
    const once = withSiteMuted(DEFAULT_SETTINGS, 'www.News.example', true);
    expect(once.notices.mutedSites).toEqual(['news.example']);
    expect(withSiteMuted(once, 'news.example', true).notices.mutedSites).toEqual(['news.example']);
    expect(withSiteMuted(once, 'www.news.example', false).notices.mutedSites).toEqual([]);
    expect({ ...once, notices: { ...once.notices, mutedSites: [] } }).toEqual(DEFAULT_SETTINGS);
  });
});

describe('embed labels', () => {
  it('label the restricted platforms found in the frame', () => {
    expect(labelPlatforms(ctxWith(), newsWithEmbeds(), 0)).toEqual(['bluesky']);
    expect(labelPlatforms(ctxWith(), newsWithEmbeds(), 1)).toEqual([]);
    expect(labelsFor(ctxWith(), newsWithEmbeds(), 0).map((p) => [p.platform, p.active])).toEqual([['bluesky', true]]);
  });
  it('show history only when asked for', () => {
    const ctx = ctxWith({ notices: { showLifted: true } });
    expect(labelPlatforms(ctx, newsWithEmbeds(), 0).sort()).toEqual(['bluesky', 'x']);
    const x = labelsFor(ctx, newsWithEmbeds(), 0).find((p) => p.platform === 'x');
    expect(x?.active).toBe(false);
    expect(x?.restrictions.length).toBeGreaterThan(0);
  });
  it('respect the per-platform and per-site mutes', () => {
    expect(labelPlatforms(ctxWith({ notices: { mutedPlatforms: ['bluesky'] } }), newsWithEmbeds(), 0)).toEqual([]);
    expect(labelPlatforms(ctxWith({ notices: { mutedSites: ['news.example'] } }), newsWithEmbeds(), 0)).toEqual([]);
  });
});

describe('banner', () => {
  it('is for the top frame of a restricted platform page, once per session', () => {
    const ctx = ctxWith();
    expect(bannerPlatform(ctx, blueskyPage(), 0, [])).toBe('bluesky');
    expect(bannerPlatform(ctx, blueskyPage(), 0, ['bluesky'])).toBeNull();
    expect(bannerPlatform(ctx, blueskyPage(), 0, ['x'])).toBe('bluesky');
    expect(bannerPlatform(ctx, blueskyPage(), 1, [])).toBeNull();
    expect(bannerPlatform(ctx, newsWithEmbeds(), 0, [])).toBeNull();
  });
  it('follows the mutes and the mode', () => {
    expect(bannerPlatform(ctxWith({ notices: { mutedPlatforms: ['bluesky'] } }), blueskyPage(), 0, [])).toBeNull();
    expect(bannerPlatform(ctxWith({ notices: { mutedSites: ['bsky.app'] } }), blueskyPage(), 0, [])).toBeNull();
    expect(bannerPlatform(ctxWith({ notices: { mode: 'badge-only' } }), blueskyPage(), 0, [])).toBeNull();
  });
  it('says what is in force', () => {
    expect(explainBanner(ctxWith(), 'bluesky')?.restrictions[0]?.active).toBe(true);
    expect(explainBanner(ctxWith(), 'x')).toBeNull();
  });
  it('a shown banner is recorded once', () => {
    expect(withBannerShown(['x'], 'bluesky')).toEqual(['x', 'bluesky']);
    expect(withBannerShown(['bluesky'], 'bluesky')).toEqual(['bluesky']);
  });
});

function observation(over: Partial<RequestObservation> = {}): PlatformObservation {
  const obs: RequestObservation = {
    event: 'error', requestId: '1', tabId: 5, frameId: 0, url: 'https://bsky.app/profile/alice', host: 'bsky.app', resourceType: 'main_frame',
    timeStamp: Date.parse('2026-12-01T10:00:00Z'), durationMs: 120, outcome: 'tcp_reset', error: 'net::ERR_CONNECTION_RESET', httpStatus: null, vantage: 'passive', ...over,
  };
  const matched = matchObservation(obs, ctxWith());
  if (!matched) throw new Error('not a platform host');
  return matched;
}

describe('explanation page', () => {
  it('replaces the error page of a censorship-like main-frame failure of a restricted platform', () => {
    expect(failureToExplain(ctxWith(), observation())).toEqual({ url: 'https://bsky.app/profile/alice', host: 'bsky.app', platform: 'bluesky', outcome: 'tcp_reset', error: 'net::ERR_CONNECTION_RESET', basis: 'recorded' });
    for (const outcome of CENSORSHIP_OUTCOMES) expect(failureToExplain(ctxWith(), observation({ outcome }))).not.toBeNull();
  });
  it.each([
    ['a subframe', { frameId: 2 }],
    ['a script', { resourceType: 'script' }],
    ['a page that loaded', { event: 'completed', outcome: 'ok', error: null }],
    ['a 451 page that the browser shows itself', { event: 'completed', outcome: 'http_blockpage', error: null }],
    ['an HTTP error', { outcome: 'http_error' }],
    ['an unknown error', { outcome: 'other' }],
    ['an inconclusive failure', { outcome: 'inconclusive' }],
    ['a platform not restricted here', { url: 'https://x.com/', host: 'x.com' }],
    ['a probe', { tabId: -1 }],
  ] as const)('not for %s', (_name, over) => {
    expect(failureToExplain(ctxWith(), observation(over))).toBeNull();
  });
  it('not when the user turned it off', () => {
    expect(failureToExplain(ctxWith({ notices: { explanationPage: false } }), observation())).toBeNull();
  });
});

describe('detection', () => {
  it('keeps only platforms we asked the frame to watch, and the kinds it reported', () => {
    expect(watchedFindings(ctxWith(), { bluesky: { markup: 2, media: 0 }, x: { frame: 1 } })).toEqual({ bluesky: ['markup', 'media'] });
    expect(watchedFindings(ctxWith(), { x: { frame: 1 } })).toEqual({});
  });
});

describe('popup', () => {
  it('lists platforms found with a record here, in force first, with this tab\'s reachability', () => {
    const s = reduceTab(newsWithEmbeds(), { type: 'reach', host: 'embed.bsky.app', platform: 'bluesky', outcome: 'tcp_reset', error: 'net::ERR_CONNECTION_RESET' });
    const state = popupState(ctxWith({ notices: { mutedSites: ['news.example'] } }), s);
    expect(state.platforms.map((p) => [p.platform, p.active])).toEqual([['bluesky', true], ['x', false]]);
    expect(state.siteMuted).toBe(true);
    expect(state.reach).toEqual([{ host: 'embed.bsky.app', platform: 'bluesky', outcomes: { tcp_reset: 1 }, lastError: 'net::ERR_CONNECTION_RESET' }]);
    expect(state.regions).toEqual([{ code: 'PK', name: 'Pakistan' }]);
    expect(popupState(ctxWith(), s).siteMuted).toBe(false);
  });

  it('puts what is in force first whatever order the tab found it in, and leaves out platforms with nothing here', () => {
    const s = tab({ type: 'found', frameId: 0, found: { x: ['frame'], reddit: ['markup'], bluesky: ['markup'] } });
    const state = popupState(ctxWith(), s);
    expect(state.platforms.map((p) => [p.platform, p.active, p.basis])).toEqual([['bluesky', true, 'recorded'], ['x', false, 'recorded']]);
    expect(state.site).toBeNull();
    expect(state.siteMuted).toBe(false);
    expect(popupState(ctxWith({ notices: { mutedSites: ['news.example'] } }), s).siteMuted).toBe(false);
    expect(state.restrictedHere).toBe(ctxWith().restrictedNow.size);
    expect(state.dataset).toEqual({ version: bundledDataset().version, asOf: bundledDataset().asOf, researchedThrough: bundledDataset().researchedThrough, source: 'bundled' });
  });

  it('a platform failing here with nothing recorded comes in, on the observed basis, ahead of history', () => {
    const failing = { status: 'failing' as const, outcome: 'tcp_reset' as const, failures: 4, failedLoads: 2, oks: 0, controls: 3 };
    const base = ctxWith();
    const ctx: RecordsContext = { ...base, observed: new Map([['reddit', failing]]), observedFailing: new Set(['reddit']) };
    const s = tab({ type: 'found', frameId: 0, found: { x: ['frame'], reddit: ['markup'] } });
    const state = popupState(ctx, s);
    expect(state.platforms.map((p) => [p.platform, p.basis])).toEqual([['reddit', 'observed'], ['x', 'recorded']]);
    expect(state.platforms[0]!.status?.text).toMatch(/failing here/);
    // With observed notices off, the observed verdict is not put in the line.
    const off = popupState({ ...ctx, settings: { ...ctx.settings, notices: { ...ctx.settings.notices, observed: false } } }, s);
    expect(off.platforms[0]!.status?.text).not.toMatch(/failing here/);
  });
});

describe('probing and the log', () => {
  it('schedules an alarm only with consent and a schedule', () => {
    expect(probePeriodMinutes({ enabled: true, consentedAt: '2026-11-01T00:00:00Z', everyHours: 6 })).toBe(360);
    expect(probePeriodMinutes({ enabled: true, consentedAt: null, everyHours: 6 })).toBeNull();
    expect(probePeriodMinutes({ enabled: false, consentedAt: '2026-11-01T00:00:00Z', everyHours: 6 })).toBeNull();
    expect(probePeriodMinutes({ enabled: true, consentedAt: '2026-11-01T00:00:00Z', everyHours: null })).toBeNull();
  });
  it('a probe that timed out is a probe observation of its platform', () => {
    expect(probeTimeout(ctxWith(), { platform: 'bluesky', host: 'bsky.app' }, 1000)).toMatchObject({ vantage: 'probe', outcome: 'timeout', tabId: -1, restricted: true, match: { platform: 'bluesky' } });
    expect(probeTimeout(ctxWith(), { platform: 'none', host: 'example.org' }, 1000)).toBeNull();
  });
  it('logs under the first region\'s country, or ZZ', () => {
    expect(logContext(ctxWith({ regions: ['IN-JK', 'PK'] })).region).toBe('IN');
    expect(logContext(ctxWith({ log: { enabled: false } })).enabled).toBe(false);
  });
  it('region state says whether anything is in force', () => {
    expect(regionState(ctxWith()).anyRestriction).toBe(true);
    expect(regionState(ctxWith({ regions: ['FR'] })).anyRestriction).toBe(false);
  });
});
