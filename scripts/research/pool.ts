/**
 * Pooling volunteers' exports into one table on DuckDB (ARCHITECTURE.md "Pooling logs").
 *
 *   files and folders ──► classify by content ──► JSONL ──► pass 1: checked in SQL, nothing kept (canonical-line
 *                                               │          hashes per file, row checks, zod on each distinct string)
 *                                               │            │ refused file
 *                         CSV, OONI ────────────┴──► zod, line by line (file:line reasons) ──► canonical JSONL ──► pass 1
 *                     ──► pass 2: accepted files loaded, strings as dictionary types ──► staged
 *                     ──► one row per id (a file submitted twice counts once)
 *                     ──► identical observations merged by summing counts, as the extension does ──► pooled ──► Parquet
 *
 * The SQL check is only a fast path and must never accept what the zod schema refuses. DuckDB's JSON reader is
 * lenient, so a file is accepted only when its lines, as a multiset, are exactly the canonical lines rebuilt from
 * what the reader read (count and sum of 64-bit hashes), every row passes the schema's enums, ranges and numbers
 * in SQL, and every distinct string value (hosts, hours, error texts…) passes the zod schema's own validator for
 * its field. Any other file is read by zod, which has the last word. tests/unit/pool.test.ts holds the SQL check
 * to the zod schema.
 *
 * Only the record's own fields ever reach the pooled table; the hour becomes a TIMESTAMP (UTC) and the id
 * a UUID, which is the same information typed for the engines that read Parquet.
 */
import { closeSync, createReadStream, createWriteStream, existsSync, openSync, readdirSync, readSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { z } from 'zod';
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
    const text = head.toString('utf8');
    // The JSONL or OONI export of an empty log is an empty file: no records, and nothing wrong with it.
    if (text.trim() === '') return 'jsonl';
    return detectFormat(text);
  } finally {
    closeSync(fd);
  }
}

// ── The SQL check ───────────────────────────────────────────────────────────────────────────────
// DuckDB's JSON reader parses the files fast and in parallel, but it is lenient: it ignores unknown keys,
// reads a missing key as null and converts types. So each file is also read as text, and the file is
// accepted only if its lines are, as a multiset, exactly the canonical lines (toJsonlLine) of the records
// the reader found: same count, same sum of 64-bit line hashes. A line that is not canonical (an extra
// key, a missing one, a number in quotes, spaces, escapes) sends its file to zod, which is slower but exact.

/** The JSON reader's column types; the canonical line is rebuilt from these values. */
const READ_COLUMNS = `{schema: 'VARCHAR', id: 'UUID', hour: 'VARCHAR', region: 'VARCHAR', platform: 'VARCHAR', host: 'VARCHAR', resource: 'VARCHAR',
  vantage: 'VARCHAR', outcome: 'VARCHAR', error: 'VARCHAR', http_status: 'BIGINT', ms_bucket: 'BIGINT', count: 'BIGINT', restricted: 'BOOLEAN',
  browser: 'VARCHAR', extension: 'VARCHAR', dataset: 'VARCHAR'}`;

/** A JSON string as JSON.stringify writes one that needs no escaping; other strings never match the raw line. */
const quoted = (field: string) => `'"', ${field}, '"'`;
// One concat() call: a chain of || builds every intermediate string and was four times slower.
const CANONICAL_LINE = `concat(${[
  `'{"schema":', ${quoted('schema')}`,
  `',"id":', ${quoted('id')}`,
  `',"hour":', ${quoted('hour')}`,
  `',"region":', ${quoted('region')}`,
  `',"platform":', ${quoted('platform')}`,
  `',"host":', ${quoted('host')}`,
  `',"resource":', ${quoted('resource')}`,
  `',"vantage":', ${quoted('vantage')}`,
  `',"outcome":', ${quoted('outcome')}`,
  `',"error":', CASE WHEN error IS NULL THEN 'null' ELSE concat('"', error, '"') END`,
  `',"http_status":', COALESCE(http_status::VARCHAR, 'null')`,
  `',"ms_bucket":', COALESCE(ms_bucket::VARCHAR, 'null')`,
  `',"count":', count::VARCHAR`,
  `',"restricted":', CASE WHEN restricted THEN 'true' WHEN NOT restricted THEN 'false' END`,
  `',"browser":', ${quoted('browser')}`,
  `',"extension":', ${quoted('extension')}`,
  `',"dataset":', ${quoted('dataset')}, '}'`,
].join(', ')})`;
if (CANONICAL_LINE.split('"').length < RECORD_FIELDS.length) throw new Error('CANONICAL_LINE must name every record field');

