// @vitest-environment happy-dom
import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import en from '../../public/_locales/en/messages.json';
import ur from '../../public/_locales/ur/messages.json';
import { quickRangeStart } from '../../components/LogFilters';
import { OutcomeChart } from '../../components/OutcomeChart';
import { makeT } from '../../utils/i18n';
import { collectBlob, exportFileName, exportLogBlob } from '../../utils/log/download';
import { LogRecord } from '../../utils/log/record';
import { sampleRecord } from './helpers/records';
import { buildLogIndex, chartBars, daysPerBar, EMPTY_VIEW, hourFromInput, pageCount, pageIds, summariseView, type LogIndex } from '../../utils/log/summary';

/** The shared sample, loaded without error (the dashboard's base case). */
function record(patch: Partial<LogRecord> = {}): LogRecord {
  return LogRecord.parse(sampleRecord({ outcome: 'ok', error: null, http_status: 200, ...patch }));
}

const LOG: LogRecord[] = [
  record({ id: '00000000-0000-4000-8000-000000000001', hour: '2026-11-20T10:00:00Z', outcome: 'ok', count: 2 }),
  record({ id: '00000000-0000-4000-8000-000000000002', hour: '2026-11-20T11:00:00Z', outcome: 'tcp_reset', error: 'net::ERR_CONNECTION_RESET', http_status: null, count: 3 }),
  record({ id: '00000000-0000-4000-8000-000000000003', hour: '2026-11-21T09:00:00Z', platform: 'youtube', host: 'www.youtube.com', region: 'IR', restricted: false }),
  record({ id: '00000000-0000-4000-8000-000000000004', hour: '2026-11-22T16:00:00Z', host: 'abs.twimg.com', vantage: 'probe', resource: 'probe', outcome: 'dns', http_status: null }),
];

async function index(records = LOG): Promise<LogIndex> {
  const built = await buildLogIndex(records);
  if (!built) throw new Error('cancelled');
  return built;
}

describe('buildLogIndex', () => {
  it('totals records, observations and outcomes of the whole log', async () => {
    const { all, platforms, regions } = await index();
    expect(all).toMatchObject({ records: 4, observations: 7, firstHour: '2026-11-20T10:00:00Z', lastHour: '2026-11-22T16:00:00Z' });
    expect(all.byOutcome).toEqual({ ok: { records: 2, observations: 3 }, tcp_reset: { records: 1, observations: 3 }, dns: { records: 1, observations: 1 } });
    expect([...platforms].sort()).toEqual(['x', 'youtube']);
    expect([...regions].sort()).toEqual(['IR', 'PK']);
  });

  it('stops when cancelled and reports progress', async () => {
    const seen: number[] = [];
    expect(await buildLogIndex(LOG, { progressEvery: 2, onProgress: (n) => seen.push(n) })).not.toBeNull();
    expect(seen).toEqual([2, 4]);
    let calls = 0;
    expect(await buildLogIndex(LOG, { isCancelled: () => ++calls > 2 })).toBeNull();
  });
});

describe('summariseView', () => {
  it('matches everything with no filters', async () => {
    const i = await index();
    const view = summariseView(i, EMPTY_VIEW);
    expect(view.matched.records).toBe(4);
    expect(view.rows).toEqual([0, 1, 2, 3]);
    expect(view.byPlatformDay.get('x')?.get('2026-11-20')).toEqual({ ok: 2, tcp_reset: 3 });
  });

  it.each([
    [{ platform: 'youtube' }, [2]],
    [{ region: 'PK' }, [0, 1, 3]],
    [{ outcome: 'tcp_reset' as const }, [1]],
    [{ vantage: 'probe' as const }, [3]],
    [{ hostText: ' TWIMG ' }, [3]],
    [{ hostText: 'twitter' }, [0, 1]],
    // toHour is included, fromHour too.
    [{ fromHour: '2026-11-20T11:00:00Z', toHour: '2026-11-21T09:00:00Z' }, [1, 2]],
    [{ platform: 'x', outcome: 'ok' as const }, [0]],
    [{ platform: 'nope' }, []],
  ])('filters %j', async (filter, rows) => {
    const view = summariseView(await index(), { ...EMPTY_VIEW, ...filter });
    expect(view.rows).toEqual(rows);
    expect(view.matched.records).toBe(rows.length);
  });
});

describe('paging', () => {
  it('lists newest first, a page at a time', async () => {
    const records = Array.from({ length: 7 }, (_, n) => record({ hour: `2026-11-1${n}T00:00:00Z` }));
    const i = await index(records);
    const rows = summariseView(i, EMPTY_VIEW).rows;
    expect(pageCount(rows.length, 3)).toBe(3);
    expect(pageIds(i, rows, 0, 3)).toEqual([records[6]!.id, records[5]!.id, records[4]!.id]);
    expect(pageIds(i, rows, 2, 3)).toEqual([records[0]!.id]);
    expect(pageIds(i, rows, 3, 3)).toEqual([]);
    expect(pageCount(0)).toBe(1);
  });
});

