/**
 * Runs the scan in one frame. All work goes through one queue, drained in slices of `budgetMs`; a slice
 * that runs out yields to the page (next idle period, or the next task) and the rest continues later.
 * The first scan of the document and every mutation batch use the same queue, so neither a page with
 * 50,000 fake embeds nor one that floods the DOM later gets a long task from us (uBlock Origin's discipline).
 *
 *   first scan      firstScanPlan(page signals) → live collections → candidates, classified one by one
 *   mutations       the observer only queues added elements; after batchDelayMs the browser matches the
 *                   combined selector on each subtree (matches + querySelectorAll), and only its candidates
 *                   are classified in script
 *   late requests   a request to a watched platform that appears later (Resource Timing) tops the plan up
 *   shadow roots    open roots of custom elements, when the plan asks; re-swept at 1, 3 and 8 s if any exist
 */
import { classifyCandidate, compilePack, customElementsIn, firstScanPlan, isCandidate, openShadowRoots, planCollections, requestedPlatforms, subtreePlan, type EmbedKind, type FoundEmbed, type PageSignals, type ScanPlan } from './scan';
import type { SignaturePack } from './signatures';
import { embedRegistry } from './registry';

const SHADOW_RESWEEP_MS = [1000, 3000, 8000];
/** Resource Timing keeps 250 entries unless the page asks for more; a full buffer may have dropped some. */
const RESOURCE_BUFFER = 250;

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
  const seen = new WeakSet<Element>();
  const summary: FoundSummary = {};
  const observedRoots = new WeakSet<Node>();
  const work: Work[] = [];
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
    if (fresh.length) embedRegistry().add(fresh);
    if (changed) report(structuredClone(summary));
  };

  // The observer callback runs once per page mutation, so it only keeps the added elements and the
  // elements whose src changed: no walk, no allocation per record, nothing for text-only changes.
  let added: Element[] = [];
  let changed: Element[] = [];
  const observer = new MutationObserver((records) => {
    for (let i = 0; i < records.length; i++) {
      const m = records[i]!;
      if (m.type === 'attributes') changed.push(m.target as Element);
      else {
        const nodes = m.addedNodes;
        for (let j = 0; j < nodes.length; j++) {
          const n = nodes[j]!;
          if (n.nodeType === 1) added.push(n as Element);
        }
      }
    }
    if (batchTimer === undefined && added.length + changed.length > 0) batchTimer = setTimeout(takeBatch, batchDelayMs);
  });
  const observe = (root: Document | ShadowRoot) => {
    if (observedRoots.has(root)) return;
    observedRoots.add(root);
    observer.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['src', 'data-src'] });
  };

  // Done walks, so a plan topped up later never walks the same collection twice.
  const walked = new Set<string>();
  /** The class and selector walks the document has had, for subtreePlan. */
  const done: Pick<ScanPlan, 'classes' | 'selectors'> = { classes: [], selectors: [] };
  let swept = false;
  // The browser's collections, however many, and never one walk in script over every element: each
  // collection walks the document in C++ and hands script only its members, where a TreeWalker that
  // tested every element cost Chromium about twice the script time on the bench's 10k-element page
  // with 20 embeds (ARCHITECTURE.md "The flow of a page load").
  const enqueuePlan = (plan: ScanPlan) => {
    const fresh: ScanPlan = {
      tags: plan.tags.filter((t) => !walked.has(`t:${t}`)),
      classes: plan.classes.filter((k) => !walked.has(`c:${k.cls}`)),
      selectors: plan.selectors.filter((s) => !walked.has(`s:${s}`)),
      shadows: plan.shadows && !swept,
    };
    for (const t of fresh.tags) walked.add(`t:${t}`);
    for (const k of fresh.classes) walked.add(`c:${k.cls}`);
    for (const s of fresh.selectors) walked.add(`s:${s}`);
    if (fresh.classes.length || fresh.selectors.length || fresh.shadows) {
      done.classes.push(...fresh.classes);
      done.selectors.push(...fresh.selectors);
      subtree = null;
    }
    for (const list of planCollections(doc, fresh)) work.push({ kind: 'list', list, i: 0 });
    if (fresh.shadows) {
      swept = true;
      work.push({ kind: 'sweep' });
    }
  };

  /** What each added subtree is checked for (subtreePlan); made again when the document's walks change. */
  let subtree: ScanPlan | null = null;
  /**
   * A batch of mutations: each added subtree gets the browser's tag (and, once the document has had them,
   * class) collections, so no script runs for an element that cannot be an embed; the candidates they
   * hold are classified in slices like the first scan's.
   */
  function takeBatch() {
    batchTimer = undefined;
    const roots = added;
    const attrs = changed;
    added = [];
    changed = [];
    if (roots.length + attrs.length > maxQueue) {
      // Cheaper to walk the document's collections again than to visit every added node.
      walked.clear();
      done.classes.length = done.selectors.length = 0;
      swept = false;
      subtree = null;
      enqueuePlan(firstScanPlan(c, { frames: 1, requested: new Set(), complete: false }));
    } else {
      subtree ??= subtreePlan(c, { tags: [], classes: done.classes, selectors: done.selectors, shadows: swept });
      for (const el of attrs) if (el.isConnected) visit(el);
      for (const root of roots) {
        if (!root.isConnected) continue;
        visit(root);
        if (!root.firstElementChild) continue;
        for (const list of planCollections(root, subtree)) if (list.length) work.push({ kind: 'list', list, i: 0 });
        if (subtree.shadows) shadowsOf(customElementsIn(root));
      }
    }
    slice();
  }

  /** Custom elements that appeared: watch them for late shadow roots, and look into those they have. */
  const shadowsOf = (hosts: Element[]) => {
    if (!hosts.length) return;
    watchCustomElements(hosts);
    for (const h of hosts) if (h.shadowRoot && !observedRoots.has(h.shadowRoot)) work.push({ kind: 'shadow', root: h.shadowRoot });
  };

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
      } else if (w.kind === 'shadow') {
        observe(w.root);
        // A shadow root has no tag collections; its tree is small, so one query is fine.
        const inside = w.root.querySelectorAll(pack.selector);
        for (let i = 0; i < inside.length; i++) {
          const hit = seen.has(inside[i]!) ? null : classifyCandidate(inside[i]!, c);
          if (hit) hits.push(hit);
        }
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
      // A batch brings many small collections: the clock is read every 32 elements or items, and after
      // every shadow root or sweep (each a walk of its own), so one subtree's embeds arrive in one report.
      if (w.kind === 'shadow' || w.kind === 'sweep') n |= 31;
      work.shift();
      if ((++n & 31) === 0 && performance.now() > deadline) return work.length > 0;
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
