/**
 * Pooling volunteers' exports into one table on DuckDB (design §11).
 *
 *   files and folders ──► classify (by content) ──► JSONL: read and checked in SQL, in parallel, out of core
 *                                                  CSV, OONI, or a JSONL file with any bad line: read line by
 *                                                  line with the zod schema (exact file:line reasons), and
 *                                                  the valid records go through the same SQL path
 *                     ──► staged ──► one row per id (a file submitted twice counts once)
 *                                ──► identical observations merged by summing counts, as the extension does
 *                                ──► pooled ──► Parquet (optionally partitioned by region and month)
 *
 * The SQL check is only a fast path and must never accept what the zod schema refuses: it checks the
 * record's shape, types, enums and numbers row by row, and every distinct string value (hosts, hours,
 * error texts…, a few thousand at most) with the zod schema's own field validators. A JSONL file with any
 * line the SQL refuses is re-read entirely by zod, which has the last word. tests/unit/pool.test.ts holds
 * the SQL check to the zod schema.
 *
 * Only the record's own fields ever reach the pooled table; the hour becomes a TIMESTAMP (UTC) and the id
 * a UUID, which is the same information typed for the engines that read Parquet.
 */
import { createReadStream, createWriteStream, existsSync, openSync, readSync, closeSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { toJsonlLine } from '../../utils/log/export';
import { detectFormat, parseLine, UNKNOWN_FORMAT_MESSAGE, type LogFormat } from '../../utils/log/formats';
import { LogRecord, MS_BUCKETS, RECORD_FIELDS, RECORD_SCHEMA_ID, RESOURCES, VANTAGES } from '../../utils/log/record';
import { OUTCOMES } from '../../utils/reach/outcome';
import { lit, listLit, type Engine } from './engine';
import { filterSql, type RecordFilter } from './filters';

export type InputKind = LogFormat | 'parquet';

export interface Problem {
  file: string;
  /** Absent for a problem with the whole file. */
  line?: number;
  error: string;
}

export interface PoolStats {
  files: number;
  /** Valid records read, before duplicates were dropped. */
  read: number;
  badLines: number;
  /** Records whose id had been seen already (a file submitted twice). */
  duplicates: number;
  /** Rows in the pooled table, after merging identical observations. */
  pooled: number;
  /** Observations: the pooled rows' summed count. */
  observations: bigint;
}

// ── Inputs ──────────────────────────────────────────────────────────────────────────────────────

/** Files named, and every file under each folder named (hidden ones left out), in a stable order. */
export function expandInputs(paths: readonly string[]): { files: string[]; problems: Problem[] } {
  const files: string[] = [];
  const problems: Problem[] = [];
  const walk = (path: string) => {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const name of readdirSync(path).sort()) if (!name.startsWith('.')) walk(join(path, name));
    } else if (stat.isFile()) files.push(resolve(path));
  };
  for (const path of paths) {
    if (!existsSync(path)) problems.push({ file: path, error: 'cannot read (no such file or folder)' });
    else walk(path);
  }
  return { files: [...new Set(files)], problems };
}

const PARQUET_MAGIC = 'PAR1';

/** What a file holds, from its first 64 kB. */
export function classifyFile(path: string): InputKind | null {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(65_536);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    const head = buffer.subarray(0, n);
    if (head.subarray(0, 4).toString('latin1') === PARQUET_MAGIC) return 'parquet';
    // A cut in the middle of a UTF-8 sequence only spoils the last line, which detection may skip.
    return detectFormat(head.toString('utf8'));
  } finally {
    closeSync(fd);
  }
}

// ── The SQL check ───────────────────────────────────────────────────────────────────────────────

const JSON_PATHS = listLit(RECORD_FIELDS.map((f) => `$.${f}`));
const SORTED_FIELDS = listLit([...RECORD_FIELDS].sort());
const INTEGER = ['UBIGINT', 'BIGINT'];
/** The JSON types each field may have; anything else sends the file to zod. */
const JSON_TYPES: Record<(typeof RECORD_FIELDS)[number], string[]> = {
  schema: ['VARCHAR'],
  id: ['VARCHAR'],
  hour: ['VARCHAR'],
  region: ['VARCHAR'],
  platform: ['VARCHAR'],
  host: ['VARCHAR'],
  resource: ['VARCHAR'],
  vantage: ['VARCHAR'],
  outcome: ['VARCHAR'],
  error: ['VARCHAR', 'NULL'],
  http_status: [...INTEGER, 'NULL'],
  ms_bucket: [...INTEGER, 'NULL'],
  count: INTEGER,
  restricted: ['BOOLEAN'],
  browser: ['VARCHAR'],
  extension: ['VARCHAR'],
  dataset: ['VARCHAR'],
};
/** String fields checked with zod once per distinct value. */
const ZOD_CHECKED = ['hour', 'region', 'platform', 'host', 'error', 'browser', 'extension', 'dataset'] as const;
type ZodChecked = (typeof ZOD_CHECKED)[number];

