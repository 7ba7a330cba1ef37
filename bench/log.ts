/**
 * The log's part of `npm run bench` (issue 12): ingest, export, the dashboard and the worker's heap, with
 * 100k records in the extension's own IndexedDB. One browser with the extension per run; there is no
 * "without" side, since nothing here happens without BanLens.
 *
 *   bench/log-page.ts is bundled and evaluated in an extension page, where it seeds and reads the log with
 *   utils/log/db.ts (the schema's owner) and runs the worker's ingest path and the dashboard's export.
 *
 *   ingest      observations/s through journal → ReachLog → IndexedDB, and how many were not logged
 *   export      "Export everything" (JSONL) of 100k records: time to the Blob; Chromium also samples the
 *               page's JS heap (CDP JSHeapUsedSize) while it runs and reports the peak
 *   dashboard   a fresh dashboard tab to its `banlens:dashboard-first-page` mark (totals and first page shown)
 *   worker heap Chromium only: the service worker's used JS heap after a restart with 100k records logged,
 *               a page load's observations and a garbage collection (CDP Runtime.getHeapUsage)
 *
 * Every figure is the median over the repetitions; `--smoke` runs each once, small.
 */
import { build } from 'esbuild';
import { join } from 'node:path';
import { extensionDir, launchChromium, launchFirefox, ROOT, waitFor, type PageHandle, type Session } from '../tests/e2e/harness';

export type LogBrowser = 'chromium' | 'firefox';

export interface LogFigures {
  browser: LogBrowser;
  reps: number;
  records: number;
  seedMs: number;
  ingestPerSecond: number | null;
  ingestLost: number | null;
  exportMs: number | null;
  exportPeakHeapBytes: number | null;
  dashboardFirstPageMs: number | null;
  workerHeapBytes: number | null;
  /** Every sample, for results.json. */
  samples: Record<string, number[]>;
}

const median = (xs: number[]): number | null => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

// utils/storage.ts takes `storage` from WXT's virtual '#imports'; outside a WXT build it is this module.
// Evaluated through DevTools, zod's probe for eval passes where the page's CSP then refuses it; the banner
// turns zod's compiled parsers off before the first schema is made.
let bundled: Promise<string> | null = null;
function pageBundle(): Promise<string> {
  bundled ??= build({ entryPoints: [join(ROOT, 'bench/log-page.ts')], bundle: true, write: false, format: 'iife', platform: 'browser', target: 'es2022', minify: true, logLevel: 'silent', banner: { js: '(globalThis.__zod_globalConfig ??= {}).jitless = true;' }, alias: { '#imports': 'wxt/utils/storage' } }).then((r) => r.outputFiles[0]!.text);
  return bundled;
}

const API = 'const api = globalThis.browser ?? globalThis.chrome;';
const call = <T>(page: PageHandle, expression: string) => page.evaluate<T>(`(async () => await globalThis.__logBench.${expression})()`);

async function benchPage(s: Session): Promise<PageHandle> {
  const page = await s.extensionPage('/options.html');
  await page.evaluate(`(async () => { ${await pageBundle()}; return true; })()`);
  return page;
}

/** Runs `work` while sampling the page's JS heap every 20 ms (Chromium); the highest sample. */
async function peakHeap<T>(page: PageHandle, work: () => Promise<T>): Promise<{ result: T; peak: number | null }> {
  if (!page.metrics) return { result: await work(), peak: null };
  let peak = (await page.metrics()).JSHeapUsedSize ?? 0;
  let running = true;
  const sampler = (async () => {
    while (running) {
      peak = Math.max(peak, (await page.metrics!().catch(() => ({ JSHeapUsedSize: 0 }))).JSHeapUsedSize ?? 0);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  try {
    return { result: await work(), peak };
  } finally {
    running = false;
    await sampler;
    peak = Math.max(peak, (await page.metrics()).JSHeapUsedSize ?? 0);
  }
}

/** Chromium: the service worker's used heap after a collection, through a CDP session attached to it. */
async function workerHeap(s: Session): Promise<number | null> {
  if (!s.cdp) return null;
  const cdp = await s.cdp();
  const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string; url: string }[] };
  const worker = targetInfos.find((t) => t.type === 'service_worker' && t.url.endsWith('/background.js'));
  if (!worker) return null;
  const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId: worker.targetId, flatten: false })) as { sessionId: string };
  let id = 0;
  const waiting = new Map<number, (result: unknown) => void>();
  cdp.on('Target.receivedMessageFromTarget', (e: { sessionId: string; message: string }) => {
    if (e.sessionId !== sessionId) return;
    const m = JSON.parse(e.message) as { id?: number; result?: unknown };
    if (m.id !== undefined) waiting.get(m.id)?.(m.result);
  });
  const send = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve) => {
      waiting.set(++id, resolve);
      void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
    });
  await send('HeapProfiler.collectGarbage');
  const { usedSize } = (await send('Runtime.getHeapUsage')) as { usedSize: number };
  await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => {});
  return usedSize;
}