/** String fields checked with zod once per distinct value. */
const ZOD_CHECKED = ['hour', 'region', 'platform', 'host', 'error', 'browser', 'extension', 'dataset'] as const;
type ZodChecked = (typeof ZOD_CHECKED)[number];

/**
 * zod's uuid pattern (z.regexes.uuid(): version 1–8, variant 8–b, or the nil and max UUIDs) on the reader's UUID: the
 * canonical-line check makes the text the lowercase hyphenated form, so those digits are at fixed places.
 */
const MAX_COUNT = Number.MAX_SAFE_INTEGER;

/** Checks one row can make in SQL; strings with their own rules are checked by zod, once per distinct value. */
const ROW_OK = `COALESCE(schema = ${lit(RECORD_SCHEMA_ID)}
  AND (substr(id, 15, 1) BETWEEN '1' AND '8' AND substr(id, 20, 1) IN ('8', '9', 'a', 'b')
       OR id IN ('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff'))
  AND resource IN (${RESOURCES.map(lit).join(', ')})
  AND vantage IN (${VANTAGES.map(lit).join(', ')})
  AND outcome IN (${OUTCOMES.map(lit).join(', ')})
  AND (http_status IS NULL OR http_status BETWEEN 100 AND 599)
  AND (ms_bucket IS NULL OR ms_bucket IN (${MS_BUCKETS.join(', ')}))
  AND count BETWEEN 1 AND ${MAX_COUNT}
  AND restricted IS NOT NULL
  AND ((vantage = 'probe') = (resource = 'probe')), FALSE)`;

const fileIndexSql = (files: ReadonlyMap<string, number>) => `(VALUES ${[...files].map(([path, i]) => `(${lit(path)}, ${i})`).join(', ')}) f(path, i)`;

/**
 * Pass 1, nothing materialised: per file, the canonical lines' count and hash sum, whether every row passes the
 * SQL checks, and the distinct values of the strings zod checks.
 */
function verifySql(files: ReadonlyMap<string, number>): string {
  // One scan: grouping set (file) gives each file's count, hash sum and row verdict; one set per string field gives
  // its distinct values (far cheaper than list(DISTINCT) per file).
  return `
    SELECT filename, GROUPING(filename) = 0 AS per_file, ${ZOD_CHECKED.join(', ')},
      count(*) AS n, sum(hash(${CANONICAL_LINE})::HUGEINT) AS h, bool_and(${ROW_OK}) AS ok
    FROM ${readRecordsSql(files)}
    GROUP BY GROUPING SETS ((filename), ${ZOD_CHECKED.map((field) => `(${field})`).join(', ')})`;
}

/** The reader's UUID back as text once per row (lowercase, hyphenated), for the canonical line and the checks. */
const readRecordsSql = (files: ReadonlyMap<string, number>) =>
  `(SELECT * REPLACE (id::VARCHAR AS id) FROM read_ndjson(${listLit([...files.keys()])}, columns = ${READ_COLUMNS}, filename = true, format = 'newline_delimited', ignore_errors = true)) r`;

/**
 * Per file, the lines as read from the text: how many and the sum of their hashes. Blank lines are not records.
 * DuckDB's CSV reader with a delimiter no JSON line holds (a raw U+0001 is invalid JSON), no quoting and no
 * comment character reads each line whole, several times faster than splitting the text; a file it cannot read
 * that way (mixed line endings, a U+0001) makes it fail, and then zod reads the file.
 */
function rawLinesSql(files: ReadonlyMap<string, number>): string {
  return `
    SELECT filename, count(*) AS n, sum(hash(line)::HUGEINT) AS h
    FROM read_csv(${listLit([...files.keys()])}, columns = {'line': 'VARCHAR'}, delim = chr(1), quote = '', escape = '', comment = '',
                  header = false, skip = 0, auto_detect = false, filename = true)
    WHERE line <> ''
    GROUP BY ALL`;
}

type FileCheck = { file: number; per_file: boolean; n: bigint; h: bigint; ok: boolean } & Record<ZodChecked, string | null>;

/**
 * Runs `query` on all files at once, or, if DuckDB cannot read one of them, file by file; unreadable files are
 * refused. Rows name their file by path (grouping by the reader's file name is cheaper than joining an index
 * to every row) and come back with its index as `file`.
 */
