import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CSV_HEADER,
  OONI_BLOCKING,
  parseRecordLine,
  recordJsonSchema,
  recordJsonSchemaText,
  streamCsv,
  streamJsonl,
  streamOoniJsonl,
  toCsv,
  toJsonl,
  toOoniJsonl,
  toOoniMeasurement,
} from '../../utils/log/export';
import { OUTCOMES } from '../../utils/reach/outcome';
import { LogRecord, MS_BUCKETS, RECORD_FIELDS, RESOURCES, scrubError } from '../../utils/log/record';
import { sampleRecord } from './helpers/records';

function rec(overrides: Partial<LogRecord> = {}): LogRecord {
  return sampleRecord({ id: '0b7c2a6e-4d1f-4c59-9a8e-2f0d6c1b3a45', count: 3, ...overrides });
}

const recordArb: fc.Arbitrary<LogRecord> = fc
  .record({
    id: fc.uuid({ version: 4 }),
    hour: fc.integer({ min: 0, max: 24 * 365 * 30 }).map((h) => new Date(h * 3_600_000).toISOString().replace('.000Z', 'Z')),
    region: fc.constantFrom('PK', 'IN-JK', 'RU', 'TR'),
    platform: fc.constantFrom('x', 'youtube', 'telegram'),
    host: fc.domain(),
    vantage: fc.constantFrom('passive' as const, 'probe' as const),
    resource: fc.constantFrom(...RESOURCES.filter((r) => r !== 'probe')),
    outcome: fc.constantFrom(...OUTCOMES),
    error: fc.option(fc.string({ unit: 'binary', maxLength: 60 }).map(scrubError)),
    http_status: fc.option(fc.integer({ min: 100, max: 599 })),
    ms_bucket: fc.option(fc.constantFrom(...MS_BUCKETS)),
    count: fc.integer({ min: 1, max: 1e9 }),
    restricted: fc.boolean(),
  })
  .map((r) => LogRecord.parse({ ...rec(), ...r, error: r.error ?? null, resource: r.vantage === 'probe' ? 'probe' : r.resource }));

/** A strict RFC 4180 reader, enough to prove the writer's quoting. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"' && field === '') {
      i++;
      for (;;) {
        if (text[i] === '"' && text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (text[i] === '"') break;
        else field += text[i++];
      }
      i++;
    } else if (text[i] === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (text.startsWith('\r\n', i)) {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else field += text[i++];
  }
  expect(field).toBe('');
  expect(row).toEqual([]);
  return rows;
}

async function collect(chunks: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
}

describe('JSONL', () => {
  it('writes the example record of ARCHITECTURE.md "The log and its export" with keys in schema order, whatever the input order', () => {
    const shuffled = Object.fromEntries(Object.entries(rec()).reverse()) as LogRecord;
    expect(toJsonl([shuffled])).toBe(
      '{"schema":"banlens.reachability/1","id":"0b7c2a6e-4d1f-4c59-9a8e-2f0d6c1b3a45","hour":"2026-11-22T16:00:00Z","region":"PK",' +
        '"platform":"x","host":"platform.twitter.com","resource":"script","vantage":"passive",' +
        '"outcome":"tcp_reset","error":"net::ERR_CONNECTION_RESET","http_status":null,"ms_bucket":100,' +
        '"count":3,"restricted":true,"browser":"chromium/156","extension":"0.1.0","dataset":"2026.11.22"}\n',
    );
    expect(toJsonl([])).toBe('');
  });

  it('round-trips every record through parseRecordLine', () => {
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 5 }), (records) => {
        const lines = toJsonl(records).split('\n').slice(0, -1);
        expect(lines.map((l) => parseRecordLine(l))).toEqual(records.map((record) => ({ ok: true, record })));
      }),
    );
  });
});

describe('the writers, written out for speed', () => {
  // What the writers wrote before they were written out field by field (a replacer list, a map and a join):
  // the reference they must still match exactly.
  const jsonlBefore = (r: LogRecord) => JSON.stringify(r, RECORD_FIELDS as unknown as string[]);
  const csvBefore = (r: LogRecord) => `${RECORD_FIELDS.map((f) => (r[f] === null ? '' : /[",\r\n]/.test(String(r[f])) ? `"${String(r[f]).replaceAll('"', '""')}"` : String(r[f]))).join(',')}\r\n`;
  /** Any text in every string field (quotes, backslashes, control characters, lone surrogates), keys in any order, plus a stored record's merge key. */
  const anyRecordArb = fc
    .tuple(recordArb, fc.dictionary(fc.constantFrom(...RECORD_FIELDS.filter((f) => typeof rec()[f] === 'string')), fc.string({ unit: 'binary', maxLength: 12 })), fc.boolean())
    .map(([r, texts, reversed]) => {
      const record = { ...r, ...texts, mergeKey: '["x"]' };
      return (reversed ? Object.fromEntries(Object.entries(record).reverse()) : record) as LogRecord;
    });

  it('JSONL: exactly what JSON.stringify with the field list writes, for any text in any field', () => {
    fc.assert(
      fc.property(anyRecordArb, (r) => {
        expect(toJsonl([r])).toBe(`${jsonlBefore(r)}\n`);
      }),
    );
    expect(toJsonl([rec({ error: 'a "quoted" \\ back\u0001slash \ud800 lone' })])).toBe(`${jsonlBefore(rec({ error: 'a "quoted" \\ back\u0001slash \ud800 lone' }))}\n`);
  });

  it('CSV: exactly what mapping the field list wrote, for any text in any field', () => {
    fc.assert(
      fc.property(anyRecordArb, (r) => {
        expect(toCsv([r])).toBe(CSV_HEADER + csvBefore(r));
      }),
    );
  });
});

