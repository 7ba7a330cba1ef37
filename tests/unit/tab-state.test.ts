import { describe, expect, it } from 'vitest';
import { emptyTabState, framePlatforms, reduceTab, TabState, type TabEvent } from '@/utils/background/tab-state';

const apply = (events: TabEvent[], start = emptyTabState()) => events.reduce(reduceTab, start);

describe('reduceTab: the one way tab state changes', () => {
  it('a main-frame navigation starts a new page, keeping nothing of the old one', () => {
    const before = apply([
      { type: 'navigated', site: 'news.example', platform: null, at: 1 },
      { type: 'found', frameId: 0, found: { bluesky: ['markup'] } },
      { type: 'notice-injecting', frameId: 0 },
    ]);
    const after = reduceTab(before, { type: 'navigated', site: 'bsky.app', platform: 'bluesky', at: 2 });
    expect(after).toEqual({ site: 'bsky.app', page: 'bluesky', platforms: { bluesky: { evidence: ['page'], frames: [0] } }, noticeFrames: [], reach: {} });
  });

  it('a late main-frame event does not wipe what the new document already reported (Firefox)', () => {
    const s = apply([
      { type: 'document', frameId: 0, site: 'news.example', platform: null, at: 100 },
      { type: 'found', frameId: 0, found: { bluesky: ['markup'] } },
    ]);
    const after = reduceTab(s, { type: 'navigated', site: 'news.example', platform: null, at: 50 });
    expect(after.platforms.bluesky).toEqual({ evidence: ['markup'], frames: [0] });
    // A navigation that really is newer does start over.
    expect(reduceTab(s, { type: 'navigated', site: 'other.example', platform: null, at: 150 }).platforms).toEqual({});
  });

  it('records evidence once per kind and frame', () => {
    const s = apply([
      { type: 'found', frameId: 0, found: { bluesky: ['markup', 'frame'] } },
      { type: 'found', frameId: 2, found: { bluesky: ['markup'] } },
      { type: 'request', platform: 'bluesky', resourceType: 'script' },
      { type: 'request', platform: 'bluesky', resourceType: 'script' },
    ]);
    expect(s.platforms.bluesky).toEqual({ evidence: ['markup', 'frame', 'request:script'], frames: [0, 2] });
    expect(framePlatforms(s, 2)).toEqual(['bluesky']);
    expect(framePlatforms(s, 1)).toEqual([]);
  });

  it('returns the same object when nothing changed, so nothing is persisted or announced', () => {
    const s = apply([{ type: 'found', frameId: 0, found: { bluesky: ['markup'] } }]);
    expect(reduceTab(s, { type: 'found', frameId: 0, found: { bluesky: ['markup'] } })).toBe(s);
    expect(reduceTab(s, { type: 'found', frameId: 0, found: {} })).toBe(s);
    expect(reduceTab(s, { type: 'notice-failed', frameId: 3 })).toBe(s);
    const injected = reduceTab(s, { type: 'notice-injecting', frameId: 0 });
    expect(reduceTab(injected, { type: 'notice-injecting', frameId: 0 })).toBe(injected);
  });

  it('never mutates the state it was given', () => {
    const s = apply([{ type: 'found', frameId: 0, found: { bluesky: ['markup'] } }]);
    const frozen = structuredClone(s);
    for (const e of [
      { type: 'found', frameId: 1, found: { bluesky: ['frame'] } },
      { type: 'reach', host: 'bsky.app', platform: 'bluesky', outcome: 'ok', error: null },
      { type: 'notice-injecting', frameId: 0 },
      { type: 'document', frameId: 0, site: 'a.example', platform: 'bluesky', at: 9 },
      { type: 'navigated', site: 'b.example', platform: null, at: 10 },
    ] satisfies TabEvent[]) {
      reduceTab(s, e);
      expect(s).toEqual(frozen);
    }
  });

  it('a new document in a frame forgets that frame\'s notice UI; the top frame names the page', () => {
    const s = apply([{ type: 'notice-injecting', frameId: 0 }, { type: 'notice-injecting', frameId: 3 }]);
    const sub = reduceTab(s, { type: 'document', frameId: 3, site: 'embed.example', platform: null, at: 5 });
    expect(sub.noticeFrames).toEqual([0]);
    expect(sub.docAt).toBeUndefined();
    const top = reduceTab(s, { type: 'document', frameId: 0, site: 'bsky.app', platform: 'bluesky', at: 5 });
    expect(top).toMatchObject({ noticeFrames: [3], docAt: 5, site: 'bsky.app', page: 'bluesky', platforms: { bluesky: { evidence: ['page'], frames: [0] } } });
  });

  it('counts outcomes per host and keeps the last error', () => {
    const s = apply([
      { type: 'reach', host: 'bsky.app', platform: 'bluesky', outcome: 'tcp_reset', error: 'net::ERR_CONNECTION_RESET' },
      { type: 'reach', host: 'bsky.app', platform: 'bluesky', outcome: 'tcp_reset', error: 'net::ERR_CONNECTION_RESET' },
      { type: 'reach', host: 'bsky.app', platform: 'bluesky', outcome: 'ok', error: null },
    ]);
    expect(s.reach['bsky.app']).toEqual({ platform: 'bluesky', outcomes: { tcp_reset: 2, ok: 1 }, lastError: 'net::ERR_CONNECTION_RESET' });
  });

  it('a failed injection frees the frame for a later try', () => {
    const s = apply([{ type: 'notice-injecting', frameId: 2 }, { type: 'notice-failed', frameId: 2 }]);
    expect(s.noticeFrames).toEqual([]);
  });

  it('every state it makes passes the schema that guards what storage gives back', () => {
    const s = apply([
      { type: 'navigated', site: 'bsky.app', platform: 'bluesky', at: 1 },
      { type: 'found', frameId: 1, found: { x: ['media'] } },
      { type: 'reach', host: 'cdn.bsky.app', platform: 'bluesky', outcome: 'http_blockpage', error: null },
      { type: 'notice-injecting', frameId: 1 },
    ]);
    expect(TabState.parse(s)).toEqual(s);
    expect(TabState.safeParse({ ...s, noticeFrames: ['x'] }).success).toBe(false);
  });
});