async function perFile<T extends { file: number }>(engine: Engine, files: ReadonlyMap<string, number>, query: (files: ReadonlyMap<string, number>) => string, refused: Set<number>): Promise<T[]> {
  const indexed = (rows: (T & { filename: string | null })[]) => rows.map((r) => ({ ...r, file: r.filename === null ? -1 : (files.get(r.filename) ?? -1) }));
  try {
    return indexed(await engine.rows<T & { filename: string | null }>(query(files)));
  } catch {
    const rows: T[] = [];
    for (const [path, i] of files) {
      try {
        rows.push(...indexed(await engine.rows<T & { filename: string | null }>(query(new Map([[path, i]])))));
      } catch {
        refused.add(i); // not UTF-8, mixed line endings, a line too long: zod reads it and says what is wrong
      }
    }
    return rows;
  }
}

/** The distinct string values of the files accepted so far, per field, for the dictionary types of pass 2. */
export type Dictionaries = Record<ZodChecked, Set<string>>;

function emptyDictionaries(): Dictionaries {
  return Object.fromEntries(ZOD_CHECKED.map((f) => [f, new Set<string>()])) as Dictionaries;
}

/**
 * Pass 1 over JSONL files: returns the indexes of those not exactly canonical, or with a value the schema refuses,
 * and adds the accepted files' string values to `dictionaries`.
 */
async function verifyJsonl(engine: Engine, files: ReadonlyMap<string, number>, dictionaries: Dictionaries): Promise<Set<number>> {
  const refused = new Set<number>();
  if (files.size === 0) return refused;
  const rows = await perFile<FileCheck>(engine, files, verifySql, refused);
  const checks = rows.filter((r) => r.per_file);
  const raw = new Map((await perFile<{ file: number; n: bigint; h: bigint }>(engine, files, rawLinesSql, refused)).map((r) => [r.file, r]));
  // The strings: zod's verdict on each distinct value; the files holding a refused value are refused.
  const values = new Map<ZodChecked, Set<string>>(ZOD_CHECKED.map((f) => [f, new Set()]));
  for (const row of rows) if (!row.per_file) for (const field of ZOD_CHECKED) if (row[field] !== null) values.get(field)!.add(row[field]!);
  const readable = new Map([...files].filter(([, i]) => !refused.has(i)));
  const bad: string[] = [];
  for (const field of ZOD_CHECKED) {
    const schema = fieldSchema(field);
    const refusedValues = [...values.get(field)!].filter((v) => !schema.safeParse(v).success);
    if (refusedValues.length > 0) bad.push(`${field} IN (${refusedValues.map(lit).join(', ')})`);
  }
  if (bad.length > 0) {
    for (const { file } of await engine.rows<{ file: number }>(`SELECT DISTINCT f.i AS file FROM ${readRecordsSql(readable)} JOIN ${fileIndexSql(readable)} ON f.path = r.filename WHERE ${bad.join(' OR ')}`)) refused.add(file);
  }
  const checked = new Set<number>();
  for (const c of checks) {
    checked.add(c.file);
    const r = raw.get(c.file);
    if (!(c.ok && r !== undefined && r.n === c.n && r.h === c.h)) refused.add(c.file);
  }
  // The accepted files' values, for the dictionary types. A value only a refused file held is harmless there.
  for (const field of ZOD_CHECKED) for (const v of values.get(field)!) if (fieldSchema(field).safeParse(v).success) dictionaries[field].add(v);
  // A file with lines but no record the reader could take, or with records but no lines.
  for (const [, i] of files) if (!checked.has(i) && raw.has(i)) refused.add(i);
  return refused;
}