const UUID_RE2 = z.regexes.uuid().source;
const MAX_COUNT = Number.MAX_SAFE_INTEGER;

const col = (field: string) => `s[${RECORD_FIELDS.indexOf(field as never) + 1}]`;
const typeOk = RECORD_FIELDS.map((f, i) => `t[${i + 1}] IN (${JSON_TYPES[f].map(lit).join(', ')})`).join(' AND ');

/** The lines of the files in `files` (path → index), one row per non-blank line, with a shape verdict and typed fields. */
function stageSql(files: ReadonlyMap<string, number>): string {
  const paths = listLit([...files.keys()]);
  const index = [...files].map(([path, i]) => `(${lit(path)}, ${i})`).join(', ');
  return `
    INSERT INTO staged
    SELECT file, line_no, ok,
      ${col('id')} AS id, ${col('hour')} AS hour, ${col('region')} AS region, ${col('platform')} AS platform, ${col('host')} AS host,
      ${col('resource')} AS resource, ${col('vantage')} AS vantage, ${col('outcome')} AS outcome, ${col('error')} AS error,
      TRY_CAST(${col('http_status')} AS SMALLINT) AS http_status, TRY_CAST(${col('ms_bucket')} AS INTEGER) AS ms_bucket,
      TRY_CAST(${col('count')} AS BIGINT) AS count, ${col('restricted')} = 'true' AS restricted,
      ${col('browser')} AS browser, ${col('extension')} AS extension, ${col('dataset')} AS dataset
    FROM (
      SELECT file, line_no, s,
        COALESCE(shape_ok
          AND ${col('schema')} = ${lit(RECORD_SCHEMA_ID)}
          AND regexp_full_match(${col('id')}, ${lit(UUID_RE2)})
          AND ${col('resource')} IN (${RESOURCES.map(lit).join(', ')})
          AND ${col('vantage')} IN (${VANTAGES.map(lit).join(', ')})
          AND ${col('outcome')} IN (${OUTCOMES.map(lit).join(', ')})
          AND (${col('http_status')} IS NULL OR TRY_CAST(${col('http_status')} AS BIGINT) BETWEEN 100 AND 599)
          AND (${col('ms_bucket')} IS NULL OR TRY_CAST(${col('ms_bucket')} AS BIGINT) IN (${MS_BUCKETS.join(', ')}))
          AND TRY_CAST(${col('count')} AS BIGINT) BETWEEN 1 AND ${MAX_COUNT}
          AND ((${col('vantage')} = 'probe') = (${col('resource')} = 'probe')), FALSE) AS ok
      FROM (
        SELECT file, line_no,
          COALESCE(j IS NOT NULL AND json_type(j) = 'OBJECT' AND list_sort(json_keys(j)) = ${SORTED_FIELDS} AND strlen(line) <= 4096, FALSE) AS shape_pre,
          CASE WHEN shape_pre THEN json_type(j, ${JSON_PATHS}) END AS t,
          CASE WHEN shape_pre THEN json_extract_string(j, ${JSON_PATHS}) END AS s,
          COALESCE(shape_pre AND ${typeOk}, FALSE) AS shape_ok
        FROM (
          SELECT f.i AS file, x.n AS line_no, x.line, CASE WHEN json_valid(x.line) THEN x.line::JSON END AS j
          FROM (
            SELECT filename, n, trim(CASE WHEN starts_with(raw, chr(65279)) THEN raw[2:] ELSE raw END) AS line
            FROM (SELECT filename, unnest(ls) AS raw, generate_subscripts(ls, 1) AS n
                  FROM (SELECT filename, string_split(content, chr(10)) AS ls FROM read_text(${paths})))
          ) x JOIN (VALUES ${index}) f(path, i) ON f.path = x.filename
          WHERE x.line <> ''
        )
      )
    )`;
}

const STAGED_DDL = `CREATE TABLE staged (file INTEGER, line_no INTEGER, ok BOOLEAN, id VARCHAR, hour VARCHAR, region VARCHAR, platform VARCHAR,
  host VARCHAR, resource VARCHAR, vantage VARCHAR, outcome VARCHAR, error VARCHAR, http_status SMALLINT, ms_bucket INTEGER, count BIGINT,
  restricted BOOLEAN, browser VARCHAR, extension VARCHAR, dataset VARCHAR)`;