/** Stops the worker and starts it again the way an event does, then lets its log feature finish starting. */
async function restartWorker(s: Session): Promise<void> {
  const cdp = await s.cdp!();
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await new Promise((r) => setTimeout(r, 500));
  await s.inExtension(`${API} return await api.runtime.sendMessage({ type: 'region:state' });`);
  // Recovery and retention over 100k records, then the first observations.
  await new Promise((r) => setTimeout(r, 3000));
}

export async function runLogBench(browser: LogBrowser, options: { reps: number; smoke: boolean; port: number; pageUrl: string; log?: (line: string) => void }): Promise<LogFigures> {
  const { reps, smoke } = options;
  const say = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const records = smoke ? 2000 : 100_000;
  // Ten thousand is seconds of continuous flow at the budget's rate: sustained, not a burst the journal absorbs.
  const ingestN = smoke ? 2000 : 10_000;
  const s = browser === 'chromium' ? await launchChromium({ ext: extensionDir('chromium'), tz: 'Asia/Shanghai', port: options.port }) : await launchFirefox({ ext: extensionDir('firefox'), tz: 'Asia/Shanghai' });
  let seededMs = 0;
  const samples: Record<string, number[]> = { ingestPerSecond: [], ingestLost: [], exportMs: [], exportPeakHeapBytes: [], dashboardFirstPageMs: [], workerHeapBytes: [] };
  try {
    await s.inExtension(`${API} return await api.runtime.sendMessage({ type: 'region:state' });`);
    const page = await benchPage(s);

    for (let rep = 0; rep < reps; rep++) {
      const r = await call<{ perSecond: number; lost: number; leftInSession: number }>(page, `ingest(${ingestN})`);
      samples.ingestPerSecond!.push(r.perSecond);
      samples.ingestLost!.push(r.lost + r.leftInSession);
      say(`${browser} log: ingest ${rep + 1}/${reps}: ${Math.round(r.perSecond)} observations/s, ${r.lost} not logged, ${r.leftInSession} left in storage.session`);
    }

    const seeded = await call<{ ms: number; records: number }>(page, `seed(${records})`);
    seededMs = seeded.ms;
    say(`${browser} log: seeded ${seeded.records} records in ${(seeded.ms / 1000).toFixed(1)} s`);

    for (let rep = 0; rep < reps; rep++) {
      const { result, peak } = await peakHeap(page, () => call<{ ms: number; records: number; bytes: number }>(page, 'exportAll()'));
      if (result.records !== seeded.records) throw new Error(`the export held ${result.records} records, not ${seeded.records}`);
      samples.exportMs!.push(result.ms);
      if (peak !== null) samples.exportPeakHeapBytes!.push(peak);
      say(`${browser} log: export ${rep + 1}/${reps}: ${Math.round(result.ms)} ms, ${(result.bytes / 1e6).toFixed(1)} MB${peak === null ? '' : `, peak JS heap ${(peak / 1e6).toFixed(1)} MB`}`);
    }

    for (let rep = 0; rep < reps; rep++) {
      const dash = await s.extensionPage('/dashboard.html');
      const at = await waitFor(() => dash.evaluate<number>(`performance.getEntriesByName('banlens:dashboard-first-page')[0]?.startTime ?? -1`), (t) => t >= 0, 60_000, 'the dashboard first page');
      samples.dashboardFirstPageMs!.push(at);
      say(`${browser} log: dashboard ${rep + 1}/${reps}: totals and first page at ${Math.round(at)} ms`);
      await dash.close();
    }

    if (browser === 'chromium') {
      for (let rep = 0; rep < reps; rep++) {
        await restartWorker(s);
        // Observations the worker logs itself, on top of the 100k records.
        const tab = await s.open(options.pageUrl);
        await new Promise((r) => setTimeout(r, 1500));
        await tab.close();
        const heap = await workerHeap(s);
        if (heap !== null) samples.workerHeapBytes!.push(heap);
        say(`${browser} log: worker heap ${rep + 1}/${reps}: ${heap === null ? '—' : `${(heap / 1e6).toFixed(1)} MB`}`);
      }
    }
    await page.close();
  } finally {
    await s.close();
  }
  return {
    browser,
    reps,
    records,
    seedMs: seededMs,
    ingestPerSecond: median(samples.ingestPerSecond!),
    ingestLost: samples.ingestLost!.length ? Math.max(...samples.ingestLost!) : null,
    exportMs: median(samples.exportMs!),
    exportPeakHeapBytes: median(samples.exportPeakHeapBytes!),
    dashboardFirstPageMs: median(samples.dashboardFirstPageMs!),
    workerHeapBytes: median(samples.workerHeapBytes!),
    samples,
  };
}

