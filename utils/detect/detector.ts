/**
 * Runs the scan in one frame. All work goes through one queue, drained in slices of `budgetMs`; a slice
 * that runs out yields to the page (next idle period, or the next task) and the rest continues later.
 * The first scan of the document and every mutation batch use the same queue, so neither a page with
 * 50,000 fake embeds nor one that floods the DOM later gets a long task from us (uBlock Origin's discipline).
 *
 *   first scan      firstScanPlan(page signals) → live collections → candidates, classified one by one
 *   mutations       the observer only queues nodes; after batchDelayMs each queued subtree is walked once
 *   late requests   a request to a watched platform that appears later (Resource Timing) tops the plan up
 *   shadow roots    open roots of custom elements, when the plan asks; re-swept at 1, 3 and 8 s if any exist
 */
import { classifyCandidate, compilePack, customElementsIn, firstScanPlan, isCandidate, openShadowRoots, planCollections, requestedPlatforms, scanRoot, type EmbedKind, type FoundEmbed, type PageSignals, type ScanPlan } from './scan';
import type { SignaturePack } from './signatures';
import { embedRegistry } from './registry';

const SHADOW_RESWEEP_MS = [1000, 3000, 8000];
/** Resource Timing keeps 250 entries unless the page asks for more; a full buffer may have dropped some. */
const RESOURCE_BUFFER = 250;
/** More collection walks than this and one tree walk is cheaper (see enqueuePlan). */
const WALKS_BEFORE_TREE = 6;

export type FoundSummary = Record<string, Partial<Record<EmbedKind, number>>>;

export interface DetectorOptions {
  /** Called with the per-platform, per-kind counts whenever a platform or kind is seen for the first time. */
  report: (summary: FoundSummary) => void;
  batchDelayMs?: number;
  budgetMs?: number;
  /** Above this many queued nodes a batch rescans the document instead (cheaper than node by node). */
  maxQueue?: number;
  /** The page's signals for the first scan; read from the window when omitted. */
  signals?: PageSignals;
}

export interface Detector {
  stop(): void;
  /** For tests: run all queued work now, ignoring the budget. */
  flush(): void;
}

type Work =
  | { kind: 'list'; list: ArrayLike<Element>; i: number }
  | { kind: 'tree'; root: Element; walker: TreeWalker | null }
  | { kind: 'one'; el: Element }
  | { kind: 'shadow'; root: ShadowRoot }
  | { kind: 'sweep' };

interface ResourceEntryLike {
  name: string;
  initiatorType: string;
}

function readSignals(doc: Document, hosts: Record<string, string>): PageSignals {
  const frames = doc.defaultView?.length ?? 1;
  try {
    const entries = performance.getEntriesByType('resource') as unknown as ResourceEntryLike[];
    if (typeof PerformanceObserver === 'undefined') return { frames, requested: new Set(), complete: false };
    return { frames, requested: requestedPlatforms(entries, hosts), complete: entries.length < RESOURCE_BUFFER };
  } catch {
    return { frames, requested: new Set(), complete: false };
  }
}

