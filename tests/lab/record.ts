/**
 * Records what Chromium and Firefox really report to an extension for each lab failure mode, and writes the
 * webRequest details objects as fixtures for tests/unit/classify.test.ts:
 *
 *   npx tsx tests/lab/record.ts            # both browsers, about 2.5 minutes (the connect timeouts are slow)
 *   npx tsx tests/lab/record.ts chromium   # one browser
 *   LANGPACK_DIR=… npx tsx tests/lab/record.ts firefox:ur firefox:ru   # TLS modes with Firefox in Urdu, Russian
 *
 * Writes tests/fixtures/webrequest/{chromium,firefox}/<mode>.<type>.<event>[.n].json (firefox-l10n/<lang>.… for a
 * language) and prints a summary table. LANGPACK_DIR holds langpack-<lang>@firefox-esr.mozilla.org.xpi, by default
 * where `apt-get install firefox-esr-l10n-<lang>` puts it.
 * Needs root, /usr/bin/chromium and /usr/bin/firefox-esr (tests/lab/README.md).
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Outcome } from '../../utils/reach/classify';
import { launchChromium, launchFirefox, startLab, type LabMode } from './lab';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'fixtures', 'webrequest');
const EXT = [join(here, 'recorder'), join(here, 'decoy-blocker')];
const MAX_WAIT_MS = 150_000;

/** What each lab mode is, as an outcome, when the browser's report lets one tell. */
const BY_MODE: Record<LabMode, Outcome | null> = {
  reset: 'tcp_reset', refused: 'tcp_refused', stall: 'timeout', syn_drop: 'timeout', bad_tls: 'tls', tls_plain: 'tls',
  nxdomain: 'dns', http451: 'http_blockpage', redirect: 'http_blockpage', ok: 'ok', decoy: null, blockpage: 'http_blockpage', article: 'ok',
};
/** Where the browser's report cannot tell what the lab did, the right answer follows the report, not the lab. */
const BY_REPORT: Record<string, { expected: Outcome | null; note: string }> = {
  'net::ERR_BLOCKED_BY_ORB': { expected: 'inconclusive', note: 'ORB hid the response from the page and the extension (README "Outcomes").' },
  NS_BINDING_ABORTED: {
    expected: null,
    note: 'Firefox cancelled the opaque response of a script/img; onHeadersReceived had shown the status (seenStatus). As an error string it cannot be told from a user abort.',
  },
  NS_ERROR_FAILURE: { expected: 'other', note: 'Generic failure: Firefox gives no cause, so it is not counted as blocking.' },
};
const SEEN_451 = {
  expected: 'http_blockpage' as const,
  note: 'Firefox cancelled the opaque response of a script/img after onHeadersReceived had shown the status (seenStatus). The error string alone cannot be told from a user abort; the 451 seen in the headers makes it a block page.',
};

interface Rec { userAgent: string; event: 'completed' | 'error' | 'redirect' | 'headers'; details: Record<string, unknown> }

const DROP = new Set(['tabId', 'requestId', 'frameId', 'parentFrameId', 'frameAncestors', 'timeStamp', 'documentId',
  'parentDocumentId', 'documentLifecycle', 'frameType', 'incognito', 'cookieStoreId', 'requestSize', 'responseSize']);

/** Firefox's TLS messages follow its UI language: `firefox:ur` records the TLS modes with that Debian langpack. */
const LANGPACKS = process.env.LANGPACK_DIR ?? '/usr/lib/firefox-esr/browser/extensions';

