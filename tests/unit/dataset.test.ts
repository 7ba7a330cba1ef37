import { describe, expect, it } from 'vitest';
import bans from '@/utils/dataset/bans.json';
import { parseDataset, PartialDate } from '@/utils/dataset/schema';
import { comparePartial, isActiveAt, isStale, restrictedPlatformIds, restrictionsActiveAt, appliesTo } from '@/utils/dataset/query';
import { bundledDataset, bundledHostIndex, parseDatasetText } from '@/utils/dataset/store';
import { compactDataset, platformHosts } from '@/utils/dataset/core';
import bundledHosts from 'virtual:banlens/dataset-hosts';
import { datasetCoreFileContents, datasetFileContents, validateForBuild } from '@/scripts/build/dataset-core';
import { buildHostIndex } from '@/utils/dataset/matcher';

const dataset = bundledDataset();
// biome-ignore lint/suspicious/noExplicitAny: these cases corrupt the dataset on purpose into shapes no type admits.
type Corruptible = any;
const clone = () => structuredClone(bans) as Corruptible;

describe('dataset schema', () => {
  it('the bundled dataset is valid', () => {
    const r = parseDataset(bans);
    expect(r.ok ? [] : r.errors).toEqual([]);
  });

  it.each([
    ['an http source', (d: Corruptible) => (d.restrictions[0].sources[0].url = 'http://example.org/a')],
    ['an unknown platform', (d: Corruptible) => (d.restrictions[0].platform = 'myspace')],
    ['a bad region code', (d: Corruptible) => (d.restrictions[0].region = 'Pakistan')],
    ['a date that does not exist', (d: Corruptible) => (d.restrictions[0].start = '2024-02-30')],
    ['a duplicate restriction id', (d: Corruptible) => d.restrictions.push(structuredClone(d.restrictions[0]))],
    ['an event citing a source the record lacks', (d: Corruptible) => (d.restrictions[0].events[0].sources = ['https://elsewhere.example/x'])],
    ['a record without English', (d: Corruptible) => (d.restrictions[0].summary = { ur: 'صرف اردو' })],
    ['an unexpected field', (d: Corruptible) => (d.restrictions[0].secret = 1)],
    ['a record with no sources', (d: Corruptible) => (d.restrictions[0].sources = [])],
    ['an upper-case host', (d: Corruptible) => (d.platforms[0].domains[0] = 'X.COM')],
    ['a host with a path', (d: Corruptible) => (d.platforms[0].domains[0] = 'x.com/home')],
  ])('rejects %s', (_, mutate) => {
    const d = clone();
    mutate(d);
    expect(parseDataset(d).ok).toBe(false);
  });

  it('explains what is wrong, with a path', () => {
    const d = clone();
    d.restrictions[0].region = 'Pakistan';
    const r = parseDataset(d);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/^restrictions\.0\.region: /);
  });

  it('refuses text that is not JSON, or is too large, with a clear message', () => {
    expect(parseDatasetText('{nope')).toMatchObject({ ok: false, errors: [expect.stringMatching(/not valid JSON/)] });
    expect(parseDatasetText(' '.repeat(11 * 1024 * 1024))).toMatchObject({ ok: false, errors: [expect.stringMatching(/larger than/)] });
  });

  it.each(['2024', '2024-02', '2024-02-29'])('accepts the partial date %s', (d) => expect(PartialDate.safeParse(d).success).toBe(true));
  it.each(['2023-02-29', '24', '2024-2', '2024-02-1', '2024/02/01', '2024-00'])('rejects the date %s', (d) => expect(PartialDate.safeParse(d).success).toBe(false));
});

