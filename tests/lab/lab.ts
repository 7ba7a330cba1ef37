/**
 * The censorship lab (ARCHITECTURE.md "Reachability"): local censor servers on loopback, and launchers that point Chromium and Firefox
 * at them with a platform host name each, so the extension's host matcher sees real platform hosts.
 *
 * Every server listens on its own address in a random 127.A.B.0/24 (port 443, or 80 for the block page), so
 * several labs can run at once. Chromium reaches them through --host-resolver-rules; Firefox runs inside a private
 * mount namespace whose /etc/hosts maps the hosts (see firefox-wrapper below). Needs root (port 443, unshare, mount)
 * and the `openssl` CLI.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type LabMode =
  | 'reset' // accepts, then answers with a TCP RST
  | 'refused' // nothing listens
  | 'stall' // accepts and never answers: a TLS handshake that stalls (closed after stallMs)
  | 'syn_drop' // SYNs are dropped (a full accept queue that is never drained): a TCP connect timeout
  | 'bad_tls' // self-signed certificate for another host name
  | 'tls_plain' // plain HTTP on port 443: a TLS protocol error
  | 'nxdomain' // the resolver says the name does not exist
  | 'http451' // HTTPS (lab CA), status 451 with an HTML block page
  | 'redirect' // HTTPS (lab CA), 302 to a known block-page URL (OONI fingerprint ooni.ru_6)
  | 'ok' // HTTPS (lab CA), 200
  | 'decoy' // HTTPS (lab CA), 200, but tests/lab/decoy-blocker blocks it with a declarativeNetRequest rule
  | 'blockpage' // plain HTTP server of the block page that `redirect` points to
  | 'article'; // HTTPS (lab CA), a news article: /article?x=reset|ok|none embeds X from a resetting or a loading host, and a control image

export interface LabHost {
  host: string;
  mode: LabMode;
  ip: string;
  port: number;
  /** The scheme the fixture pages use for this host. */
  scheme: 'https' | 'http';
}

/** The hosts are real platform hosts so that the extension treats them as platforms. */
export const LAB_HOSTS: ReadonlyArray<{ host: string; mode: LabMode }> = [
  { host: 'platform.twitter.com', mode: 'reset' },
  { host: 'pbs.twimg.com', mode: 'refused' },
  { host: 'www.youtube.com', mode: 'stall' },
  { host: 'www.reddit.com', mode: 'syn_drop' },
  { host: 'embed.bsky.app', mode: 'bad_tls' },
  { host: 'abs.twimg.com', mode: 'tls_plain' },
  { host: 'www.facebook.com', mode: 'nxdomain' },
  { host: 'www.tiktok.com', mode: 'http451' },
  { host: 'www.instagram.com', mode: 'redirect' },
  { host: 'upload.wikimedia.org', mode: 'ok' },
  { host: 'i.ytimg.com', mode: 'decoy' },
  { host: 'warning.rt.ru', mode: 'blockpage' },
  // Observed status (issue 7): a page host and a public non-platform control host, served by name, never 127.0.0.1.
  { host: 'news.banlens.test', mode: 'article' },
  { host: 'cdn.banlens.test', mode: 'ok' },
  // An X host that loads, for the article where X loads normally.
  { host: 'syndication.twitter.com', mode: 'ok' },
  // A Bluesky host that loads (Bluesky is recorded in force for Pakistan: pk-bluesky-2024).
  { host: 'cdn.bsky.app', mode: 'ok' },
];

/** Hosts the observed-status e2e adds; the reachability pages (/all) leave them out. */
export const OBSERVED_LAB_HOSTS: ReadonlySet<string> = new Set(['news.banlens.test', 'cdn.banlens.test', 'syndication.twitter.com', 'cdn.bsky.app']);

export const BLOCKPAGE_REDIRECT = 'http://warning.rt.ru/?id=17&lab=1';
export const BLOCKPAGE_HTML =
  '<!doctype html><html><head><meta charset="utf-8"><title>Access restricted</title></head>' +
  '<body><h1>Access to this resource is restricted</h1><p>By order of the lab censor.</p></body></html>';

/** The resource kinds each fixture page embeds; the `lab` query parameter names the kind in the request URL. */
export const EMBED_KINDS = ['script', 'iframe', 'img'] as const;