async function run(target: string) {
  const [browserName, lang] = target.split(':') as ['chromium' | 'firefox', string | undefined];
  const lab = await startLab({ lifetimeMs: MAX_WAIT_MS + 120_000 });
  const net24 = lab.host('reset').ip.replace(/\.\d+$/, '');
  const pages = lab.hosts.filter((h) => (lang ? h.mode === 'bad_tls' || h.mode === 'tls_plain' : h.mode !== 'blockpage'));
  let close: () => Promise<void>;
  let version = browserName as string;
  let t0 = 0;
  if (browserName === 'chromium') {
    const ctx = await launchChromium(lab, EXT);
    const first = ctx.pages()[0] ?? (await ctx.newPage());
    const v = (await (await ctx.newCDPSession(first)).send('Browser.getVersion')) as { product: string };
    version = `chromium/${v.product.replace(/^.*\//, '')}`;
    t0 = Date.now();
    await Promise.all(pages.map(async (h) => (await ctx.newPage()).goto(lab.pageUrl(h.host), { waitUntil: 'commit' }).catch(() => {})));
    close = () => ctx.close();
  } else {
    const langpack = lang ? [join(LANGPACKS, `langpack-${lang}@firefox-esr.mozilla.org.xpi`)] : [];
    const prefs = lang ? { 'intl.locale.requested': lang, 'extensions.langpacks.signatures.required': false } : {};
    const { browser } = await launchFirefox(lab, [...langpack, ...EXT], { prefs });
    version = await browser.version();
    t0 = Date.now();
    await Promise.all(pages.map(async (h) => (await browser.newPage()).goto(lab.pageUrl(h.host), { waitUntil: 'domcontentloaded' }).catch(() => {})));
    close = () => browser.close();
  }

  const modeOf = new Map(lab.hosts.map((h) => [h.host, h.mode]));
  const events = () => (lab.collected as unknown as Rec[]).filter((r) => modeOf.has(new URL(String(r.details.url)).hostname));
  const want = pages.flatMap((h) =>
    ['script', 'sub_frame', 'image'].map((t) => `${h.host} ${t}`));
  const start = Date.now();
  for (;;) {
    const done = new Set(events().filter((r) => r.event !== 'headers')
      .map((r) => `${new URL(String(r.details.url)).hostname} ${String(r.details.type)}`));
    const missing = want.filter((w) => !done.has(w));
    if (missing.length === 0 || Date.now() - start > MAX_WAIT_MS) {
      if (missing.length) console.error(`${browserName}: no final event after ${MAX_WAIT_MS / 1000}s for ${missing.join(', ')}`);
      break;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  await new Promise((r) => setTimeout(r, 3000));
  await close();

  const dir = join(out, lang ? 'firefox-l10n' : browserName);
  const prefix = lang ? `${lang}.` : '';
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(dir)) if (f.startsWith(prefix) && f.endsWith('.json')) rmSync(join(dir, f));
  const all = events();
  const statusSeen = new Map<string, number>();
  for (const r of all) if (r.event === 'headers') statusSeen.set(String(r.details.requestId), Number(r.details.statusCode));
  const seen = new Set<string>();
  const rows: string[] = [];
  for (const r of all) {
    if (r.event === 'headers') continue;
    const host = new URL(String(r.details.url)).hostname;
    const mode = modeOf.get(host)!;
    const type = String(r.details.type);
    const report = r.event === 'error' ? String(r.details.error) : `${String(r.details.statusCode)}`;
    const key = `${mode}.${type}.${r.event}`;
    if (seen.has(`${key} ${report}`)) continue; // Firefox retries: keep one of each distinct report
    let n = 1;
    while (seen.has(n === 1 ? key : `${key}.${n}`)) n++;
    const name = n === 1 ? key : `${key}.${n}`;
    seen.add(name);
    seen.add(`${key} ${report}`);
    const seenStatus = statusSeen.get(String(r.details.requestId));
    // A 451 seen in the headers before the error is the block page, whatever the error says (classify.ts).
    const override = r.event === 'error' ? (seenStatus === 451 ? SEEN_451 : BY_REPORT[report]) : undefined;
    const details = Object.fromEntries(Object.entries(r.details).filter(([k]) => !DROP.has(k)));
    const json = JSON.stringify({
      browser: lang ? `${version} (${lang})` : version,
      mode,
      event: r.event,
      expected: override ? override.expected : BY_MODE[mode],
      ...(override ? { note: override.note } : {}),
      ...(seenStatus !== undefined ? { seenStatus } : {}),
      /** Since the pages were opened: how long the browser took to report. */
      afterMs: Math.round(Number(r.details.timeStamp) - t0),
      details,
    }, null, 2)
      .replaceAll(lab.fixtureOrigin, 'http://127.0.0.1:8000')
      .replaceAll(`${net24}.`, '127.0.0.');
    writeFileSync(join(dir, `${prefix}${name}.json`), `${json}\n`);
    rows.push(`| ${mode} | ${type} | ${r.event} | ${report}${r.event === 'redirect' ? ` → ${String(r.details.redirectUrl)}` : ''} |`);
  }
  await lab.stop();
  console.log(`\n${version}${lang ? ` (${lang})` : ''}: ${rows.length} fixtures\n| mode | type | event | report |\n|---|---|---|---|\n${rows.sort().join('\n')}`);
}

const which = process.argv.slice(2);
await Promise.all((which.length ? which : ['chromium', 'firefox']).map(run));
