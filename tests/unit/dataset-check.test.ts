import { describe, expect, it } from 'vitest';
import bans from '@/utils/dataset/bans.json';
import { Dataset } from '@/utils/dataset/schema';
import { checkDataset, datasetStats } from '@/utils/dataset/check';

const TODAY = '2026-11-22';
const base = () => Dataset.parse(structuredClone(bans));
const pk = (d: Dataset) => d.restrictions.find((r) => r.id === 'pk-x-2024')!;

describe('dataset:check', () => {
  it('the bundled dataset has no errors', () => {
    expect(checkDataset(base(), TODAY).errors).toEqual([]);
  });

  it('meets the coverage the project promises', () => {
    const s = datasetStats(base(), TODAY);
    expect(s.restrictions).toBeGreaterThanOrEqual(120);
    expect(s.regions).toBeGreaterThanOrEqual(35);
    const platforms = new Set(base().restrictions.map((r) => r.platform));
    for (const p of ['x', 'facebook', 'instagram', 'whatsapp', 'threads', 'youtube', 'google', 'tiktok', 'telegram', 'wikipedia', 'signal', 'discord', 'bluesky', 'reddit', 'linkedin', 'vk']) expect(platforms).toContain(p);
  });

  it('every Pakistan record has Urdu summary, authority and reason', () => {
    for (const r of base().restrictions.filter((x) => x.region === 'PK')) {
      expect(r.summary.ur, r.id).toBeTruthy();
      expect(r.authority.ur, r.id).toBeTruthy();
      expect(r.reason.ur, r.id).toBeTruthy();
    }
  });

  it.each([
    ['an end before the start', (d: Dataset) => (pk(d).end = '2023-01-01'), /ends .* before it starts/],
    ['a start in the future', (d: Dataset) => (pk(d).start = '2030-01-01'), /starts in the future/],
    ['an unknown country', (d: Dataset) => (pk(d).region = 'XK'), /not an ISO 3166/],
    ['an active record with one source', (d: Dataset) => {
      const r = pk(d);
      r.end = null;
      r.sources = [r.sources[0]!];
      r.events = r.events.map((e) => ({ ...e, sources: [r.sources[0]!.url] }));
    }, /fewer than two sources/],
    ['two overlapping records of the same kind', (d: Dataset) => d.restrictions.push({ ...pk(d), id: 'pk-x-2024-copy', start: '2024-06-01' }), /overlaps/],
    ['an asOf in the future', (d: Dataset) => (pk(d).asOf = '2031-01-01'), /in the future/],
  ])('reports %s', (_, mutate, message) => {
    const d = base();
    mutate(d);
    expect(checkDataset(d, TODAY).errors.join('\n')).toMatch(message);
  });

  it('warns about records in force but not confirmed for a year', () => {
    const d = base();
    const r = d.restrictions.find((x) => x.id === 'pk-bluesky-2024')!;
    expect(r.end).toBeNull();
    expect(checkDataset(d, TODAY).warnings.join('\n')).toContain('pk-bluesky-2024');
    r.asOf = '2026-10-01';
    expect(checkDataset(d, TODAY).warnings.join('\n')).not.toContain('pk-bluesky-2024');
  });
});

describe('every platform has an embed fixture or a platform-page fixture', () => {
  it.each(base().platforms.map((p) => p.id))('%s', async (id) => {
    const { existsSync } = await import('node:fs');
    const p = base().platforms.find((x) => x.id === id)!;
    const hasEmbedCode = p.embeds.selectors.length + p.embeds.urlPrefixes.length > 0;
    const embed = `tests/fixtures/pages/embed-${id}.html`;
    const page = `tests/fixtures/pages/platform-${id}.html`;
    if (hasEmbedCode) expect(existsSync(embed), `${embed} with the platform's real embed code`).toBe(true);
    else expect(existsSync(embed) || existsSync(page), `${embed} or ${page}`).toBe(true);
  });
});
