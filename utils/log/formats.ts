/**
 * Reading the three export formats back (ARCHITECTURE.md "The log and its export"): JSONL, CSV and OONI-style JSONL, told apart by
 * their content, never by the file name, since volunteers rename files and mail clients mangle them.
 *
 *   first lines ──► detectFormat ──► 'jsonl' | 'csv' | 'ooni' | null (a foreign file: one message)
 *   each line   ──► parseLine(format, line) ──► LogRecord or a short reason
 *
 * Every line ends up validated by the record's zod schema, whatever the format, so a CSV or OONI file
 * can never carry more than a JSONL export could. An OONI line must also be exactly what the exporter
 * writes for that record: any field the exporter would not write is refused, not dropped.
 * Pure, and runs in Node (scripts/logs.ts) as well as in the browser.
 */
import { LOG_FORMATS, OONI_TEST_NAME, parseRecordLine, toOoniMeasurement, validateRecord, MAX_RECORD_LINE_LENGTH, type LogFormat, type ParsedRecordLine } from './export';
import { RECORD_FIELDS, RECORD_SCHEMA_ID, type LogRecord } from './record';

export { LOG_FORMATS, type LogFormat };

export const FORMAT_NAMES: Record<LogFormat, string> = { jsonl: 'BanLens JSONL', csv: 'BanLens CSV', ooni: 'BanLens OONI-style JSONL' };

/** The one message for a file in none of the formats. */
export const UNKNOWN_FORMAT_MESSAGE = 'not a BanLens export: expected the JSONL, CSV or OONI JSONL that the dashboard writes';

const CSV_HEADER_LINE = RECORD_FIELDS.join(',');
/** Lines looked at to recognise a file; a few bad lines at the top do not hide the format. */
const DETECT_LINES = 20;

function stripLine(line: string): string {
  return line.replace(/^\uFEFF/, '').replace(/\r$/, '');
}

/** What one line says about its file's format, or null when it says nothing. */
function formatOfLine(line: string): LogFormat | null {
  const text = stripLine(line).trim();
  if (text === CSV_HEADER_LINE) return 'csv';
  if (!text.startsWith('{')) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof json !== 'object' || json === null) return null;
  const o = json as Record<string, unknown>;
  if (o.test_name === OONI_TEST_NAME && o.software_name === 'banlens' && typeof o.test_keys === 'object') return 'ooni';
  if (o.schema === RECORD_SCHEMA_ID) return 'jsonl';
  return null;
}

/** The format of a file from its first lines (the first ~64 kB is plenty), or null for a foreign file. */
export function detectFormat(head: string): LogFormat | null {
  let seen = 0;
  for (const line of head.split('\n')) {
    if (line.trim() === '') continue;
    const format = formatOfLine(line);
    if (format) return format;
    if (++seen >= DETECT_LINES) break;
  }
  return null;
}

// ── CSV ─────────────────────────────────────────────────────────────────────────────────────────

/** Splits one RFC 4180 row (no line breaks inside: no record field can hold one). Null when malformed. */
export function splitCsvRow(row: string): string[] | null {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (row[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = row.indexOf('"', i);
        if (q === -1) return null;
        value += row.slice(i, q);
        if (row[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      fields.push(value);
      if (i === row.length) return fields;
      if (row[i] !== ',') return null;
      i++;
    } else {
      const comma = row.indexOf(',', i);
      const value = comma === -1 ? row.slice(i) : row.slice(i, comma);
      if (value.includes('"')) return null;
      fields.push(value);
      if (comma === -1) return fields;
      i = comma + 1;
    }
  }
}

const NUMBER_FIELDS = new Set<string>(['http_status', 'ms_bucket', 'count']);

/** One CSV data row to a record. Types come back as the exporter wrote them: '' is null, numbers, booleans. */
export function parseCsvRow(row: string): ParsedRecordLine {
  const text = stripLine(row);
  if (text.length > MAX_RECORD_LINE_LENGTH) return { ok: false, error: `line longer than ${MAX_RECORD_LINE_LENGTH} characters` };
  const cells = splitCsvRow(text);
  if (cells === null) return { ok: false, error: 'not a CSV row (unbalanced quotes)' };
  if (cells.length !== RECORD_FIELDS.length) return { ok: false, error: `expected ${RECORD_FIELDS.length} columns, found ${cells.length}` };
  const json: Record<string, unknown> = {};
  RECORD_FIELDS.forEach((field, i) => {
    const cell = cells[i]!;
    if (cell === '') json[field] = null;
    else if (NUMBER_FIELDS.has(field) && /^-?\d{1,16}$/.test(cell)) json[field] = Number(cell);
    else if (field === 'restricted' && (cell === 'true' || cell === 'false')) json[field] = cell === 'true';
    else json[field] = cell;
  });
  return validateRecord(json);
}

// ── OONI ────────────────────────────────────────────────────────────────────────────────────────

/** JSON with object keys sorted, so that two values compare equal whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The record an OONI-style line stands for. Fields come from where toOoniMeasurement put them. */
function recordOfOoni(m: Record<string, unknown>): Record<string, unknown> {
  const annotations = (m.annotations ?? {}) as Record<string, unknown>;
  const keys = (m.test_keys ?? {}) as Record<string, unknown>;
  const start = typeof m.measurement_start_time === 'string' ? m.measurement_start_time : '';
  return {
    schema: RECORD_SCHEMA_ID,
    id: m.id,
    hour: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(start) ? `${start.replace(' ', 'T')}Z` : start,
    region: annotations.region,
    platform: annotations.platform,
    host: m.input,
    resource: keys.resource,
    vantage: keys.vantage,
    outcome: keys.outcome,
    error: keys.error,
    http_status: keys.http_status,
    ms_bucket: keys.ms_bucket,
    count: keys.count,
    restricted: keys.restricted,
    browser: annotations.browser,
    extension: m.software_version,
    dataset: annotations.dataset,
  };
}

export function parseOoniLine(line: string): ParsedRecordLine {
  const text = stripLine(line).trim();
  if (text.length > MAX_RECORD_LINE_LENGTH * 2) return { ok: false, error: `line longer than ${MAX_RECORD_LINE_LENGTH * 2} characters` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not JSON (${(e as Error).message})` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: false, error: 'not a JSON object' };
  const parsed = validateRecord(recordOfOoni(json as Record<string, unknown>));
  if (!parsed.ok) return parsed;
  // Anything the exporter would not have written (an extra key, a probe_ip, another blocking value) is refused.
  if (canonical(toOoniMeasurement(parsed.record)) !== canonical(json)) return { ok: false, error: 'OONI line differs from what BanLens exports for its record (extra or changed fields)' };
  return parsed;
}

export function parseLine(format: LogFormat, line: string): ParsedRecordLine {
  return format === 'jsonl' ? parseRecordLine(line) : format === 'csv' ? parseCsvRow(line) : parseOoniLine(line);
}

export interface ParsedFile {
  format: LogFormat | null;
  records: LogRecord[];
  /** 1-based line numbers and reasons. */
  problems: { line: number; error: string }[];
}

/** A whole file's text: its format, valid records and bad lines. The CSV header line is not a record. */
export function parseLogText(text: string): ParsedFile {
  const format = detectFormat(text.slice(0, 65_536));
  const result: ParsedFile = { format, records: [], problems: [] };
  if (format === null) return result;
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    if (format === 'csv' && stripLine(line) === CSV_HEADER_LINE) return;
    const parsed = parseLine(format, line);
    if (parsed.ok) result.records.push(parsed.record);
    else result.problems.push({ line: i + 1, error: parsed.error });
  });
  return result;
}
