/**
 * Real-browser harness for the detection and notice tests. One HTTPS server on loopback answers for every
 * host name: fixture pages for the fixture site and for hosts that stand in for a platform's own page, and a
 * TCP reset for any other platform host (which is what a censored embed looks like from inside the page).
 *
 *   Chromium: --host-resolver-rules "MAP * 127.0.0.1:PORT" and ignoreHTTPSErrors
 *   Firefox:  network.dns.forceResolve=127.0.0.1 (so the server must hold port 443) and acceptInsecureCerts
 *
 * Both browsers are driven through the same small Session interface.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const PAGES_DIR = join(ROOT, 'tests/fixtures/pages');
export const SITE = 'news.banlens.test';
export const FRAMES_SITE = 'frames.banlens.test';
export const ARTIFACTS = join(ROOT, 'artifacts');
const FIREFOX_UUID = '5f0e1c57-0b1d-4c4e-9d3a-6b9c2e7a1b42';
const GECKO_ID = 'banlens@banlens.org';

/** Hosts that serve a platform-page fixture, as if the user reached the platform itself. */
export const PLATFORM_PAGES: Record<string, string> = {
  'x.com': 'platform-x.html',
  'bsky.app': 'platform-bluesky.html',
  'www.youtube.com': 'platform-youtube.html',
  'web.whatsapp.com': 'platform-whatsapp.html',
  'signal.org': 'platform-signal.html',
  'www.snapchat.com': 'platform-snapchat.html',
  'www.messenger.com': 'platform-messenger.html',
  'www.viber.com': 'platform-viber.html',
};

function makeCert(dir: string): { key: Buffer; cert: Buffer } {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=banlens e2e', '-addext', `subjectAltName=DNS:${SITE},DNS:${FRAMES_SITE},DNS:${UPDATES_SITE},${Object.keys(PLATFORM_PAGES).map((h) => `DNS:${h}`).join(',')}`], { stdio: 'ignore' });
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

function withTimeout<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  return Promise.race([p.catch(() => fallback), new Promise<T>((r) => setTimeout(() => r(fallback), ms))]);
}

interface EvaluatingFrame {
  $$eval<R>(selector: string, fn: (els: Element[]) => R): Promise<R>;
}

/**
 * Platform ids of notices in every frame, open shadow roots included (Playwright's CSS pierces them by
 * itself; puppeteer needs its `pierce/` handler).
 */
async function noticesInFrames(frames: readonly EvaluatingFrame[], selector: string): Promise<string[]> {
  const all: string[] = [];
  // A lazy iframe that never loaded has no execution context, and evaluating in it waits forever.
  for (const f of frames) all.push(...(await withTimeout(f.$$eval(selector, (els) => els.map((e) => (e as HTMLElement).dataset.platform ?? '')), 1500, [] as string[])));
  return all.sort();
}

/** A dataset update channel (tests/e2e/dataset-update.e2e.ts): static files from `updatesDir`. */
export const UPDATES_SITE = 'updates.banlens.test';
let updatesDir: string | null = null;
const servesHost = (host: string) => host === SITE || host === FRAMES_SITE || host in PLATFORM_PAGES || (host === UPDATES_SITE && updatesDir !== null);

/** The server name of a TLS ClientHello (RFC 8446 §4.1.2, RFC 6066 §3), or null. */
export function sniOf(record: Buffer): string | null {
  try {
    if (record[0] !== 0x16 || record[5] !== 0x01) return null;
    let at = 5 + 4 + 2 + 32; // record header, handshake header, version, random
    at += 1 + record[at]!; // session id
    at += 2 + record.readUInt16BE(at); // cipher suites
    at += 1 + record[at]!; // compression methods
    const end = at + 2 + record.readUInt16BE(at);
    at += 2;
    while (at + 4 <= end) {
      const type = record.readUInt16BE(at);
      const len = record.readUInt16BE(at + 2);
      if (type === 0) {
        const nameLen = record.readUInt16BE(at + 7);
        return record.subarray(at + 9, at + 9 + nameLen).toString('ascii').toLowerCase();
      }
      at += 4 + len;
    }
  } catch {
    // a truncated hello: let TLS deal with it
  }
  return null;
}

