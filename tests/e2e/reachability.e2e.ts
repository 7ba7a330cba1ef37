/**
 * The censorship lab end to end: real Chromium and Firefox load pages that embed platform hosts failing in
 * each way a censor makes them fail, and the extension's anonymised log must record the right outcome.
 * A decoy extension blocking one host must produce no blocking record, and the exported bytes must hold
 * no page URL, path, query or IP.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../lab/lab';
import { toCsv, toJsonl, toOoniJsonl } from '../../utils/log/export';
import { LogRecord } from '../../utils/log/record';
import { extensionDir, launchChromium, launchFirefox, ROOT, waitFor, type Session } from './harness';

const BROWSERS = (process.env.BANLENS_BROWSERS ?? 'chromium,firefox').split(',') as ('chromium' | 'firefox')[];
const DECOY = join(ROOT, 'tests/lab/decoy-blocker');

/** Host → outcomes the log may hold for it, per browser (tests/lab/README.md records what each browser reports). */
const EXPECTED: Record<string, { chromium: string[]; firefox: string[] }> = {
  'platform.twitter.com': { chromium: ['tcp_reset'], firefox: ['tcp_reset', 'other'] }, // Firefox: NS_ERROR_NET_RESET or NS_ERROR_FAILURE
  'pbs.twimg.com': { chromium: ['tcp_refused'], firefox: ['tcp_refused'] },
  'embed.bsky.app': { chromium: ['tls'], firefox: ['tls'] },
  'abs.twimg.com': { chromium: ['tls'], firefox: ['tls'] },
  'www.facebook.com': { chromium: ['dns'], firefox: ['dns'] },
  // A 451 is visible for frames; Chromium's ORB hides it for scripts and images (inconclusive), Firefox shows it in headers first.
  'www.tiktok.com': { chromium: ['http_blockpage', 'inconclusive'], firefox: ['http_blockpage'] },
  'www.instagram.com': { chromium: ['http_blockpage'], firefox: ['http_blockpage'] },
  'upload.wikimedia.org': { chromium: ['ok'], firefox: ['ok'] },
};
/** Outcomes that must appear at least once for the host (not merely be allowed). */
const REQUIRED: Record<string, string> = {
  'platform.twitter.com': 'tcp_reset',
  'pbs.twimg.com': 'tcp_refused',
  'embed.bsky.app': 'tls',
  'abs.twimg.com': 'tls',
  'www.facebook.com': 'dns',
  'www.tiktok.com': 'http_blockpage',
  'www.instagram.com': 'http_blockpage',
  'upload.wikimedia.org': 'ok',
};
const BLOCKING = new Set(['dns', 'tcp_reset', 'tcp_refused', 'timeout', 'tls', 'http_blockpage']);

const READ_LOG = `
  const db = await new Promise((ok, fail) => { const r = indexedDB.open('banlens-log'); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
  if (!db.objectStoreNames.contains('records')) { db.close(); return []; }
  const all = await new Promise((ok) => { const q = db.transaction('records').objectStore('records').getAll(); q.onsuccess = () => ok(q.result); });
  db.close();
  return all.map(({ mergeKey, ...r }) => r);`;

