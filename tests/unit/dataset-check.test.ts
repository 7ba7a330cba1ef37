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

  it('every Pakistan record has Urdu in every text and every event', () => {
    const records = base().restrictions.filter((x) => x.region === 'PK');
    expect(records.length).toBeGreaterThan(40);
    for (const r of records) {
      for (const t of [r.summary, r.authority, r.reason, r.caveats ?? r.summary, ...r.events.map((e) => e.text)]) expect(t.ur, r.id).toBeTruthy();
    }
  });

  it.each([
    ['an event without Urdu', (d: Dataset) => delete pk(d).events[3]!.text.ur, /pk-x-2024: event 3 \(2024-03\) has no ur text \(PK records carry ur\)/],
    ['caveats without Urdu', (d: Dataset) => delete pk(d).caveats!.ur, /pk-x-2024: caveats has no ur text/],
    ['a subdivision record without Urdu', (d: Dataset) => d.restrictions.push({ ...pk(d), id: 'pk-x-2030', region: 'PK-IS', start: '2026-01-01', end: '2026-01-02', asOf: '2026-01-02', summary: { en: 'English only.' } }), /pk-x-2030: summary has no ur text/],
    ['an Urdu text left in English', (d: Dataset) => (pk(d).reason.ur = pk(d).reason.en), /pk-x-2024: reason ur text is the English text/],
    ['an Urdu text that starts with a Latin word', (d: Dataset) => (pk(d).events[0]!.text.ur = 'X کو بند کر دیا گیا۔'), /pk-x-2024: event 0 \(2024-02-17\) ur text starts with "X"/],
  ])('reports %s', (_, mutate, message) => {
    const d = base();
    mutate(d);
    expect(checkDataset(d, TODAY).errors.join('\n')).toMatch(message);
  });

  it('a record of another region needs no Urdu, and an Urdu text may start with a date or a quotation mark', () => {
    const d = base();
    const other = d.restrictions.find((r) => r.region !== 'PK' && r.region.slice(0, 2) !== 'PK')!;
    expect(Object.keys(other.summary)).toEqual(['en']);
    pk(d).events[0]!.text.ur = `17 فروری: '${pk(d).events[0]!.text.ur}'`;
    expect(checkDataset(d, TODAY).errors).toEqual([]);
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
    ['an asOf earlier than the end', (d: Dataset) => (pk(d).asOf = '2025-05-01'), /pk-x-2024: asOf 2025-05-01 is earlier than its end/],
    ['the same episode recorded twice under another kind', (d: Dataset) => d.restrictions.push({ ...pk(d), id: 'pk-x-2024-2', kind: 'partial', start: '2024-02-20' }), /pk-x-2024-2: records the same episode as pk-x-2024/],
    ['the same episode with the same partial start', (d: Dataset) => {
      d.restrictions.push({ ...pk(d), id: 'pk-x-2024-2', kind: 'throttle', start: '2024-02' });
      d.restrictions.push({ ...pk(d), id: 'pk-x-2024-3', kind: 'partial', start: '2024-02' });
    }, /pk-x-2024-3: records the same episode as pk-x-2024-2/],
    ['a researchedThrough later than the newest source', (d: Dataset) => (d.researchedThrough = '2026-11-30'), /researchedThrough 2026-11-30 is later than the newest source/],
  ])('reports %s', (_, mutate, message) => {
    const d = base();
    mutate(d);
    expect(checkDataset(d, TODAY).errors.join('\n')).toMatch(message);
  });

  it('an app-store removal beside a block of the same days is a separate restriction, not the same episode', () => {
    const d = base();
    d.restrictions.push({ ...pk(d), id: 'pk-x-2024-2', kind: 'app-store', start: '2024-02-17' });
    expect(checkDataset(d, TODAY).errors.join('\n')).not.toMatch(/same episode/);
  });

  it('a second episode more than a week later is not the same episode', () => {
    const d = base();
    d.restrictions.push({ ...pk(d), id: 'pk-x-2024-2', kind: 'partial', start: '2024-02-25', end: '2024-02-26', asOf: '2024-02-26' });
    expect(checkDataset(d, TODAY).errors.join('\n')).not.toMatch(/same episode/);
  });

  it('stats count records by start year and the share of records in force confirmed in the last 18 months', () => {
    const d = base();
    const s = datasetStats(d, TODAY);
    expect(Object.values(s.byStartYear).reduce((a, b) => a + b, 0)).toBe(d.restrictions.length);
    expect(s.before2015).toBe(d.restrictions.filter((r) => Number(r.start.slice(0, 4)) < 2015).length);
    const active = d.restrictions.filter((r) => r.end === null);
    for (const r of active) r.asOf = '2025-04-30';
    expect(datasetStats(d, TODAY).activeConfirmed18Months).toBe(0);
    for (const r of active) r.asOf = '2025-05';
    expect(datasetStats(d, TODAY).activeConfirmed18Months).toBe(1);
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
