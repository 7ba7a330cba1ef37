/**
 * The log bench's side inside an extension page (bundled by bench/log.ts and evaluated there, so it uses the
 * extension's own IndexedDB and storage.session through utils/log/db.ts, never a copy of its schema).
 *
 *   seed(n)      n distinct records through addObservations, a few thousand per transaction
 *   ingest(n)    n observations through the worker's path: journal entry, ReachLog.record (mirror
 *                superseding the journal entry), journal removal, batched IndexedDB writes; then checks
 *                that the log counts every one and that nothing is left in storage.session
 *   exportAll()  the dashboard's "Export everything" as JSONL, up to the finished Blob
 *
 * The journal and mirror keys get a prefix of their own: the real worker recovers entries it did not write
 * (it would take ours for a dead worker's), and a bench must not feed the log it measures twice.
 */
import browser from 'webextension-polyfill';
import { matchObservation, ObservationJournal, type JournalStore, type RequestObservation } from '../utils/background/observations';
import { buildHostIndex } from '../utils/dataset/matcher';
import bans from '../utils/dataset/bans.json';
import { Dataset } from '../utils/dataset/schema';
import { addObservations, clearLog, iterateRecords } from '../utils/log/db';
import { exportLogBlob } from '../utils/log/download';
import { ReachLog } from '../utils/log/observe';
import type { LogRecord } from '../utils/log/record';
import { OUTCOMES, type Outcome } from '../utils/reach/outcome';

const BENCH_PREFIX = 'bench/';

/** storage.session with every key moved under BENCH_PREFIX: the same calls, where the worker does not look. */
function benchSession(): JournalStore {
  const area = browser.storage.session;
  const moved = (keys: string | string[]) => (Array.isArray(keys) ? keys : [keys]).map((k) => BENCH_PREFIX + k);
  return {
    get: async () => {
      const all = await area.get(null);
      return Object.fromEntries(Object.entries(all).filter(([k]) => k.startsWith(BENCH_PREFIX)).map(([k, v]) => [k.slice(BENCH_PREFIX.length), v]));
    },
    set: (items) => area.set(Object.fromEntries(Object.entries(items).map(([k, v]) => [BENCH_PREFIX + k, v]))),
    remove: (keys) => area.remove(moved(keys)),
  };
}

const HOSTS = ['platform.twitter.com', 'pbs.twimg.com', 'abs.twimg.com', 'www.youtube.com', 'i.ytimg.com', 'www.facebook.com', 'static.xx.fbcdn.net', 'www.instagram.com', 'www.tiktok.com', 'telegram.org'];
const PLATFORM_OF: Record<string, string> = { 'platform.twitter.com': 'x', 'pbs.twimg.com': 'x', 'abs.twimg.com': 'x', 'www.youtube.com': 'youtube', 'i.ytimg.com': 'youtube', 'www.facebook.com': 'facebook', 'static.xx.fbcdn.net': 'facebook', 'www.instagram.com': 'instagram', 'www.tiktok.com': 'tiktok', 'telegram.org': 'telegram' };
const SEED_OUTCOMES: Outcome[] = [...OUTCOMES.filter((o) => o !== 'ok').slice(0, 4), 'ok'];
const HOUR_MS = 3_600_000;

/** A distinct record per n (hour × host × outcome), all inside the default retention. */
function seedRecord(n: number, now: number): LogRecord {
  const host = HOSTS[n % HOSTS.length]!;
  const outcome = SEED_OUTCOMES[Math.floor(n / HOSTS.length) % SEED_OUTCOMES.length]!;
  const hour = new Date(Math.floor(now / HOUR_MS - Math.floor(n / (HOSTS.length * SEED_OUTCOMES.length))) * HOUR_MS).toISOString().replace('.000Z', 'Z');
  return {
    schema: 'banlens.reachability/1',
    id: crypto.randomUUID(),
    hour,
    region: 'CN',
    platform: PLATFORM_OF[host]!,
    host,
    resource: 'script',
    vantage: 'passive',
    outcome,
    error: outcome === 'ok' ? null : 'net::ERR_CONNECTION_RESET',
    http_status: outcome === 'ok' ? 200 : null,
    ms_bucket: 100,
    count: 1 + (n % 7),
    restricted: true,
    browser: 'chromium/156',
    extension: '0.1.0',
    dataset: '2026.12.1-bench',
  };
}

async function seed(n: number): Promise<{ ms: number; records: number }> {
  const start = performance.now();
  await clearLog();
  const now = Date.now();
  const BATCH = 5000;
  let stored = 0;
  for (let i = 0; i < n; i += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, n - i) }, (_, k) => seedRecord(i + k, now));
    stored += (await addObservations(batch)).stored;
  }
  return { ms: performance.now() - start, records: stored };
}

async function logTotals(): Promise<{ records: number; observations: number }> {
  let records = 0;
  let observations = 0;
  for await (const r of iterateRecords({}, 2000)) {
    records++;
    observations += r.count;
  }
  return { records, observations };
}

const PLATFORMS = Dataset.parse(bans).platforms;

/**
 * `n` observations through the worker's path (host.ts onOutcome → handleObservation → features/log.ts),
 * offered `perTask` at a time with a macrotask between, as webRequest events arrive. The rate is the
 * number of observations over the time until the last one is in IndexedDB.
 */
async function ingest(n: number, perTask = 100): Promise<{ ms: number; perSecond: number; logged: number; lost: number; leftInSession: number }> {
  await clearLog();
  const store = benchSession();
  await browser.storage.session.remove(Object.keys(await store.get(null)).map((k) => BENCH_PREFIX + k));
  const journal = new ObservationJournal(store);
  const log = new ReachLog({ pending: store });
  const ctx = { hostIndex: buildHostIndex(PLATFORMS), platformById: new Map(PLATFORMS.map((p) => [p.id, p])), restrictedNow: new Set(['x', 'youtube', 'facebook']) } as unknown as Parameters<typeof matchObservation>[1];
  const logCtx = { enabled: true, region: 'CN', dataset: '2026.12.1-bench', retentionDays: 180, maxRecords: 100_000 };
  const handled: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const obs: RequestObservation = { event: 'error', requestId: String(i), tabId: 1, frameId: 0, url: `https://${HOSTS[i % HOSTS.length]}/media/${i}.jpg`, host: HOSTS[i % HOSTS.length]!, resourceType: 'image', timeStamp: Date.now(), durationMs: 120, outcome: 'tcp_reset', error: 'net::ERR_CONNECTION_RESET', httpStatus: null, vantage: 'passive' };
    const key = journal.append(obs);
    handled.push(
      (async () => {
        const matched = matchObservation(obs, ctx, key);
        if (matched) await log.record(matched, logCtx, key);
        await journal.remove(key);
      })(),
    );
    if ((i + 1) % perTask === 0) await new Promise((r) => setTimeout(r, 0));
  }
  await Promise.all(handled);
  await log.flush();
  const ms = performance.now() - start;
  const { observations } = await logTotals();
  const leftInSession = Object.keys(await store.get(null)).length;
  return { ms, perSecond: (n / ms) * 1000, logged: observations, lost: n - observations, leftInSession };
}

async function exportAll(): Promise<{ ms: number; records: number; bytes: number }> {
  const start = performance.now();
  const { blob, records } = await exportLogBlob('jsonl', () => {});
  return { ms: performance.now() - start, records, bytes: blob.size };
}

(globalThis as unknown as { __logBench: unknown }).__logBench = { seed, ingest, exportAll, logTotals, clear: clearLog };
