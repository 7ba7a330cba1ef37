/**
 * Signed dataset updates in real browsers (README "Dataset updates"). The extension is built once more with a
 * test channel: BANLENS_DATASET_URL on a host the fixture server maps, BANLENS_DATASET_KEY a key pair made
 * here. As a user in Pakistan: every bad update is refused with its reason and changes nothing; a good one is
 * applied and a restriction only it has makes a notice appear; going back restores the bundled dataset.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import bans from '../../utils/dataset/bans.json';
import type { Dataset } from '../../utils/dataset/schema';
import { MANIFEST_SCHEMA, bytesToBase64, sha256Hex } from '../../utils/dataset/update';
import { launchChromium, launchFirefox, ROOT, startFixtureServer, UPDATES_SITE, waitFor, type FixtureServer, type Session } from './harness';

const BROWSERS = (process.env.BANLENS_BROWSERS ?? 'chromium,firefox').split(',') as ('chromium' | 'firefox')[];
const CHANNEL = `https://${UPDATES_SITE}/v1/`;
const NEW_VERSION = '2099.1.1';
const enc = new TextEncoder();

/** The bundled dataset plus one restriction in force that only the update has: YouTube in Pakistan. */
function updatedDataset(version = NEW_VERSION): Dataset {
  const d = structuredClone(bans) as unknown as Dataset;
  d.version = version;
  const src = { url: 'https://updates.banlens.test/v1/test-source', publisher: 'BanLens e2e test channel' };
  d.restrictions.push({
    id: 'pk-youtube-2026',
    platform: 'youtube',
    region: 'PK',
    kind: 'block',
    start: '2026-11-01',
    end: null,
    asOf: d.researchedThrough,
    confidence: 'reported',
    authority: { en: 'A test record that exists only in the e2e update channel.' },
    reason: { en: 'None: test data.' },
    summary: { en: 'Test data for the signed update test; never shipped.' },
    events: [{ date: '2026-11-01', kind: 'reported', text: { en: 'Test event.' }, sources: [src.url, `${src.url}-2`] }],
    sources: [src, { ...src, url: `${src.url}-2` }],
  } as Dataset['restrictions'][number]);
  return d;
}

let keys: CryptoKeyPair;
let otherKeys: CryptoKeyPair;
let channelDir: string;
let buildDir: string;
let server: FixtureServer;

/** Writes the channel's three files; each option breaks one thing the extension must check. */
async function publish(opts: { dataset?: unknown; version?: string; signWith?: CryptoKey; tamper?: boolean; bytes?: number; url?: string } = {}): Promise<void> {
  const version = opts.version ?? NEW_VERSION;
  const body = enc.encode(JSON.stringify(opts.dataset ?? updatedDataset(version)));
  const name = `dataset-${version}.json`;
  const manifest = {
    schema: MANIFEST_SCHEMA,
    version,
    researchedThrough: bans.researchedThrough,
    sha256: await sha256Hex(body),
    url: opts.url ?? new URL(name, CHANNEL).href,
    bytes: opts.bytes ?? body.byteLength,
  };
  const manifestBytes = enc.encode(JSON.stringify(manifest));
  const sig = new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, opts.signWith ?? keys.privateKey, manifestBytes));
  writeFileSync(join(channelDir, 'manifest.json'), manifestBytes);
  writeFileSync(join(channelDir, 'manifest.json.sig'), bytesToBase64(sig));
  writeFileSync(join(channelDir, name), opts.tamper ? enc.encode(JSON.stringify({ ...updatedDataset(version), asOf: '2099-01-01' })) : body);
}

beforeAll(async () => {
  keys = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  otherKeys = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const publicKey = bytesToBase64(new Uint8Array(await crypto.subtle.exportKey('raw', keys.publicKey)));
  channelDir = mkdtempSync(join(tmpdir(), 'banlens-channel-'));
  buildDir = mkdtempSync(join(tmpdir(), 'banlens-update-build-'));
  const env = { ...process.env, BANLENS_OUT_DIR: buildDir, BANLENS_DATASET_URL: `${CHANNEL}manifest.json`, BANLENS_DATASET_KEY: publicKey };
  for (const b of BROWSERS) execFileSync('npx', ['wxt', 'build', ...(b === 'firefox' ? ['-b', 'firefox'] : [])], { cwd: ROOT, env, stdio: 'ignore' });
  server = await startFixtureServer(443, {}, channelDir);
}, 300_000);

afterAll(async () => {
  await server?.close();
  rmSync(channelDir, { recursive: true, force: true });
  rmSync(buildDir, { recursive: true, force: true });
});