describe('CSV', () => {
  it('has a header row with the JSONL columns', () => {
    expect(CSV_HEADER).toBe(`${RECORD_FIELDS.join(',')}\r\n`);
    expect(toCsv([])).toBe(CSV_HEADER);
  });

  it('quotes fields with commas, quotes or line breaks (RFC 4180)', () => {
    const csv = toCsv([rec({ error: 'said "no", then reset' }), rec({ error: null, http_status: 451 })]);
    const rows = parseCsv(csv);
    expect(rows[1]![RECORD_FIELDS.indexOf('error')]).toBe('said "no", then reset');
    expect(csv).toContain(',"said ""no"", then reset",');
    expect(rows[2]![RECORD_FIELDS.indexOf('error')]).toBe('');
    expect(rows[2]![RECORD_FIELDS.indexOf('http_status')]).toBe('451');
  });

  it('holds exactly the JSONL values, for any records', () => {
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 5 }), (records) => {
        const [header, ...rows] = parseCsv(toCsv(records));
        expect(header).toEqual(RECORD_FIELDS);
        expect(rows).toEqual(records.map((r) => RECORD_FIELDS.map((f) => (r[f] === null ? '' : String(r[f])))));
      }),
    );
  });
});

describe('OONI-style JSONL', () => {
  it.each([
    ['ok', false, true],
    ['dns', 'dns', false],
    ['tcp_reset', 'tcp_ip', false],
    ['tcp_refused', 'tcp_ip', false],
    ['timeout', 'tcp_ip', false],
    ['tls', 'http-failure', false],
    ['http_blockpage', 'http-diff', false],
    ['http_error', null, null],
    ['inconclusive', null, null],
    ['other', null, null],
  ] as const)('maps %s to blocking %j, accessible %j', (outcome, blocking, accessible) => {
    expect(OONI_BLOCKING[outcome]).toBe(blocking);
    expect(toOoniMeasurement(rec({ outcome })).test_keys).toMatchObject({ blocking, accessible, outcome });
  });

  it('writes a base-format measurement with no address and the country part of the region', () => {
    const m = toOoniMeasurement(rec({ region: 'IN-JK' }));
    expect(m).toMatchObject({
      data_format_version: '0.2.0',
      input: 'platform.twitter.com',
      measurement_start_time: '2026-11-22 16:00:00',
      test_start_time: '2026-11-22 16:00:00',
      probe_cc: 'IN',
      probe_asn: 'AS0',
      test_name: 'banlens_reachability',
      software_name: 'banlens',
      software_version: '0.1.0',
      annotations: { dataset: '2026.11.22', browser: 'chromium/156', platform: 'x', region: 'IN-JK' },
      test_keys: { error: 'net::ERR_CONNECTION_RESET', http_status: null, count: 3, resource: 'script', vantage: 'passive', restricted: true, ms_bucket: 100 },
    });
    expect(m).not.toHaveProperty('probe_ip');
    expect(toOoniJsonl([rec(), rec()]).split('\n')).toHaveLength(3);
    expect(JSON.parse(toOoniJsonl([rec()]))).toEqual(toOoniMeasurement(rec()));
  });
});

