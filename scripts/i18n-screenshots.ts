/**
 * Screenshots of the options page, the popup, an embed label and the explanation page in every declared
 * language (or those named), in headless Chromium, after choosing the language in Settings as a user would.
 * Build first (npx wxt build); run under the browser lock:
 *
 *   flock /tmp/banlens-browser.lock npx tsx scripts/i18n-screenshots.ts [code…]
 *
 * PNGs go to artifacts/i18n/<code>-<surface>.png, with a JSON report of the fonts each page rendered with.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { ARTIFACTS, extensionDir, startFixtureServer } from '../tests/e2e/harness';
import { LANGUAGES } from '../utils/languages';

/** Where each language's screenshots pretend the user is, and a page and a failing host that are restricted there. */
const SCENE: Record<string, { tz: string; page: string; failing: string; platform: string }> = {
  PK: { tz: 'Asia/Karachi', page: '/pages/embed-bluesky.html', failing: 'https://cdn.bsky.app/', platform: 'bluesky' },
  IR: { tz: 'Asia/Tehran', page: '/pages/embed-x.html', failing: 'https://twitter.com/', platform: 'x' },
  MM: { tz: 'Asia/Yangon', page: '/pages/embed-x.html', failing: 'https://twitter.com/', platform: 'x' },
  CN: { tz: 'Asia/Shanghai', page: '/pages/embed-x.html', failing: 'https://twitter.com/', platform: 'x' },
  RU: { tz: 'Europe/Moscow', page: '/pages/embed-x.html', failing: 'https://twitter.com/', platform: 'x' },
};
const WHERE: Record<string, keyof typeof SCENE> = { fa: 'IR', my: 'MM', zh_CN: 'CN', ru: 'RU' };

const out = join(ARTIFACTS, 'i18n');
mkdirSync(out, { recursive: true });
const wanted = process.argv.slice(2);
const langs = LANGUAGES.filter((l) => wanted.length === 0 || wanted.includes(l.code));
const server = await startFixtureServer(0);
const report: Record<string, unknown> = {};

/** The fonts Chromium actually used for the page's text (CSS.getPlatformFontsForNode on the body's text nodes). */
async function fontsUsed(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: { nodeId: number } };
  const { nodeIds } = (await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: 'body *' })) as { nodeIds: number[] };
  const fonts = new Set<string>();
  for (const nodeId of nodeIds.slice(0, 200)) {
    const r = (await cdp.send('CSS.getPlatformFontsForNode', { nodeId }).catch(() => ({ fonts: [] }))) as { fonts: { familyName: string; glyphCount: number }[] };
    for (const f of r.fonts) fonts.add(f.familyName);
  }
  await cdp.detach();
  return [...fonts].sort();
}

for (const lang of langs) {
  const scene = SCENE[WHERE[lang.code] ?? 'PK']!;
  const profile = mkdtempSync(join(tmpdir(), 'banlens-shots-'));
  const ext = extensionDir('chromium');
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    ignoreHTTPSErrors: true,
    env: { ...process.env, TZ: scene.tz, LANGUAGE: 'en' },
    viewport: { width: 900, height: 900 },
    args: [`--disable-extensions-except=${ext}`, `--load-extension=${ext}`, '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--host-resolver-rules=MAP * 127.0.0.1:${server.port}, EXCLUDE localhost`],
  });
  try {
    const ours = (w: { url(): string }) => w.url().endsWith('/background.js');
    const worker = ctx.serviceWorkers().find(ours) ?? (await ctx.waitForEvent('serviceworker', { predicate: ours }));
    const base = `chrome-extension://${new URL(worker.url()).host}`;

    // Settings, as a user would: open the options page and pick the language by its own name.
    const options = await ctx.newPage();
    await options.goto(`${base}/options.html`);
    const picker = options.locator('select[aria-labelledby="lang-h"]');
    await picker.waitFor();
    await Promise.all([options.waitForEvent('load'), picker.selectOption({ label: lang.name })]);
    await options.locator('h1').waitFor();
    await options.waitForTimeout(300);
    const info = { dir: await options.evaluate(() => document.documentElement.dir), htmlLang: await options.evaluate(() => document.documentElement.lang), fonts: { options: await fontsUsed(options) } as Record<string, string[]> };
    await options.screenshot({ path: join(out, `${lang.code}-options.png`), fullPage: false });

    // The label on an embed, opened with the keyboard.
    const article = await ctx.newPage();
    await article.goto(server.url(scene.page), { waitUntil: 'load' }).catch(() => {});
    await article.locator(`banlens-notice[data-platform="${scene.platform}"]`).first().waitFor({ timeout: 10_000 }).catch(() => {});
    await article.keyboard.press('Tab');
    await article.keyboard.press('Enter');
    await article.waitForTimeout(500);
    await article.screenshot({ path: join(out, `${lang.code}-label.png`) });

    // The popup for that tab, opened as a page as the e2e suite does.
    const tabId = await options.evaluate(`(async () => (await chrome.tabs.query({})).find((t) => t.url === ${JSON.stringify(server.url(scene.page))})?.id ?? -1)()`) as number;
    const popup = await ctx.newPage();
    await popup.setViewportSize({ width: 420, height: 800 });
    await popup.goto(`${base}/popup.html?tabId=${tabId}`);
    await popup.locator('h1').waitFor();
    await popup.waitForTimeout(300);
    info.fonts.popup = await fontsUsed(popup);
    await popup.screenshot({ path: join(out, `${lang.code}-popup.png`), fullPage: true });

    // The explanation page for a restricted host that fails to load.
    const failing = await ctx.newPage();
    await failing.goto(scene.failing).catch(() => {});
    await failing.waitForURL(/blocked\.html/, { timeout: 10_000 }).catch(() => {});
    await failing.waitForTimeout(500);
    info.fonts.explanation = await fontsUsed(failing);
    await failing.screenshot({ path: join(out, `${lang.code}-explanation.png`) });
    report[lang.code] = info;
    console.log(lang.code, JSON.stringify(info));
  } finally {
    await ctx.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
writeFileSync(join(out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
await server.close();