/** A budget row of the log bench, shaped like scripts/bench.ts's, with its figure already worded. */
export interface LogBudgetRow {
  what: string;
  limit: string;
  value: number | null;
  unit: string;
  display: string;
  verdict: 'met' | 'NOT MET' | 'not measured';
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** Issue 12's log budgets, per browser where the measure exists. */
export function logBudgets(figures: LogFigures[]): LogBudgetRow[] {
  const rows: LogBudgetRow[] = [];
  const add = (what: string, limit: string, unit: string, value: number | null, ok: (v: number) => boolean, display: (v: number) => string) =>
    rows.push({ what, limit, value, unit, display: value === null ? '—' : display(value), verdict: value === null ? 'not measured' : ok(value) ? 'met' : 'NOT MET' });
  for (const f of figures) {
    const b = f.browser === 'chromium' ? 'Chromium' : 'Firefox';
    add(`log ingest, observations/s sustained (${b})`, '≥ 5,000 /s', '/s', f.ingestPerSecond, (v) => v >= 5000, (v) => `${Math.round(v)} /s`);
    add(`log ingest, observations not logged (${b})`, '0', 'count', f.ingestLost, (v) => v === 0, (v) => String(v));
    add(`export of ${f.records.toLocaleString('en')} records (${b})`, '≤ 2 s', 'ms', f.exportMs, (v) => v <= 2000, (v) => `${(v / 1000).toFixed(2)} s`);
    if (f.browser === 'chromium') add(`export of ${f.records.toLocaleString('en')} records, peak JS heap (${b})`, '≤ 100 MB', 'B', f.exportPeakHeapBytes, (v) => v <= 100e6, mb);
    add(`dashboard with ${f.records.toLocaleString('en')} records, totals and first page (${b})`, '≤ 1 s', 'ms', f.dashboardFirstPageMs, (v) => v <= 1000, (v) => `${(v / 1000).toFixed(2)} s`);
    if (f.browser === 'chromium') add(`service-worker heap with ${f.records.toLocaleString('en')} logged records (${b})`, '≤ 15 MB', 'B', f.workerHeapBytes, (v) => v <= 15e6, mb);
  }
  return rows;
}

/** What the smoke run checks: every browser produced every figure it can (not whether they meet the budgets). */
export function logSmokeProblems(figures: LogFigures[], browsers: readonly LogBrowser[]): string[] {
  const problems: string[] = [];
  for (const b of browsers) {
    const f = figures.find((x) => x.browser === b);
    if (!f) {
      problems.push(`no log measurements from ${b}`);
      continue;
    }
    const missing = (['ingestPerSecond', 'exportMs', 'dashboardFirstPageMs', ...(b === 'chromium' ? (['exportPeakHeapBytes', 'workerHeapBytes'] as const) : [])] as const).filter((k) => f[k] === null);
    if (missing.length) problems.push(`${b} log bench measured no ${missing.join(', ')}`);
  }
  return problems;
}

/** Every browser in turn; a browser that fails is reported and leaves its figures out, the others still run. */
export async function runLogBenches(browsers: readonly LogBrowser[], options: { reps: number; smoke: boolean; port: number; pageUrl: string }): Promise<LogFigures[]> {
  const figures: LogFigures[] = [];
  for (const browser of browsers) {
    try {
      figures.push(await runLogBench(browser, options));
    } catch (error) {
      console.error(`${browser} log bench failed:`, error);
    }
  }
  return figures;
}
