/**
 * Signed dataset updates in real browsers (README "Dataset updates"), as a user in Pakistan. The extension is
 * built once more with a test channel: BANLENS_DATASET_URL on a host the fixture server answers for,
 * BANLENS_DATASET_KEY the public half of a key pair that `dataset:keygen` makes in a temporary folder for this
 * run only. The good update is published with `dataset:publish`; the bad ones are made by hand with the same key
 * (or another), each breaking one thing.
 *
 * Nothing is fetched before the user opts in. After the user ticks the box in Settings, every bad update is
 * refused with its reason shown there and changes nothing; a good one is applied, and a restriction only it
 * has brings a badge and a notice; "Go back" restores the bundled dataset, and the next check does not bring
 * back the version the user left.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import bans from '../../utils/dataset/bans.json';
import { isoDay } from '../../utils/dataset/query';
import type { Dataset } from '../../utils/dataset/schema';
import { MANIFEST_SCHEMA, MAX_DATASET_BYTES, base64ToBytes, bytesToBase64, sha256Hex, validateDataset } from '../../utils/dataset/update';
import type { DatasetUpdateState, PopupState } from '../../utils/protocol';
import { launchChromium, launchFirefox, ROOT, startFixtureServer, UPDATES_SITE, waitFor, type FixtureServer, type PageHandle, type Session } from './harness';

const BROWSERS = (process.env.BANLENS_BROWSERS ?? 'chromium,firefox').split(',') as ('chromium' | 'firefox')[];
const CHANNEL = `https://${UPDATES_SITE}/v1/`;
const NEW_VERSION = '2099.1.1';
const API = 'const api = globalThis.browser ?? globalThis.chrome;';
/** Settings, told apart by its fragment from the harness's own helper page at /options.html. */
const OPTIONS_PATH = '/options.html#dataset-update-e2e';
const enc = new TextEncoder();

/** The bundled dataset plus one restriction in force that only the update has: YouTube in Pakistan. */
function updatedDataset(version = NEW_VERSION): Dataset {
  const d = structuredClone(bans) as unknown as Dataset;
  d.version = version;
  const source = (n: number) => ({ url: `${CHANNEL}test-source-${n}`, publisher: 'BanLens e2e test channel' });
  d.restrictions.push({
    id: 'pk-youtube-e2e',
    platform: 'youtube',
    region: 'PK',
    kind: 'block',
    start: '2026-02-01',
    end: null,
    asOf: d.researchedThrough,
    confidence: 'reported',
    authority: { en: 'A test record that exists only in the e2e update channel.', ur: 'صرف ای ٹو ای اپ ڈیٹ چینل میں موجود ایک آزمائشی ریکارڈ۔' },
    reason: { en: 'None: test data.', ur: 'کوئی نہیں: آزمائشی ڈیٹا۔' },
    summary: { en: 'Test data for the signed update test; never shipped.', ur: 'دستخط شدہ اپ ڈیٹ کی جانچ کے لیے آزمائشی ڈیٹا؛ کبھی شامل نہیں کیا جاتا۔' },
    events: [{ date: '2026-02-01', kind: 'reported', text: { en: 'Test event.', ur: 'آزمائشی واقعہ۔' }, sources: [source(1).url, source(2).url] }],
    sources: [source(1), source(2)],
  } as Dataset['restrictions'][number]);
  return d;
}

let keyDir: string;
let privateKey: CryptoKey;
let otherKeys: CryptoKeyPair;
let channelDir: string;
let buildDir: string;
let server: FixtureServer;

/** Writes the channel's three files; each option breaks one thing the extension must check. */
async function publish(opts: { dataset?: unknown; version?: string; signWith?: CryptoKey; tamper?: boolean; bytes?: number; pad?: number; url?: string } = {}): Promise<void> {
  const version = opts.version ?? NEW_VERSION;
  let body = enc.encode(JSON.stringify(opts.dataset ?? updatedDataset(version)));
  // White space after the JSON keeps it a valid dataset of the given size.
  if (opts.pad) body = enc.encode(new TextDecoder().decode(body) + ' '.repeat(opts.pad - body.byteLength));
  const name = `dataset-${version}.json`;
  const manifest = {
    schema: MANIFEST_SCHEMA,
    version,
    researchedThrough: bans.researchedThrough,
    sha256: await sha256Hex(body),
    url: opts.url ?? new URL(name, CHANNEL).href,
    bytes: opts.bytes ?? Math.min(body.byteLength, MAX_DATASET_BYTES),
  };
  const manifestBytes = enc.encode(JSON.stringify(manifest));
  const sig = new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, opts.signWith ?? privateKey, manifestBytes));
  writeFileSync(join(channelDir, 'manifest.json'), manifestBytes);
  writeFileSync(join(channelDir, 'manifest.json.sig'), bytesToBase64(sig));
  // Tampered: the file served is not the one the manifest hashed.
  writeFileSync(join(channelDir, name), opts.tamper ? enc.encode(JSON.stringify({ ...updatedDataset(version), asOf: '2099-01-01' })) : body);
}

