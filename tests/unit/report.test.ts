/** `logs report` on the fixture pool (tests/fixtures/pool): the figures it must show, and none it must not. */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../scripts/research/engine';
import { expandInputs, poolFiles, writeParquet } from '../../scripts/research/pool';
import { buildReport, type Report } from '../../scripts/research/report';
import { openRecords } from '../../scripts/research/source';

const FIXTURES = join(fileURLToPath(new URL('../..', import.meta.url)), 'tests/fixtures/pool');

/** The observations behind every number the page shows. */
function backings(html: string): number[] {
  return [...html.matchAll(/data-backed-by="(\d+)"/g)].map((m) => Number(m[1]));
}

const figure = (html: string, name: string) => new RegExp(`data-figure="${name}">([^<]*)<`).exec(html)?.[1];

describe('report', { timeout: 60_000 }, () => {
  let engine: Engine;
  let pooling: Engine;
  let pk: Report;
  let inReport: Report;
  beforeAll(async () => {
    // Pooled to Parquet first and read back, as a researcher runs it.
    pooling = await openEngine({ threads: 1 });
    const pool = join(pooling.tempDir, 'pool.parquet');
    await poolFiles(pooling, expandInputs([FIXTURES]).files);
    await writeParquet(pooling, pool, false);
    engine = await openEngine({ threads: 1 });
    await openRecords(engine, [pool], {}, () => {});
    pk = await buildReport(engine, { region: 'PK', minObservations: 5 });
    inReport = await buildReport(engine, { region: 'IN', fromHour: '2026-11-01T00:00:00Z', toHour: '2026-11-30T23:00:00Z', minObservations: 5 });
  });
  afterAll(() => {
    engine?.close();
    pooling?.close();
  });

  it('shows the region’s totals: observations, distinct hours and hosts', () => {
    expect(pk.observations).toBe(31n);
    expect(figure(pk.html, 'observations')).toBe('31');
    expect(figure(pk.html, 'hours')).toBe('3');
    expect(figure(pk.html, 'hosts')).toBe('4');
    expect(pk.html).toContain('2026-11-22 to 2026-11-24 (UTC)');
  });

  it('gives each platform its span and OONI blocking class', () => {
    const x = /<tr><th scope="row">x<\/th>(.*?)<\/tr>/.exec(pk.html)![1]!;
    expect([...x.matchAll(/>([^<]*)<\/td>/g)].map((m) => m[1])).toEqual(['20', '3', '2', '0', '0', '20', '0', '0', '0']);
    const youtube = /<tr><th scope="row">youtube<\/th>(.*?)<\/tr>/.exec(pk.html)![1]!;
    // One timeout (tcp_ip) is under the threshold.
    expect([...youtube.matchAll(/>([^<]*)<\/td>/g)].map((m) => m[1])).toEqual(['11', '2', '2', '10', '0', '—', '0', '0', '0']);
  });

  it('compares the days with the dataset: blocking of X in Pakistan is not recorded for November 2026, TikTok in India is', () => {
    expect(pk.html).toMatch(/<th scope="row">x<\/th><td>none in the period<\/td><td data-verdict-days="agree">0<\/td><td data-verdict-days="disagree">3<\/td>/);
    expect(pk.html).toContain('2026-11-22 (blocking observed, no restriction recorded)');
    expect(pk.html).toMatch(/<th scope="row">youtube<\/th><td>none in the period<\/td><td data-verdict-days="agree">1<\/td><td data-verdict-days="disagree">0<\/td>/);
    expect(inReport.html).toMatch(/<th scope="row">tiktok<\/th><td>block 2020-06-29 – ongoing \(confirmed, in-tiktok-2020\)<br>app-store 2020-06-30 – ongoing \(confirmed, in-tiktok-2020-2\)<\/td><td data-verdict-days="agree">1<\/td>/);
  });

  it('shows no cell backed by fewer observations than the threshold, and says how many it suppressed', () => {
    for (const r of [pk, inReport]) expect(Math.min(...backings(r.html))).toBeGreaterThanOrEqual(5);
    // YouTube: the timeout of the 22nd (table and chart) and the one success of the 24th (chart and agreement).
    expect(pk.suppressed).toBe(4);
    expect(figure(pk.html, 'suppressed')).toBe('4');
    expect(pk.html).not.toMatch(/timeout: 1|ok: 1</);
    expect(inReport.html).not.toContain('IN-JK'); // the one observation from the subdivision is nowhere
    expect(figure(inReport.html, 'suppressed')).not.toBe('0');
  });

  it('a higher threshold suppresses more, and a region with too few observations shows nothing', async () => {
    const strict = await buildReport(engine, { region: 'PK', minObservations: 12 });
    expect(Math.min(...backings(strict.html))).toBeGreaterThanOrEqual(12);
    expect(strict.suppressed).toBeGreaterThan(pk.suppressed);
    const tiny = await buildReport(engine, { region: 'IN-JK', minObservations: 5 });
    expect(backings(tiny.html)).toEqual([]);
    expect(figure(tiny.html, 'observations')).toBe('—');
  });

  it('is one self-contained page: inline SVG, no script, no external asset, and states its limits', () => {
    expect(pk.html).toContain('<svg');
    expect(pk.html).not.toMatch(/<script|<link|<img|src=|href=|url\(|@import/i);
    expect(pk.html.replaceAll('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/https?:\/\//);
    expect(pk.html).toContain('Passive observations');
    expect(pk.html).toContain('Self-selected volunteers');
    expect(pk.html).toContain('Region as the volunteers’ own inference'.replace('’', "'"));
  });
});