export interface LabOptions {
  /** How long the stall server holds a connection before closing it (default 60 s). */
  stallMs?: number;
  /** The lab stops by itself after this long (default 15 min); the timer does not keep Node alive. */
  lifetimeMs?: number;
}

export interface CollectedEvent {
  /** What the recorder extension posted: {browser, event, details}. */
  [key: string]: unknown;
}

export interface Lab {
  dir: string;
  hosts: LabHost[];
  host(mode: LabMode): LabHost;
  /** http://127.0.0.1:PORT, serving /page/<host> (one host embedded as script, iframe, img) and /all. */
  fixtureOrigin: string;
  pageUrl(host?: string): string;
  caCertPath: string;
  /** base64 SHA-256 of the lab leaf's SubjectPublicKeyInfo, for --ignore-certificate-errors-spki-list. */
  leafSpki: string;
  /** Events POSTed to /__rec by tests/lab/recorder. */
  collected: CollectedEvent[];
  chromiumArgs(): string[];
  firefoxExecutable: string;
  firefoxPrefs: Record<string, unknown>;
  stop(): Promise<void>;
}

function openssl(args: string[], cwd: string): string {
  return execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** A lab CA, a leaf it signs with SANs for `sans`, and a self-signed certificate for the wrong host. */
function makeCerts(dir: string, sans: string[]) {
  openssl(['req', '-x509', ...EC, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '3', '-subj', '/CN=BanLens Lab CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  openssl(['req', ...EC, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=banlens-lab'], dir);
  writeFileSync(join(dir, 'leaf.ext'), [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature',
    'extendedKeyUsage=serverAuth',
    `subjectAltName=${sans.map((h) => `DNS:${h}`).join(',')}`,
  ].join('\n'));
  openssl(['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.crt',
    '-days', '2', '-sha256', '-extfile', 'leaf.ext'], dir);
  openssl(['req', '-x509', ...EC, '-keyout', 'bad.key', '-out', 'bad.crt', '-days', '2', '-subj', '/CN=wrong.lab.invalid',
    '-addext', 'subjectAltName=DNS:wrong.lab.invalid'], dir);
  const read = (f: string) => readFileSync(join(dir, f));
  const leaf = new X509Certificate(read('leaf.crt'));
  if (!leaf.checkIssued(new X509Certificate(read('ca.crt')))) throw new Error('lab leaf is not signed by the lab CA');
  const spkiDer = leaf.publicKey.export({ type: 'spki', format: 'der' });
  return {
    ca: read('ca.crt'), leafKey: read('leaf.key'), leafCert: read('leaf.crt'), badKey: read('bad.key'), badCert: read('bad.crt'),
    leafSpki: createHash('sha256').update(spkiDer).digest('base64'),
  };
}

function listen(server: net.Server, ip: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, ip, () => { server.off('error', reject); resolve(); });
  });
}

const PNG_1PX = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** The answer of the lab's HTTPS and HTTP servers, chosen by Host. */
function labResponse(mode: LabMode | undefined, url: string, res: http.ServerResponse) {
  const path = url.split('?')[0] ?? '/';
  if (mode === 'http451') {
    res.writeHead(451, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(BLOCKPAGE_HTML);
  } else if (mode === 'redirect') {
    res.writeHead(302, { location: BLOCKPAGE_REDIRECT, 'cache-control': 'no-store' }).end();
  } else if (mode === 'blockpage') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(BLOCKPAGE_HTML);
  } else if (mode === 'article') {
    const x = new URL(url, 'https://news.banlens.test').searchParams.get('x') ?? 'reset';
    const xHost = x === 'bsky' ? 'cdn.bsky.app' : x === 'ok' ? 'syndication.twitter.com' : 'platform.twitter.com';
    const control = x === 'none' ? '' : `<img src="https://cdn.banlens.test/pic.png?n=${Math.random()}" width="1" height="1" alt="">`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(`<!doctype html><html><head><meta charset="utf-8"><title>Lab news</title></head><body>
<h1>An article</h1><p>A politician said something.</p>${control}
<blockquote class="twitter-tweet"><p>A tweet</p><a href="https://twitter.com/someone/status/1">link</a></blockquote>
<script async src="https://${xHost}/widgets.js?lab=script"></script>
<img src="https://${xHost}/img.png?lab=img" width="1" height="1" alt="">
</body></html>`);
  } else if (mode === 'ok' || mode === 'decoy') {
    const headers = { 'cache-control': 'no-store', 'access-control-allow-origin': '*' };
    if (path.endsWith('.js')) res.writeHead(200, { ...headers, 'content-type': 'text/javascript' }).end('void 0;');
    else if (path.endsWith('.png')) res.writeHead(200, { ...headers, 'content-type': 'image/png' }).end(PNG_1PX);
    else res.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><p>ok</p>');
  } else {
    res.writeHead(404).end();
  }
}