export function startDetector(doc: Document, pack: SignaturePack, opts: DetectorOptions): Detector {
  const { report, batchDelayMs = 100, budgetMs = 8, maxQueue = 2000 } = opts;
  const c = compilePack(pack);
  const registry = embedRegistry();
  const seen = new WeakSet<Element>();
  const summary: FoundSummary = {};
  const observedRoots = new WeakSet<Node>();
  const work: Work[] = [];
  let mutated: Work[] = [];
  let batchTimer: ReturnType<typeof setTimeout> | undefined;
  let sliceScheduled = false;
  let stopped = false;
  let hits: FoundEmbed[] = [];

  const record = (found: FoundEmbed[]) => {
    let changed = false;
    const fresh: FoundEmbed[] = [];
    for (const f of found) {
      if (seen.has(f.el)) continue;
      seen.add(f.el);
      fresh.push(f);
      summary[f.platform] ??= {};
      const kinds = summary[f.platform]!;
      if (!kinds[f.kind]) changed = true;
      kinds[f.kind] = (kinds[f.kind] ?? 0) + 1;
    }
    if (fresh.length) registry.add(fresh);
    if (changed) report(structuredClone(summary));
  };

  const observer = new MutationObserver((mutations) => {
    for (const m of mutations) {
      // A changed src is about that element only; an added node brings its whole subtree.
      if (m.type === 'attributes') mutated.push({ kind: 'one', el: m.target as Element });
      else for (const n of m.addedNodes) if (n.nodeType === 1) mutated.push({ kind: 'tree', root: n as Element, walker: null });
    }
    batchTimer ??= setTimeout(takeBatch, batchDelayMs);
  });
  const observe = (root: Document | ShadowRoot) => {
    if (observedRoots.has(root)) return;
    observedRoots.add(root);
    observer.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['src', 'data-src'] });
  };

  // Done walks, so a plan topped up later never walks the same collection twice.
  const walked = new Set<string>();
  let swept = false;
  let walkedAll = false;
  const enqueuePlan = (plan: ScanPlan) => {
    if (walkedAll) return;
    // Each collection walks the whole document in C++ (about 1 ms per 100k elements here); past a handful
    // of them one walk in script that tests every element (about 0.07 ms per 1k) is cheaper, and it
    // finds the shadow roots of custom elements on the way, without the XPath sweep.
    if (plan.shadows && !swept && plan.tags.length + plan.classes.length + plan.selectors.length > WALKS_BEFORE_TREE && doc.documentElement) {
      walkedAll = swept = true;
      work.push({ kind: 'tree', root: doc.documentElement, walker: null });
      return;
    }
    const fresh: ScanPlan = {
      tags: plan.tags.filter((t) => !walked.has(`t:${t}`)),
      classes: plan.classes.filter((k) => !walked.has(`c:${k.cls}`)),
      selectors: plan.selectors.filter((s) => !walked.has(`s:${s}`)),
      shadows: plan.shadows && !swept,
    };
    for (const t of fresh.tags) walked.add(`t:${t}`);
    for (const k of fresh.classes) walked.add(`c:${k.cls}`);
    for (const s of fresh.selectors) walked.add(`s:${s}`);
    for (const list of planCollections(doc, fresh)) work.push({ kind: 'list', list, i: 0 });
    if (fresh.shadows) {
      swept = true;
      work.push({ kind: 'sweep' });
    }
  };

  function takeBatch() {
    batchTimer = undefined;
    const batch = mutated;
    mutated = [];
    if (batch.length > maxQueue) {
      // Cheaper to walk the document's collections again than to visit every added node.
      walked.clear();
      walkedAll = swept = false;
      enqueuePlan(firstScanPlan(c, { frames: 1, requested: new Set(), complete: false }));
    } else {
      work.push(...batch);
    }
    slice();
  }

  /** One element: an embed, and (for a custom element) the shadow root it may hide embeds in. */
  const visit = (el: Element) => {
    if (isCandidate(el, c)) {
      const hit = classifyCandidate(el, c);
      if (hit) hits.push(hit);
    }
    if (el.localName.includes('-')) {
      watchCustomElements([el]);
      if (el.shadowRoot && !observedRoots.has(el.shadowRoot)) work.push({ kind: 'shadow', root: el.shadowRoot });
    }
  };

  const customHosts = new Set<Element>();
  const sweepTimers: ReturnType<typeof setTimeout>[] = [];
  const sweep = (hosts: Element[]) => {
    for (const sr of openShadowRoots(doc, hosts)) if (!observedRoots.has(sr)) work.push({ kind: 'shadow', root: sr });
  };
  const watchCustomElements = (hosts: Element[]) => {
    const first = customHosts.size === 0;
    for (const h of hosts) customHosts.add(h);
    // An element upgraded after load attaches its shadow root without any mutation we could see.
    if (first && hosts.length) for (const ms of SHADOW_RESWEEP_MS) sweepTimers.push(
        setTimeout(() => {
          sweep([...customHosts]);
          slice();
        }, ms),
      );
  };

  /** Runs queued work until it is done or the slice's budget is spent; returns whether work remains. */
  function run(deadline: number): boolean {
    const more = drain(deadline);
    // Findings are recorded once per slice, so a subtree's embeds arrive in one report.
    const found = hits;
    hits = [];
    if (found.length) record(found);
    return more;
  }

  function drain(deadline: number): boolean {
    let n = 0;
    while (work.length) {
      const w = work[0]!;
      if (w.kind === 'list') {
        while (w.i < w.list.length) {
          const el = w.list[w.i++]!;
          if (!seen.has(el)) {
            const hit = classifyCandidate(el, c);
            if (hit) hits.push(hit);
          }
          if ((++n & 31) === 0 && performance.now() > deadline) return true;
        }
      } else if (w.kind === 'tree') {
        if (!w.walker) {
          if (!w.root.isConnected) {
            work.shift();
            continue;
          }
          visit(w.root);
          if (!w.root.firstElementChild) {
            work.shift();
            continue;
          }
          w.walker = doc.createTreeWalker(w.root, NodeFilter.SHOW_ELEMENT);
        }
        for (let el = w.walker.nextNode(); el; el = w.walker.nextNode()) {
          visit(el as Element);
          if ((++n & 31) === 0 && performance.now() > deadline) return true;
        }
      } else if (w.kind === 'one') {
        if (w.el.isConnected) visit(w.el);
      } else if (w.kind === 'shadow') {
        observe(w.root);
        hits.push(...scanRoot(w.root, pack));
        const hosts = customElementsIn(w.root);
        if (hosts.length) {
          watchCustomElements(hosts);
          for (const sr of openShadowRoots(w.root, hosts)) if (!observedRoots.has(sr)) work.push({ kind: 'shadow', root: sr });
        }
      } else {
        const hosts = customElementsIn(doc);
        watchCustomElements(hosts);
        sweep(hosts);
      }
      work.shift();
      if (performance.now() > deadline) return work.length > 0;
    }
    return false;
  }

  function slice(deadline = performance.now() + budgetMs) {
    sliceScheduled = false;
    if (stopped || !run(deadline) || sliceScheduled) return;
    sliceScheduled = true;
    // Yield to the page: the next idle period (bounded wait), else the next task.
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => slice(), { timeout: 100 });
    else setTimeout(() => slice(), 0);
  }

  // Requests to a watched platform that start after the first scan top its plan up (lazy images, late widgets).
  const signals = opts.signals ?? readSignals(doc, pack.hosts);
  const requested = new Set(signals.requested);
  let resources: PerformanceObserver | undefined;
  if (signals.complete && !opts.signals) {
    try {
      const observer = new PerformanceObserver((list) => {
        const before = requested.size;
        requestedPlatforms(list.getEntries() as unknown as ResourceEntryLike[], pack.hosts, requested);
        if (requested.size === before) return;
        enqueuePlan(firstScanPlan(c, { frames: doc.defaultView?.length ?? 1, requested, complete: true }));
        slice();
      });
      observer.observe({ type: 'resource' });
      // Only an observer that observes may gate the first plan: nothing else would top it up.
      resources = observer;
    } catch {
      // No Resource Timing observer here: the first plan below was built without the gate.
    }
  }

  observe(doc);
  enqueuePlan(firstScanPlan(c, resources || opts.signals ? signals : { ...signals, complete: false }));
  slice();

  return {
    stop() {
      stopped = true;
      observer.disconnect();
      resources?.disconnect();
      sweepTimers.forEach(clearTimeout);
      if (batchTimer) clearTimeout(batchTimer);
    },
    flush() {
      if (batchTimer) {
        clearTimeout(batchTimer);
        takeBatch();
      }
      run(Number.POSITIVE_INFINITY);
    },
  };
}
