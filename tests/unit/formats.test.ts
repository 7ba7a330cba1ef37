/** Reading the dashboard's three export formats back, told apart by content (utils/log/formats.ts). */
import { describe, expect, it } from 'vitest';
import { toCsv, toJsonl, toOoniJsonl, toOoniMeasurement } from '../../utils/log/export';
import { detectFormat, parseCsvRow, parseLogText, parseOoniLine, splitCsvRow } from '../../utils/log/formats';
import { sampleRecord } from './helpers/records';

const records = [sampleRecord({ count: 3 }), sampleRecord({ error: 'TLS says "no", twice', outcome: 'tls' }), sampleRecord({ vantage: 'probe', resource: 'probe', error: null, ms_bucket: null, http_status: 200, outcome: 'ok' })];

describe('detectFormat', () => {
  it.each([
    ['jsonl', toJsonl(records)],
    ['csv', toCsv(records)],
    ['ooni', toOoniJsonl(records)],
    ['jsonl', `\n\n{oops\n${toJsonl(records)}`], // a bad first line does not hide the format
    ['csv', `\uFEFF${toCsv(records)}`],
  ])('recognises %s', (format, text) => {
    expect(detectFormat(text)).toBe(format);
  });

  it.each([
    ['a foreign CSV', 'date,site,blocked\n2026-11-22,x.com,yes\n'],
    ['a real OONI measurement', JSON.stringify({ test_name: 'web_connectivity', software_name: 'ooniprobe', test_keys: {} })],
    ['JSON of another schema', '{"schema":"other/1"}\n'],
    ['nothing', ''],
  ])('refuses %s', (_, text) => {
    expect(detectFormat(text)).toBeNull();
  });
});

describe('round trips', () => {
  it.each([
    ['JSONL', toJsonl],
    ['CSV', toCsv],
    ['OONI JSONL', toOoniJsonl],
  ] as const)('%s gives back exactly the records exported', (_, format) => {
    const parsed = parseLogText(format(records));
    expect(parsed.problems).toEqual([]);
    expect(parsed.records).toEqual(records);
  });
});

describe('CSV rows', () => {
  it('splits RFC 4180 quoting, and refuses unbalanced quotes', () => {
    expect(splitCsvRow('a,"b,c","d ""e""",')).toEqual(['a', 'b,c', 'd "e"', '']);
    expect(splitCsvRow('a,"b')).toBeNull();
    expect(splitCsvRow('a,b"c')).toBeNull();
  });

  it('names the problem with a row', () => {
    expect(parseCsvRow('a,b')).toEqual({ ok: false, error: 'expected 17 columns, found 2' });
    const row = toCsv([sampleRecord()]).split('\r\n')[1]!;
    expect(parseCsvRow(row.replace(',1,true,', ',one,true,'))).toMatchObject({ ok: false, error: expect.stringMatching(/^count: /) });
  });
});

describe('OONI lines', () => {
  it('refuses a field the exporter would not write, and a changed one', () => {
    const m = toOoniMeasurement(sampleRecord());
    expect(parseOoniLine(JSON.stringify(m)).ok).toBe(true);
    expect(parseOoniLine(JSON.stringify({ ...m, probe_ip: '203.0.113.9' }))).toMatchObject({ ok: false, error: expect.stringMatching(/differs/) });
    expect(parseOoniLine(JSON.stringify({ ...m, test_keys: { ...m.test_keys, blocking: false } })).ok).toBe(false);
    expect(parseOoniLine(JSON.stringify({ ...m, input: 'https://x.com/some/page' })).ok).toBe(false);
  });
});