export interface FixtureServer {
  port: number;
  url(path: string, host?: string): string;
  /**
   * Everything that reached the update channel's host, in order: `tls` for each connection whose ClientHello
   * named it (so a request that failed its handshake still counts), then the path of each HTTP request.
   */
  updateTraffic: string[];
  /**
   * True (the default): every host the fixtures do not serve is reset, as a censor would. False: every such
   * host answers 200 with an empty body (a 1×1 GIF for images), as for a user where nothing is blocked (the bench's Oslo user).
   */
  censor: boolean;
  close(): Promise<void>;
}

const EMPTY_GIF = Buffer.from('R0lGODlhAQABAAAAACwAAAAAAQABAAA=', 'base64');

export async function startFixtureServer(port = 443, extraPages: Record<string, string> = {}, channelDir: string | null = null): Promise<FixtureServer> {
  updatesDir = channelDir;
  const updateTraffic: string[] = [];
  const state = { censor: true };
  const dir = mkdtempSync(join(tmpdir(), 'banlens-e2e-'));
  const { key, cert } = makeCert(dir);
  const server = https.createServer({ key, cert }, (req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    const platformPage = PLATFORM_PAGES[host];
    const extra = host === SITE ? extraPages[path] : undefined;
    if (extra !== undefined) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(extra);
      return;
    }
    if (host === UPDATES_SITE && updatesDir) {
      updateTraffic.push(path);
      const name = path.replace(/^\/v1\//, '');
      const served = /^[a-z0-9.-]+$/.test(name) ? join(updatesDir, name) : '';
      if (served && existsSync(served)) {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'cache-control': 'no-store' });
        res.end(readFileSync(served));
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
      }
      return;
    }
    let file: string | null = null;
    if (platformPage && path === '/') file = platformPage;
    else if ((host === SITE || host === FRAMES_SITE) && path.startsWith('/pages/')) file = path.slice('/pages/'.length);
    if (file && /^[a-z0-9-]+\.html$/.test(file) && existsSync(join(PAGES_DIR, file))) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(readFileSync(join(PAGES_DIR, file)));
      return;
    }
    if (host === SITE || host === FRAMES_SITE) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    if (!state.censor) {
      const image = /\.(jpe?g|png|gif|webp)$/.test(path);
      res.writeHead(200, { 'content-type': image ? 'image/gif' : path.endsWith('.js') ? 'text/javascript' : 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(image ? EMPTY_GIF : '');
      return;
    }
    // Any other host is a platform host (or an unknown one): drop the connection as a censor would.
    req.socket.destroy();
  });
  server.on('tlsClientError', () => {});
  // A censor's reset: the TLS ClientHello names a platform host, so the connection gets a TCP RST before
  // any handshake. Both browsers report that at once (a reset after the handshake makes Firefox retry).
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const backend = (server.address() as AddressInfo).port;
  const front = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', (hello) => {
      const host = sniOf(hello);
      if (host === UPDATES_SITE) updateTraffic.push('tls');
      if (host && state.censor && !servesHost(host)) {
        socket.resetAndDestroy();
        return;
      }
      const upstream = net.connect(backend, '127.0.0.1', () => {
        upstream.write(hello);
        socket.pipe(upstream).pipe(socket);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('close', () => upstream.destroy());
    });
  });
  await new Promise<void>((ok, fail) => {
    front.once('error', fail);
    front.listen(port, '127.0.0.1', () => ok());
  });
  const actual = (front.address() as AddressInfo).port;
  return {
    port: actual,
    url: (path, host = SITE) => `https://${host}/${path.replace(/^\//, '')}`,
    updateTraffic,
    get censor() {
      return state.censor;
    },
    set censor(on: boolean) {
      state.censor = on;
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        front.close();
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          ok();
        });
      }),
  };
}