/** Pass 2: the accepted files into `staged`, the strings as dictionary types (ENUMs) built from pass 1's values. */
async function loadJsonl(engine: Engine, files: ReadonlyMap<string, number>, dictionaries: Dictionaries): Promise<void> {
  for (const field of ZOD_CHECKED) {
    // '' is no valid value of any field, and keeps an ENUM from being empty.
    await engine.run(`CREATE TYPE ${field}_t AS ENUM (${['', ...dictionaries[field]].map(lit).join(', ')})`);
  }
  await engine.run(`CREATE TYPE resource_t AS ENUM (${RESOURCES.map(lit).join(', ')});
    CREATE TYPE vantage_t AS ENUM (${VANTAGES.map(lit).join(', ')});
    CREATE TYPE outcome_t AS ENUM (${OUTCOMES.map(lit).join(', ')})`);
  // The file as a dictionary type in the order the files were given, so that ORDER BY file means "first given".
  const paths = [...files].sort((a, b) => a[1] - b[1]).map(([path]) => path);
  await engine.run(`CREATE TYPE file_t AS ENUM (${['', ...paths].map(lit).join(', ')})`);
  await engine.run(`CREATE TABLE staged (file file_t, id UUID, hour TIMESTAMP, region region_t, platform platform_t, host host_t,
    resource resource_t, vantage vantage_t, outcome outcome_t, error error_t, http_status SMALLINT, ms_bucket INTEGER, count BIGINT,
    restricted BOOLEAN, browser browser_t, extension extension_t, dataset dataset_t)`);
  if (files.size === 0) return;
  const columns = `{schema: 'VARCHAR', id: 'UUID', hour: 'TIMESTAMP', region: 'region_t', platform: 'platform_t', host: 'host_t', resource: 'resource_t',
    vantage: 'vantage_t', outcome: 'outcome_t', error: 'error_t', http_status: 'SMALLINT', ms_bucket: 'INTEGER', count: 'BIGINT', restricted: 'BOOLEAN',
    browser: 'browser_t', extension: 'extension_t', dataset: 'dataset_t'}`;
  // No ignore_errors: pass 1 vouched for every line, so a failure here means a file changed meanwhile.
  await engine.run(`INSERT INTO staged SELECT filename::file_t AS file, * EXCLUDE (filename, schema)
    FROM read_ndjson(${listLit(paths)}, columns = ${columns}, filename = true, format = 'newline_delimited')`);
}

/** The zod validator of one field, as the record schema has it. */
function fieldSchema(field: ZodChecked): z.ZodType {
  return (LogRecord.shape as Record<string, z.ZodType>)[field]!;
}

// ── zod, line by line ───────────────────────────────────────────────────────────────────────────