describe('query at a date', () => {
  const r = (start: string, end: string | null) => ({ start, end });
  it.each([
    [r('2024-02-17', '2025-05-07'), '2024-02-16', false],
    [r('2024-02-17', '2025-05-07'), '2024-02-17', true],
    [r('2024-02-17', '2025-05-07'), '2025-05-06', true],
    [r('2024-02-17', '2025-05-07'), '2025-05-07', false],
    [r('2024-11', null), '2024-10-31', false],
    [r('2024-11', null), '2024-11-01', true],
    [r('2009', null), '2026-11-22', true],
    [r('2021-03', '2021-04'), '2021-04-15', false],
    [r('2021-03', '2021-04'), '2021-03-31', true],
  ])('%j at %s is active: %s', (restriction, day, active) => expect(isActiveAt(restriction, day)).toBe(active));

  it('compares at the precision of the partial date', () => {
    expect(comparePartial('2024-11-20', '2024-11')).toBe(0);
    expect(comparePartial('2024-12-01', '2024-11')).toBe(1);
    expect(comparePartial('2024-10-31', '2024')).toBe(0);
  });

  it('X was restricted in Pakistan in 2024 but not after May 2025; Bluesky still is', () => {
    expect(restrictedPlatformIds(dataset, ['PK'], '2024-06-01').has('x')).toBe(true);
    expect(restrictedPlatformIds(dataset, ['PK'], '2026-11-22').has('x')).toBe(false);
    expect(restrictedPlatformIds(dataset, ['PK'], '2026-11-22', true).has('x')).toBe(true);
    expect(restrictedPlatformIds(dataset, ['PK'], '2026-11-22').has('bluesky')).toBe(true);
  });

  it('China blocks X and YouTube today', () => {
    const now = restrictedPlatformIds(dataset, ['CN'], '2026-11-22');
    expect(now.has('x')).toBe(true);
    expect(now.has('youtube')).toBe(true);
  });

  it('several regions add up; a region with nothing recorded returns nothing', () => {
    const both = restrictedPlatformIds(dataset, ['PK', 'CN'], '2026-11-22');
    expect(both.has('bluesky') && both.has('youtube')).toBe(true);
    expect(restrictionsActiveAt(dataset, ['IS'], '2026-11-22')).toEqual([]);
  });

  it('a subdivision record applies to users of its country, and the reverse', () => {
    expect(appliesTo({ region: 'IN-JK' }, ['IN'])).toBe(true);
    expect(appliesTo({ region: 'IN' }, ['IN-JK'])).toBe(true);
    expect(appliesTo({ region: 'IN-JK' }, ['PK'])).toBe(false);
  });

  it('flags records not confirmed for over 12 months', () => {
    expect(isStale({ asOf: '2024-11-21' }, '2026-11-22')).toBe(true);
    expect(isStale({ asOf: '2026-01-10' }, '2026-11-22')).toBe(false);
    expect(isStale({ asOf: '2017' }, '2026-11-22')).toBe(true);
  });
});

describe('the bundled dataset as the build packages it', () => {
  const bundledCore = JSON.parse(datasetCoreFileContents()) as ReturnType<typeof compactDataset>;
  it('the packaged core is the validated dataset, compacted', () => {
    expect(bundledCore).toEqual(compactDataset(bundledDataset()));
  });
  it('the host lists built into the background are those of every platform', () => {
    expect(bundledHosts).toEqual(platformHosts(bundledDataset().platforms));
  });
  it('its host index matches exactly what the validated dataset matches', () => {
    expect([...bundledHostIndex()]).toEqual([...buildHostIndex(bundledDataset().platforms)]);
  });
  it('the packaged dataset.json is the validated dataset', () => {
    expect(JSON.parse(datasetFileContents())).toEqual(bundledDataset());
  });
  it('the build refuses an invalid dataset, with the errors dataset:check prints', () => {
    const broken = clone();
    broken.restrictions[0].region = 'pakistan';
    expect(() => validateForBuild(broken, '2026-12-01')).toThrow(/restrictions\.0\.region/);
    const future = clone();
    future.restrictions[0].start = '2099-01-01';
    expect(() => validateForBuild(future, '2026-12-01')).toThrow(/starts in the future/);
    expect(validateForBuild(clone(), '2026-12-01').version).toBe(dataset.version);
  });
  it('the core keeps no record words or sources', () => {
    const keys = new Set(bundledCore.restrictions.flatMap((r) => Object.keys(r)));
    expect([...keys].sort()).toEqual(['end', 'kind', 'platform', 'region', 'start']);
  });
});
