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
import { closeSync, createReadStream, createWriteStream, existsSync, openSync, readdirSync, readSync, statSync, writeFileSync } from 'node:fs';
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
  `',"id":', ${quoted('id::VARCHAR')}`,
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

const UUID_RE2 = z.regexes.uuid().source;
const MAX_COUNT = Number.MAX_SAFE_INTEGER;

/** Checks one row can make in SQL; strings with their own rules are checked by zod, once per distinct value. */
const ROW_OK = `COALESCE(schema = ${lit(RECORD_SCHEMA_ID)}
  AND regexp_full_match(id::VARCHAR, ${lit(UUID_RE2)})
  AND resource IN (${RESOURCES.map(lit).join(', ')})
  AND vantage IN (${VANTAGES.map(lit).join(', ')})
  AND outcome IN (${OUTCOMES.map(lit).join(', ')})
  AND (http_status IS NULL OR http_status BETWEEN 100 AND 599)
  AND (ms_bucket IS NULL OR ms_bucket IN (${MS_BUCKETS.join(', ')}))
  AND count BETWEEN 1 AND ${MAX_COUNT}
  AND restricted IS NOT NULL
  AND ((vantage = 'probe') = (resource = 'probe')), FALSE)`;

/** Reads the JSONL files in `files` (path → file index) into `staged`, with each row's own verdict in `ok`. */
function stageSql(files: ReadonlyMap<string, number>): string {
  const index = [...files].map(([path, i]) => `(${lit(path)}, ${i})`).join(', ');
  return `
    INSERT INTO staged
    SELECT f.i AS file, ${ROW_OK} AS ok, hash(${CANONICAL_LINE}) AS line_hash, r.* EXCLUDE (filename)
    FROM read_ndjson(${listLit([...files.keys()])}, columns = ${READ_COLUMNS}, filename = true, format = 'newline_delimited', ignore_errors = true) r
    JOIN (VALUES ${index}) f(path, i) ON f.path = r.filename`;
}

/**
 * Per file, the lines as read from the text: how many and the sum of their hashes. Blank lines are not records.
 * DuckDB's CSV reader with a delimiter no JSON line holds (a raw U+0001 is invalid JSON), no quoting and no
 * comment character reads each line whole, several times faster than splitting the text; a file it cannot read
 * that way (mixed line endings, a U+0001) makes it fail, and then zod reads the file.
 */
function rawLinesSql(files: ReadonlyMap<string, number>): string {
  const index = [...files].map(([path, i]) => `(${lit(path)}, ${i})`).join(', ');
  return `
    SELECT f.i AS file, count(*) AS n, sum(hash(line)::HUGEINT) AS h
    FROM read_csv(${listLit([...files.keys()])}, columns = {'line': 'VARCHAR'}, delim = chr(1), quote = '', escape = '', comment = '',
                  header = false, skip = 0, auto_detect = false, filename = true) x
    JOIN (VALUES ${index}) f(path, i) ON f.path = x.filename
    WHERE line <> ''
    GROUP BY ALL`;
}

/** The files among `files` whose lines are not exactly the canonical lines of their staged, valid records. */
async function mismatchedFiles(engine: Engine, files: ReadonlyMap<string, number>): Promise<number[]> {
  const rows = await engine.rows<{ file: number }>(`
    WITH raw AS (${rawLinesSql(files)}),
    canonical AS (SELECT file, count(*) AS n, sum(line_hash::HUGEINT) AS h, bool_and(ok) AS ok FROM staged WHERE file IN (${[...files.values()].join(', ')}) GROUP BY file)
    SELECT COALESCE(raw.file, canonical.file) AS file FROM raw FULL JOIN canonical USING (file)
    WHERE raw.n IS DISTINCT FROM canonical.n OR raw.h IS DISTINCT FROM canonical.h OR NOT canonical.ok`);
  return rows.map((r) => r.file);
}

