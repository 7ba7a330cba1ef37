import { describe, expect, it } from 'vitest';
import { bundledDataset } from '@/utils/dataset/store';
import { MIN_PROBE_INTERVAL_MS, probeRefusal, probeTargets } from '@/utils/reach/probe';

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
    expect(probeRefusal({ ...base, lastRun: base.now - 1000, scheduled: true })).toBeNull();
  });
  it('has nothing to do where nothing is restricted', () => {
    expect(probeRefusal({ ...base, targets: 0 })).toBe('nothing-restricted');
  });
});
