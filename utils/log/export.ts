/**
 * The log's file formats (ARCHITECTURE.md "The log and its export"): JSONL (canonical), CSV (same columns), an OONI-style JSONL for
 * researchers who use OONI tools, the JSON Schema of a record, and the parser for importing lines.
 *
 * Everything here is pure and also runs in Node (scripts/logs.ts), so it must not import db.ts or
 * the browser polyfill. The streaming variants take any (async) iterable, such as db.ts's
 * iterateRecords(), and yield string chunks of ~1000 records, giving the event loop a turn between
 * chunks so that exporting 100k records does not freeze the dashboard:
 *
 *   const blob = new Blob(await Array.fromAsync(streamJsonl(iterateRecords())), { type: 'application/x-ndjson' });
 */
import { z } from 'zod';
import { OONI_BLOCKING, type OoniBlocking, type Outcome } from '../reach/outcome';

export { OONI_BLOCKING, type OoniBlocking };
import { LogRecord, RECORD_FIELDS, RECORD_SCHEMA_ID } from './record';

/**
 * The export formats, declared once: the writers here, the readers (formats.ts), the dashboard's downloads
 * (download.ts, components/LogExport.tsx) and the command line (scripts/logs.ts) all derive from this list.
 */
export const LOG_FORMATS = ['jsonl', 'csv', 'ooni'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

// ── JSONL and CSV ───────────────────────────────────────────────────────────────────────────────

/**
 * One JSON object, keys in schema order (RECORD_FIELDS) whatever the input's order, without a newline;
 * other keys (a stored record's merge key) are left out. A literal with the fields in order, where a
 * replacer list made V8 leave its fast path: stringifying 100k records took 0.9 s with the list, 0.2 s so.
 */
export function toJsonlLine(r: LogRecord): string {
  return JSON.stringify({
    schema: r.schema,
    id: r.id,
    hour: r.hour,
    region: r.region,
    platform: r.platform,
    host: r.host,
    resource: r.resource,
    vantage: r.vantage,
    outcome: r.outcome,
    error: r.error,
    http_status: r.http_status,
    ms_bucket: r.ms_bucket,
    count: r.count,
    restricted: r.restricted,
    browser: r.browser,
    extension: r.extension,
    dataset: r.dataset,
  } satisfies Record<(typeof RECORD_FIELDS)[number], unknown>);
}

export function toJsonl(records: Iterable<LogRecord>): string {
  let out = '';
  for (const record of records) out += `${toJsonlLine(record)}\n`;
  return out;
}

/** RFC 4180: a field with a comma, quote or line break is quoted, and quotes inside are doubled. */
function csvField(value: string | number | boolean | null): string {
  if (value === null) return ''; // JSONL's null; no record field can be an empty string
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const CSV_HEADER = `${RECORD_FIELDS.join(',')}\r\n`;

/** The columns of CSV_HEADER, written out: mapping RECORD_FIELDS to an array and joining it, per record, took twice as long. */
export function toCsvRow(r: LogRecord): string {
  return `${csvField(r.schema)},${csvField(r.id)},${csvField(r.hour)},${csvField(r.region)},${csvField(r.platform)},${csvField(r.host)},${csvField(r.resource)},${csvField(r.vantage)},${csvField(r.outcome)},${csvField(r.error)},${csvField(r.http_status)},${csvField(r.ms_bucket)},${csvField(r.count)},${csvField(r.restricted)},${csvField(r.browser)},${csvField(r.extension)},${csvField(r.dataset)}\r\n`;
}

/** A header row, then one CRLF-terminated row per record, columns as in JSONL. */
export function toCsv(records: Iterable<LogRecord>): string {
  let out = CSV_HEADER;
  for (const record of records) out += toCsvRow(record);
  return out;
}

// ── OONI ────────────────────────────────────────────────────────────────────────────────────────
// Shaped after OONI's base data format 0.2.0 (ooni/spec data-formats/df-000-base.md) and the
// `blocking`/`accessible` test keys of web_connectivity, which OONI's analysis tools read. Only
// fields those tools read are written; the ones we do not have are given OONI's own "withheld"
// values (probe_asn "AS0") or left out (probe_ip: we never hold an address, not even 127.0.0.1).
// A record aggregates `count` observations of one hour, so the time is the hour's start and
// test_keys.count says how many measurements the line stands for.

/** OONI's `blocking` values: false = not blocked, a string = the layer blocked, null = unknown. */

export const OONI_TEST_NAME = 'banlens_reachability';
/** The version of our "test": the record schema's. */
export const OONI_TEST_VERSION = RECORD_SCHEMA_ID.split('/')[1] ?? '1';

export interface OoniMeasurement {
  data_format_version: '0.2.0';
  id: string;
  input: string;
  measurement_start_time: string;
  test_start_time: string;
  probe_asn: 'AS0';
  probe_cc: string;
  report_id: string;
  software_name: 'banlens';
  software_version: string;
  test_name: typeof OONI_TEST_NAME;
  test_version: string;
  test_runtime: null;
  annotations: { dataset: string; browser: string; platform: string; region: string };
  test_keys: {
    blocking: OoniBlocking;
    accessible: boolean | null;
    outcome: Outcome;
    error: string | null;
    http_status: number | null;
    count: number;
    resource: LogRecord['resource'];
    vantage: LogRecord['vantage'];
    platform: string;
    restricted: boolean;
    ms_bucket: LogRecord['ms_bucket'];
  };
}

export function toOoniMeasurement(record: LogRecord): OoniMeasurement {
  const blocking = OONI_BLOCKING[record.outcome];
  // OONI writes UTC times as "YYYY-MM-DD HH:MM:SS".
  const startTime = record.hour.replace('T', ' ').replace('Z', '');
  return {
    data_format_version: '0.2.0',
    id: record.id,
    input: record.host,
    measurement_start_time: startTime,
    test_start_time: startTime,
    probe_asn: 'AS0',
    probe_cc: record.region.slice(0, 2), // OONI takes a country; the subdivision stays in annotations
    report_id: '',
    software_name: 'banlens',
    software_version: record.extension,
    test_name: OONI_TEST_NAME,
    test_version: OONI_TEST_VERSION,
    test_runtime: null,
    annotations: { dataset: record.dataset, browser: record.browser, platform: record.platform, region: record.region },
    test_keys: {
      blocking,
      accessible: blocking === false ? true : blocking === null ? null : false,
      outcome: record.outcome,
      error: record.error,
      http_status: record.http_status,
      count: record.count,
      resource: record.resource,
      vantage: record.vantage,
      platform: record.platform,
      restricted: record.restricted,
      ms_bucket: record.ms_bucket,
    },
  };
}

export function toOoniJsonlLine(record: LogRecord): string {
  return JSON.stringify(toOoniMeasurement(record));
}

export function toOoniJsonl(records: Iterable<LogRecord>): string {
  let out = '';
  for (const record of records) out += `${toOoniJsonlLine(record)}\n`;
  return out;
}

// ── Streaming ───────────────────────────────────────────────────────────────────────────────────

export const EXPORT_CHUNK_RECORDS = 1000;

export interface StreamOptions {
  chunkRecords?: number;
  /** How to give the event loop a turn; a macrotask by default. */
  yieldToEventLoop?: () => Promise<void>;
}

/**
 * Records one by one, or in pages: db.ts iterateRecordPages hands the whole log over a page at a time,
 * and one await per page instead of one per record took an export of 100k records from 6 s to under 2.
 */
export type RecordSource = AsyncIterable<LogRecord | readonly LogRecord[]> | Iterable<LogRecord | readonly LogRecord[]>;

/**
 * A turn of the event loop. `scheduler.yield()` where the browser has it: setTimeout is clamped to 4 ms
 * once nested, which alone added 0.4 s to a 100-chunk export; input and painting still run between.
 */
const macrotask = (): Promise<void> => {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  return typeof scheduler?.yield === 'function' ? scheduler.yield() : new Promise<void>((resolve) => setTimeout(resolve, 0));
};

async function* streamFormatted(
  records: RecordSource,
  formatLine: (record: LogRecord) => string,
  header: string,
  { chunkRecords = EXPORT_CHUNK_RECORDS, yieldToEventLoop = macrotask }: StreamOptions,
): AsyncGenerator<string> {
  let chunk = header;
  let inChunk = 0;
  for await (const item of records) {
    const page: readonly LogRecord[] = Array.isArray(item) ? item : [item as LogRecord];
    for (const record of page) {
      chunk += formatLine(record);
      if (++inChunk >= chunkRecords) {
        yield chunk;
        chunk = '';
        inChunk = 0;
        await yieldToEventLoop();
      }
    }
  }
  if (chunk !== '') yield chunk;
}

export function streamJsonl(records: RecordSource, options: StreamOptions = {}): AsyncGenerator<string> {
  return streamFormatted(records, (r) => `${toJsonlLine(r)}\n`, '', options);
}

export function streamCsv(records: RecordSource, options: StreamOptions = {}): AsyncGenerator<string> {
  return streamFormatted(records, toCsvRow, CSV_HEADER, options);
}

export function streamOoniJsonl(records: RecordSource, options: StreamOptions = {}): AsyncGenerator<string> {
  return streamFormatted(records, (r) => `${toOoniJsonlLine(r)}\n`, '', options);
}

// ── JSON Schema ─────────────────────────────────────────────────────────────────────────────────

/**
 * The JSON Schema of one JSONL line, generated from the zod schema. It carries every field, type,
 * enum and pattern; cross-field and calendar checks (a real hour, probe ⇔ resource 'probe', error
 * text being scrubbed) exist only in zod, so validate with parseRecordLine where it matters.
 */
export function recordJsonSchema(): z.core.JSONSchema.JSONSchema {
  return z.toJSONSchema(LogRecord);
}

/** The exact text of public/schema/reachability-record.schema.json (scripts/gen-schema.ts). */
export function recordJsonSchemaText(): string {
  return `${JSON.stringify(recordJsonSchema(), null, 2)}\n`;
}

// ── Import ──────────────────────────────────────────────────────────────────────────────────────

/** Longer than any valid record by far; a longer line is refused before JSON.parse sees it. */
export const MAX_RECORD_LINE_LENGTH = 4096;

export type ParsedRecordLine = { ok: true; record: LogRecord } | { ok: false; error: string };

/** Validates one JSONL line from an untrusted file. Errors are short and name the field. */
export function parseRecordLine(line: string): ParsedRecordLine {
  const text = line.replace(/^\uFEFF/, '').trim();
  if (text === '') return { ok: false, error: 'empty line' };
  if (text.length > MAX_RECORD_LINE_LENGTH) return { ok: false, error: `line longer than ${MAX_RECORD_LINE_LENGTH} characters` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not JSON (${(e as Error).message})` };
  }
  return validateRecord(json);
}

/** Validates a value that should be one record (from JSON or from a CSV row). Errors are short and name the field. */
export function validateRecord(json: unknown): ParsedRecordLine {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: false, error: 'not a JSON object' };
  const parsed = LogRecord.safeParse(json);
  if (parsed.success) return { ok: true, record: parsed.data };
  // One short phrase for absent fields, so that a line of some other format reads as such.
  const missing: string[] = [];
  const reasons: string[] = [];
  for (const issue of parsed.error.issues) {
    const [field] = issue.path;
    if (issue.path.length === 1 && !Object.hasOwn(json, field as PropertyKey)) missing.push(String(field));
    else reasons.push(`${issue.path.join('.') || '(record)'}: ${issue.message}`);
  }
  if (missing.length > 0) reasons.unshift(`missing field${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  return { ok: false, error: reasons.slice(0, 5).join('; ') };
}