/** The zod validator of one field, as the record schema has it. */
function fieldSchema(field: ZodChecked): z.ZodType {
  return (LogRecord.shape as Record<string, z.ZodType>)[field]!;
}

/** Marks staged rows whose string values the zod schema refuses; returns how many were marked. */
async function checkDistinctValues(engine: Engine): Promise<void> {
  const conditions: string[] = [];
  for (const field of ZOD_CHECKED) {
    const values = await engine.rows<{ v: string }>(`SELECT DISTINCT ${field} AS v FROM staged WHERE ok AND ${field} IS NOT NULL`);
    const schema = fieldSchema(field);
    const bad = values.map((r) => r.v).filter((v) => !schema.safeParse(v).success);
    if (bad.length > 0) conditions.push(`${field} IN (${bad.map(lit).join(', ')})`);
  }
  if (conditions.length > 0) await engine.run(`UPDATE staged SET ok = FALSE WHERE ok AND (${conditions.join(' OR ')})`);
}

// ── zod, line by line ───────────────────────────────────────────────────────────────────────────

/** Reads one file with the zod schema, reporting bad lines, and appends its valid records, canonical, to `out`. */
async function readWithZod(path: string, format: LogFormat, out: NodeJS.WritableStream, onProblem: (p: Problem) => void): Promise<number> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let lineNumber = 0;
  let valid = 0;
  const header = RECORD_FIELDS.join(',');
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '' || (format === 'csv' && line.replace(/^\uFEFF/, '') === header)) continue;
    const parsed = parseLine(format, line);
    if (parsed.ok) {
      valid++;
      if (!out.write(`${toJsonlLine(parsed.record)}\n`)) await new Promise((r) => out.once('drain', r));
    } else onProblem({ file: path, line: lineNumber, error: parsed.error });
  }
  return valid;
}

// ── The pool ────────────────────────────────────────────────────────────────────────────────────

export interface PoolOptions {
  filter?: RecordFilter;
  onProblem?: (p: Problem) => void;
}

/**
 * Reads every export among `files` into the table `pooled` (and parquet inputs as they are), dropping
 * duplicate ids and merging identical observations. Returns the counts the CLI prints.
 */