/** Stages `files` and returns the indexes of those whose lines are not exactly their records' canonical lines. */
async function stageJsonl(engine: Engine, files: ReadonlyMap<string, number>): Promise<Set<number>> {
  const refused = new Set<number>();
  if (files.size === 0) return refused;
  try {
    await engine.run(stageSql(files));
  } catch {
    // A file the reader cannot take at all (not UTF-8, say): stage the others one by one, and let zod read it.
    for (const [path, i] of files) {
      try {
        await engine.run(stageSql(new Map([[path, i]])));
      } catch {
        await engine.run(`DELETE FROM staged WHERE file = ${i}`);
        refused.add(i);
      }
    }
  }
  await checkDistinctValues(engine);
  const rest = new Map([...files].filter(([, i]) => !refused.has(i)));
  if (rest.size === 0) return refused;
  try {
    for (const file of await mismatchedFiles(engine, rest)) refused.add(file);
  } catch {
    for (const [path, i] of rest) {
      try {
        for (const file of await mismatchedFiles(engine, new Map([[path, i]]))) refused.add(file);
      } catch {
        refused.add(i);
      }
    }
  }
  return refused;
}

const STAGED_DDL = `CREATE TABLE staged (file INTEGER, ok BOOLEAN, line_hash UBIGINT, schema VARCHAR, id UUID, hour VARCHAR, region VARCHAR, platform VARCHAR,
  host VARCHAR, resource VARCHAR, vantage VARCHAR, outcome VARCHAR, error VARCHAR, http_status BIGINT, ms_bucket BIGINT, count BIGINT,
  restricted BOOLEAN, browser VARCHAR, extension VARCHAR, dataset VARCHAR)`;

/** The zod validator of one field, as the record schema has it. */
function fieldSchema(field: ZodChecked): z.ZodType {
  return (LogRecord.shape as Record<string, z.ZodType>)[field]!;
}

/** Marks staged rows whose string values the zod schema refuses; returns how many were marked. */
async function checkDistinctValues(engine: Engine): Promise<void> {
  // One scan for every field's distinct values (a few thousand at most), then zod on each value.
  const [lists] = await engine.rows<Record<ZodChecked, (string | null)[]>>(`SELECT ${ZOD_CHECKED.map((f) => `list(DISTINCT ${f}) AS ${f}`).join(', ')} FROM staged WHERE ok`);
  const conditions: string[] = [];
  for (const field of ZOD_CHECKED) {
    const schema = fieldSchema(field);
    const bad = (lists?.[field] ?? []).filter((v): v is string => v !== null && !schema.safeParse(v).success);
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

  await engine.run(STAGED_DDL);
  const indexOf = new Map(files.map((f, i) => [f, i]));
  const jsonl = byKind.get('jsonl') ?? [];
  const refused = await stageJsonl(engine, new Map(jsonl.map((f) => [f, indexOf.get(f)!])));
  step('staged and checked');

  // Files zod reads: every CSV and OONI file, and each JSONL file the SQL check refused.
  if (refused.size > 0) await engine.run(`DELETE FROM staged WHERE file IN (${[...refused].join(', ')})`);
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
    const refusedAgain = await stageJsonl(engine, canonical);
    if (refusedAgain.size > 0) throw new Error(`internal error: the SQL check refused the canonical records of ${[...refusedAgain].map((i) => files[i]).join(', ')}, which the zod schema accepts`);
  }
  step('zod files read');
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
  await engine.run(`
    CREATE TABLE pooled AS
    WITH typed AS (
      SELECT ${lit(RECORD_SCHEMA_ID)} AS schema, id, strptime(hour, '%Y-%m-%dT%H:%M:%SZ') AS hour, region, platform, host, resource,
        vantage, outcome, error, http_status::SMALLINT AS http_status, ms_bucket::INTEGER AS ms_bucket, count, restricted, browser, extension, dataset
      FROM staged
    )
    SELECT schema, min(id) AS id, hour, region, platform, host, resource, vantage, outcome, error, http_status, ms_bucket,
      least(sum(count), ${MAX_COUNT})::BIGINT AS count, restricted, browser, extension, dataset
    FROM typed WHERE ${where}
    GROUP BY ALL`);
  step('pooled');
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
    await engine.run(`COPY (SELECT *, strftime(hour, '%Y-%m') AS month FROM pooled) TO ${lit(output)} (${options}, PARTITION_BY (region, month), OVERWRITE_OR_IGNORE)`);
  } else {
    // Not sorted: sorting 10 million rows cost more than the whole pool otherwise; readers prune by row-group statistics anyway.
    await engine.run(`COPY pooled TO ${lit(output)} (${options})`);
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
  await engine.run('DROP TABLE IF EXISTS staged');
  await engine.run(STAGED_DDL);
  const refused = await stageJsonl(engine, files);
  return lines.map((_, i) => !refused.has(i));
}