function embedHtml(h: LabHost): string {
  const base = `${h.scheme}://${h.host}`;
  return `<h2>${h.host} (${h.mode})</h2>
<script async src="${base}/embed.js?lab=script"></script>
<iframe src="${base}/frame?lab=iframe" width="200" height="50"></iframe>
<img src="${base}/img.png?lab=img" width="1" height="1" alt="">`;
}

/**
 * A listener whose accept queue is full and never drained, so Linux drops every further SYN (tcp_conn_request:
 * sk_acceptq_is_full). Node always accepts, so the listener is a python3 child; we fill its queue ourselves.
 */
async function startSynDrop(h: LabHost, lifetimeMs: number) {
  // It exits at the lab's lifetime (SIGALRM) or as soon as Node goes away (EOF on stdin), whichever comes first.
  const code = 'import signal,socket,sys\n' +
    'signal.alarm(int(sys.argv[3]))\n' +
    's=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n' +
    's.bind((sys.argv[1], int(sys.argv[2]))); s.listen(0); print("ready", flush=True); sys.stdin.read()\n';
  const child = spawn('python3', ['-c', code, h.ip, String(h.port), String(Math.ceil(lifetimeMs / 1000) + 5)], { stdio: ['pipe', 'pipe', 'ignore'] });
  child.unref();
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (c) => reject(new Error(`syn_drop listener exited (${c})`)));
    child.stdout!.once('data', () => resolve());
  });
  child.removeAllListeners('exit');
  // Neither the child nor its pipes keep Node alive; when Node exits, stdin closes and the child follows.
  for (const pipe of [child.stdin, child.stdout]) (pipe as unknown as net.Socket | null)?.unref();
  const fillers: net.Socket[] = [];
  for (let i = 0; i < 3; i++) {
    const c = net.connect(h.port, h.ip);
    c.on('error', () => {});
    c.unref();
    fillers.push(c);
  }
  await new Promise((r) => setTimeout(r, 200));
  return {
    stop() {
      for (const c of fillers) c.destroy();
      if (child.exitCode === null && child.pid) process.kill(child.pid);
    },
  };
}

