import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRecordLine, toCsv, toJsonl, toOoniJsonl } from '../../utils/log/export';
import type { LogRecord } from '../../utils/log/record';
import { sampleRecord } from './helpers/records';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const dir = mkdtempSync(join(tmpdir(), 'banlens-logs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rec = sampleRecord;

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Runs the CLI as a researcher would; asynchronous so that the tests can run side by side. */
function run(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, ['scripts/logs.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

function parseOutput(jsonl: string): LogRecord[] {
  return jsonl
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const parsed = parseRecordLine(l);
      if (!parsed.ok) throw new Error(parsed.error);
      return parsed.record;
    });
}

const youtubeOk = { platform: 'youtube', host: 'www.youtube.com', outcome: 'ok', error: null, http_status: 200 } as const;

// Each test spawns Node (about a second); they use separate files, so they run concurrently.
describe.concurrent('logs merge', { timeout: 30_000 }, () => {
  it('sums the counts of identical records across files, oldest hour first', async () => {
    const a = file('a.jsonl', toJsonl([rec({ count: 2 }), rec({ hour: '2026-11-22T17:00:00Z' }), rec({ ...youtubeOk, count: 5 })]));
    const b = file('b.jsonl', toJsonl([rec({ count: 3 }), rec({ hour: '2026-11-21T09:00:00Z', region: 'IN' })]));
    const { status, stdout, stderr } = await run('merge', a, b);
    expect(stderr).toContain('5 records read, 4 written');
    expect(status).toBe(0);
    const merged = parseOutput(stdout);
    expect(merged.map((r) => [r.hour, r.platform, r.region, r.count])).toEqual([
      ['2026-11-21T09:00:00Z', 'x', 'IN', 1],
      ['2026-11-22T16:00:00Z', 'x', 'PK', 5],
      ['2026-11-22T16:00:00Z', 'youtube', 'PK', 5],
      ['2026-11-22T17:00:00Z', 'x', 'PK', 1],
    ]);
  });

  it('reports bad lines as file:line with the reason, exits 1, and still writes every valid record', async () => {
    const good = toJsonl([rec({ count: 2 }), rec({ ...youtubeOk })]).split('\n');
    const a = file(
      'bad.jsonl',
      `${[
        good[0],
        '{"not":"a record"}',
        good[1]!.replace('"host":"www.youtube.com"', '"host":"203.0.113.9"'),
        '',
        good[1],
        'garbage',
        toJsonl([rec({ count: 4 })]).trim().replace('}', ',"page":"https://news.example/"}'),
      ].join('\r\n')}\r\n`,
    );
    const out = join(dir, 'out.jsonl');
    const { status, stdout, stderr } = await run('merge', a, '-o', out);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(new RegExp(`${a}:2: .*schema`));
    expect(stderr).toMatch(new RegExp(`${a}:3: host: `));
    expect(stderr).toMatch(new RegExp(`${a}:6: not JSON`));
    expect(stderr).toMatch(new RegExp(`${a}:7: .*page`));
    expect(stderr).not.toMatch(new RegExp(`${a}:(1|4|5):`));
    expect(parseOutput(readFileSync(out, 'utf8')).map((r) => [r.platform, r.count])).toEqual([['x', 2], ['youtube', 1]]);
  });

  it('may overwrite one of its inputs, and merging its own output changes nothing', async () => {
    const a = file('self.jsonl', toJsonl([rec(), rec(), rec({ ...youtubeOk })]));
    expect((await run('merge', a, '-o', a)).status).toBe(0);
    const once = readFileSync(a, 'utf8');
    expect(parseOutput(once).map((r) => r.count)).toEqual([2, 1]);
    expect((await run('merge', a)).stdout).toBe(once);
  });

  it('reports a missing file and goes on with the others', async () => {
    const a = file('ok.jsonl', toJsonl([rec()]));
    const { status, stdout, stderr } = await run('merge', join(dir, 'missing.jsonl'), a);
    expect(status).toBe(1);
    expect(stderr).toMatch(/missing\.jsonl: cannot read/);
    expect(parseOutput(stdout)).toHaveLength(1);
  });

  it.each([[[]], [['merge']], [['merge', 'a.jsonl', '-o']], [['frobnicate', 'a.jsonl']], [['merge', '--bogus', 'a.jsonl']]])('exits 2 with usage for %j', async (args) => {
    const { status, stderr } = await run(...args);
    expect(status).toBe(2);
    expect(stderr).toContain('usage:');
  });
});

describe.concurrent('logs summary', { timeout: 30_000 }, () => {
  it('prints summed counts per region × platform × outcome', async () => {
    const a = file('s1.jsonl', toJsonl([rec({ count: 2 }), rec({ ...youtubeOk, count: 7 }), rec({ region: 'IN', outcome: 'dns', error: 'net::ERR_NAME_NOT_RESOLVED' })]));
    const b = file('s2.jsonl', toJsonl([rec({ count: 3, hour: '2026-11-23T01:00:00Z' }), rec({ ...youtubeOk, outcome: 'timeout', error: 'net::ERR_TIMED_OUT', http_status: null })]));
    const { status, stdout } = await run('summary', a, b);
    expect(status).toBe(0);
    expect(stdout.split('\n').map((l) => l.split(/\s+/).filter(Boolean))).toEqual([
      ['region', 'platform', 'ok', 'dns', 'tcp_reset', 'timeout', 'total'],
      ['IN', 'x', '0', '1', '0', '0', '1'],
      ['PK', 'x', '0', '0', '5', '0', '5'],
      ['PK', 'youtube', '7', '0', '0', '1', '8'],
      ['all', '7', '1', '5', '1', '14'],
      [],
    ]);
  });

  it('summarises the valid lines and flags the bad ones', async () => {
    const a = file('s3.jsonl', `${toJsonl([rec({ count: 4 })])}{oops\n`);
    const { status, stdout, stderr } = await run('summary', a);
    expect(status).toBe(1);
    expect(stderr).toMatch(new RegExp(`${a}:2: not JSON`));
    expect(stdout).toMatch(/PK\s+x\s+4\s+4/);
  });
});

describe.concurrent('logs: formats, filters and help', { timeout: 60_000 }, () => {
  const records = () => [rec({ count: 2 }), rec({ ...youtubeOk, count: 7, hour: '2026-11-23T10:00:00Z' }), rec({ region: 'IN', outcome: 'dns', error: 'net::ERR_NAME_NOT_RESOLVED', count: 3 })];

  it.each([
    ['JSONL', 'f.jsonl', toJsonl],
    ['CSV', 'f.csv', toCsv],
    ['OONI JSONL', 'f.ooni.jsonl', toOoniJsonl],
    // Told apart by content: a renamed file reads the same.
    ['CSV named .jsonl', 'csv-renamed.jsonl', toCsv],
  ] as const)('summary reads %s', async (_, name, format) => {
    const a = file(`fmt-${name}`, format(records()));
    const { status, stdout, stderr } = await run('summary', a);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^IN\s+x\s+0\s+3\s+0\s+3$/m);
    expect(stdout).toMatch(/^all\s+7\s+3\s+2\s+12$/m);
  });

  it('merge reads the three formats together and writes JSONL', async () => {
    const [a, b, c] = records();
    const out = await run('merge', file('m.csv', toCsv([a!])), file('m.ooni.jsonl', toOoniJsonl([b!])), file('m.jsonl', toJsonl([c!])));
    expect(out.status).toBe(0);
    expect(parseOutput(out.stdout).map((r) => r.count).sort()).toEqual([2, 3, 7]);
  });

  it('gives a file in another format one clear message, not one per line', async () => {
    const foreign = file('foreign.csv', 'date,site,blocked\n2026-11-22,x.com,yes\n2026-11-23,x.com,no\n');
    for (const command of ['summary', 'merge']) {
      const { status, stderr } = await run(command, foreign);
      expect(status).toBe(1);
      expect(stderr.split('\n').filter((l) => l.includes('foreign.csv'))).toEqual([`${foreign}: not a BanLens export: expected the JSONL, CSV or OONI JSONL that the dashboard writes`]);
    }
  });

  it.each([
    [['--region', 'IN'], /^all\s+3\s+3$/m],
    [['--platform', 'youtube'], /^all\s+7\s+7$/m],
    [['--outcome', 'tcp_reset'], /^all\s+2\s+2$/m],
    [['--from', '2026-11-23'], /^all\s+7\s+7$/m],
    [['--to', '2026-11-22'], /^all\s+3\s+2\s+5$/m],
    [['--from', '2026-11-22T16', '--to', '2026-11-22T16', '--region', 'PK'], /^all\s+2\s+2$/m],
    [['--vantage', 'probe'], /^all\s+0$/m],
  ])('summary filters %j', async (filter, total) => {
    const { status, stdout } = await run('summary', file(`filter-${filter.join('')}.jsonl`, toJsonl(records())), ...filter);
    expect(status).toBe(0);
    expect(stdout).toMatch(total);
  });

  it('shows the commands as a user types them', async () => {
    const { status, stdout } = await run('--help');
    expect(status).toBe(0);
    for (const command of ['pool', 'summary', 'report', 'merge']) expect(stdout).toContain(`npm run logs -- ${command} `);
    expect(stdout).not.toContain('tsx scripts/logs.ts');
  });

  it.each([[['report', 'a.parquet', '-o', 'r.html']], [['pool', 'a.jsonl']], [['summary', 'a.jsonl', '--from', 'yesterday']], [['summary', 'a.jsonl', '--outcome', 'blocked']]])('exits 2 with usage for %j', async (args) => {
    const { status, stderr } = await run(...args);
    expect(status).toBe(2);
    expect(stderr).toContain('usage:');
  });

  it('pools to Parquet and reports from it, two commands end to end', async () => {
    const pool = join(dir, 'cli-pool.parquet');
    const html = join(dir, 'cli-report.html');
    const a = file('p-a.jsonl', toJsonl(records()));
    const pooled = await run('pool', a, file('p-a-again.jsonl', readFileSync(a, 'utf8')), '-o', pool);
    expect(pooled.status).toBe(0);
    expect(pooled.stderr).toContain('2 files, 6 valid records read, 0 bad lines skipped, 3 duplicate ids dropped; 3 pooled records (12 observations)');
    const report = await run('report', pool, '--region', 'PK', '--min-observations', '2', '-o', html);
    expect(report.status).toBe(0);
    expect(report.stderr).toContain('report for PK: 9 observations');
    expect(readFileSync(html, 'utf8')).toContain('<svg');
  });
});

describe.concurrent('logs on the exports the dashboard itself wrote (tests/fixtures/dashboard-exports, from the e2e run)', { timeout: 60_000 }, () => {
  const DASHBOARD = join(ROOT, 'tests/fixtures/dashboard-exports');
  const name = 'banlens-reachability-tls-20261201T08Z-20261201T08Z';

  it.each(['.jsonl', '.csv', '.ooni.jsonl'])('summary accepts %s', async (suffix) => {
    const { status, stdout, stderr } = await run('summary', join(DASHBOARD, name + suffix));
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^PK\s+bluesky\s+3\s+3$/m);
    expect(stdout).toMatch(/^all\s+6\s+6$/m);
  });

  it('pools the three formats of one export as the same six records', async () => {
    const { status, stderr } = await run('pool', DASHBOARD, '-o', join(dir, 'dashboard.parquet'));
    expect(status).toBe(0);
    expect(stderr).toContain('3 files, 18 valid records read, 0 bad lines skipped, 12 duplicate ids dropped; 6 pooled records (6 observations)');
  });
});