/** The good update, as a channel's maintainer publishes it: `npm run dataset:publish` with the channel's key. */
function publishWithTools(): void {
  const file = join(keyDir, `dataset-${NEW_VERSION}.json`);
  writeFileSync(file, JSON.stringify(updatedDataset()));
  execFileSync('npx', ['tsx', 'scripts/dataset-publish.ts', '--key', join(keyDir, 'dataset-signing.key'), '--out', channelDir, '--dataset', file, '--base-url', CHANNEL], { cwd: ROOT, stdio: 'pipe' });
}

/** One `wxt build` into `outDir` with the test channel; both browsers' builds run side by side. */
function build(browser: 'chromium' | 'firefox', env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn('npx', ['wxt', 'build', ...(browser === 'firefox' ? ['-b', 'firefox'] : [])], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? ok() : fail(new Error(`wxt build (${browser}) with the test channel failed (${code}): ${err.slice(-2000)}`))));
  });
}

beforeAll(async () => {
  // The channel's key pair, made as a maintainer makes it, outside the repository and gone after the run.
  keyDir = mkdtempSync(join(tmpdir(), 'banlens-keys-'));
  execFileSync('npx', ['tsx', 'scripts/dataset-keygen.ts', '--out', keyDir], { cwd: ROOT, stdio: 'pipe' });
  const publicKey = readFileSync(join(keyDir, 'dataset-signing.pub'), 'utf8').trim();
  privateKey = await crypto.subtle.importKey('pkcs8', base64ToBytes(readFileSync(join(keyDir, 'dataset-signing.key'), 'utf8')), { name: 'Ed25519' }, false, ['sign']);
  otherKeys = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  channelDir = mkdtempSync(join(tmpdir(), 'banlens-channel-'));
  buildDir = mkdtempSync(join(tmpdir(), 'banlens-update-build-'));
  const env = { ...process.env, BANLENS_OUT_DIR: buildDir, BANLENS_DATASET_URL: `${CHANNEL}manifest.json`, BANLENS_DATASET_KEY: publicKey };
  await Promise.all(BROWSERS.map((b) => build(b, env)));
  // The good update must itself pass the checks, or "applied" could never be reached and the refusals would prove nothing.
  validateDataset(updatedDataset(), isoDay());
  server = await startFixtureServer(443, {}, channelDir);
}, 300_000);

afterAll(async () => {
  await server?.close();
  if (keyDir) rmSync(keyDir, { recursive: true, force: true });
  if (channelDir) rmSync(channelDir, { recursive: true, force: true });
  if (buildDir) rmSync(buildDir, { recursive: true, force: true });
});

