// npm run bench:research: the researcher's CLI at the scale of issue 9.
//   pool 10 million generated records from 1,000 JSONL files into Parquet  ≤ 60 s, peak memory ≤ 2 GB
//   summary on that Parquet                                              ≤ 2 s
//   report for one region and one month                                  ≤ 5 s
// Each command runs as a researcher runs it (a fresh process), under /usr/bin/time -v for peak memory.
// The generated files (about 4 GB) go to $BANLENS_BENCH_DIR or /tmp/banlens-bench-research, never the
// repository, and are kept for the next run when their parameters match. Exits 1 when a budget is missed.
// BANLENS_BENCH_RECORDS=1000000 runs a smaller version for a quick look.
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FILES = 1000;
const RECORDS = Number(process.env.BANLENS_BENCH_RECORDS ?? 10_000_000);
const DIR = process.env.BANLENS_BENCH_DIR ?? '/tmp/banlens-bench-research';
const EXPORTS = join(DIR, 'exports');
const POOL = join(DIR, 'pooled.parquet');
const REPORT = join(DIR, 'report.html');
const BUDGET = { poolS: 60, poolMB: 2048, summaryS: 2, reportS: 5 };

// ── Generation: deterministic, shaped like a month of volunteers' logs ──
let seed = 9;
/** mulberry32: small, fast, and exact in 32-bit integer arithmetic. */
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
const REGIONS = ['PK', 'PK', 'PK', 'IN', 'IN-JK', 'IR', 'RU', 'TR', 'BD', 'ET', 'MM', 'VN'];
const PLATFORMS: [string, string[]][] = [
  ['x', ['platform.twitter.com', 'abs.twimg.com', 'pbs.twimg.com', 'x.com']],
  ['youtube', ['www.youtube.com', 'i.ytimg.com', 'yt3.ggpht.com']],
  ['facebook', ['www.facebook.com', 'connect.facebook.net']],
  ['instagram', ['www.instagram.com']],
  ['tiktok', ['www.tiktok.com']],
  ['telegram', ['telegram.org', 't.me']],
  ['whatsapp', ['web.whatsapp.com']],
  ['bluesky', ['embed.bsky.app']],
  ['wikipedia', ['upload.wikimedia.org', 'en.wikipedia.org']],
];
const OUTCOMES: [string, string | null, number | null][] = [
  ['ok', null, 200],
  ['ok', null, 200],
  ['ok', null, 200],
  ['tcp_reset', 'net::ERR_CONNECTION_RESET', null],
  ['timeout', 'net::ERR_TIMED_OUT', null],
  ['dns', 'net::ERR_NAME_NOT_RESOLVED', null],
  ['tls', 'net::ERR_CERT_COMMON_NAME_INVALID', null],
  ['http_blockpage', null, 451],
  ['inconclusive', null, null],
];
const RESOURCES = ['script', 'image', 'sub_frame', 'xhr', 'media', 'main_frame'];
const BUCKETS = [0, 100, 250, 500, 1000, 30000];

function hex(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(random() * 16)];
  return s;
}

