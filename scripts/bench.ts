// npm run bench: what the detector content script costs a page, measured within the detector budget of ARCHITECTURE.md "The flow of a page load".
// CDP ScriptDuration per page load on a 10k-element article, median of 7 loads, with and without the
// extension, for a user in Pakistan (so there are signatures to scan for). Budget: ≤ 1 ms added.
import { ensureBrowsers, extensionDir, launchChromium, startFixtureServer, type Session } from '../tests/e2e/harness';

const RUNS = 7;
const BUDGET_MS = 1;

function article(elements: number, withEmbeds: boolean): string {
  const parts: string[] = [];
  for (let i = 0; i < elements / 5; i++) parts.push(`<section><h3>Heading ${i}</h3><p>Paragraph <a href="/p${i}">link</a> <em>text</em></p></section>`);
  if (withEmbeds) parts.splice(10, 0, '<blockquote class="bluesky-embed"><p>post</p></blockquote><blockquote class="twitter-tweet"><p>tweet</p></blockquote>');
  return `<!doctype html><html><head><meta charset="utf-8"><title>bench</title></head><body>${parts.join('')}</body></html>`;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(s: Session, url: string): Promise<{ scriptMs: number; heapMB: number }> {
  const script: number[] = [];
  const heap: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const page = await s.open(url);
    await new Promise((r) => setTimeout(r, 600)); // document_idle work and the first batch
    const m = await page.metrics!();
    script.push((m.ScriptDuration ?? 0) * 1000);
    heap.push((m.JSHeapUsedSize ?? 0) / 1024 / 1024);
    await page.close();
  }
  return { scriptMs: median(script), heapMB: median(heap) };
}

ensureBrowsers();
const server = await startFixtureServer(0, { '/bench/clean.html': article(10_000, false), '/bench/embeds.html': article(10_000, true) });
const results: Record<string, Record<string, { scriptMs: number; heapMB: number }>> = {};
try {
  for (const [label, ext] of [['no extension', ''], ['BanLens', extensionDir('chromium')]] as const) {
    const s = await launchChromium({ ext, tz: 'Asia/Karachi', port: server.port });
    if (ext) await s.inExtension('return 1;');
    results[label] = {};
    for (const page of ['clean', 'embeds']) results[label]![page] = await measure(s, server.url(`/bench/${page}.html`));
    await s.close();
  }
} finally {
  await server.close();
}
console.log(`\nDetector cost per page load (Chromium, 10k-element article, median of ${RUNS}, TZ=Asia/Karachi)\n`);
let over = false;
for (const page of ['clean', 'embeds']) {
  const base = results['no extension']![page]!;
  const ours = results.BanLens![page]!;
  const added = ours.scriptMs - base.scriptMs;
  if (page === 'clean' && added > BUDGET_MS) over = true;
  console.log(`${page.padEnd(7)} script: ${base.scriptMs.toFixed(2)} ms → ${ours.scriptMs.toFixed(2)} ms (${added >= 0 ? '+' : ''}${added.toFixed(2)} ms)   JS heap: ${base.heapMB.toFixed(2)} → ${ours.heapMB.toFixed(2)} MB`);
}
console.log(`\nBudget for a page with nothing restricted on it: ≤ ${BUDGET_MS} ms added. ${over ? 'OVER BUDGET' : 'within budget'}.`);