describe('chart bars', () => {
  it('has a bar per day across the shared range, empty days included', () => {
    const bars = chartBars(new Map([['2026-11-20', { ok: 2 }], ['2026-11-22', { ok: 1, dns: 4 }]]), '2026-11-19', '2026-11-22');
    expect(bars.map((b) => [b.start, b.total])).toEqual([['2026-11-19', 0], ['2026-11-20', 2], ['2026-11-21', 0], ['2026-11-22', 5]]);
  });

  it('groups days on a long log so that there are at most MAX_BARS bars', () => {
    expect(daysPerBar('2026-01-01', '2026-03-31')).toBe(1); // 90 days
    expect(daysPerBar('2026-01-01', '2026-04-01')).toBe(2);
    const bars = chartBars(new Map([['2026-01-01', { ok: 1 }], ['2026-01-02', { ok: 1 }], ['2026-12-31', { tls: 1 }]]), '2026-01-01', '2026-12-31');
    expect(bars.length).toBeLessThanOrEqual(90);
    expect(bars[0]).toMatchObject({ start: '2026-01-01', days: 5, total: 2 });
    expect(bars.at(-1)!.counts).toEqual({ tls: 1 });
    expect(bars.reduce((n, b) => n + b.days, 0)).toBe(365);
  });
});

describe('inputs', () => {
  it('reads a datetime-local value as a UTC hour', () => {
    expect(hourFromInput('2026-11-22T16:45')).toBe('2026-11-22T16:00:00Z');
    expect(hourFromInput('')).toBe('');
  });
});

describe('download', () => {
  it('names files by the filters and the UTC hours they span, and an empty log by local day', () => {
    const week = { fromHour: '2026-11-22T16:00:00Z', toHour: '2026-11-29T15:00:00Z' };
    expect(exportFileName('jsonl', week)).toBe('banlens-reachability-20261122T16Z-20261129T15Z.jsonl');
    expect(exportFileName('csv', { ...week, filters: ['PK', 'x', 'tcp_reset'] })).toBe('banlens-reachability-PK-x-tcp_reset-20261122T16Z-20261129T15Z.csv');
    expect(exportFileName('ooni', { ...week, filters: ['IN-JK', 'has space/slash'] })).toBe('banlens-reachability-IN-JK-20261122T16Z-20261129T15Z.ooni.jsonl');
    expect(exportFileName('jsonl', { fromHour: null, toHour: null }, new Date(2026, 10, 2, 23, 59))).toBe('banlens-reachability-20261102.jsonl');
  });

  it('starts quick ranges at the hour that makes N hours with the current one', () => {
    const now = Date.parse('2026-11-29T15:42:00Z');
    expect(quickRangeStart(24, now)).toBe('2026-11-28T16:00:00Z');
    expect(quickRangeStart(7 * 24, now)).toBe('2026-11-22T16:00:00Z');
    expect(quickRangeStart(30 * 24, now)).toBe('2026-10-30T16:00:00Z');
  });

  it('collects chunks into one Blob', async () => {
    async function* chunks() {
      for (let n = 0; n < 40; n++) yield `${n}\n`;
    }
    const blob = await collectBlob(chunks(), 'text/plain');
    expect(blob.type).toBe('text/plain');
    expect((await blob.text()).split('\n').length).toBe(41);
  });

  it('exports every record and reports progress', async () => {
    async function* records() {
      for (let n = 0; n < 2500; n++) yield record();
    }
    const progress: number[] = [];
    const { blob, records: count } = await exportLogBlob('csv', (p) => progress.push(p.records), records());
    expect(count).toBe(2500);
    expect((await blob.text()).trimEnd().split('\r\n')).toHaveLength(2501);
    expect(progress.at(-1)).toBe(2500);
    expect(progress.length).toBeGreaterThan(1);
  });
});

describe('OutcomeChart', () => {
  it('is an image named by a summary, with a data table', () => {
    const t = makeT('en');
    const bars = chartBars(new Map([['2026-11-20', { ok: 3, tcp_reset: 1 }]]), '2026-11-20', '2026-11-21');
    const root = document.createElement('div');
    render(<OutcomeChart name="X (Twitter)" bars={bars} lang="en" t={t} />, root);
    const svg = root.querySelector('svg')!;
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('aria-label')).toMatch(/^X \(Twitter\): 4 observations from 20 Nov 2026 to 21 Nov 2026: loaded 3 \(75%\)/);
    expect(root.querySelectorAll('rect')).toHaveLength(2);
    expect(root.querySelectorAll('details tbody tr')).toHaveLength(1);
  });
});

describe('catalogues', () => {
  it('has every dashboard string in English and Urdu, and the Urdu is a translation', () => {
    const enKeys = Object.keys(en).filter((k) => k.startsWith('dash'));
    const urCat = ur as Record<string, { message: string; placeholders?: object }>;
    const enCat = en as Record<string, { message: string; placeholders?: object }>;
    expect(enKeys.length).toBeGreaterThan(50);
    for (const key of enKeys) {
      expect(urCat[key], key).toBeDefined();
      expect(urCat[key]!.placeholders, key).toEqual(enCat[key]!.placeholders);
      if (/[a-z]{3}/.test(enCat[key]!.message.replace(/JSONL|CSV|OONI|JSON Schema|UTC|BanLens|ms\b/g, ''))) expect(urCat[key]!.message, key).toMatch(/[\u0600-\u06FF]/);
    }
  });

  it('gives the export buttons exactly the names researchers and tests look for', () => {
    const t = makeT('en');
    expect([t('dashExportShown', '233'), t('dashExportAll')]).toEqual(['Export the 233 records shown', 'Export everything']);
    expect([t('dashLast24h'), t('dashLast7d'), t('dashLast30d')]).toEqual(['Last 24 hours', 'Last 7 days', 'Last 30 days']);
  });
});