for (const browserName of BROWSERS) {
  describe(`censorship lab in ${browserName}`, () => {
    let lab: Lab;
    let s: Session;
    let records: LogRecord[] = [];

    beforeAll(async () => {
      lab = await startLab({ stallMs: 40_000, lifetimeMs: 10 * 60_000 });
      s =
        browserName === 'chromium'
          ? await launchChromium({ ext: extensionDir('chromium'), extraExts: [DECOY], tz: 'Asia/Karachi', resolverArgs: lab.chromiumArgs() })
          : await launchFirefox({ ext: extensionDir('firefox'), extraExts: [DECOY], tz: 'Asia/Karachi', executablePath: lab.firefoxExecutable, prefs: lab.firefoxPrefs });
      // A user's extension is running long before a page loads; wait until ours answers.
      await s.inExtension(`const api = globalThis.browser ?? globalThis.chrome; return await api.runtime.sendMessage({ type: 'region:state' });`);
      const visit = async (host: string) => {
        const page = await s.open(lab.pageUrl(host));
        await new Promise((r) => setTimeout(r, 1500));
        await page.close();
      };
      for (const host of [...Object.keys(EXPECTED), 'i.ytimg.com']) await visit(host);
      // Firefox reports a reset as NS_ERROR_NET_RESET or, varying from run to run, the generic NS_ERROR_FAILURE
      // (tests/lab/README.md); one run gave FAILURE for every request of the page. A host still missing its
      // required outcome gets two more visits, as a user reloading would: it must show up in one of them.
      for (let again = 0; again < 2; again++) {
        await new Promise((r) => setTimeout(r, 1500)); // the log writes a second after the last observation
        const now = await s.inExtension<LogRecord[]>(READ_LOG);
        const missing = Object.entries(REQUIRED).filter(([host, outcome]) => !now.some((r) => r.host === host && r.outcome === outcome));
        if (missing.length === 0) break;
        for (const [host] of missing) await visit(host);
      }
      records = await waitFor(
        () => s.inExtension<LogRecord[]>(READ_LOG),
        (rs) => Object.entries(REQUIRED).every(([host, outcome]) => rs.some((r) => r.host === host && r.outcome === outcome)),
        20_000,
        'lab outcomes in the log',
      ).catch(() => s.inExtension<LogRecord[]>(READ_LOG));
    }, 180_000);

    afterAll(async () => {
      await s?.close();
      await lab?.stop();
    });

    it.each(Object.keys(EXPECTED))('%s is logged with the outcome its censor produces', (host) => {
      const outcomes = new Set(records.filter((r) => r.host === host).map((r) => r.outcome));
      expect([...outcomes].sort(), `outcomes for ${host}`).toContain(REQUIRED[host]);
      for (const o of outcomes) expect(EXPECTED[host]![browserName]).toContain(o);
    });

    it('a host blocked by another extension (an ad blocker) leaves no blocking record', () => {
      const decoy = records.filter((r) => r.host === 'i.ytimg.com');
      expect(decoy.filter((r) => BLOCKING.has(r.outcome))).toEqual([]);
    });

    it('every record passes the strict schema, with time cut to the hour and identical observations merged', () => {
      for (const r of records) expect(LogRecord.safeParse(r).success, JSON.stringify(r)).toBe(true);
      for (const r of records) expect(r.hour).toMatch(/T\d{2}:00:00Z$/);
      const keys = records.map((r) => JSON.stringify({ ...r, id: 0, count: 0 }));
      expect(new Set(keys).size).toBe(keys.length);
      expect(records.every((r) => r.region === 'PK' && r.vantage === 'passive')).toBe(true);
    });

    it('opt-in probes are refused until enabled, then logged with vantage "probe"', async () => {
      const run = () => s.inExtension<{ ran: number; skipped: string | null }>(`const api = globalThis.browser ?? globalThis.chrome; return await api.runtime.sendMessage({ type: 'probe:run' });`);
      expect(await run()).toEqual({ ran: 0, skipped: 'disabled' });
      await s.inExtension("const api = globalThis.browser ?? globalThis.chrome; await api.storage.local.set({ settings: { probe: { enabled: true, consentedAt: new Date().toISOString() } } }); return true;");
      const result = await run();
      expect(result.skipped).toBeNull();
      expect(result.ran).toBeGreaterThan(0);
      const probes = await waitFor(() => s.inExtension<LogRecord[]>(READ_LOG), (rs) => rs.some((r) => r.vantage === 'probe'), 20_000, 'probe records').then((rs) => rs.filter((r) => r.vantage === 'probe'));
      expect(probes.every((r) => r.resource === 'probe' && r.platform === 'bluesky')).toBe(true);
      // embed.bsky.app presents a bad certificate in the lab.
      expect(probes.find((r) => r.host === 'embed.bsky.app')?.outcome).toBe('tls');
      expect(await run()).toEqual({ ran: 0, skipped: 'too-soon' });
    }, 60_000);

    if (browserName === 'chromium') {
      // Firefox reconnects silently to a stalling server and may report nothing (tests/lab/README.md).
      it('a host that never answers is logged as a timeout', async () => {
        const page = await s.open(lab.pageUrl('www.youtube.com'));
        const rs = await waitFor(() => s.inExtension<LogRecord[]>(READ_LOG), (all) => all.some((r) => r.host === 'www.youtube.com' && r.outcome === 'timeout'), 50_000, 'timeout record');
        expect(rs.filter((r) => r.host === 'www.youtube.com').map((r) => r.outcome)).toContain('timeout');
        await page.close();
      }, 70_000);
    }

    if (browserName === 'chromium') {
      it('the dashboard exports everything or exactly the N records shown, in every format, and the CLI reads each export', async () => {
        const all = await s.inExtension<LogRecord[]>(READ_LOG);
        const dashboard = await s.extensionPage('/dashboard.html');
        await waitFor(() => dashboard.evaluate<string>('document.body.innerText'), (t) => t.includes('Export everything') && t.includes('match the filters'), 15_000, 'dashboard');
        const chooseFormat = (label: string) =>
          dashboard.evaluate(`(() => { const s = [...document.querySelectorAll('label')].find((l) => l.textContent.startsWith('Format')).querySelector('select');
            s.value = [...s.options].find((o) => o.textContent === ${JSON.stringify(label)}).value; s.dispatchEvent(new Event('change', { bubbles: true })); return true; })()`);
        const ajv = new Ajv2020({ strict: false });
        const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'public/schema/reachability-record.schema.json'), 'utf8')));
        const recordCount = (format: string, text: string) => text.trim().split(/\r?\n/).length - (format === 'CSV' ? 1 : 0);

        // Everything, in each format: the whole log, first lines as before.
        for (const format of ['JSONL', 'CSV', 'OONI JSONL']) {
          await chooseFormat(format);
          const file = await dashboard.download!('Export everything');
          expect(recordCount(format, file.text), format).toBe(all.length);
          expect(file.name).toMatch(/^banlens-reachability-\d{8}T\d{2}Z-\d{8}T\d{2}Z\.(jsonl|csv|ooni\.jsonl)$/);
          if (format === 'JSONL') for (const line of file.text.trim().split('\n')) expect(validate(JSON.parse(line)), JSON.stringify(validate.errors)).toBe(true);
          if (format === 'CSV') expect(file.text.split('\r\n')[0]).toBe('schema,id,hour,region,platform,host,resource,vantage,outcome,error,http_status,ms_bucket,count,restricted,browser,extension,dataset');
          for (const bytes of [file.text]) {
            expect(bytes).not.toMatch(/\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/);
            expect(bytes).not.toContain('/page/');
          }
        }

        // A filter set: the tls outcome, which two of the lab's hosts produce.
        const expected = all.filter((r) => r.outcome === 'tls');
        expect(expected.length).toBeGreaterThan(0);
        expect(expected.length).toBeLessThan(all.length);
        await dashboard.evaluate(`(() => { const s = [...document.querySelectorAll('label')].find((l) => l.textContent.startsWith('Outcome')).querySelector('select');
          s.value = 'tls'; s.dispatchEvent(new Event('change', { bubbles: true })); return true; })()`);
        const button = `Export the ${expected.length} records shown`;
        await waitFor(() => dashboard.evaluate<string>('document.body.innerText'), (t) => t.includes(button), 10_000, button);
        const exportsDir = join(ROOT, 'artifacts/e2e-exports');
        mkdirSync(exportsDir, { recursive: true });
        const saved: string[] = [];
        for (const format of ['JSONL', 'CSV', 'OONI JSONL']) {
          await chooseFormat(format);
          const file = await dashboard.download!(button);
          expect(recordCount(format, file.text), format).toBe(expected.length);
          expect(file.name).toMatch(/^banlens-reachability-tls-\d{8}T\d{2}Z-\d{8}T\d{2}Z\./);
          const path = join(exportsDir, file.name);
          writeFileSync(path, file.text);
          saved.push(path);
        }
        const ids = readFileSync(saved[0]!, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as LogRecord).id);
        expect(ids.sort()).toEqual(expected.map((r) => r.id).sort());

        // The hour bounds read like the table: the newest row's hour is one of the "From" choices.
        const [firstCell, fromChoices] = await dashboard.evaluate<[string, string[]]>(`[document.querySelector('.dash-table tbody td').textContent,
          [...[...document.querySelectorAll('label')].find((l) => l.textContent.startsWith('From')).querySelectorAll('option')].map((o) => o.textContent)]`);
        expect(fromChoices).toContain(firstCell);
        // Quick range: the lab's records are all from the last 24 hours.
        await dashboard.evaluate(`[...document.querySelectorAll('button')].find((b) => b.textContent === 'Last 24 hours').click()`);
        await waitFor(() => dashboard.evaluate<string>('document.body.innerText'), (t) => t.includes(button), 10_000, 'quick range');
        await dashboard.close();

        // The CLI takes each of the dashboard's own exports, told apart by content, and refuses a foreign file with one message.
        const observations = expected.reduce((n, r) => n + r.count, 0);
        for (const path of saved) {
          const out = execFileSync(join(ROOT, 'node_modules/.bin/tsx'), ['scripts/logs.ts', 'summary', path], { cwd: ROOT, encoding: 'utf8' });
          expect(out.trim().split('\n').at(-1)!.split(/\s+/).at(-1), path).toBe(String(observations));
          // Kept for the unit tests' fixtures (tests/fixtures/dashboard-exports, refreshed by hand from artifacts/).
        }
        const foreign = join(exportsDir, 'foreign.csv');
        writeFileSync(foreign, 'date,site,blocked\n2026-11-22,x.com,yes\n');
        const refused = spawnSync(join(ROOT, 'node_modules/.bin/tsx'), ['scripts/logs.ts', 'summary', foreign], { cwd: ROOT, encoding: 'utf8' });
        expect(refused.status).toBe(1);
        expect(refused.stderr.trim().split('\n')).toEqual([`${foreign}: not a BanLens export: expected the JSONL, CSV or OONI JSONL that the dashboard writes`]);
      }, 150_000);
    }

    it('the exported bytes hold no page URL, path, query or IP address', () => {
      expect(records.length).toBeGreaterThan(0);
      const fixtureOrigin = new URL(lab.pageUrl()).host;
      for (const bytes of [toJsonl(records), toCsv(records), toOoniJsonl(records)]) {
        expect(bytes).not.toContain(fixtureOrigin);
        expect(bytes).not.toMatch(/\b127\.\d+\.\d+\.\d+\b/);
        expect(bytes).not.toMatch(/\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/);
        expect(bytes).not.toContain('/page/');
        expect(bytes).not.toContain('lab=');
        expect(bytes).not.toContain('embed.js');
        expect(bytes).not.toContain('warning.rt.ru/?');
        expect(bytes).not.toMatch(/https?:\/\//);
      }
    });
  });
}