export interface PageHandle {
  url(): string;
  /** Chromium only: CDP performance metrics of the page (ScriptDuration, JSHeapUsedSize, …). */
  metrics?(): Promise<Record<string, number>>;
  /** Chromium only: the accessible names of notes and regions, read from the accessibility tree (which sees into closed shadow roots). */
  accessibleNotices?(): Promise<string[]>;
  /** Chromium only: clicks the button with this accessible name and returns the downloaded file's text. */
  download?(buttonName: string): Promise<{ name: string; text: string }>;
  /** Moves keyboard focus with Tab and presses Enter on the focused control. */
  keyboard(keys: string[]): Promise<void>;
  /** Platform ids of `banlens-notice` elements in the page and all its frames. */
  notices(): Promise<string[]>;
  screenshot(file: string): Promise<void>;
  evaluate<T>(fn: string): Promise<T>;
  /**
   * Chromium only: computed styles of the first element with this class inside any notice's closed shadow
   * root (CDP's DOM tree pierces closed roots; page scripts cannot).
   */
  noticeStyle?(className: string): Promise<Record<string, string> | null>;
  close(): Promise<void>;
}

export interface Session {
  browser: 'chromium' | 'firefox';
  open(url: string): Promise<PageHandle>;
  /** Runs an async function body in an extension page where `api` is the extension API. */
  inExtension<T>(body: string, page?: string): Promise<T>;
  extensionPage(path: string): Promise<PageHandle>;
  tabIdOf(url: string): Promise<number>;
  badge(url: string): Promise<string>;
  /** The system colour scheme pages see from now on (Chromium: emulated per page; Firefox: the content preference). */
  colorScheme(scheme: 'light' | 'dark'): Promise<void>;
  /**
   * Waits until the extension's dynamic content script `id` is registered (`scripting.getRegisteredContentScripts`)
   * and its `js` (leading slashes removed) passes `accept`, so a registration being replaced after a settings
   * or dataset change is waited out too; returns that `js`. A page opened before then may get no such script.
   */
  scriptRegistered(id: string, accept?: (js: string[]) => boolean, timeoutMs?: number): Promise<string[]>;
  /**
   * `scriptRegistered` for the detector (`banlens-detector`). `baked`: the bundled dataset's registration,
   * listing the signature file of each of these platforms; `'none'`: an imported dataset's, with none.
   */
  detectorRegistered(baked?: readonly string[] | 'none', timeoutMs?: number): Promise<string[]>;
  /**
   * The extension's background as the browser reports it: `running`, `stopped`, or a state in between
   * (Chromium: the service worker's running status over CDP; Firefox: the event page's `backgroundState`).
   */
  backgroundState(): Promise<string>;
  /**
   * Stops the extension's background in the middle of whatever it is doing; an event wakes it again.
   * Chromium: CDP `ServiceWorker.stopAllWorkers`. Firefox: the event page's `terminateBackground`, as
   * about:debugging's "Terminate background script" calls it, which (like Firefox's idle timer) declines
   * while events the parent dispatched have not yet run in the page and then forgets them, so the next try
   * 50 ms later stops it (Firefox's own timer waits its whole idle timeout). Forcing it past that check
   * (`disableResetIdleForTest`) kills the page with dispatched events unrun, which no real suspension does:
   * then even a bare extension loses some. True once the browser reports the background stopped; false if
   * it was not running or did not stop.
   */
  stopBackground(): Promise<boolean>;
  /** Chromium only: a CDP session attached to an extension page (for `ServiceWorker.*`). */
  // biome-ignore lint/suspicious/noExplicitAny: CDP event payloads are untyped here; each listener declares the shape it reads.
  cdp?(): Promise<{ send(method: string, params?: object): Promise<unknown>; on(event: string, listener: (params: any) => void): unknown }>;
  /** Chromium only: evaluates an expression in the extension's running service worker (the bench reads its performance marks). */
  workerEval?<T>(expression: string): Promise<T>;
  close(): Promise<void>;
}

const API = 'const api = globalThis.browser ?? globalThis.chrome;';