for (const browserName of BROWSERS) {
  describe(`${browserName}: signed dataset updates, user in PK (TZ=Asia/Karachi)`, () => {
    let s: Session;
    let options: PageHandle;
    const youtubePage = () => server.url('/pages/embed-youtube.html');

    /** What Settings shows: the last check's result and reason, its sentence, and the dataset in use. */
    const panel = () =>
      options.evaluate<{ result: string; reason: string; text: string; version: string; checkNow: boolean }>(`(() => {
        const status = document.querySelector('[data-testid=dataset-updates] [role=status]');
        const checkNow = [...document.querySelectorAll('[data-testid=dataset-updates] button')].find((b) => b.textContent.includes('Check for an update now'));
        return { result: status?.dataset.updateResult ?? '', reason: status?.dataset.updateReason ?? '', text: status?.textContent ?? '', version: document.querySelector('[data-testid=dataset-version]')?.textContent ?? '', checkNow: !!checkNow && !checkNow.disabled };
      })()`);
    /** Brings Settings to the front, as it is when the user clicks in it (a background tab may be throttled). */
    const focusOptions = () => s.inExtension<boolean>(`${API} const tab = (await api.tabs.query({})).find((t) => (t.url ?? '').endsWith(${JSON.stringify(OPTIONS_PATH)})); if (!tab) return false; await api.tabs.update(tab.id, { active: true }); return true;`);
    /** Clicks the first enabled element matching `selector` whose text includes `text`, as a user's click does (click, then change for a checkbox). */
    const click = async (selector: string, text?: string) =>
      (await focusOptions()) &&
      options.evaluate<boolean>(`(() => {
        const el = [...document.querySelectorAll(${JSON.stringify(selector)})].find((e) => ${text ? `e.textContent.includes(${JSON.stringify(text)})` : 'true'});
        if (!el || el.disabled) return false;
        el.click();
        return true;
      })()`);
    const updateState = () => s.inExtension<DatasetUpdateState>(`${API} return await api.runtime.sendMessage({ type: 'dataset:update-state' });`);

    /** Clicks "Check now" and waits for that check's status (not an earlier one) to reach Settings. */
    const checkNow = async (what: string) => {
      const before = (await updateState()).status?.lastCheckAt ?? 0;
      expect(await click('[data-testid=dataset-updates] button', 'Check for an update now'), `${what}: Check now is enabled`).toBe(true);
      await waitFor(updateState, (st) => (st.status?.lastCheckAt ?? 0) > before, 30_000, `${what}: the check`);
      return waitFor(panel, (p) => p.checkNow, 10_000, `${what}: Settings shows the check`);
    };

    /** Opens the YouTube embed page once the background has seen its YouTube request on that tab, so "no notice" means decided, not not yet. */
    const openYoutube = async () => {
      const url = youtubePage();
      const page = await s.open(url);
      const tabId = await s.tabIdOf(url);
      await waitFor(() => s.inExtension<PopupState>(`${API} return await api.runtime.sendMessage({ type: 'popup:state', tabId: ${tabId} });`), (st) => st.reach.some((r) => r.platform === 'youtube'), 15_000, 'the YouTube request seen on the tab');
      return { page, url };
    };

    beforeAll(async () => {
      const ext = join(buildDir, browserName === 'chromium' ? 'chrome-mv3' : 'firefox-mv3');
      // Chromium: the page-level certificate override does not reach the service worker's fetch, hence the flag.
      // Firefox: network.dns.forceResolve sends every host to the server on port 443, and acceptInsecureCerts covers the background's fetch too.
      s = browserName === 'chromium' ? await launchChromium({ ext, tz: 'Asia/Karachi', resolverArgs: [`--host-resolver-rules=MAP * 127.0.0.1:${server.port}, EXCLUDE localhost`, '--ignore-certificate-errors'] }) : await launchFirefox({ ext, tz: 'Asia/Karachi' });
      // The fixture server resets every platform host, so the observed basis would flag YouTube by itself; this
      // suite is about what the recorded dataset says (tests/e2e/observed.e2e.ts covers the other basis).
      await s.inExtension(`${API} await api.storage.local.set({ settings: { notices: { observed: false } } }); return true;`);
      server.updateTraffic.length = 0;
    }, 90_000);
    afterAll(async () => {
      await options?.close().catch(() => {});
      await s?.close();
    });

    it('fetches nothing before the user opts in', async () => {
      // Even a channel with an update on offer is left alone until the user chooses.
      await publish({ signWith: otherKeys.privateKey });
      options = await s.extensionPage(OPTIONS_PATH);
      // What the page's own handlers throw (a click whose handler fails shows nothing): named when a wait times out.
      await options.evaluate(`(() => { window.__errors = []; addEventListener('error', (e) => window.__errors.push(String(e.message))); addEventListener('unhandledrejection', (e) => window.__errors.push(String(e.reason && e.reason.stack || e.reason))); return true; })()`);
      const p = await waitFor(panel, (x) => x.version.includes(bans.version) && x.result !== '', 15_000, 'the options page and its update panel');
      expect(p.result).toBe('none');
      expect(p.checkNow).toBe(false);
      const st = await updateState();
      expect(st).toMatchObject({ enabled: false, host: UPDATES_SITE, status: null, active: { version: bans.version, source: 'bundled' } });
      // The first-run page offers the same choice, off, and names the host the download would reveal BanLens to.
      const welcome = await s.extensionPage('/welcome.html');
      const offer = await waitFor(
        () => welcome.evaluate<{ text: string; checked: boolean | null }>(`(() => { const box = document.querySelector('input[data-setting=datasetUpdates]'); return { text: box?.closest('label')?.textContent ?? '', checked: box ? box.checked : null }; })()`),
        (o) => o.checked !== null,
        10_000,
        'the first-run opt-in',
      );
      expect(offer.text).toContain(UPDATES_SITE);
      expect(offer.text).toContain('this browser uses BanLens');
      expect(offer.checked).toBe(false);
      await welcome.close();

      // Nothing about YouTube is in force in Pakistan in the bundled dataset: no badge, no notice.
      const { page, url } = await openYoutube();
      expect(await s.badge(url)).toBe('');
      expect(await page.notices()).not.toContain('youtube');
      await page.close();
      expect(server.updateTraffic).toEqual([]);
    });

    it('after the user opts in in Settings, refuses every bad update with its reason and changes nothing', async () => {
      // The opt-in checks at once: the manifest on offer is signed by another key.
      expect(await click('input[data-setting=datasetUpdates]')).toBe(true);
      const first = await waitFor(panel, (p) => p.result === 'refused', 30_000, 'the first check');
      expect(first.reason).toBe('bad-signature');
      expect(first.text).toContain('not signed with the key this copy of BanLens trusts');
      expect(server.updateTraffic).toContain('/v1/manifest.json');
      expect(await s.inExtension<boolean>(`${API} return (await api.storage.local.get('settings')).settings?.datasetUpdates === true;`)).toBe(true);
      expect((await updateState()).active).toMatchObject({ version: bans.version, source: 'bundled' });

      const bad: [reason: string, sentence: string, opts: Parameters<typeof publish>[0]][] = [
        ['bad-hash', 'nothing changed', { tamper: true }],
        ['schema', 'did not match the expected format', { dataset: { ...updatedDataset(), restrictions: [{ id: 'broken' }] } }],
        // The manifest understates the size, and the file is larger than it.
        ['too-large', 'larger than 10 MB', { bytes: 100 }],
        // A file over 10 MB, whatever the manifest says.
        ['too-large', 'larger than 10 MB', { pad: MAX_DATASET_BYTES + 1024 }],
        ['other-host', 'another server', { url: 'https://elsewhere.banlens.test/v1/dataset.json' }],
      ];
      for (const [reason, sentence, opts] of bad) {
        await publish(opts);
        const p = await checkNow(reason);
        expect(p, reason).toMatchObject({ result: 'refused', reason });
        expect(p.text, reason).toContain('nothing changed');
        expect(p.text, reason).toContain(sentence);
        expect(p.version, reason).toContain(bans.version);
        expect((await updateState()).active, reason).toMatchObject({ version: bans.version, source: 'bundled' });
      }

      // An older version, signed and valid: not taken, and Settings says there is nothing newer.
      await publish({ version: '2026.1.1' });
      const older = await checkNow('older version');
      expect(older.result).toBe('current');
      expect(older.text).toContain('no newer dataset');
      expect((await updateState()).active).toMatchObject({ version: bans.version, source: 'bundled' });
    });

    it('applies a good update: Settings shows its version, and a restriction only it has brings a badge and a notice', async () => {
      publishWithTools();
      const p = await checkNow('good update');
      expect(p.result).toBe('applied');
      expect(p.text).toContain(`Updated to dataset ${NEW_VERSION}`);
      expect((await updateState()).active).toMatchObject({ version: NEW_VERSION, source: 'updated' });
      await waitFor(panel, (x) => x.version.includes(NEW_VERSION), 10_000, 'Settings shows the new version');

      const { page, url } = await openYoutube();
      expect(await waitFor(() => s.badge(url), (b) => b === '1', 15_000, 'badge from the updated dataset')).toBe('1');
      expect(await waitFor(() => page.notices(), (n) => n.includes('youtube'), 15_000, 'notice from the updated dataset')).toContain('youtube');
      await page.close();
    });

    it('"Go back" restores the bundled dataset, and the next check does not re-apply the version left', async () => {
      expect(await click('[data-testid=dataset-updates] button', `Go back to dataset ${bans.version}`)).toBe(true);
      await waitFor(updateState, (st) => st.active.version === bans.version && st.active.source === 'bundled', 30_000, 'back to the bundled dataset').catch(async (e) => {
        throw new Error(`${(e as Error).message}; errors in the options page: ${JSON.stringify(await options.evaluate('window.__errors'))}`);
      });
      await waitFor(panel, (x) => x.version.includes(bans.version), 10_000, 'Settings shows the bundled version');

      const p = await checkNow('after going back');
      expect(p.result).toBe('current');
      expect((await updateState()).active).toMatchObject({ version: bans.version, source: 'bundled' });

      const { page, url } = await openYoutube();
      expect(await s.badge(url)).toBe('');
      expect(await page.notices()).not.toContain('youtube');
      await page.close();
    });
  });
}
