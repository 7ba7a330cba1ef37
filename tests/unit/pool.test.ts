/**
 * `logs pool` on DuckDB: fixture exports from four volunteers (tests/fixtures/pool) in all three formats,
 * one export submitted twice, a file with bad lines, a file that is no export, and two regions.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../scripts/research/engine';
import { expandInputs, poolFiles, sqlCheckLines, writeParquet, type PoolStats, type Problem } from '../../scripts/research/pool';
import { openRecords } from '../../scripts/research/source';
import { parseRecordLine, toJsonlLine } from '../../utils/log/export';
import { RECORD_FIELDS } from '../../utils/log/record';
import { sampleRecord } from './helpers/records';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = join(ROOT, 'tests/fixtures/pool');

describe('pool', { timeout: 60_000 }, () => {
  let engine: Engine;
  let stats: PoolStats;
  const problems: Problem[] = [];
  beforeAll(async () => {
    engine = await openEngine({ threads: 1 });
    stats = await poolFiles(engine, expandInputs([FIXTURES]).files, { onProblem: (p) => problems.push(p) });
  });
  afterAll(() => engine?.close());

  it('counts every valid record, drops the resent export, and merges identical observations', () => {
    expect(stats).toEqual({ files: 5, read: 16, badLines: 2, duplicates: 5, pooled: 10, observations: 41n });
  });

  it('reports each bad line by file and line, and a foreign file with one message', () => {
    expect(problems.map((p) => `${p.file.slice(FIXTURES.length + 1)}:${p.line ?? ''}`)).toEqual(['notes.txt:', 'volunteer-d.jsonl:3', 'volunteer-d.jsonl:4']);
    expect(problems[0]!.error).toMatch(/not a BanLens export/);
    expect(problems[1]!.error).toMatch(/^host: /);
    expect(problems[2]!.error).toMatch(/^not JSON/);
  });

  it('keeps both regions and sums counts as the extension does', async () => {
    const rows = await engine.rows<{ region: string; platform: string; outcome: string; n: bigint; records: bigint }>(
      'SELECT region, platform, outcome, sum(count)::BIGINT AS n, count(*) AS records FROM pooled GROUP BY ALL ORDER BY ALL',
    );
    expect(rows.map((r) => [r.region, r.platform, r.outcome, Number(r.n), Number(r.records)])).toEqual([
      ['IN', 'tiktok', 'dns', 9, 1],
      ['IN-JK', 'x', 'tcp_reset', 1, 1],
      ['PK', 'x', 'tcp_reset', 20, 4],
      ['PK', 'youtube', 'ok', 10, 3],
      ['PK', 'youtube', 'timeout', 1, 1],
    ]);
    // Volunteer A's first record and volunteer B's same-hour observation became one, with count 6 + 2.
    const [merged] = await engine.rows<{ count: bigint }>("SELECT count FROM pooled WHERE region = 'PK' AND platform = 'x' AND host = 'platform.twitter.com' AND hour = TIMESTAMP '2026-11-22 16:00:00'");
    expect(merged!.count).toBe(8n);
  });

  it('writes Parquet with exactly the record fields, whole or partitioned by region and month, and reads it back', async () => {
    const file = join(engine.tempDir, 'pooled.parquet');
    const folder = join(engine.tempDir, 'partitioned');
    await writeParquet(engine, file, false);
    await writeParquet(engine, folder, true);
    const columns = await engine.rows<{ name: string }>(`SELECT name FROM parquet_schema('${file}') WHERE name <> 'duckdb_schema'`);
    expect(columns.map((c) => c.name)).toEqual(RECORD_FIELDS);
    const { files } = expandInputs([folder]);
    expect(files.map((f) => f.slice(folder.length + 1).replace(/\/[^/]+$/, ''))).toEqual(['region=IN/month=2026-11', 'region=IN-JK/month=2026-11', 'region=PK/month=2026-11']);
    const other = await openEngine({ threads: 1 });
    try {
      await openRecords(other, [folder], {}, () => {});
      const [back] = await other.rows<{ n: bigint; obs: bigint }>('SELECT count(*) AS n, sum(count)::BIGINT AS obs FROM records');
      expect([back!.n, back!.obs]).toEqual([10n, 41n]);
    } finally {
      other.close();
    }
  });

  it('takes an empty export (an empty log) as no records, without a complaint', async () => {
    const other = await openEngine({ threads: 1 });
    try {
      const empty = join(other.tempDir, 'empty.jsonl');
      writeFileSync(empty, '');
      const seen: Problem[] = [];
      const s = await poolFiles(other, [empty, join(FIXTURES, 'volunteer-b.csv')], { onProblem: (p) => seen.push(p) });
      expect(seen).toEqual([]);
      expect([s.files, s.read, s.pooled]).toEqual([2, 2, 2]);
    } finally {
      other.close();
    }
  });

  it('applies filters while pooling', async () => {
    const other = await openEngine({ threads: 1 });
    try {
      const s = await poolFiles(other, expandInputs([FIXTURES]).files, { filter: { region: 'IN', fromHour: '2026-11-22T00:00:00Z', toHour: '2026-11-22T23:00:00Z' } });
      expect([s.pooled, s.observations]).toEqual([2, 10n]); // IN and its subdivision IN-JK
    } finally {
      other.close();
    }
  });
});

describe('the SQL fast check never accepts what the zod schema refuses', { timeout: 120_000 }, () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openEngine({ threads: 1 });
  });
  afterAll(() => engine?.close());

  const valid = () => JSON.parse(toJsonlLine(sampleRecord())) as Record<string, unknown>;
  const handPicked: string[] = [
    toJsonlLine(sampleRecord()),
    toJsonlLine(sampleRecord({ vantage: 'probe', resource: 'probe' })),
    toJsonlLine(sampleRecord({ error: null, ms_bucket: null, http_status: 451, outcome: 'http_blockpage' })),
    JSON.stringify({ ...valid(), count: 3.0 }), // zod takes 3.0; SQL sends it to zod
    JSON.stringify({ ...valid(), count: 1.5 }),
    JSON.stringify({ ...valid(), count: '2' }),
    JSON.stringify({ ...valid(), count: 0 }),
    JSON.stringify({ ...valid(), count: 2 ** 60 }),
    JSON.stringify({ ...valid(), vantage: 'probe' }),
    JSON.stringify({ ...valid(), page: 'https://news.example/' }),
    JSON.stringify({ ...valid(), host: '203.0.113.9' }),
    JSON.stringify({ ...valid(), host: 'Platform.twitter.com' }),
    JSON.stringify({ ...valid(), hour: '2026-02-30T10:00:00Z' }),
    JSON.stringify({ ...valid(), hour: '2026-11-22T16:42:00Z' }),
    JSON.stringify({ ...valid(), error: 'failed at https://x.com/a?b=c' }),
    JSON.stringify({ ...valid(), region: 'pk' }),
    JSON.stringify({ ...valid(), id: 'not-a-uuid' }),
    JSON.stringify({ ...valid(), id: '00000000-0000-0000-8000-000000000001' }), // version 0
    JSON.stringify({ ...valid(), id: '00000000-0000-4000-c000-000000000001' }), // variant c
    JSON.stringify({ ...valid(), id: '00000000-0000-4000-8000-00000000000A' }), // upper case: zod takes it, SQL sends it to zod
    JSON.stringify({ ...valid(), id: '{00000000-0000-4000-8000-000000000001}' }),
    JSON.stringify({ ...valid(), id: '00000000000040008000000000000001' }),
    JSON.stringify({ ...valid(), http_status: 99 }),
    JSON.stringify({ ...valid(), ms_bucket: 101 }),
    JSON.stringify({ ...valid(), restricted: 'true' }),
    JSON.stringify({ ...valid(), browser: 'Mozilla/5.0 (X11; Linux x86_64)' }),
    JSON.stringify({ ...valid(), schema: 'banlens.reachability/2' }),
    `{"schema":"banlens.reachability/1",${toJsonlLine(sampleRecord()).slice(1)}`, // a duplicate key
    `\uFEFF${toJsonlLine(sampleRecord())}`,
    `\uFEFF\uFEFF${toJsonlLine(sampleRecord())}`,
    '[1,2,3]',
    '"a string"',
    '{oops',
  ];

  it('on hand-picked lines, and accepts every canonical record', async () => {
    const sql = await sqlCheckLines(engine, handPicked);
    handPicked.forEach((line, i) => {
      if (sql[i]) expect(parseRecordLine(line).ok, line).toBe(true);
    });
    expect(sql.slice(0, 3)).toEqual([true, true, true]);
  });

  it('on generated mutations of one field', async () => {
    const mutation = fc.record({ field: fc.constantFrom(...RECORD_FIELDS, 'extra'), value: fc.oneof(fc.jsonValue(), fc.string(), fc.integer(), fc.constantFrom('', 'ok', 'probe', 'PK', '2026-11-22T16:00:00Z', 'www.example.com', null)), drop: fc.boolean() });
    const lines = fc.sample(mutation, { numRuns: 3000, seed: 9 }).map(({ field, value, drop }) => {
      const record = valid();
      if (drop && field !== 'extra') delete record[field];
      else record[field] = value;
      return JSON.stringify(record);
    });
    const sql = await sqlCheckLines(engine, lines);
    const unsound = lines.filter((line, i) => sql[i] && !parseRecordLine(line).ok);
    expect(unsound).toEqual([]);
    // The check is useful only if it accepts most valid lines itself.
    const zodValid = lines.filter((l) => parseRecordLine(l).ok);
    expect(lines.filter((_line, i) => sql[i]).length).toBeGreaterThan(zodValid.length * 0.9);
  });

  it('reads fixture exports as the dashboard writes them', () => {
    for (const name of ['volunteer-a.jsonl']) {
      for (const line of readFileSync(join(FIXTURES, name), 'utf8').trim().split('\n')) expect(parseRecordLine(line).ok).toBe(true);
    }
  });
});
