/**
 * Hardening (issue 11, item 7), each an end-to-end test with an asserted outcome, as a user in Pakistan
 * (Bluesky restricted in force): hostile pages, faults (a stopped service worker under load, a browser
 * restart, corrupt settings) and bad dataset imports. detection.e2e.ts has the first hostile page (notices
 * removed, hidden by a stylesheet, flooded, a forged `found` message); this file goes further.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import bans from '../../utils/dataset/bans.json';
import { Dataset } from '../../utils/dataset/schema';
import { extensionDir, launchChromium, launchFirefox, SITE, startFixtureServer, waitFor, type FixtureServer, type PageHandle, type Session } from './harness';

const BROWSERS = (process.env.BANLENS_BROWSERS ?? 'chromium,firefox').split(',') as ('chromium' | 'firefox')[];
const TZ = 'Asia/Karachi';
const API = 'const api = globalThis.browser ?? globalThis.chrome;';
const dataset = Dataset.parse(bans);
const BURST = 300;
/**
 * Image loads from X's CDN (a platform host the censor resets), six in flight at a time: 300 of them, or with
 * `?open` as many as it takes, from `go()` until `end()` (which returns how many were issued).
 */
const BURST_PAGE = `<!doctype html><body><script>
  window.done = 0; window.issued = 0;
  const open = location.search.includes('open');
  let limit = open ? Infinity : ${BURST};
  window.end = () => { limit = window.issued; return limit; };
  function load() {
    if (window.issued >= limit) return;
    const img = new Image();
    img.onerror = img.onload = () => { window.done++; setTimeout(load, 5); };
    img.src = 'https://pbs.twimg.com/media/f' + window.issued++ + '.jpg?n=' + Math.random();
  }
  window.go = () => { for (let k = 0; k < 6; k++) load(); return true; };
  if (!open) window.go();
</script></body>`;
/**
 * 50,000 fake Bluesky embeds in the page's own HTML, and a 20 ms timer from the first script on: the gaps
 * between its ticks show whether anything held the page's main thread.
 */
const FLOOD_PAGE = `<!doctype html><head><meta charset="utf-8"><script>
  window.ticks = []; const t0 = performance.now();
  setInterval(() => { window.ticks.push(Math.round(performance.now() - t0)); }, 20);
  addEventListener('load', () => { window.loadedAt = Math.round(performance.now() - t0); });
</script></head><body><div id="flood">${'<blockquote class="bluesky-embed">fake</blockquote>'.repeat(50_000)}</div></body>`;
/** The log's total count for a host, read from IndexedDB in an extension page. */
const LOGGED = (host: string) => `
  const db = await new Promise((ok, fail) => { const r = indexedDB.open('banlens-log'); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
  if (!db.objectStoreNames.contains('records')) { db.close(); return 0; }
  const all = await new Promise((ok) => { const q = db.transaction('records').objectStore('records').getAll(); q.onsuccess = () => ok(q.result); });
  db.close();
  return all.filter((r) => ${host === '*' ? 'true' : `r.host === ${JSON.stringify(host)}`}).reduce((n, r) => n + r.count, 0);`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer(443, { '/burst.html': BURST_PAGE, '/flood.html': FLOOD_PAGE });
});
afterAll(async () => {
  await server?.close();
});

/** Puts a file into the options page's dataset import, as a user picking it would. `body` is an expression. */
const importFile = (options: PageHandle, name: string, body: string) =>
  options.evaluate<boolean>(`(() => {
    const input = document.querySelector('input[type=file]');
    const dt = new DataTransfer();
    dt.items.add(new File([${body}], ${JSON.stringify(name)}, { type: 'application/json' }));
    input.files = dt.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    return true;
  })()`);