async function generate(): Promise<void> {
  const stamp = join(DIR, 'generated.json');
  const params = JSON.stringify({ FILES, RECORDS, version: 2 });
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === params) return;
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(EXPORTS, { recursive: true });
  const perFile = Math.floor(RECORDS / FILES);
  const started = performance.now();
  for (let f = 0; f < FILES; f++) {
    const region = pick(REGIONS);
    const browser = pick(['chromium/156', 'chromium/155', 'firefox/153']);
    const out = createWriteStream(join(EXPORTS, `volunteer-${String(f).padStart(4, '0')}.jsonl`));
    let chunk = '';
    for (let i = 0; i < perFile; i++) {
      const [platform, hosts] = pick(PLATFORMS);
      const [outcome, error, status] = pick(OUTCOMES);
      const day = 1 + Math.floor(random() * 30);
      const hour = `2026-11-${String(day).padStart(2, '0')}T${String(Math.floor(random() * 24)).padStart(2, '0')}:00:00Z`;
      const id = `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
      const resource = pick(RESOURCES);
      chunk +=
        `{"schema":"banlens.reachability/1","id":"${id}","hour":"${hour}","region":"${region}","platform":"${platform}","host":"${pick(hosts)}",` +
        `"resource":"${resource}","vantage":"passive","outcome":"${outcome}","error":${error === null ? 'null' : `"${error}"`},"http_status":${status},` +
        `"ms_bucket":${pick(BUCKETS)},"count":${1 + Math.floor(random() * 4)},"restricted":${platform === 'x' || platform === 'bluesky'},"browser":"${browser}","extension":"0.1.0","dataset":"2026.11.22"}\n`;
      if (chunk.length > 1 << 20) {
        if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
        chunk = '';
      }
    }
    await new Promise<void>((r) => out.end(chunk, () => r()));
  }
  writeFileSync(stamp, params);
  console.log(`generated ${perFile * FILES} records in ${FILES} files under ${EXPORTS} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

// ── Measurement ──
interface Run {
  seconds: number;
  /** User plus system CPU time: on a shared machine, less dependent on the other jobs than wall time. */
  cpuSeconds: number;
  peakMB: number;
}

function timed(label: string, args: string[]): Run {
  // node with tsx's loader, not npx: the measurement is the command, not npm's start-up.
  const r = spawnSync('/usr/bin/time', ['-v', process.execPath, '--import', 'tsx', 'scripts/logs.ts', ...args], { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, BANLENS_TIMING: '1' } });
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(r.stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  if (r.status !== 0 && r.status !== 1) throw new Error(`${label} failed (${r.status}):\n${r.stderr}`);
  const seconds = wall ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : Number.NaN;
  const peakMB = rss ? Number(rss[1]) / 1024 : Number.NaN;
  const user = /User time \(seconds\): ([\d.]+)/.exec(r.stderr);
  const system = /System time \(seconds\): ([\d.]+)/.exec(r.stderr);
  const cpuSeconds = Number(user?.[1] ?? Number.NaN) + Number(system?.[1] ?? Number.NaN);
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
  const said = r.stderr.split('\n').find((l) => /pooled records|^report for/.test(l));
  console.log(`${label}: ${seconds.toFixed(2)} s wall, ${cpuSeconds.toFixed(1)} s CPU, peak ${peakMB.toFixed(0)} MB (load average ${load})${said ? `\n  ${said}` : ''}`);
  for (const line of r.stderr.split('\n')) if (line.startsWith('[')) console.log(`  ${line}`);
  return { seconds, cpuSeconds, peakMB };
}

await generate();
if (process.env.BANLENS_BENCH_GENERATE_ONLY) process.exit(0);
rmSync(POOL, { force: true });
const pool = timed('pool', ['pool', EXPORTS, '-o', POOL]);
const summary = timed('summary', ['summary', POOL]);
const report = timed('report PK 2026-11', ['report', POOL, '--region', 'PK', '--from', '2026-11', '--to', '2026-11', '-o', REPORT]);

const scale = RECORDS / 10_000_000;
const checks: [string, boolean][] = [
  [`pool ≤ ${BUDGET.poolS * scale} s`, pool.seconds <= BUDGET.poolS * scale],
  [`pool peak ≤ ${BUDGET.poolMB} MB`, pool.peakMB <= BUDGET.poolMB],
  [`summary ≤ ${BUDGET.summaryS} s`, summary.seconds <= BUDGET.summaryS],
  [`report ≤ ${BUDGET.reportS} s`, report.seconds <= BUDGET.reportS],
];
for (const [name, ok] of checks) console.log(`${ok ? 'ok  ' : 'MISS'} ${name}`);
console.log(JSON.stringify({ records: RECORDS, files: FILES, pool, summary, report }));
process.exit(checks.every(([, ok]) => ok) ? 0 : 1);