const URDU_FONT = '/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf';
/** Han glyphs for the Chinese screenshots: Debian's fonts-noto-core has none (fonts-noto-cjk does). Bengali and Burmese are in fonts-noto-core. */
const CJK_FONT = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';

export function ensureBrowsers(): void {
  // Noto supplies the Urdu (Naskh/Nastaliq) glyphs the screenshots need; Debian's default fonts lack some.
  if (existsSync('/usr/bin/chromium') && existsSync('/usr/bin/firefox-esr') && existsSync(URDU_FONT) && existsSync(CJK_FONT)) return;
  execFileSync('bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium firefox-esr fonts-noto-core fonts-noto-cjk >/dev/null'], { stdio: 'inherit' });
}

export async function waitFor<T>(probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < until) {
    try {
      last = await probe();
      if (ok(last)) return last;
    } catch {
      // the page may be navigating
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
}

function sessionHelpers(s: Omit<Session, 'tabIdOf' | 'badge' | 'inExtension' | 'colorScheme' | 'cdp' | 'scriptRegistered' | 'detectorRegistered' | 'workerEval'> & { colorScheme(scheme: 'light' | 'dark'): Promise<void>; cdp?: Session['cdp']; workerEval?: Session['workerEval'] } & { rawEval: <T>(page: PageHandle, body: string) => Promise<T> }): Session {
  let helper: PageHandle | undefined;
  const inExtension = async <T,>(body: string, page = '/options.html'): Promise<T> => {
    helper ??= await s.extensionPage(page);
    return s.rawEval<T>(helper, body);
  };
  const tabIdOf = async (url: string) =>
    waitFor(() => inExtension<number>(`${API} const tabs = await api.tabs.query({}); const t = tabs.find((t) => t.url === ${JSON.stringify(url)} || t.pendingUrl === ${JSON.stringify(url)}); return t ? t.id : -1;`), (id) => id >= 0, 10_000, `tab ${url}`);
  const scriptRegistered = (id: string, accept: (js: string[]) => boolean = () => true, timeoutMs = 15_000) =>
    waitFor(
      () => inExtension<string[] | null>(`${API} const [r] = await api.scripting.getRegisteredContentScripts({ ids: [${JSON.stringify(id)}] }); return r ? (r.js ?? []).map((f) => f.replace(/^\\//, '')) : null;`),
      (js) => js !== null && accept(js),
      timeoutMs,
      `content script ${id} registered`,
    ) as Promise<string[]>;
  return {
    browser: s.browser,
    colorScheme: s.colorScheme,
    backgroundState: s.backgroundState,
    stopBackground: s.stopBackground,
    scriptRegistered,
    detectorRegistered: (baked = [], timeoutMs = 15_000) =>
      scriptRegistered('banlens-detector', (js) => (baked === 'none' ? !js.some((f) => f.startsWith('signatures/')) : baked.every((p) => js.includes(`signatures/${p}.js`))), timeoutMs),
    ...(s.cdp ? { cdp: s.cdp } : {}),
    ...(s.workerEval ? { workerEval: s.workerEval } : {}),
    open: s.open,
    extensionPage: s.extensionPage,
    close: async () => {
      await helper?.close().catch(() => {});
      await s.close();
    },
    inExtension,
    tabIdOf,
    badge: async (url) => {
      const tabId = await tabIdOf(url);
      return inExtension<string>(`${API} return await api.action.getBadgeText({ tabId: ${tabId} });`);
    },
  };
}

export interface LaunchOptions {
  ext: string;
  tz: string;
  /** Other extensions to load beside ours (the lab's decoy blocker). */
  extraExts?: string[];
  /** Chromium: the fixture server's port, mapped for every host; or `resolverArgs` from the censorship lab instead. */
  port?: number;
  resolverArgs?: string[];
  /** Firefox: the lab's wrapper (a private mount namespace) and prefs. */
  executablePath?: string;
  prefs?: Record<string, unknown>;
  /**
   * A profile folder to use and keep (a restart relaunches with the same one); by default a fresh one,
   * removed on close. Firefox installs the extension into it permanently, once (a temporary add-on would
   * be gone after the restart), which needs `xpinstall.signatures.required` off (ESR honours it).
   */
  profileDir?: string;
  /** Firefox: prefs on top of the usual ones (`prefs` replaces the host mapping; these do not). */
  extraPrefs?: Record<string, unknown>;
}

export async function launchChromium(opts: LaunchOptions): Promise<Session> {
  const { chromium } = await import('playwright-core');
  const profile = opts.profileDir ?? mkdtempSync(join(tmpdir(), 'banlens-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    ignoreHTTPSErrors: !opts.resolverArgs,
    env: { ...process.env, TZ: opts.tz, LANGUAGE: 'en' },
    viewport: { width: 900, height: 900 },
    args: [
      ...(opts.ext ? [`--disable-extensions-except=${[opts.ext, ...(opts.extraExts ?? [])].join(',')}`, `--load-extension=${[opts.ext, ...(opts.extraExts ?? [])].join(',')}`] : []),
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(opts.resolverArgs ?? [`--host-resolver-rules=MAP * 127.0.0.1:${opts.port}, EXCLUDE localhost`]),
    ],
  });
  const ours = (w: { url(): string }) => w.url().endsWith('/background.js');
  const worker = opts.ext ? (ctx.serviceWorkers().find(ours) ?? (await ctx.waitForEvent('serviceworker', { predicate: ours }))) : null;
  const extId = worker ? new URL(worker.url()).host : '';
  const perf = new WeakMap<import('playwright-core').Page, import('playwright-core').CDPSession>();
  let scheme: 'light' | 'dark' = 'light';
  const wrap = (page: import('playwright-core').Page): PageHandle => ({
    url: () => page.url(),
    noticeStyle: async (className) => {
      type Node = { nodeId: number; nodeName: string; attributes?: string[]; children?: Node[]; shadowRoots?: Node[]; contentDocument?: Node };
      const cdp = await ctx.newCDPSession(page);
      try {
        await cdp.send('DOM.enable');
        await cdp.send('CSS.enable');
        const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: Node };
        const find = (n: Node, inNotice: boolean): Node | null => {
          const attrs = n.attributes ?? [];
          const cls = attrs[attrs.indexOf('class') + 1] ?? '';
          if (inNotice && attrs.includes('class') && cls.split(/\s+/).includes(className)) return n;
          const here = inNotice || n.nodeName.toLowerCase() === 'banlens-notice';
          for (const c of [...(n.shadowRoots ?? []), ...(n.children ?? []), ...(n.contentDocument ? [n.contentDocument] : [])]) {
            const f = find(c, here);
            if (f) return f;
          }
          return null;
        };
        const node = find(root, false);
        if (!node) return null;
        const { computedStyle } = (await cdp.send('CSS.getComputedStyleForNode', { nodeId: node.nodeId })) as { computedStyle: { name: string; value: string }[] };
        return Object.fromEntries(computedStyle.map((p) => [p.name, p.value]));
      } finally {
        await cdp.detach().catch(() => {});
      }
    },
    metrics: async () => {
      let cdp = perf.get(page);
      if (!cdp) {
        // A page not opened by open() (an extension page): metrics accumulate from now on.
        cdp = await ctx.newCDPSession(page);
        await cdp.send('Performance.enable');
        perf.set(page, cdp);
      }
      const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
      return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
    },
    accessibleNotices: async () => {
      const cdp = await ctx.newCDPSession(page);
      const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: { role?: { value: string }; name?: { value: string } }[] };
      await cdp.detach();
      return nodes.filter((n) => n.role?.value === 'note' || n.role?.value === 'region').map((n) => n.name?.value ?? '');
    },
    keyboard: async (keys) => {
      for (const k of keys) await page.keyboard.press(k);
    },
    download: async (buttonName) => {
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByRole('button', { name: buttonName, exact: true }).click()]);
      const chunks: Buffer[] = [];
      for await (const chunk of (await download.createReadStream())!) chunks.push(chunk as Buffer);
      return { name: download.suggestedFilename(), text: Buffer.concat(chunks).toString('utf8') };
    },
    notices: () => noticesInFrames(page.frames(), 'banlens-notice'),
    screenshot: async (file) => {
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, file), fullPage: false });
    },
    evaluate: (fn) => page.evaluate(fn),
    close: () => page.close(),
  });
  const pages = new WeakMap<PageHandle, import('playwright-core').Page>();
  /** Our worker's running status and how many times it stopped, from CDP (the worker belongs to the extension's origin, so an extension page's session sees it). */
  let sw: Promise<{ status: string; stops: number; cdp: import('playwright-core').CDPSession }> | undefined;
  const serviceWorker = () =>
    (sw ??= (async () => {
      const page = await ctx.newPage();
      await page.goto(`chrome-extension://${extId}/options.html`);
      const cdp = await ctx.newCDPSession(page);
      const w = { status: '', stops: 0, cdp };
      cdp.on('ServiceWorker.workerVersionUpdated', (e: { versions: { runningStatus: string; scriptURL: string }[] }) => {
        for (const v of e.versions) {
          if (!v.scriptURL.endsWith('/background.js')) continue;
          if (v.runningStatus === 'stopped' && w.status !== 'stopped') w.stops++;
          w.status = v.runningStatus;
        }
      });
      await cdp.send('ServiceWorker.enable');
      return w;
    })());
  return sessionHelpers({
    browser: 'chromium',
    colorScheme: async (next) => {
      scheme = next;
      await Promise.all(ctx.pages().map((p) => p.emulateMedia({ colorScheme: next }).catch(() => {})));
    },
    open: async (url) => {
      const page = await ctx.newPage();
      await page.emulateMedia({ colorScheme: scheme });
      // Metrics accumulate only while the Performance domain is on, so it starts before navigation.
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('Performance.enable');
      perf.set(page, cdp);
      if (process.env.BANLENS_CONSOLE) page.on('console', (m) => console.log('console:', m.text()));
      await page.goto(url, { waitUntil: 'load', timeout: 15_000 }).catch(() => {});
      const h = wrap(page);
      pages.set(h, page);
      return h;
    },
    extensionPage: async (path) => {
      const page = await ctx.newPage();
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`chrome-extension://${extId}${path}`);
      const h = wrap(page);
      pages.set(h, page);
      return h;
    },
    rawEval: async <T,>(h: PageHandle, body: string) => pages.get(h)!.evaluate(`(async () => { ${body} })()`) as Promise<T>,
    backgroundState: async () => {
      const w = await serviceWorker();
      return waitFor(async () => w.status, (st) => st !== '', 5000, 'the worker status');
    },
    stopBackground: async () => {
      const w = await serviceWorker();
      if (w.status === 'stopped') return false;
      const seen = w.stops;
      await w.cdp.send('ServiceWorker.stopAllWorkers');
      return waitFor(async () => w.stops, (n) => n > seen, 10_000, 'our worker reported stopped').then(
        () => true,
        () => false,
      );
    },
    workerEval: async <T,>(expression: string) => {
      // After a stop the browser starts a new worker; the one listed is the running one.
      const running = ctx.serviceWorkers().find(ours) ?? (await ctx.waitForEvent('serviceworker', { predicate: ours, timeout: 10_000 }));
      return running.evaluate(expression) as Promise<T>;
    },
    cdp: async () => {
      // The extension's worker belongs to the extension's origin: drive it from an extension page's session.
      const page = await ctx.newPage();
      await page.goto(`chrome-extension://${extId}/options.html`);
      return ctx.newCDPSession(page);
    },
    close: async () => {
      await ctx.close();
      if (!opts.profileDir) rmSync(profile, { recursive: true, force: true });
    },
  });
}