for (const browserName of BROWSERS) {
  describe(`hardening, ${browserName}, user in PK`, () => {
    let s: Session;
    /** Writes the settings, then waits until the detector is registered for Bluesky (a page opened sooner may get no detector). */
    const setSettings = async (settings: object) => {
      await s.inExtension(`${API} await api.storage.local.set({ settings: ${JSON.stringify(settings)} }); await api.storage.local.remove('settingsRepair'); return true;`);
      await s.detectorRegistered(['bluesky']);
    };
    const noticesPerFrame = (page: PageHandle) =>
      page.evaluate<number[]>(`(() => {
        const out = [document.querySelectorAll('banlens-notice').length];
        for (const f of document.querySelectorAll('iframe')) { try { out.push(f.contentDocument ? f.contentDocument.querySelectorAll('banlens-notice').length : -1); } catch { out.push(-1); } }
        return out;
      })()`);

    beforeAll(async () => {
      s = browserName === 'chromium' ? await launchChromium({ ext: extensionDir('chromium'), tz: TZ, port: server.port }) : await launchFirefox({ ext: extensionDir('firefox'), tz: TZ });
      await setSettings({});
    }, 60_000);
    afterAll(async () => {
      await s?.close();
    });

    describe('hostile pages', () => {
      const restyled = async (hash: string) => {
        const url = server.url('/pages/hostile-restyle.html');
        const page = await s.open(url + hash);
        await waitFor(() => page.notices(), (n) => n.includes('bluesky'), 10_000, 'notices');
        await waitFor(() => page.evaluate<number>('window.__restyled'), (n) => n > 0, 5000, 'the page restyling');
        await sleep(1500);
        const boxes = await page.evaluate<{ h: number; w: number; left: number; opacity: string; visibility: string; display: string }[]>(`[...document.getElementsByTagName('banlens-notice')].map((n) => {
          const r = n.getBoundingClientRect(); const cs = getComputedStyle(n);
          return { h: r.height, w: r.width, left: r.left, opacity: cs.opacity, visibility: cs.visibility, display: cs.display };
        })`);
        expect(await s.badge(url + hash)).toBe('1');
        await page.close();
        expect(boxes.length).toBeGreaterThan(0);
        for (const b of boxes) {
          expect(b).toMatchObject({ opacity: '1', visibility: 'visible', display: 'block' });
          expect(b.h).toBeGreaterThan(0);
          expect(b.w).toBeGreaterThan(0);
          expect(b.left).toBeGreaterThanOrEqual(0);
        }
      };

      it('a page that hides notices with !important rules, restyles each host later and covers the page: notices stay laid out and visible in their own box', async () => {
        await restyled('');
      });

      // The guard observes before the first label is mounted, so a restyle in the same microtask checkpoint is seen.
      it('a restyle at the very moment a notice appears is undone', async () => {
        await restyled('#at-once');
      });

      const churn = async () => {
        const url = server.url('/pages/hostile-churn.html');
        const page = await s.open(url);
        let max = 0;
        const until = Date.now() + 4500;
        while (Date.now() < until) {
          max = Math.max(max, ...(await noticesPerFrame(page)));
          await sleep(100);
        }
        expect(await page.evaluate<boolean>('window.__churnDone')).toBe(true);
        expect(await page.evaluate<number>('window.__rounds')).toBeGreaterThan(20);
        await sleep(1500);
        const settled = await page.notices();
        max = Math.max(max, ...(await noticesPerFrame(page)));
        expect(await s.badge(url)).toBe('1');
        await page.close();
        return { max, settled };
      };

      it('a page that adds and removes embeds in a tight loop: never more than 12 notices in the frame', async () => {
        const { max, settled } = await churn();
        expect(max).toBeLessThanOrEqual(12);
        expect(settled.every((p) => p === 'bluesky')).toBe(true);
      });

      // Labels (and registered embeds) of embeds the page removed free their place, so the 30 embeds left
      // after the churn get the full 12 labels.
      it('after the churn, the embeds left on the page are labelled, up to the cap', async () => {
        const { settled } = await churn();
        expect(settled).toEqual(Array(12).fill('bluesky'));
      });

      it("a strict CSP (default-src 'none', no inline style): notices still render, styled by their own sheet", async () => {
        const url = server.url('/pages/csp.html');
        const page = await s.open(url);
        await waitFor(() => page.notices(), (n) => n.includes('bluesky'), 10_000, 'notices');
        const box = await page.evaluate<{ h: number; w: number; display: string }>(`(() => { const n = document.getElementsByTagName('banlens-notice')[0]; const r = n.getBoundingClientRect(); return { h: r.height, w: r.width, display: getComputedStyle(n).display }; })()`);
        expect(box.display).toBe('block');
        expect(box.h).toBeGreaterThan(0);
        expect(box.w).toBeGreaterThan(0);
        // The card's look comes from the stylesheet inside the closed root, which the page's style-src does not govern.
        if (page.noticeStyle) {
          const card = await waitFor(() => page.noticeStyle!('bl-card'), (st) => !!st, 5000, 'the card inside the notice');
          expect(card).toMatchObject({ 'background-color': 'rgb(255, 247, 230)', 'border-top-style': 'solid', 'border-top-width': '1px' });
        }
        expect(await s.badge(url)).toBe('1');
        await page.close();
      });

      // How long the detector's slices take is the bench's business; this asserts only that it yields and finds.
      it('50,000 fake embeds: the page keeps running its own timer while the detector works, the badge counts one platform, labels stay capped', { timeout: 90_000 }, async () => {
        const url = server.url('/flood.html');
        const page = await s.open(url);
        expect(await waitFor(() => s.badge(url), (b) => b === '1', 30_000, 'badge')).toBe('1');
        const labels = await waitFor(() => page.evaluate<number>(`document.getElementsByTagName('banlens-notice').length`), (n) => n >= 12, 30_000, 'labels');
        expect(labels).toBe(12);
        await sleep(3000);
        const loadedAt = await page.evaluate<number>('window.loadedAt');
        const all = await page.evaluate<number[]>('window.ticks');
        // From the load on: parsing and laying out 50,000 elements is the page's own long task.
        const ticks = all.filter((t) => t >= loadedAt);
        // A scan that never yields would hold the thread for the whole document (seconds here); the page's
        // timer went on ticking instead. The bound is for a hang, not a speed target.
        const gaps = ticks.slice(1).map((t, i) => t - ticks[i]!);
        console.log(`${browserName} flood: loaded at ${loadedAt} ms, then ${ticks.length} ticks until ${ticks.at(-1)} ms, longest gap ${Math.max(...gaps)} ms`);
        expect(ticks.length).toBeGreaterThan(20);
        expect(Math.max(...gaps)).toBeLessThan(2000);
        expect(await page.evaluate<number>(`document.getElementsByTagName('banlens-notice').length`)).toBe(12);
        await page.close();
      });

      it('forged postMessage and custom events neither count nor make notices', async () => {
        const url = server.url('/pages/hostile-forge.html');
        const page = await s.open(url);
        await sleep(2000);
        expect(await s.badge(url)).toBe('');
        expect(await page.notices()).toEqual([]);
        const tabId = await s.tabIdOf(url);
        const state = await s.inExtension<{ platforms?: unknown[] }>(`${API} return await api.runtime.sendMessage({ type: 'popup:state', tabId: ${tabId} });`);
        expect(JSON.stringify(state)).not.toContain('bluesky');
        await page.close();
      });

      it('main-world overrides of attachShadow, querySelectorAll, matches, MutationObserver and addEventListener do not break detection', async () => {
        const url = server.url('/pages/hostile-prototypes.html');
        const page = await s.open(url);
        expect(await page.evaluate<boolean>('window.__broken')).toBe(true);
        expect(await waitFor(() => s.badge(url), (b) => b === '1', 10_000, 'badge')).toBe('1');
        // The page broke querySelectorAll in its own world, where the harness's notices() looks: count by tag name.
        expect(await waitFor(() => page.evaluate<number>(`document.getElementsByTagName('banlens-notice').length`), (n) => n === 1, 10_000, 'late notice')).toBe(1);
        expect(await page.evaluate<string>(`document.getElementsByTagName('banlens-notice')[0].dataset.platform`)).toBe('bluesky');
        await page.close();
      });

      it('srcdoc, sandboxed and about:blank frames do not break detection; embeds in srcdoc and about:blank frames are labelled', async () => {
        const url = server.url('/pages/frames-odd.html');
        const page = await s.open(url);
        expect(await waitFor(() => s.badge(url), (b) => b === '1', 10_000, 'badge')).toBe('1');
        const perFrame = () => page.evaluate<Record<string, number>>(`Object.fromEntries([...document.querySelectorAll('iframe')].map((f) => { let n = -1; try { n = f.contentDocument.querySelectorAll('banlens-notice').length; } catch {} return [f.id, n]; }))`);
        const seen = await waitFor(perFrame, (c) => c.srcdoc === 1 && c.blank === 1, 10_000, 'a notice in the srcdoc and about:blank frames').catch(perFrame);
        console.log(`${browserName} frames: notices per frame ${JSON.stringify(seen)}`);
        expect(seen).toMatchObject({ srcdoc: 1, blank: 1 });
        await page.close();
      });

      // A sandboxed frame without allow-same-origin has an opaque origin; the detector reaches it because its
      // dynamic registration uses matchOriginAsFallback (utils/detect/registration.ts).
      it('the embed in a sandboxed srcdoc frame is labelled too', async () => {
        const url = server.url('/pages/frames-odd.html');
        const page = await s.open(url);
        const all = await waitFor(() => page.notices(), (n) => n.length >= 3, 8_000, 'three notices').catch(() => page.notices());
        console.log(`${browserName} frames: all notices ${JSON.stringify(all)}`);
        expect(all).toEqual(['bluesky', 'bluesky', 'bluesky']);
        await page.close();
      });

      it('lookalike host names are not platforms; an upper-case host with a trailing dot is', async () => {
        const fake = server.url('/pages/odd-hosts-lookalike.html');
        let page = await s.open(fake);
        await sleep(2000);
        expect(await s.badge(fake)).toBe('');
        expect(await page.notices()).toEqual([]);
        await page.close();
        const real = server.url('/pages/odd-hosts-real.html');
        page = await s.open(real);
        expect(await waitFor(() => s.badge(real), (b) => b === '1', 10_000, 'badge')).toBe('1');
        await page.close();
      });
    });

    describe('faults', () => {
      it('corrupt settings are repaired field by field, and the options page says so once', async () => {
        await s.inExtension(`${API} await api.storage.local.remove('settingsRepair'); await api.storage.local.set({ settings: { regions: ['PK'], language: 'en', notices: { mode: 42, mutedPlatforms: ['x'], showLifted: true }, log: { retentionDays: 'forever', maxRecords: 5000 } } }); return true;`);
        const options = await s.extensionPage('/options.html');
        const text = () => options.evaluate<string>('document.body.innerText');
        const shown = await waitFor(() => options.evaluate<string>(`document.querySelector('[data-settings-repaired]')?.dataset.settingsRepaired ?? ''`), (f) => f !== '', 10_000, 'repair notice');
        expect(shown.split(' ').sort()).toEqual(['log.retentionDays', 'notices.mode']);
        expect(await text()).toContain('were reset to their defaults');
        const stored = await s.inExtension<{ settings: { regions: string[]; notices: { mode: string; mutedPlatforms: string[]; showLifted: boolean }; log: { retentionDays: number; maxRecords: number } } }>(`${API} return await api.storage.local.get('settings');`);
        expect(stored.settings.notices).toMatchObject({ mode: 'full', mutedPlatforms: ['x'], showLifted: true });
        expect(stored.settings.log).toMatchObject({ retentionDays: 180, maxRecords: 5000 });
        expect(stored.settings.regions).toEqual(['PK']);
        await options.evaluate<boolean>(`(() => { document.querySelector('[data-settings-repaired] button').click(); return true; })()`);
        await waitFor(() => options.evaluate<number>(`document.querySelectorAll('[data-settings-repaired]').length`), (n) => n === 0, 5000, 'notice dismissed');
        await options.close();
        const again = await s.extensionPage('/options.html');
        await waitFor(() => again.evaluate<string>('document.body.innerText'), (t) => t.includes(dataset.version), 10_000, 'options page');
        await sleep(500);
        expect(await again.evaluate<number>(`document.querySelectorAll('[data-settings-repaired]').length`)).toBe(0);
        await again.close();
        await setSettings({});
      });

      // Chromium's background is a service worker (stopped over CDP), Firefox's an event page (terminated as
      // about:debugging does); harness.ts stopBackground says which.
      describe('the background stopped three times in the middle of a burst, on a busy CPU', () => {
        const hogs: ChildProcess[] = [];
        beforeAll(() => {
          for (let i = 0; i < 2; i++) hogs.push(spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
        });
        afterAll(() => {
          for (const h of hogs) if (h.pid) process.kill(h.pid, 'SIGKILL');
        });

        // Each stop must hit a running background in the middle of the burst. The page's load event waits for
        // its pending images, so a burst that starts on load is over before the test can act, and a stopped
        // background stays stopped until an event wakes it: so the test starts the burst, stops the background
        // only once the browser reports it running again, and ends the burst only after the third stop.
        it.each([1, 2, 3])('trial %i: the log holds every load the page completed (within 1%)', { timeout: 180_000 }, async () => {
          const before = await s.inExtension<number>(LOGGED('pbs.twimg.com'));
          const page = await s.open(`https://${SITE}/burst.html?open&t=${Date.now()}`);
          const doneNow = () => page.evaluate<number>('window.done ?? 0');
          const running = (what: string) => waitFor(() => s.backgroundState(), (st) => st === 'running', 30_000, `the background running ${what}`);
          await page.evaluate('window.go()');
          const stoppedAt: number[] = [];
          for (const mark of [BURST / 6, BURST / 2, (5 * BURST) / 6]) {
            await waitFor(doneNow, (d) => d >= mark, 90_000, `${mark} loads`);
            // Firefox declines to terminate while dispatched events are unrun, which on a busy CPU can last
            // through every try of one stopBackground call; the burst keeps going until end(), so try again.
            const at = await waitFor(
              async () => {
                // Woken by the burst's own requests since the last stop.
                await running(`before the stop at ${mark} loads`);
                const now = await doneNow();
                return (await s.stopBackground()) ? now : -1;
              },
              (d) => d >= 0,
              60_000,
              `a stop after ${mark} loads`,
            );
            stoppedAt.push(at);
          }
          await running('after the last stop');
          await waitFor(doneNow, (d) => d >= BURST, 90_000, `${BURST} loads`);
          const issued = await page.evaluate<number>('window.end()');
          const done = await waitFor(doneNow, (d) => d === issued, 60_000, 'the burst to finish');
          // Three real stops, each with loads still to come.
          expect(stoppedAt).toHaveLength(3);
          expect(stoppedAt.every((d) => d < done)).toBe(true);
          // Wake the background (an extension page asking it something), then wait for the log to settle.
          await s.inExtension(`${API} return await api.runtime.sendMessage({ type: 'region:state' });`);
          let last = -1;
          const logged = await waitFor(
            async () => {
              const now = (await s.inExtension<number>(LOGGED('pbs.twimg.com'))) - before;
              const stable = now === last;
              last = now;
              return stable && now >= done - Math.ceil(done / 100) ? now : -1;
            },
            (n) => n >= 0,
            20_000,
            'the log to settle',
          ).catch(() => last);
          console.log(`${browserName}: the background stopped ${stoppedAt.length} times, after ${stoppedAt.join(', ')} loads; the page completed ${done} loads, the log holds ${logged}`);
          expect(Math.abs(done - logged)).toBeLessThanOrEqual(Math.ceil(done / 100));
          await page.close();
        });
      });
    });

    describe('bad dataset imports', () => {
      const storedImport = () => s.inExtension<number>(`${API} const all = await api.storage.local.get(null); return Object.keys(all).filter((k) => /dataset/i.test(k)).map((k) => JSON.stringify(all[k]).length).reduce((a, b) => a + b, 0);`);

      it.each([
        ['invalid JSON', 'broken.json', JSON.stringify('{"schema": "banlens.dataset/1", "platforms": ['), /not valid JSON/],
        ['a schema violation', 'wrong.json', JSON.stringify(JSON.stringify({ ...dataset, schema: 'banlens.dataset/0', platforms: 'none' })), /nothing changed: .*(schema|platforms)/],
        ['a 50 MB file', 'huge.json', `'{"pad":"' + 'x'.repeat(50 * 1024 * 1024) + '"}'`, /larger than 10 MB/],
      ])('%s gets a clear error, and nothing changes', { timeout: 90_000 }, async (_what, name, body, error) => {
        const before = await storedImport();
        const options = await s.extensionPage('/options.html');
        const text = () => options.evaluate<string>('document.body.innerText');
        await waitFor(text, (t) => t.includes(dataset.version), 10_000, 'dataset version');
        await importFile(options, name, body);
        const shown = await waitFor(text, (t) => t.includes('nothing changed'), 30_000, 'import error');
        expect(shown).toMatch(error);
        expect(shown).toContain('bundled with the extension');
        expect(await storedImport()).toBe(before);
        await options.close();
        const url = server.url('/pages/embed-bluesky.html');
        const page = await s.open(url);
        expect(await waitFor(() => s.badge(url), (b) => b === '1', 10_000, 'badge from the bundled dataset')).toBe('1');
        await page.close();
      });

      it('script-like strings in an imported dataset render as text', async () => {
        const XSS = '<img src=x onerror="window.__pwned=1">';
        const hostile = {
          ...dataset,
          version: '2099.2.2',
          restrictions: dataset.restrictions.map((r) => (r.platform === 'bluesky' && r.region === 'PK' && r.end === null ? { ...r, summary: { ...r.summary, en: XSS }, reason: { ...r.reason, en: `${XSS} reason` }, authority: { ...r.authority, en: "<script>window.__pwned=2</script> authority" } } : r)),
        };
        const options = await s.extensionPage('/options.html');
        const text = () => options.evaluate<string>('document.body.innerText');
        await waitFor(text, (t) => t.includes(dataset.version), 10_000, 'dataset version');
        await importFile(options, 'hostile.json', JSON.stringify(JSON.stringify(hostile)));
        await waitFor(text, (t) => t.includes('Imported dataset 2099.2.2'), 15_000, 'import ok');
        await s.detectorRegistered('none');
        const url = server.url('/pages/embed-bluesky.html');
        const page = await s.open(url);
        await waitFor(() => s.badge(url), (b) => b === '1', 10_000, 'badge');
        const tabId = await s.tabIdOf(url);
        const popup = await s.extensionPage(`/popup.html?tabId=${tabId}`);
        // The popup lists each platform as a row; its details render when the row is opened.
        await waitFor(() => popup.evaluate<number>('document.querySelectorAll("details.record[data-platform] > summary").length'), (n) => n > 0, 10_000, 'popup rows');
        await popup.evaluate('(() => { for (const s of document.querySelectorAll("details.record[data-platform] > summary")) s.click(); return true; })()');
        const shown = await waitFor(() => popup.evaluate<string>('document.body.innerText'), (t) => t.includes('authority'), 10_000, 'popup text');
        expect(shown).toContain(`${XSS} reason`);
        expect(shown).toContain('<script>window.__pwned=2</script> authority');
        expect(await popup.evaluate<number>(`document.querySelectorAll('img[src="x"], body script').length`)).toBe(0);
        expect(await popup.evaluate<unknown>('window.__pwned ?? null')).toBe(null);
        const browse = await s.extensionPage('/browse.html');
        const listed = await waitFor(() => browse.evaluate<string>('document.body.innerText'), (t) => t.length > 200, 10_000, 'browse page');
        expect(await browse.evaluate<number>(`document.querySelectorAll('img[src="x"], body script').length`)).toBe(0);
        expect(await browse.evaluate<unknown>('window.__pwned ?? null')).toBe(null);
        expect(listed).not.toContain('onerror=undefined');
        await browse.close();
        await popup.close();
        expect(await page.evaluate<unknown>('window.__pwned ?? null')).toBe(null);
        await page.close();
        await options.evaluate<boolean>(`(() => { [...document.querySelectorAll('button')].find((b) => b.textContent.includes('bundled dataset')).click(); return true; })()`);
        await waitFor(text, (t) => t.includes('bundled with the extension'), 10_000, 'back to bundled');
        await s.detectorRegistered(['bluesky']);
        await options.close();
      });
    });
  });
}

for (const browserName of BROWSERS) {
  describe(`hardening, ${browserName}: a browser restart`, () => {
    // Firefox installs the extension permanently into the profile for this (harness.ts launchFirefox).
    const launch = (profileDir: string) => (browserName === 'chromium' ? launchChromium({ ext: extensionDir('chromium'), tz: TZ, port: server.port, profileDir }) : launchFirefox({ ext: extensionDir('firefox'), tz: TZ, profileDir }));
    it('settings, the dataset choice and the log persist across a close and relaunch with the same profile', { timeout: 150_000 }, async () => {
      const profileDir = mkdtempSync(join(tmpdir(), 'banlens-restart-'));
      try {
        let s = await launch(profileDir);
        const settings = { regions: ['PK', 'CN'], language: 'en', notices: { mutedPlatforms: ['youtube'], showLifted: true }, log: { retentionDays: 30 } };
        await s.inExtension(`${API} await api.storage.local.set({ settings: ${JSON.stringify(settings)} }); return true;`);
        let options = await s.extensionPage('/options.html');
        const newer = { ...dataset, version: '2099.3.3' };
        await importFile(options, 'newer.json', JSON.stringify(JSON.stringify(newer)));
        await waitFor(() => options.evaluate<string>('document.body.innerText'), (t) => t.includes('Imported dataset 2099.3.3'), 15_000, 'import ok');
        await options.close();
        const page = await s.open(`https://${SITE}/burst.html?restart`);
        await waitFor(() => page.evaluate<number>('window.done'), (d) => d >= BURST, 60_000, 'the burst');
        await page.close();
        let last = -1;
        const logged = await waitFor(
          async () => {
            const now = await s.inExtension<number>(LOGGED('*'));
            const stable = now === last && now >= BURST;
            last = now;
            return stable ? now : -1;
          },
          (n) => n >= 0,
          30_000,
          'the log flushed to IndexedDB',
        );
        const storedBefore = await s.inExtension<unknown>(`${API} return (await api.storage.local.get('settings')).settings;`);
        await s.close();

        s = await launch(profileDir);
        expect(await s.inExtension<unknown>(`${API} return (await api.storage.local.get('settings')).settings;`)).toEqual(storedBefore);
        expect(storedBefore).toMatchObject(settings);
        options = await s.extensionPage('/options.html');
        const text = await waitFor(() => options.evaluate<string>('document.body.innerText'), (t) => t.includes('2099.3.3'), 10_000, 'the imported dataset after restart');
        expect(text).not.toContain('bundled with the extension');
        const region = await s.inExtension<{ region: { regions: string[] } }>(`${API} return await api.runtime.sendMessage({ type: 'region:state' });`);
        expect(region.region.regions).toEqual(['PK', 'CN']);
        expect(await s.inExtension<number>(LOGGED('*'))).toBe(logged);
        await s.close();
      } finally {
        rmSync(profileDir, { recursive: true, force: true });
      }
    });
  });
}

/**
 * Fills the extension origin's storage with incompressible data in a database of its own, in chunks of
 * 64 KB, then 4 KB and 256 bytes, each size until the browser refuses it, so that almost nothing is left
 * (Firefox keeps larger values in files of their own and counts them against the quota only later). Returns the bytes written and the name of the error that refused the last chunk.
 */
const FILL_STORAGE = `
  const db = await new Promise((ok, fail) => { const r = indexedDB.open('banlens-test-filler', 1); r.onupgradeneeded = () => r.result.createObjectStore('x'); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
  const chunk = (n) => { const b = new Uint8Array(n); for (let i = 0; i < n; i += 65536) crypto.getRandomValues(b.subarray(i, Math.min(n, i + 65536))); return b; };
  const put = (value, key) => new Promise((ok) => {
    let tx, req;
    try {
      tx = db.transaction('x', 'readwrite');
      req = tx.objectStore('x').put(value, key);
    } catch (e) {
      ok(e.name);
      return;
    }
    req.onerror = (e) => { e.preventDefault(); };
    tx.oncomplete = () => ok(null);
    tx.onabort = () => ok((tx.error ?? req.error)?.name ?? 'AbortError');
  });
  let bytes = 0, key = 0, refused = null;
  for (const size of [1 << 16, 1 << 12, 1 << 8]) {
    for (let i = 0; i < 400; i++) {
      const error = await put(chunk(size), key++);
      if (error) { refused = error; break; }
      bytes += size;
    }
  }
  db.close();
  return { bytes, refused };`;
const FREE_STORAGE = `await new Promise((ok, fail) => { const r = indexedDB.deleteDatabase('banlens-test-filler'); r.onsuccess = ok; r.onerror = () => fail(r.error); r.onblocked = ok; }); return true;`;

for (const browserName of BROWSERS) {
  describe(`hardening, ${browserName}: the browser's storage runs out`, () => {
    // Chromium: the origin's quota is set (CDP) a little above what it uses. Firefox: a 50 MB storage limit,
    // which gives each site group Firefox's floor of 10 MB.
    it('pages are still labelled, every observation is logged or counted as not saved, the dashboard says so, and logging resumes once there is room', { timeout: 180_000 }, async () => {
      const s = browserName === 'chromium' ? await launchChromium({ ext: extensionDir('chromium'), tz: TZ, port: server.port }) : await launchFirefox({ ext: extensionDir('firefox'), tz: TZ, extraPrefs: { 'dom.quotaManager.temporaryStorage.fixedLimit': 50 * 1024 } });
      const burst = async (tag: string) => {
        const page = await s.open(`https://${SITE}/burst.html?${tag}`);
        await waitFor(() => page.evaluate<number>('window.done'), (d) => d >= BURST, 60_000, `the ${tag} burst`);
        await page.close();
      };
      // What the dashboard reads (utils/storage.ts readLogLoss): this session's tally, else the one kept in storage.local.
      const loss = () =>
        s.inExtension<{ lostObservations: number; prunedRecords: number; quota: boolean } | null>(
          `${API} const now = (await api.storage.session.get('logLoss')).logLoss; const kept = (await api.storage.local.get('logLoss')).logLoss; return now === 'ok' ? null : (now ?? kept ?? null);`,
        );
      /** The log's count for X's CDN plus what was counted as not saved, once unchanged for 3 s (flushes are a second apart). */
      const settledLog = async () => {
        let last = -1;
        let since = Date.now();
        return waitFor(
          async () => {
            const now = (await s.inExtension<number>(LOGGED('pbs.twimg.com'))) + ((await loss())?.lostObservations ?? 0);
            if (now !== last) [last, since] = [now, Date.now()];
            return Date.now() - since >= 3000 ? now : -1;
          },
          (n) => n >= 0,
          40_000,
          'the log to settle',
        );
      };
      try {
        await s.inExtension(`${API} return await api.runtime.sendMessage({ type: 'region:state' });`);
        await s.detectorRegistered(['bluesky']);
        if (s.cdp) {
          const cdp = await s.cdp();
          const origin = await s.inExtension<string>(`${API} return new URL(api.runtime.getURL('/')).origin;`);
          const { usage } = (await cdp.send('Storage.getUsageAndQuota', { origin })) as { usage: number };
          await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: usage + 4 * 1024 * 1024 });
        }
        const filled = await s.inExtension<{ bytes: number; refused: string | null }>(FILL_STORAGE);
        console.log(`${browserName}: the storage took ${filled.bytes} bytes more, then refused with ${filled.refused}`);
        expect(filled.refused).toMatch(/QuotaExceededError|NS_ERROR_DOM_QUOTA_REACHED/);

        // Out of room: 300 loads from X's CDN, each reset.
        await burst('full');
        await settledLog();
        const out = await loss();
        const logged = await s.inExtension<number>(LOGGED('pbs.twimg.com'));
        console.log(`${browserName}: out of room, the log holds ${logged}; not saved ${JSON.stringify(out)}`);
        expect(out).toMatchObject({ quota: true });
        expect(out!.lostObservations).toBeGreaterThan(0);
        // Nothing is counted twice. And unless a prune made room (deleting records, with what they counted),
        // nothing vanishes unsaid: every load is in the log or in the count of what was not saved.
        expect(logged + out!.lostObservations).toBeLessThanOrEqual(BURST + Math.ceil(BURST / 100));
        if (out!.prunedRecords === 0) expect(logged + out!.lostObservations).toBeGreaterThanOrEqual(BURST - Math.ceil(BURST / 100));

        // Detection does not depend on the log.
        const url = server.url('/pages/embed-bluesky.html');
        const page = await s.open(url);
        expect(await waitFor(() => s.badge(url), (b) => b === '1', 10_000, 'the badge')).toBe('1');
        expect(await waitFor(() => page.notices(), (n) => n.includes('bluesky'), 10_000, 'the notice')).toContain('bluesky');
        await page.close();

        // The dashboard tells, until OK. The embed page's own loads were not saved either; once their count
        // has settled, an OK is not followed at once by a new loss (which rightly shows the warning again).
        await settledLog();
        const dash = await s.extensionPage('/dashboard.html');
        const warning = () => dash.evaluate<string>(`document.querySelector('[data-log-loss]')?.textContent ?? ''`);
        const shown = await waitFor(async () => ({ text: await warning(), lost: (await loss())?.lostObservations ?? 0 }), ({ text, lost }) => text.includes(`observations not saved: ${new Intl.NumberFormat('en').format(lost)};`), 10_000, 'the storage warning with the current count');
        expect(shown.lost).toBeGreaterThanOrEqual(out!.lostObservations);
        expect(shown.text).toContain('ran out');
        expect(await dash.evaluate<string>(`document.querySelector('[data-log-loss]').getAttribute('role')`)).toBe('alert');
        await dash.evaluate<boolean>(`(() => { document.querySelector('[data-log-loss] button').click(); return true; })()`);
        await waitFor(() => dash.evaluate<number>(`document.querySelectorAll('[data-log-loss]').length`), (n) => n === 0, 5000, 'the warning dismissed');
        expect(await loss()).toBeNull();
        await dash.close();

        // Room again: the next burst is logged whole, and nothing is counted as lost.
        await s.inExtension(FREE_STORAGE);
        const before = await s.inExtension<number>(LOGGED('pbs.twimg.com'));
        await burst('room');
        const after = (await settledLog()) - before;
        console.log(`${browserName}: with room again the log took ${after} of ${BURST}`);
        expect(Math.abs(after - BURST)).toBeLessThanOrEqual(Math.ceil(BURST / 100));
        expect(await loss()).toBeNull();
      } finally {
        await s.close();
      }
    });
  });
}
