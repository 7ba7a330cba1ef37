/**
 * Runs the scan in one frame: once at document_idle, then for what mutations add. The observer callback
 * only queues nodes; the work happens later in one batch with a time budget (uBlock Origin's discipline),
 * so a page that floods the DOM costs us little.
 */
import { classifyElement, customElementsIn, openShadowRoots, scanRoot, type EmbedKind, type FoundEmbed } from './scan';
import type { SignaturePack } from './signatures';
import { embedRegistry } from './registry';

const SHADOW_RESWEEP_MS = [1000, 3000, 8000];

export type FoundSummary = Record<string, Partial<Record<EmbedKind, number>>>;

export interface DetectorOptions {
  /** Called with the per-platform, per-kind counts whenever a platform or kind is seen for the first time. */
  report: (summary: FoundSummary) => void;
  batchDelayMs?: number;
  budgetMs?: number;
  /** Above this many queued nodes a batch rescans the document instead (cheaper than node by node). */
  maxQueue?: number;
}

export interface Detector {
  stop(): void;
  /** For tests: run any queued work now. */
  flush(): void;
}

export function startDetector(doc: Document, pack: SignaturePack, opts: DetectorOptions): Detector {
  const { report, batchDelayMs = 100, budgetMs = 8, maxQueue = 2000 } = opts;
  const registry = embedRegistry();
  const seen = new WeakSet<Element>();
  const summary: FoundSummary = {};
  const observedRoots = new WeakSet<Node>();
  let queue: Element[] = [];
  let rescan = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const record = (found: FoundEmbed[]) => {
    const fresh = found.filter((f) => !seen.has(f.el));
    if (fresh.length === 0) return;
    let changed = false;
    for (const f of fresh) {
      seen.add(f.el);
      summary[f.platform] ??= {};
      const kinds = summary[f.platform]!;
      if (!kinds[f.kind]) changed = true;
      kinds[f.kind] = (kinds[f.kind] ?? 0) + 1;
    }
    registry.add(fresh);
    if (changed) report(structuredClone(summary));
  };

  const observer = new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (m.type === 'attributes') queue.push(m.target as Element);
      else for (const n of m.addedNodes) if (n.nodeType === 1) queue.push(n as Element);
    }
    if (queue.length > maxQueue) {
      queue = [];
      rescan = true;
    }
    timer ??= setTimeout(flush, batchDelayMs);
  });
  const observe = (root: Document | ShadowRoot) => {
    if (observedRoots.has(root)) return;
    observedRoots.add(root);
    observer.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['src', 'data-src'] });
  };

  const scanWithShadows = (root: Document | ShadowRoot | Element) => {
    record(scanRoot(root, pack));
    const hosts = customElementsIn(root);
    if (hosts.length > 0) watchCustomElements(hosts);
    for (const sr of openShadowRoots(root, hosts)) {
      observe(sr);
      record(scanRoot(sr, pack));
    }
  };

  function flush() {
    timer = undefined;
    if (rescan) {
      rescan = false;
      scanWithShadows(doc);
      return;
    }
    const deadline = performance.now() + budgetMs;
    while (queue.length > 0) {
      const el = queue.shift()!;
      if (!el.isConnected) continue;
      if (el.children.length === 0 && !el.shadowRoot) {
        const hit = el.matches(pack.selector) ? classifyElement(el, pack) : null;
        if (hit) record([hit]);
      } else {
        scanWithShadows(el);
      }
      if (performance.now() > deadline) {
        timer = setTimeout(flush, batchDelayMs);
        return;
      }
    }
  }

  observe(doc);
  record(scanRoot(doc, pack));
  // Custom elements are found once, when the page is idle; later sweeps only re-check those (an element
  // upgraded after load attaches its shadow root without any mutation we could see) and stop early on
  // pages that have none.
  const customHosts = new Set<Element>();
  const sweepTimers: ReturnType<typeof setTimeout>[] = [];
  function sweepShadows() {
    for (const sr of openShadowRoots(doc, [...customHosts])) {
      observe(sr);
      record(scanRoot(sr, pack));
    }
  }
  function watchCustomElements(hosts: Element[]) {
    const first = customHosts.size === 0;
    hosts.forEach((h) => {
      customHosts.add(h);
    });
    if (first && sweepTimers.length === 0) for (const ms of SHADOW_RESWEEP_MS) sweepTimers.push(setTimeout(sweepShadows, ms));
  }
  const idle = (cb: () => void) => ('requestIdleCallback' in globalThis ? requestIdleCallback(cb, { timeout: 2000 }) : setTimeout(cb, 50));
  idle(() => {
    const hosts = customElementsIn(doc);
    if (hosts.length > 0) watchCustomElements(hosts);
    sweepShadows();
  });

  return {
    stop() {
      observer.disconnect();
      sweepTimers.forEach(clearTimeout);
      if (timer) clearTimeout(timer);
    },
    flush,
  };
}
