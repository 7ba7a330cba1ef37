// npm run demo: load the built extension into headless Chromium, open the bundled demo article (it embeds
// X, YouTube and Bluesky) as a user in Pakistan and as one in China, and print and screenshot what BanLens found.
import { ensureBrowsers, extensionDir, launchChromium, startFixtureServer, waitFor, ARTIFACTS } from '../tests/e2e/harness';

const USERS = [
  { region: 'PK', tz: 'Asia/Karachi' },
  { region: 'CN', tz: 'Asia/Shanghai' },
];

interface PopupPlatform {
  name: string;
  active: boolean;
  restrictions: { headline: string; authority: string; asOf: string }[];
}

ensureBrowsers();
const server = await startFixtureServer(0);
const rows: string[][] = [];
const details: string[] = [];
try {
  for (const user of USERS) {
    const s = await launchChromium({ ext: extensionDir('chromium'), tz: user.tz, port: server.port });
    try {
      const region = await s.inExtension<{ names: string[] }>(`const api = globalThis.chrome; return await api.runtime.sendMessage({ type: 'region:state' });`);
      const url = server.url('/pages/demo.html');
      const page = await s.open(url);
      const badge = await waitFor(() => s.badge(url), (b) => b !== '', 10_000, 'badge').catch(() => '');
      const notices = await waitFor(() => page.notices(), (n) => n.length > 0, 5_000, 'notices').catch(() => [] as string[]);
      await page.screenshot(`demo-${user.region}-page.png`);
      const tabId = await s.tabIdOf(url);
      const state = await s.inExtension<{ platforms: PopupPlatform[] }>(`return await chrome.runtime.sendMessage({ type: 'popup:state', tabId: ${tabId} });`);
      const popup = await s.extensionPage(`/popup.html?tabId=${tabId}`);
      await new Promise((r) => setTimeout(r, 500));
      await popup.screenshot(`demo-${user.region}-popup.png`);
      const active = state.platforms.filter((p) => p.active);
      const history = state.platforms.filter((p) => !p.active);
      rows.push([`${user.region} (${region.names.join(', ')}, TZ=${user.tz})`, badge || '(none)', active.map((p) => p.name).join(', ') || '—', [...new Set(notices)].join(', ') || '—', history.map((p) => p.name).join(', ') || '—']);
      for (const p of state.platforms) for (const r of p.restrictions) details.push(`  [${user.region}] ${r.headline}. Ordered by: ${r.authority}. As of ${r.asOf}.`);
    } finally {
      await s.close();
    }
  }
} finally {
  await server.close();
}

const header = ['User', 'Badge', 'Restricted here (active)', 'In-page notices', 'Past restrictions (history)'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' │ ');
console.log('\nBanLens demo: one news article that embeds X, YouTube and Bluesky\n');
console.log(line(header));
console.log(widths.map((w) => '─'.repeat(w)).join('─┼─'));
for (const r of rows) console.log(line(r));
console.log('\nWhat the popup explains:');
console.log(details.join('\n'));
console.log(`\nScreenshots: ${ARTIFACTS}/demo-*.png`);
