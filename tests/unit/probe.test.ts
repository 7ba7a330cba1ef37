import { afterEach, describe, expect, it, vi } from 'vitest';
import { bundledDataset } from '@/utils/dataset/store';
import { MIN_PROBE_INTERVAL_MS, probeAll, probeOnce, probeRefusal, probeTargets } from '@/utils/reach/probe';

const dataset = bundledDataset();

describe('probe targets', () => {
  it('are the main domain and embed hosts of each restricted platform, nothing else', () => {
    const targets = probeTargets(dataset, new Set(['bluesky', 'x']));
    expect(targets).toContainEqual({ platform: 'bluesky', host: 'bsky.app' });
    expect(targets).toContainEqual({ platform: 'bluesky', host: 'embed.bsky.app' });
    expect(targets).toContainEqual({ platform: 'x', host: 'x.com' });
    expect(targets.every((t) => t.platform === 'bluesky' || t.platform === 'x')).toBe(true);
    expect(targets.filter((t) => t.platform === 'x').length).toBeLessThanOrEqual(3);
  });
  it('name each host once, even when the main domain is also an embed host', () => {
    const targets = probeTargets(dataset, new Set(dataset.platforms.map((p) => p.id)));
    const keys = targets.map((t) => `${t.platform} ${t.host}`);
    expect(new Set(keys).size).toBe(keys.length);
    const one = { ...dataset, platforms: [{ ...dataset.platforms.find((p) => p.id === 'bluesky')!, domains: ['bsky.app'], embeds: { selectors: [], urlPrefixes: ['https://bsky.app/a', 'https://bsky.app/b', 'https://embed.bsky.app/'] } }] };
    expect(probeTargets(one as never, new Set(['bluesky']))).toEqual([
      { platform: 'bluesky', host: 'bsky.app' },
      { platform: 'bluesky', host: 'embed.bsky.app' },
    ]);
  });
  it('are bounded however many platforms are restricted', () => {
    expect(probeTargets(dataset, new Set(dataset.platforms.map((p) => p.id))).length).toBeLessThanOrEqual(24);
  });
});

describe('probe refusal', () => {
  const base = { enabled: true, consentedAt: '2026-11-22T10:00:00Z', lastRun: null, now: 1_000_000_000, targets: 3, scheduled: false };
  it('runs only when enabled with consent', () => {
    expect(probeRefusal(base)).toBeNull();
    expect(probeRefusal({ ...base, enabled: false })).toBe('disabled');
    expect(probeRefusal({ ...base, consentedAt: null })).toBe('disabled');
  });
  it('is rate-limited for manual runs', () => {
    expect(probeRefusal({ ...base, lastRun: base.now - 1000 })).toBe('too-soon');
    expect(probeRefusal({ ...base, lastRun: base.now - MIN_PROBE_INTERVAL_MS - 1 })).toBeNull();
    expect(probeRefusal({ ...base, lastRun: base.now - MIN_PROBE_INTERVAL_MS })).toBeNull();
    expect(probeRefusal({ ...base, lastRun: base.now - MIN_PROBE_INTERVAL_MS + 1 })).toBe('too-soon');
    expect(probeRefusal({ ...base, lastRun: base.now - 1000, scheduled: true })).toBeNull();
  });
  it('has nothing to do where nothing is restricted', () => {
    expect(probeRefusal({ ...base, targets: 0 })).toBe('nothing-restricted');
  });
});

describe('a probe', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });
  const target = { platform: 'bluesky', host: 'bsky.app' };

  it('is a bare fetch of the host with nothing of the user attached', async () => {
    const fetch = vi.fn(async () => new Response(null));
    vi.stubGlobal('fetch', fetch);
    const onTimeout = vi.fn();
    await probeOnce(target, onTimeout);
    expect(fetch).toHaveBeenCalledWith('https://bsky.app/', expect.objectContaining({ mode: 'no-cors', cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer', redirect: 'manual' }));
    expect(onTimeout).not.toHaveBeenCalled();
  });

  it('that hangs is aborted at the timeout and reported as one, with its start time', async () => {
    vi.useFakeTimers({ now: 1_000 });
    vi.stubGlobal('fetch', (_url: string, init: RequestInit) => new Promise((_resolve, reject) => init.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))));
    const onTimeout = vi.fn();
    const done = probeOnce(target, onTimeout, 200);
    await vi.advanceTimersByTimeAsync(199);
    expect(onTimeout).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    await done;
    expect(onTimeout).toHaveBeenCalledWith(target, 1_000);
  });

  it('that fails at once (reset, DNS) is no timeout: webRequest reports it', async () => {
    vi.stubGlobal('fetch', async () => Promise.reject(new TypeError('Failed to fetch')));
    const onTimeout = vi.fn();
    await probeOnce(target, onTimeout);
    expect(onTimeout).not.toHaveBeenCalled();
  });

  it('runs one after another, spaced out, and counts them', async () => {
    vi.useFakeTimers();
    let inFlight = 0;
    let most = 0;
    const fetch = vi.fn(async () => {
      most = Math.max(most, ++inFlight);
      await Promise.resolve();
      inFlight--;
      return new Response(null);
    });
    vi.stubGlobal('fetch', fetch);
    const run = probeAll([target, { platform: 'x', host: 'x.com' }, { platform: 'x', host: 'platform.twitter.com' }], () => {});
    await vi.advanceTimersByTimeAsync(10);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(500);
    expect(fetch).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await run).toBe(3);
    expect(most).toBe(1);
  });
});