for (const browserName of BROWSERS) {
  describe(`${browserName}: signed dataset updates, user in PK`, () => {
    let s: Session;
    beforeAll(async () => {
      const ext = join(buildDir, browserName === 'chromium' ? 'chrome-mv3' : 'firefox-mv3');
      s = browserName === 'chromium' ? await launchChromium({ ext, tz: 'Asia/Karachi', resolverArgs: [`--host-resolver-rules=MAP * 127.0.0.1:${server.port}, EXCLUDE localhost`, '--ignore-certificate-errors'] }) : await launchFirefox({ ext, tz: 'Asia/Karachi' });
    }, 90_000);
    afterAll(async () => {
      await s?.close();
    });

    it('refuses every bad update with its reason and changes nothing; applies a good one; goes back', async () => {
      const options = await s.extensionPage('/options.html');
      const panel = () => options.evaluate<{ result: string; reason: string; version: string; text: string }>(`(() => {
        const status = document.querySelector('[data-testid=dataset-updates] [role=status]');
        return { result: status?.dataset.updateResult ?? '', reason: status?.dataset.updateReason ?? '', version: document.querySelector('[data-testid=dataset-version]')?.textContent ?? '', text: status?.textContent ?? '' };
      })()`);
      const click = (selector: string, text?: string) =>
        options.evaluate<boolean>(`(() => {
          const el = [...document.querySelectorAll(${JSON.stringify(selector)})].find((e) => ${text ? `e.textContent.includes(${JSON.stringify(text)})` : 'true'});
          if (!el || el.disabled) return false;
          el.click();
          return true;
        })()`);
      const activeVersion = () => s.inExtension<string>(`const api = globalThis.browser ?? globalThis.chrome; const st = await api.runtime.sendMessage({ type: 'dataset:update-state' }); return st.active.version;`);

      await waitFor(panel, (p) => p.version.includes(bans.version), 15_000, 'options page');
      expect(await activeVersion()).toBe(bans.version);

      // Before opting in nothing is downloaded, and "Check now" is disabled.
      await publish({ signWith: otherKeys.privateKey });
      expect((await panel()).result).toBe('none');
      expect(await click('button', 'Check for an update now')).toBe(false);

      // Opting in checks at once: a signature by another key is refused. (The comment in the service worker's
      // fetch: Chromium's certificate override for pages does not reach it, hence --ignore-certificate-errors.)
      await options.evaluate<boolean>(`(() => { const el = document.querySelector('input[data-setting=datasetUpdates]'); el.checked = true; el.dispatchEvent(new Event('change', { bubbles: true })); el.dispatchEvent(new Event('input', { bubbles: true })); return true; })()`);
      await waitFor(() => s.inExtension<boolean>(`const api = globalThis.browser ?? globalThis.chrome; return (await api.storage.local.get('settings')).settings?.datasetUpdates === true;`), (v) => v, 10_000, 'opt-in saved');
      expect((await waitFor(panel, (p) => p.result === 'refused', 20_000, 'first check')).reason).toBe('bad-signature');
      expect(await activeVersion()).toBe(bans.version);

      const bad: [string, Parameters<typeof publish>[0]][] = [
        ['bad-hash', { tamper: true }],
        ['schema', { dataset: { ...updatedDataset(), restrictions: [{ id: 'broken' }] } }],
        ['not-newer', { version: '2026.1.1' }],
        ['too-large', { bytes: 100 }],
        ['other-host', { url: 'https://elsewhere.banlens.test/v1/dataset.json' }],
      ];
      for (const [reason, opts] of bad) {
        await publish(opts);
        expect(await click('button', 'Check for an update now')).toBe(true);
        const p = await waitFor(panel, (x) => x.reason === reason || (reason === 'not-newer' && x.result === 'current'), 20_000, reason);
        expect(p.result, reason).toBe(reason === 'not-newer' ? 'current' : 'refused');
        expect(await activeVersion(), reason).toBe(bans.version);
        if (reason !== 'not-newer') expect(p.text, reason).toContain('nothing changed');
      }

      // No notice for YouTube before the update: nothing about it is in force in Pakistan.
      const url = server.url('/pages/embed-youtube.html');
      let page = await s.open(url);
      await new Promise((r) => setTimeout(r, 1500));
      expect(await page.notices()).not.toContain('youtube');
      await page.close();

      await publish();
      expect(await click('button', 'Check for an update now')).toBe(true);
      await waitFor(panel, (p) => p.result === 'applied', 20_000, 'applied');
      expect(await activeVersion()).toBe(NEW_VERSION);
      await waitFor(panel, (p) => p.version.includes(NEW_VERSION), 10_000, 'options shows the new version');

      page = await s.open(url);
      expect(await waitFor(() => page.notices(), (n) => n.includes('youtube'), 15_000, 'notice from the updated dataset')).toContain('youtube');
      await page.close();

      // One click goes back to the bundled dataset, and the next check does not bring the update straight back.
      expect(await click('button', `Go back to dataset ${bans.version}`)).toBe(true);
      await waitFor(activeVersion, (v) => v === bans.version, 10_000, 'back to bundled');
      expect(await click('button', 'Check for an update now')).toBe(true);
      await waitFor(panel, (p) => p.result === 'current', 20_000, 'declined version not re-applied');
      expect(await activeVersion()).toBe(bans.version);
      await options.close();
    }, 240_000);
  });
}