export async function startLab(opts: LabOptions = {}): Promise<Lab> {
  const stallMs = opts.stallMs ?? 60_000;
  const dir = mkdtempSync(join(tmpdir(), 'banlens-lab-'));
  const servers: net.Server[] = [];
  const sockets = new Set<net.Socket>();
  const track = (s: net.Server) => {
    servers.push(s);
    s.on('connection', (sock: net.Socket) => { sockets.add(sock); sock.on('close', () => sockets.delete(sock)); });
    return s;
  };

  const tlsHosts = LAB_HOSTS.filter((h) => ['http451', 'redirect', 'ok', 'decoy', 'article'].includes(h.mode)).map((h) => h.host);
  const certs = makeCerts(dir, tlsHosts);
  const caCertPath = join(dir, 'ca.crt');

  // One address per behaviour that lives below HTTP; the HTTP-level behaviours share one HTTPS server (by Host).
  const slot: Record<LabMode, number> = {
    reset: 1, refused: 2, stall: 3, bad_tls: 4, tls_plain: 5, http451: 6, redirect: 6, ok: 6, decoy: 6, blockpage: 6, article: 6, syn_drop: 7, nxdomain: 0,
  };
  const modeByHost = new Map(LAB_HOSTS.map((h) => [h.host, h.mode]));
  let hosts: LabHost[] = [];

  for (let attempt = 0; ; attempt++) {
    const net24 = `127.${100 + Math.floor(Math.random() * 150)}.${1 + Math.floor(Math.random() * 250)}`;
    hosts = LAB_HOSTS.map((h) => ({
      ...h, ip: h.mode === 'nxdomain' ? '' : `${net24}.${slot[h.mode]}`, port: h.mode === 'blockpage' ? 80 : 443,
      scheme: h.mode === 'blockpage' ? 'http' : 'https',
    }));
    const ip = (n: number) => `${net24}.${n}`;
    const made: net.Server[] = [];
    try {
      const reset = net.createServer((sock) => { sock.on('error', () => {}); sock.resetAndDestroy(); });
      const stall = net.createServer((sock) => {
        sock.on('error', () => {});
        sock.setTimeout(stallMs, () => sock.destroy());
      });
      const badTls = https.createServer({ key: certs.badKey, cert: certs.badCert }, (_q, r) => r.end('bad'));
      const plain = net.createServer((sock) => {
        sock.on('error', () => {});
        sock.once('data', () => sock.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'));
      });
      const handler: http.RequestListener = (req, res) => {
        const host = (req.headers.host ?? '').replace(/:\d+$/, '');
        labResponse(modeByHost.get(host), req.url ?? '/', res);
      };
      const good = https.createServer({ key: certs.leafKey, cert: certs.leafCert }, handler);
      const plainHttp = http.createServer(handler);
      for (const [s, a, p] of [[reset, ip(1), 443], [stall, ip(3), 443], [badTls, ip(4), 443], [plain, ip(5), 443],
        [good, ip(6), 443], [plainHttp, ip(6), 80]] as const) {
        track(s); made.push(s);
        await listen(s, a, p);
      }
      break;
    } catch (e) {
      await Promise.all(made.map((s) => new Promise((r) => s.close(r))));
      servers.length = 0;
      if (attempt >= 5) throw e;
    }
  }
  const lifetimeMs = opts.lifetimeMs ?? 15 * 60_000;
  const synDrop = await startSynDrop(hosts.find((h) => h.mode === 'syn_drop')!, lifetimeMs);

  // `refused`: nothing listens on slot 2. Make sure that is true.
  await new Promise<void>((resolve, reject) => {
    const r = hosts.find((h) => h.mode === 'refused')!;
    const c = net.connect(r.port, r.ip);
    c.on('connect', () => { c.destroy(); reject(new Error(`something listens on ${r.ip}:${r.port}`)); });
    c.on('error', () => resolve());
  });

  // Fixture pages and the recorder's collector, on plain HTTP.
  const collected: CollectedEvent[] = [];
  const fixture = track(http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (req.method === 'POST' && url.startsWith('/__rec')) {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); });
      req.on('end', () => {
        try { collected.push(JSON.parse(body) as CollectedEvent); } catch { /* ignore junk */ }
        res.writeHead(204, { 'access-control-allow-origin': '*' }).end();
      });
      return;
    }
    const m = /^\/page\/([a-z0-9.-]+)$/.exec(url.split('?')[0] ?? '');
    const page = url.startsWith('/all') ? hosts.filter((h) => h.mode !== 'blockpage' && !OBSERVED_LAB_HOSTS.has(h.host)) : m ? hosts.filter((h) => h.host === m[1]) : [];
    if (page.length === 0) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      .end(`<!doctype html><html><head><meta charset="utf-8"><title>BanLens lab</title></head><body>\n${page.map(embedHtml).join('\n')}\n</body></html>`);
  }));
  await listen(fixture, '127.0.0.1', 0);
  const fixtureOrigin = `http://127.0.0.1:${(fixture.address() as net.AddressInfo).port}`;

  // Firefox: hosts file, nsswitch without DNS, policies.json trusting the lab CA, and the wrapper that puppeteer runs.
  writeFileSync(join(dir, 'hosts'), `${['127.0.0.1 localhost', ...hosts.filter((h) => h.ip).map((h) => `${h.ip} ${h.host}`)].join('\n')}\n`);
  writeFileSync(join(dir, 'nsswitch.conf'), 'passwd: files\ngroup: files\nshadow: files\nhosts: files\n');
  mkdirSync(join(dir, 'distribution'));
  writeFileSync(join(dir, 'distribution', 'policies.json'), JSON.stringify({ policies: { Certificates: { Install: [caCertPath] } } }));
  const firefoxExecutable = join(dir, 'firefox-wrapper.sh');
  writeFileSync(firefoxExecutable, `#!/bin/sh
# Runs firefox-esr in a private mount namespace that sees the lab's /etc/hosts and policies.json (ARCHITECTURE.md "Reachability").
LAB='${dir}'
exec unshare -m -- /bin/sh -c '
  mount --bind "$0/hosts" /etc/hosts &&
  mount --bind "$0/nsswitch.conf" /etc/nsswitch.conf &&
  mount --bind "$0/distribution" /usr/lib/firefox-esr/distribution &&
  exec /usr/lib/firefox-esr/firefox-esr "$@"' "$LAB" "$@"
`);
  chmodSync(firefoxExecutable, 0o755);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    clearTimeout(lifetime);
    for (const s of sockets) s.destroy();
    synDrop.stop();
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    rmSync(dir, { recursive: true, force: true });
  };
  const lifetime = setTimeout(() => void stop(), lifetimeMs);
  lifetime.unref();

  return {
    dir,
    hosts,
    host: (mode) => {
      const h = hosts.find((x) => x.mode === mode);
      if (!h) throw new Error(`no lab host for ${mode}`);
      return h;
    },
    fixtureOrigin,
    pageUrl: (host) => (host ? `${fixtureOrigin}/page/${host}` : `${fixtureOrigin}/all`),
    caCertPath,
    leafSpki: certs.leafSpki,
    collected,
    chromiumArgs: () => {
      const rules = hosts.map((h) => (h.mode === 'nxdomain' ? `MAP ${h.host} ~NOTFOUND` : `MAP ${h.host} ${h.ip}:${h.port}`));
      return [
        `--host-resolver-rules=${[...rules, 'MAP * ~NOTFOUND', 'EXCLUDE localhost', 'EXCLUDE 127.0.0.1'].join(', ')}`,
        `--ignore-certificate-errors-spki-list=${certs.leafSpki}`,
      ];
    },
    firefoxExecutable,
    firefoxPrefs: {
      'network.trr.mode': 5,
      'network.proxy.type': 0,
      'browser.safebrowsing.malware.enabled': false,
      'browser.safebrowsing.phishing.enabled': false,
      'dom.security.https_first': false,
      'intl.locale.requested': 'en-US',
    },
    stop,
  };
}