export async function launchFirefox(opts: LaunchOptions): Promise<Session> {
  const puppeteer = (await import('puppeteer-core')).default;
  const browser = await puppeteer.launch({
    browser: 'firefox',
    ...(opts.profileDir ? { userDataDir: opts.profileDir } : {}),
    executablePath: opts.executablePath ?? '/usr/bin/firefox-esr',
    headless: true,
    acceptInsecureCerts: !opts.prefs,
    // WebDriver BiDi refuses to navigate to moz-extension: URLs; with system access the harness opens
    // extension pages from the browser window instead, as a user clicking the toolbar would.
    args: ['--remote-allow-system-access'],
    env: { ...process.env, TZ: opts.tz },
    defaultViewport: { width: 900, height: 900 },
    extraPrefsFirefox: {
      ...(opts.prefs ?? { 'network.dns.forceResolve': '127.0.0.1' }),
      'network.trr.mode': 5,
      'network.proxy.type': 0,
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIREFOX_UUID }),
      'network.stricttransportsecurity.preloadlist': false,
      'dom.security.https_first': false,
      'browser.safebrowsing.malware.enabled': false,
      'browser.safebrowsing.phishing.enabled': false,
      ...(opts.profileDir ? { 'xpinstall.signatures.required': false } : {}),
      ...opts.extraPrefs,
    },
  });
  // An empty ext is the same browser without the extension (the bench's baseline).
  // biome-ignore lint/suspicious/noExplicitAny: WebDriver BiDi answers are untyped JSON; each call below reads its own shape.
  const bidi = (browser as unknown as { connection: { send(method: string, params: object): Promise<{ result: any }> } }).connection;
  if (opts.ext && opts.profileDir) {
    // A permanent install lives in the profile as extensions/<id>.xpi; a relaunch finds it there.
    if (!existsSync(join(opts.profileDir, 'extensions', `${GECKO_ID}.xpi`))) {
      const xpi = join(mkdtempSync(join(tmpdir(), 'banlens-xpi-')), 'banlens.xpi');
      execFileSync('zip', ['-q', '-r', '-X', xpi, '.'], { cwd: opts.ext });
      await bidi.send('webExtension.install', { extensionData: { type: 'archivePath', path: xpi }, 'moz:permanent': true });
      rmSync(dirname(xpi), { recursive: true, force: true });
    }
  } else if (opts.ext) await browser.installExtension(opts.ext);
  for (const extra of opts.extraExts ?? []) await browser.installExtension(extra);
  /** Runs an async function body in the browser's own chrome window (system access), for what no WebExtension API offers. */
  const inChrome = async <T,>(body: string): Promise<T> => {
    const chrome = (await bidi.send('browsingContext.getTree', { 'moz:scope': 'chrome' })).result.contexts[0].context as string;
    const r = await bidi.send('script.evaluate', { expression: `(async () => JSON.stringify(await (async () => { ${body} })() ?? null))()`, target: { context: chrome }, awaitPromise: true });
    if (r.result.type !== 'success') throw new Error(`chrome evaluation failed: ${JSON.stringify(r.result.exceptionDetails?.text ?? r.result)}`);
    return JSON.parse(r.result.result.value as string) as T;
  };
  const ourExtension = `WebExtensionPolicy.getByID(${JSON.stringify(GECKO_ID)}).extension`;
  const wrap = (page: import('puppeteer-core').Page): PageHandle => ({
    url: () => page.url(),
    keyboard: async (keys) => {
      for (const k of keys) await page.keyboard.press(k as import('puppeteer-core').KeyInput);
    },
    notices: () => noticesInFrames(page.frames(), 'pierce/banlens-notice'),
    screenshot: async (file) => {
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, file) as `${string}.png` });
    },
    evaluate: (fn) => page.evaluate(fn) as never,
    close: () => page.close(),
  });
  const rawEvaluate = async <T,>(context: string, body: string): Promise<T> => {
    const r = await bidi.send('script.evaluate', { expression: `(async () => JSON.stringify(await (async () => { ${body} })()))()`, target: { context }, awaitPromise: true });
    if (r.result.type !== 'success') throw new Error(`evaluation failed: ${JSON.stringify(r.result.exceptionDetails?.text ?? r.result)}`);
    const v = r.result.result.value as string | undefined;
    return (v === undefined ? undefined : JSON.parse(v)) as T;
  };
  const rawPage = (context: string, url: string): PageHandle => ({
    url: () => url,
    keyboard: async () => {
      throw new Error('keyboard is not wired for extension pages');
    },
    notices: async () => [],
    screenshot: async (file) => {
      mkdirSync(ARTIFACTS, { recursive: true });
      const shot = await bidi.send('browsingContext.captureScreenshot', { context, origin: 'document' });
      writeFileSync(join(ARTIFACTS, file), Buffer.from(shot.result.data, 'base64'));
    },
    evaluate: <T,>(fn: string) => rawEvaluate<T>(context, `return (${fn});`),
    close: async () => {
      await bidi.send('browsingContext.close', { context }).catch(() => {});
    },
  });
  const contexts = new WeakMap<PageHandle, string>();
  const pages = new WeakMap<PageHandle, import('puppeteer-core').Page>();
  return sessionHelpers({
    browser: 'firefox',
    backgroundState: () => inChrome<string>(`return ${ourExtension}.backgroundState;`),
    stopBackground: () =>
      inChrome<boolean>(`
        const ext = ${ourExtension};
        if (ext.backgroundState !== 'running') return false;
        let stopped = false;
        const onStop = () => { stopped = true; };
        ext.on('shutdown-background-script', onStop);
        try {
          // What about:debugging's "Terminate background script" calls. It declines while a listener's promise
          // is pending (and forgets those promises, as Firefox's idle timer does), so a few tries.
          for (let i = 0; i < 20 && !stopped && ext.backgroundState === 'running'; i++) {
            await ext.terminateBackground({ ignoreDevToolsAttached: true });
            if (!stopped) await new Promise((r) => setTimeout(r, 50));
          }
        } finally {
          ext.off('shutdown-background-script', onStop);
        }
        return stopped;`),
    colorScheme: async (next) => {
      // 0 dark, 1 light: what pages' prefers-color-scheme reports.
      const chrome = (await bidi.send('browsingContext.getTree', { 'moz:scope': 'chrome' })).result.contexts[0].context as string;
      await bidi.send('script.evaluate', { expression: `Services.prefs.setIntPref('layout.css.prefers-color-scheme.content-override', ${next === 'dark' ? 0 : 1})`, target: { context: chrome }, awaitPromise: false });
    },
    open: async (url) => {
      const page = await browser.newPage();
      await page.goto(url, { waitUntil: 'load', timeout: 15_000 }).catch(() => {});
      const h = wrap(page);
      pages.set(h, page);
      return h;
    },
    extensionPage: async (path) => {
      const url = `moz-extension://${FIREFOX_UUID}${path}`;
      const before = new Set(((await bidi.send('browsingContext.getTree', {})).result.contexts as { context: string }[]).map((c) => c.context));
      const chrome = (await bidi.send('browsingContext.getTree', { 'moz:scope': 'chrome' })).result.contexts[0].context as string;
      await bidi.send('script.evaluate', {
        expression: `(() => { gBrowser.selectedTab = gBrowser.addTab(${JSON.stringify(url)}, { triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal() }); })()`,
        target: { context: chrome },
        awaitPromise: false,
      });
      const context = await waitFor(
        async () => ((await bidi.send('browsingContext.getTree', {})).result.contexts as { context: string; url: string }[]).find((c) => !before.has(c.context) && c.url === url)?.context,
        (c) => !!c,
        10_000,
        `extension page ${path}`,
      );
      await waitFor(() => rawEvaluate<string>(context!, 'return document.readyState;'), (s) => s === 'complete', 10_000, 'extension page load');
      const h = rawPage(context!, url);
      contexts.set(h, context!);
      return h;
    },
    rawEval: async <T,>(h: PageHandle, body: string) => rawEvaluate<T>(contexts.get(h)!, body),
    close: () => browser.close(),
  });
}

export function extensionDir(browser: 'chromium' | 'firefox'): string {
  // BANLENS_OUTPUT points the bench at another build (for example a copy of an older one, to compare).
  return join(process.env.BANLENS_OUTPUT ?? join(ROOT, '.output'), browser === 'chromium' ? 'chrome-mv3' : 'firefox-mv3');
}