describe('streaming', () => {
  const many = Array.from({ length: 2500 }, (_, n) => rec({ count: n + 1 }));

  async function* slowly<T>(items: T[]): AsyncGenerator<T> {
    for (const item of items) yield item;
  }

  it('yields chunks of 1000 records that join to the whole export', async () => {
    const chunks = await collect(streamJsonl(slowly(many)));
    expect(chunks.map((c) => c.split('\n').length - 1)).toEqual([1000, 1000, 500]);
    expect(chunks.join('')).toBe(toJsonl(many));
    expect((await collect(streamCsv(many))).join('')).toBe(toCsv(many));
    expect((await collect(streamOoniJsonl(many))).join('')).toBe(toOoniJsonl(many));
    expect(await collect(streamCsv([]))).toEqual([CSV_HEADER]);
    expect(await collect(streamJsonl([]))).toEqual([]);
  });

  // Formatting 100k records twice takes seconds on a loaded CI machine: the time belongs to `npm run bench`, not here.
  it('lets other work run while exporting 100k records', { timeout: 60_000 }, async () => {
    const records = Array.from({ length: 100_000 }, (_, n) => rec({ count: n + 1 }));
    // Other work, queued as each chunk arrives: a task that must have run before the next chunk does.
    // (Counting ticks of a 0 ms interval instead depended on how fast the machine formatted a chunk.)
    let otherWorkRan = true;
    let starved = 0;
    let chunks = 0;
    let bytes = 0;
    for await (const chunk of streamJsonl(records)) {
      if (!otherWorkRan) starved++;
      otherWorkRan = false;
      setTimeout(() => {
        otherWorkRan = true;
      }, 0);
      chunks++;
      bytes += chunk.length;
    }
    expect(bytes).toBe(toJsonl(records).length);
    expect(chunks).toBe(100);
    expect(starved).toBe(0); // a turn of the event loop between every two chunks of 1000
  });

  it('takes the log a page at a time, as iterateRecordPages hands it over', async () => {
    const pages = [many.slice(0, 700), many.slice(700, 2100), many.slice(2100)];
    expect((await collect(streamJsonl(pages))).join('')).toBe(toJsonl(many));
    expect((await collect(streamCsv(slowly(pages)))).map((c) => c.split('\r\n').length - 1)).toEqual([1001, 1000, 500]);
  });
});

describe('JSON Schema', () => {
  it('is committed as generated (run `npx tsx scripts/gen-schema.ts` after changing the record)', () => {
    const committed = readFileSync(new URL('../../public/schema/reachability-record.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(recordJsonSchemaText());
  });

  it('describes exactly the record fields, closed to others', () => {
    const schema = recordJsonSchema();
    expect(Object.keys(schema.properties ?? {})).toEqual(RECORD_FIELDS);
    expect(schema.required).toEqual(RECORD_FIELDS);
    expect(schema.additionalProperties).toBe(false);
  });

  it('uses patterns that JSON Schema validators (ECMA-262, unicode mode) accept and that match real records', () => {
    const record = rec();
    for (const [field, property] of Object.entries(recordJsonSchema().properties ?? {})) {
      if (typeof property !== 'object' || property.pattern === undefined) continue;
      expect(new RegExp(property.pattern, 'u').test(String(record[field as keyof LogRecord])), field).toBe(true);
    }
  });
});

describe('parseRecordLine', () => {
  const line = toJsonl([rec()]).trim();

  it('accepts a valid line, with a BOM or a CRLF ending', () => {
    expect(parseRecordLine(line)).toEqual({ ok: true, record: rec() });
    expect(parseRecordLine(`\uFEFF${line}\r`)).toEqual({ ok: true, record: rec() });
  });

  it.each([
    ['', /^empty line$/],
    ['{"schema":', /^not JSON/],
    ['[1,2]', /^not a JSON object$/],
    ['null', /^not a JSON object$/],
    ['{"url":"https://x.com/"}', /^missing fields schema, id, hour, .*; \(record\): Unrecognized key: "url"$/],
    [line.replace('"count":3', '"count":0'), /^count: /],
    [line.replace('}', ',"page":"https://news.example/"}'), /page/],
    [line.replace('"host":"platform.twitter.com"', '"host":"203.0.113.9"'), /^host: /],
    [line.replace('"hour":"2026-11-22T16:00:00Z"', '"hour":"2026-11-22T16:42:00Z"'), /^hour: /],
    [line.replace('"error":"net::ERR_CONNECTION_RESET"', '"error":"reset at https://x.com/a"'), /^error: .*URLs/],
    [`{"x":"${'a'.repeat(5000)}"}`, /longer than/],
  ])('rejects %j with a clear reason', (input, reason) => {
    const result = parseRecordLine(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(reason);
  });
});