/** Reads one file with the zod schema, reporting bad lines, and appends its valid records, canonical, to `out`. */
async function readWithZod(path: string, format: LogFormat, out: NodeJS.WritableStream, onProblem: (p: Problem) => void): Promise<number> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  let valid = 0;
  const header = RECORD_FIELDS.join(',');
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '' || (format === 'csv' && line.replace(/^\uFEFF/, '') === header)) continue;
    const parsed = parseLine(format, line);
    if (parsed.ok) {
      valid++;
      // The id in lower case, as DuckDB's UUID type writes it: the same UUID, so nothing is added or lost.
      if (!out.write(`${toJsonlLine({ ...parsed.record, id: parsed.record.id.toLowerCase() })}\n`)) await new Promise((r) => out.once('drain', r));
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
  const started = performance.now();
  const step = (name: string) => process.env.BANLENS_TIMING && process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(2)} s] ${name}\n`);
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

  const indexOf = new Map(files.map((f, i) => [f, i]));
  const dictionaries = emptyDictionaries();
  const jsonl = new Map((byKind.get('jsonl') ?? []).map((f) => [f, indexOf.get(f)!]));
  const refused = await verifyJsonl(engine, jsonl, dictionaries);
  step('checked');

  // Files zod reads: every CSV and OONI file, and each JSONL file the SQL check refused.
  const accepted = new Map([...jsonl].filter(([, i]) => !refused.has(i)));
  const forZod: [string, LogFormat][] = [
    ...[...refused].sort((a, b) => a - b).map((i): [string, LogFormat] => [files[i]!, 'jsonl']),
    ...(byKind.get('csv') ?? []).map((f): [string, LogFormat] => [f, 'csv']),
    ...(byKind.get('ooni') ?? []).map((f): [string, LogFormat] => [f, 'ooni']),
  ];
  if (forZod.length > 0) {
    // Each file's valid records, rewritten canonical, go through the same SQL path, which must take them all.
    const canonical = new Map<string, number>();
    for (const [path, format] of forZod) {
      const canonicalPath = join(engine.tempDir, `canonical-${indexOf.get(path)!}.jsonl`);
      const out = createWriteStream(canonicalPath);
      const valid = await readWithZod(path, format, out, problem);
      await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
      if (valid > 0) canonical.set(canonicalPath, indexOf.get(path)!);
    }
    const refusedAgain = await verifyJsonl(engine, canonical, dictionaries);
    if (refusedAgain.size > 0) throw new Error(`internal error: the SQL check refused the canonical records of ${[...refusedAgain].map((i) => files[i]).join(', ')}, which the zod schema accepts`);
    for (const [path, i] of canonical) accepted.set(path, i);
  }
  await loadJsonl(engine, accepted, dictionaries);
  step('loaded');
  const [{ read } = { read: 0n }] = await engine.rows<{ read: bigint }>('SELECT count(*) AS read FROM staged');
  stats.read = Number(read);
  // One row per id: the first seen, in the order the files were given. Only ids seen twice need the sort.
  await engine.run('CREATE TEMP TABLE repeated AS SELECT id, count(*) - 1 AS extra FROM staged GROUP BY id HAVING count(*) > 1');
  const [{ extra } = { extra: null }] = await engine.rows<{ extra: bigint | null }>('SELECT sum(extra)::BIGINT AS extra FROM repeated');
  stats.duplicates = Number(extra ?? 0n);
  if (stats.duplicates > 0) {
    await engine.run(`DELETE FROM staged WHERE rowid IN (
      SELECT rowid FROM staged SEMI JOIN repeated USING (id) QUALIFY row_number() OVER (PARTITION BY id ORDER BY file, rowid) > 1)`);
  }
  step('duplicates dropped');
  const where = filterSql(options.filter ?? {});
  // GROUP BY ALL groups by every column but the id and the count: the merge key (record.ts MERGE_KEY_FIELDS).
  // Grouping on the dictionary types is fast and the table stays small; the view `pooled` gives the strings back
  // as VARCHAR, for Parquet and for queries. The filters apply to merge-key columns, so after grouping is the same.
  // With a filter, its columns are compared as strings (a value absent from a dictionary type is no error then).
  const source = options.filter && Object.keys(options.filter).length > 0
    ? `(SELECT * REPLACE (region::VARCHAR AS region, platform::VARCHAR AS platform, vantage::VARCHAR AS vantage, outcome::VARCHAR AS outcome) FROM staged) WHERE ${where}`
    : 'staged';
  await engine.run(`
    CREATE TABLE pooled_dictionary AS
    SELECT min(id) AS id, hour, region, platform, host, resource, vantage, outcome, error, http_status, ms_bucket,
      least(sum(count), ${MAX_COUNT})::BIGINT AS count, restricted, browser, extension, dataset
    FROM ${source} GROUP BY ALL`);
  await engine.run(`
    CREATE VIEW pooled AS
    SELECT ${lit(RECORD_SCHEMA_ID)} AS schema, id, hour, region::VARCHAR AS region, platform::VARCHAR AS platform, host::VARCHAR AS host,
      resource::VARCHAR AS resource, vantage::VARCHAR AS vantage, outcome::VARCHAR AS outcome, error::VARCHAR AS error, http_status, ms_bucket,
      count, restricted, browser::VARCHAR AS browser, extension::VARCHAR AS extension, dataset::VARCHAR AS dataset
    FROM pooled_dictionary`);
  step('pooled');
  await engine.run('DROP TABLE staged');
  const [totals] = await engine.rows<{ rows: bigint; observations: bigint | null }>('SELECT count(*) AS rows, sum(count)::BIGINT AS observations FROM pooled');
  stats.pooled = Number(totals!.rows);
  stats.observations = totals!.observations ?? 0n;
  return stats;
}

/** Writes the pooled table as one Parquet file, or as a folder partitioned by region and month (hive style). */
export async function writeParquet(engine: Engine, output: string, partition: boolean): Promise<void> {
  // Straight from the dictionary types: Parquet stores them as plain UTF-8 strings, and skipping the cast to
  // VARCHAR made writing four times faster.
  const rows = `SELECT ${lit(RECORD_SCHEMA_ID)} AS schema, * FROM pooled_dictionary`;
  if (partition) {
    await engine.run(`COPY (SELECT *, strftime(hour, '%Y-%m') AS month FROM (${rows})) TO ${lit(output)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (region, month), OVERWRITE_OR_IGNORE)`);
  } else {
    // Not sorted: sorting 10 million rows cost more than the whole pool otherwise; readers prune by row-group statistics anyway.
    await engine.run(`COPY (${rows}) TO ${lit(output)} (FORMAT parquet, COMPRESSION zstd)`);
  }
}

/** For tests: the SQL check's verdict on each line, as if each were a JSONL file of that one line. */
export async function sqlCheckLines(engine: Engine, lines: readonly string[]): Promise<boolean[]> {
  const files = new Map<string, number>();
  lines.forEach((line, i) => {
    const path = join(engine.tempDir, `check-${i}.jsonl`);
    writeFileSync(path, `${line.replaceAll('\n', ' ')}\n`);
    files.set(path, i);
  });
  const refused = await verifyJsonl(engine, files, emptyDictionaries());
  return lines.map((_, i) => !refused.has(i));
}