/** Chromium flags every lab run uses, besides the lab's own. */
export const CHROMIUM_BASE_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-default-apps', '--no-default-browser-check',
];

/** playwright-core persistent context with the given unpacked extensions loaded. */
export async function launchChromium(lab: Lab, extensions: string[], opts: { userDataDir?: string; executablePath?: string } = {}) {
  const { chromium } = await import('playwright-core');
  const userDataDir = opts.userDataDir ?? mkdtempSync(join(tmpdir(), 'banlens-chromium-'));
  const ownDir = !opts.userDataDir;
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: opts.executablePath ?? '/usr/bin/chromium',
    headless: true,
    args: [
      ...(extensions.length ? [`--disable-extensions-except=${extensions.join(',')}`, `--load-extension=${extensions.join(',')}`] : []),
      ...CHROMIUM_BASE_ARGS,
      ...lab.chromiumArgs(),
    ],
  });
  if (ownDir) {
    // Remove the profile once the browser has exited (the 'close' event comes while Chromium still writes to it).
    const close = context.close.bind(context);
    context.close = async (...a: Parameters<typeof close>) => {
      await close(...a);
      try { rmSync(userDataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }); } catch { /* leave it */ }
    };
  }
  return context;
}

/** puppeteer-core Firefox (WebDriver BiDi) inside the lab's mount namespace, with the given extensions installed. */
export async function launchFirefox(lab: Lab, extensions: string[], opts: { prefs?: Record<string, unknown> } = {}) {
  const puppeteer = (await import('puppeteer-core')).default;
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: lab.firefoxExecutable,
    headless: true,
    extraPrefsFirefox: { ...lab.firefoxPrefs, ...opts.prefs },
  });
  const extensionIds: string[] = [];
  for (const dir of extensions) extensionIds.push(await browser.installExtension(dir));
  return { browser, extensionIds };
}
