// npx tsx scripts/store-screenshots.ts — the store listing screenshots, from the Chromium screenshots the ui e2e wrote to
// artifacts/ (run it first: npx vitest run -c vitest.e2e.config.ts tests/e2e/ui.e2e.ts). Each becomes a 1280×800 opaque PNG,
// as the Chrome Web Store asks (1280×800 or 640×400, JPEG or 24-bit PNG without alpha): the page's margins trimmed away,
// the surface at its real pixel size (never scaled, so text stays sharp), cut at the bottom when it is taller.
// Runs Debian's Chromium: on a shared machine, under the browser lock.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const W = 1280;
const H = 800;
const MARGIN = 32;
const ARTIFACTS = 'artifacts';
const OUT = 'store/screenshots';

/** Store name ← the e2e screenshot it is made from. */
const SHOTS: [string, string][] = [
  ['popup-en', 'popup-chromium-article-en.png'],
  ['popup-ur', 'popup-chromium-article-ur.png'],
  ['label-en', 'label-chromium-en.png'],
  ['label-ur', 'label-chromium-ur.png'],
  ['explanation-en', 'explanation-chromium-en.png'],
  ['explanation-ur', 'explanation-chromium-ur.png'],
  ['welcome-en', 'welcome-chromium-en.png'],
  ['browse-dark', 'browse-chromium-dark.png'],
];

// In the page: trim the margins of the page's own background colour, then lay the rest out on the canvas.
const LAYOUT = `async ({ src, W, H, MARGIN }) => {
  const img = new Image();
  img.src = src;
  await img.decode();
  const c = new OffscreenCanvas(img.width, img.height);
  const g = c.getContext('2d');
  g.drawImage(img, 0, 0);
  const { data } = g.getImageData(0, 0, img.width, img.height);
  const at = (x, y) => (y * img.width + x) * 4;
  const bg = [data[0], data[1], data[2]];
  const differs = (x, y) => { const i = at(x, y); return Math.abs(data[i] - bg[0]) + Math.abs(data[i + 1] - bg[1]) + Math.abs(data[i + 2] - bg[2]) > 24; };
  let top = img.height, left = img.width, right = 0, bottom = 0;
  for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) if (differs(x, y)) { if (y < top) top = y; if (y > bottom) bottom = y; if (x < left) left = x; if (x > right) right = x; }
  const pad = 16;
  top = Math.max(0, top - pad); left = Math.max(0, left - pad); right = Math.min(img.width - 1, right + pad); bottom = Math.min(img.height - 1, bottom + pad);
  const w = Math.min(right - left + 1, W - 2 * MARGIN);
  const h = Math.min(bottom - top + 1, H - 2 * MARGIN);
  const frame = document.getElementById('frame');
  frame.style.width = w + 'px';
  frame.style.height = h + 'px';
  frame.style.background = 'rgb(' + bg.join(',') + ')';
  frame.style.top = Math.max(MARGIN, Math.round((H - h) / 2)) + 'px';
  frame.style.left = Math.round((W - w) / 2) + 'px';
  const shot = document.getElementById('shot');
  shot.src = src;
  shot.style.left = -left + 'px';
  shot.style.top = -top + 'px';
  await shot.decode();
  return { w, h, cut: bottom - top + 1 > h };
}`;

const PAGE = `<!doctype html><html><head><style>
  html, body { margin: 0; width: ${W}px; height: ${H}px; overflow: hidden; background: #dde6ee; }
  #frame { position: absolute; overflow: hidden; border-radius: 10px; box-shadow: 0 6px 24px rgba(20, 40, 60, .22), 0 1px 3px rgba(20, 40, 60, .18); }
  #shot { position: absolute; }
</style></head><body><div id="frame"><img id="shot" alt=""></div></body></html>`;

const missing = SHOTS.filter(([, from]) => !existsSync(join(ARTIFACTS, from)));
if (missing.length) {
  console.error(`missing in ${ARTIFACTS}/: ${missing.map(([, f]) => f).join(', ')} (run the ui e2e in Chromium first)`);
  process.exit(1);
}
mkdirSync(OUT, { recursive: true });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true });
try {
  const page = await browser.newPage({ viewport: { width: W, height: H }, deviceScaleFactor: 1 });
  for (const [name, from] of SHOTS) {
    await page.setContent(PAGE);
    const src = `data:image/png;base64,${readFileSync(join(ARTIFACTS, from)).toString('base64')}`;
    const r = await page.evaluate<{ w: number; h: number; cut: boolean }>(`(${LAYOUT})(${JSON.stringify({ src, W, H, MARGIN })})`);
    const file = join(OUT, `${name}.png`);
    await page.screenshot({ path: file, omitBackground: false });
    console.log(`${file}: ${W}×${H}, surface ${r.w}×${r.h}${r.cut ? ' (cut at the bottom)' : ''} from ${from}`);
  }
} finally {
  await browser.close();
}