export async function poolFiles(engine: Engine, files: readonly string[], options: PoolOptions = {}): Promise<PoolStats> {
  const onProblem = options.onProblem ?? (() => {});
  const stats: PoolStats = { files: 0, read: 0, badLines: 0, duplicates: 0, pooled: 0, observations: 0n };
  const problem = (p: Problem) => {
    if (p.line !== undefined) stats.badLines++;
    onProblem(p);
  };
  const byKind = new Map<InputKind, string[]>();
  for (const file of files) {
    let kind: InputKind | null;
    try {
      kind = classifyFile(file);
    } catch (error) {
      problem({ file, error: `cannot read (${(error as Error).message})` });
      continue;
    }
    if (kind === null || kind === 'parquet') {
      problem({ file, error: kind === 'parquet' ? 'a Parquet file: pool reads exports; summary and report read pools' : UNKNOWN_FORMAT_MESSAGE });
      continue;
    }
    stats.files++;
    byKind.set(kind, [...(byKind.get(kind) ?? []), file]);
  }

  await engine.run(STAGED_DDL);
  const indexOf = new Map(files.map((f, i) => [f, i]));
  const jsonl = byKind.get('jsonl') ?? [];
  if (jsonl.length > 0) await engine.run(stageSql(new Map(jsonl.map((f) => [f, indexOf.get(f)!]))));
  await checkDistinctValues(engine);

  // Files zod reads: every CSV and OONI file, and each JSONL file with a line the SQL check refused.
  const refused = await engine.rows<{ file: number }>('SELECT DISTINCT file FROM staged WHERE NOT ok ORDER BY file');
  await engine.run('DELETE FROM staged WHERE file IN (SELECT DISTINCT file FROM staged WHERE NOT ok)');
  const forZod: [string, LogFormat][] = [
    ...refused.map((r): [string, LogFormat] => [files[r.file]!, 'jsonl']),
    ...(byKind.get('csv') ?? []).map((f): [string, LogFormat] => [f, 'csv']),
    ...(byKind.get('ooni') ?? []).map((f): [string, LogFormat] => [f, 'ooni']),
  ];
  if (forZod.length > 0) {
    const canonicalPath = join(engine.tempDir, 'canonical.jsonl');
    const out = createWriteStream(canonicalPath);
    // One canonical file for all of them; its lines keep no trace of which file they came from, so the
    // file index is given per line by a side table: line numbers are consecutive per source file.
    const ranges: [number, number, number][] = [];
    let written = 0;
    for (const [path, format] of forZod) {
      const valid = await readWithZod(path, format, out, problem);
      ranges.push([indexOf.get(path)!, written + 1, written + valid]);
      written += valid;
    }
    await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
    if (written > 0) {
      await engine.run(stageSql(new Map([[canonicalPath, -1]])));
      await checkDistinctValues(engine);
      const [{ n } = { n: 0n }] = await engine.rows<{ n: bigint }>('SELECT count(*) AS n FROM staged WHERE file = -1 AND NOT ok');
      if (n > 0n) throw new Error(`internal error: the SQL check refused ${n} records that the zod schema accepts`);
      const cases = ranges.map(([file, first, last]) => `WHEN line_no BETWEEN ${first} AND ${last} THEN ${file}`).join(' ');
      await engine.run(`UPDATE staged SET file = CASE ${cases} END, line_no = line_no WHERE file = -1`);
    }
  }

  const [counts] = await engine.rows<{ read: bigint; ids: bigint }>('SELECT count(*) AS read, count(DISTINCT id) AS ids FROM staged');
  stats.read = Number(counts!.read);
  stats.duplicates = stats.read - Number(counts!.ids);
  const where = filterSql(options.filter ?? {});
  // One row per id: the first seen, in the order the files were given.
  await engine.run(`
    CREATE TABLE pooled AS
    WITH unique_records AS (
      SELECT * EXCLUDE (file, line_no, ok) FROM staged
      QUALIFY row_number() OVER (PARTITION BY id ORDER BY file, line_no) = 1
    ), typed AS (
      SELECT ${lit(RECORD_SCHEMA_ID)} AS schema, id::UUID AS id, strptime(hour, '%Y-%m-%dT%H:%M:%SZ') AS hour, region, platform, host, resource,
        vantage, outcome, error, http_status, ms_bucket, count, restricted, browser, extension, dataset
      FROM unique_records
    )
    SELECT schema, min(id) AS id, hour, region, platform, host, resource, vantage, outcome, error, http_status, ms_bucket,
      least(sum(count), ${MAX_COUNT})::BIGINT AS count, restricted, browser, extension, dataset
    FROM typed WHERE ${where}
    GROUP BY ALL`);
  // GROUP BY ALL groups by every non-aggregate column: the merge key (record.ts MERGE_KEY_FIELDS).
  await engine.run('DROP TABLE staged');
  const [totals] = await engine.rows<{ rows: bigint; observations: bigint | null }>('SELECT count(*) AS rows, sum(count)::BIGINT AS observations FROM pooled');
  stats.pooled = Number(totals!.rows);
  stats.observations = totals!.observations ?? 0n;
  return stats;
}

/** Writes the pooled table as one Parquet file, or as a folder partitioned by region and month (hive style). */
export async function writeParquet(engine: Engine, output: string, partition: boolean): Promise<void> {
  const options = "FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000";
  if (partition) {
    await engine.run(`COPY (SELECT *, strftime(hour, '%Y-%m') AS month FROM pooled ORDER BY region, hour) TO ${lit(output)} (${options}, PARTITION_BY (region, month), OVERWRITE_OR_IGNORE)`);
  } else {
    await engine.run(`COPY (SELECT * FROM pooled ORDER BY region, hour) TO ${lit(output)} (${options})`);
  }
}

/** For tests: the SQL check's verdict on each line, as if each were a JSONL file of its own line. */
export async function sqlCheckLines(engine: Engine, lines: readonly string[]): Promise<boolean[]> {
  const path = join(engine.tempDir, 'check.jsonl');
  await new Promise<void>((r, j) => {
    const out = createWriteStream(path);
    out.end(lines.map((l) => `${l.replaceAll('\n', ' ')}\n`).join(''), () => r());
    out.on('error', j);
  });
  await engine.run('DROP TABLE IF EXISTS staged');
  await engine.run(STAGED_DDL);
  await engine.run(stageSql(new Map([[path, 0]])));
  await checkDistinctValues(engine);
  const rows = await engine.rows<{ line_no: number; ok: boolean }>('SELECT line_no, ok FROM staged');
  const verdicts = lines.map(() => false);
  for (const r of rows) verdicts[r.line_no - 1] = r.ok;
  return verdicts;
}
