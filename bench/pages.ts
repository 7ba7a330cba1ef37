/**
 * The generated pages `npm run bench` loads. Every page carries the same small monitor in its head, so
 * the page's own script is identical with and without the extension:
 *
 *   window.__lt    long-task time in ms after the document is parsed (DOMContentLoaded): Chromium's
 *                  `longtask` entries; where that entry type does not exist (Firefox) an event-loop lag
 *                  monitor, counting every gap over 50 ms as a long task. Parsing is left out: how the
 *                  parser chunks a 5 MB page depends on how the bytes arrive, which differs between two
 *                  browsers (in the first run it made "added" long-task time negative); the extension's
 *                  work starts at document_idle, after parsing, so nothing of ours is left out.
 *   window.__done  set by pages that keep working after load (the live blog) when they are finished
 */

export interface BenchPage {
  id: string;
  /** Label in the table. */
  label: string;
  /** Path on the fixture server. */
  path: string;
  html: string;
  /** Restricted embeds on the page for a user in China (0 for a page with nothing to find). */
  embeds: number;
  /** The page works after load until it sets window.__done. */
  async?: boolean;
}

const MONITOR = `
window.__lt = 0; window.__done = false; window.__parsed = Infinity;
document.addEventListener('DOMContentLoaded', () => { window.__parsed = performance.now(); });
if (PerformanceObserver.supportedEntryTypes.includes('longtask')) {
  new PerformanceObserver((list) => { for (const e of list.getEntries()) if (e.startTime >= window.__parsed) window.__lt += e.duration; }).observe({ type: 'longtask', buffered: true });
} else if (location.search.includes('lag')) {
  let last = performance.now();
  const tick = () => { const now = performance.now(); if (now - last > 50 && last >= window.__parsed) window.__lt += now - last; last = now; setTimeout(tick, 0); };
  setTimeout(tick, 0);
}`;

const head = (title: string) => `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title><script>${MONITOR}</script></head>`;

/** Five elements per section: an article of `elements` elements. */
function sections(count: number, from = 0): string {
  const parts: string[] = [];
  for (let i = from; i < from + count; i++) parts.push(`<section><h3>Heading ${i}</h3><p>Paragraph <a href="/p${i}">link</a> <em>text</em></p></section>`);
  return parts.join('');
}

/**
 * Embeds of platforms restricted in China, written the way each platform's embed code writes them (the
 * markup and the platform's script; frames and media load from the platform's hosts).
 */
function embed(i: number): string {
  switch (i % 5) {
    case 0:
      return `<blockquote class="twitter-tweet"><p>Post ${i}</p><a href="https://twitter.com/a/status/${i}">link</a></blockquote>`;
    case 1:
      return `<iframe width="320" height="180" src="https://www.youtube.com/embed/v${i}" title="video ${i}"></iframe>`;
    case 2:
      return `<div class="fb-post" data-href="https://www.facebook.com/a/posts/${i}"></div>`;
    case 3:
      return `<blockquote class="instagram-media"><p>Photo ${i}</p></blockquote>`;
    default:
      return `<img src="https://pbs.twimg.com/media/${i}.jpg" width="60" height="60" alt="">`;
  }
}
const EMBED_SCRIPTS = '<script async src="https://platform.twitter.com/widgets.js"></script><script async src="https://connect.facebook.net/en_US/sdk.js"></script><script async src="https://www.instagram.com/embed.js"></script>';

export function article(elements: number, embeds: number): string {
  const count = elements / 5;
  if (!embeds) return `${head('article')}<body>${sections(count)}</body></html>`;
  const step = Math.floor(count / embeds);
  const parts: string[] = [];
  for (let e = 0; e < embeds; e++) parts.push(sections(step, e * step), embed(e));
  return `${head('article with embeds')}<body>${parts.join('')}${sections(count - step * embeds, step * embeds)}${EMBED_SCRIPTS}</body></html>`;
}

/** A live blog: 1k elements at load, then 100 batches of 100 elements, one every 20 ms. */
export function liveBlog(batches = 100): string {
  return `${head('live blog')}<body><main id="live">${sections(200)}</main><script>
  let n = 0;
  const live = document.getElementById('live');
  const section = (i) => '<section><h3>Update ' + i + '</h3><p>Paragraph <a href="/u' + i + '">link</a> <em>text</em></p></section>';
  const timer = setInterval(() => {
    let html = '<article>';
    for (let i = 0; i < 20; i++) html += section(n * 20 + i);
    live.insertAdjacentHTML('afterbegin', html + '</article>');
    if (++n === ${batches}) { clearInterval(timer); window.__done = true; }
  }, 20);
</script></body></html>`;
}

/** 50,000 fake embeds of three platforms restricted in China, in the page's own HTML. */
export function flood(fakes = 50_000): string {
  const kinds = ['<blockquote class="twitter-tweet">fake</blockquote>', '<blockquote class="instagram-media">fake</blockquote>', '<div class="fb-post">fake</div>'];
  const parts: string[] = [];
  for (let i = 0; i < fakes; i++) parts.push(kinds[i % 3]!);
  return `${head('flood')}<body><div id="flood">${parts.join('')}</div></body></html>`;
}

export function benchPages(smoke: boolean): BenchPage[] {
  const pages: BenchPage[] = [];
  for (const n of smoke ? [1000] : [1000, 10_000, 100_000]) {
    const k = n >= 1000 ? `${n / 1000}k` : String(n);
    pages.push({ id: `${k}`, label: `${k} elements`, path: `/bench/${k}.html`, html: article(n, 0), embeds: 0 });
    pages.push({ id: `${k}+20`, label: `${k} elements + 20 embeds`, path: `/bench/${k}-embeds.html`, html: article(n, 20), embeds: 20 });
  }
  pages.push({ id: 'live', label: 'live blog, +10k in 100 batches', path: '/bench/live.html', html: liveBlog(smoke ? 10 : 100), embeds: 0, async: true });
  pages.push({ id: 'flood', label: 'flood, 50,000 fake embeds', path: '/bench/flood.html', html: flood(smoke ? 5000 : 50_000), embeds: smoke ? 5000 : 50_000 });
  return pages;
}
