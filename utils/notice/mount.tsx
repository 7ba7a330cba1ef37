/**
 * The notice UI inside a page. Injected by the background only into frames that need it.
 *
 *   embeds found by the detector (isolated-world registry) ──► one label per broken-looking embed
 *   background says the top page is a restricted platform  ──► one banner
 *
 * Every notice is a <banlens-notice data-platform> host with a closed shadow root. The page may remove
 * or restyle hosts; a guard puts them back a few times, then gives up rather than fight forever. Its
 * decisions are in guard.ts.
 */
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { NoticeCard } from '@/components/NoticeCard';
import { embedRegistry } from '../detect/registry';
import type { FoundEmbed } from '../detect/scan';
import type { ExplainedPlatform } from '../explain';
import { tagOf } from '../languages';
import { ask, isFrameMessage, type NoticeContext } from '../protocol';
import { guardFix, liveLabels } from './guard';
import { NOTICE_CSS } from './styles';
import { pageIsDark } from './scheme';
import { translatorFrom } from './strings';

export const NOTICE_TAG = 'banlens-notice';
/** A page full of embeds, real or planted, gets at most this many labels per frame. */
export const MAX_LABELS_PER_FRAME = 12;
const MAX_REATTACH = 3;
/**
 * Labels mount a few at a time, at most this much work per task, then yield: in Firefox twelve labels in one
 * task held a page's event loop past the 50 ms that makes a long task.
 */
const LABEL_SLICE_MS = 8;
const HOST_STYLE = 'display:block !important;visibility:visible !important;opacity:1 !important;position:static !important;transform:none !important;clip-path:none !important;height:auto !important;width:auto !important;max-width:100% !important;margin:4px 0 !important;';
const BANNER_HOST_STYLE = 'display:block !important;visibility:visible !important;opacity:1 !important;position:static !important;';

interface Notice {
  host: HTMLElement;
  anchor: Element | null;
  platform: string;
  reattached: number;
  /** Where the card is drawn inside the closed root (alignment is set on it, not on the host). */
  mountPoint: HTMLElement;
}

/**
 * Lines a label up with its embed: same start edge and at most the embed's width, so a centred or
 * indented embed gets its label right above it, not at the column's edge. Set inside the shadow root,
 * so the host keeps the fixed style the guard enforces. Measures only (a read); `applyAlignment` writes.
 */
function measureAlignment(host: HTMLElement, anchor: Element): { marginInlineStart: string; maxWidth: string } | null {
  const a = anchor.getBoundingClientRect();
  const h = host.getBoundingClientRect();
  if (a.width === 0 || h.width === 0) return null;
  const rtl = getComputedStyle(host.parentElement ?? host).direction === 'rtl';
  const offset = Math.max(0, Math.round(rtl ? h.right - a.right : a.left - h.left));
  return { marginInlineStart: offset > 0 && offset < h.width - 120 ? `${offset}px` : '0px', maxWidth: `${Math.max(280, Math.round(a.width))}px` };
}

function applyAlignment(mountPoint: HTMLElement, a: { marginInlineStart: string; maxWidth: string }): void {
  mountPoint.style.marginInlineStart = a.marginInlineStart;
  mountPoint.style.maxWidth = a.maxWidth;
}

export interface NoticeUi {
  refresh(): Promise<void>;
  stop(): void;
  /** False once the extension that injected this UI was reloaded or updated: its messages go nowhere. */
  alive(): boolean;
}

function createHost(platform: string, basis: 'recorded' | 'observed', style: string): { host: HTMLElement; mountPoint: HTMLElement; shadow: ShadowRoot } {
  const host = document.createElement(NOTICE_TAG);
  host.dataset.platform = platform;
  // README "data-basis": recorded (a restriction in force in the dataset) or observed (failing here, nothing in force recorded).
  host.dataset.basis = basis;
  host.setAttribute('style', style);
  const shadow = host.attachShadow({ mode: 'closed' });
  applyStyles(shadow);
  const mountPoint = document.createElement('div');
  shadow.append(mountPoint);
  return { host, mountPoint, shadow };
}

/** One constructed sheet for every notice in the frame: parsed once, not once per label. Null: this browser will not adopt it. */
let sharedSheet: CSSStyleSheet | null | undefined;

function applyStyles(shadow: ShadowRoot): void {
  // A constructed sheet is exempt from the page's style-src CSP; a <style> element is the fallback.
  if (sharedSheet !== null) {
    try {
      if (!sharedSheet) {
        sharedSheet = new CSSStyleSheet();
        sharedSheet.replaceSync(NOTICE_CSS);
      }
      shadow.adoptedStyleSheets = [sharedSheet];
      if (shadow.adoptedStyleSheets.length === 1) return;
    } catch {
      // Firefox content scripts cannot always hand a sheet to the page's document.
    }
    sharedSheet = null;
  }
  const style = document.createElement('style');
  style.textContent = NOTICE_CSS;
  shadow.append(style);
}

/** An embed is worth a label if it is markup or a frame, or media that visibly failed to load. */
function wantsLabel(e: FoundEmbed): boolean {
  if (e.kind === 'markup' || e.kind === 'frame') return true;
  if (e.kind === 'media' && e.el instanceof HTMLImageElement) return e.el.complete && e.el.naturalWidth === 0 && !!e.el.currentSrc;
  return false;
}

export async function startNoticeUi(): Promise<NoticeUi | null> {
  const g = globalThis as unknown as { __banlensNoticeUi?: NoticeUi };
  const running = g.__banlensNoticeUi;
  // Injected again into a frame that has the UI: it picks up what is new. A UI left by a reloaded extension
  // makes way for this one.
  if (typeof running?.alive === 'function' && running.alive()) {
    await running.refresh();
    return running;
  }
  running?.stop();
  const registry = embedRegistry();
  const notices: Notice[] = [];
  const dismissed = new Set<string>();
  let context: NoticeContext | null = null;
  let bannerShown = false;
  let stopped = false;
  /** The page's darkness, read once per batch of notices (each read after an insertion restyles the page: 50,000 elements felt it). */
  let darkPage: boolean | null = null;
  /** Embeds waiting for a label, taken in order, a slice at a time. */
  let queue: FoundEmbed[] = [];
  let next = 0;
  let sliceScheduled = false;
  const labelAll = (embeds: readonly FoundEmbed[]) => {
    darkPage = null;
    queue.push(...embeds);
    if (!sliceScheduled) labelSlice();
  };
  const labelSlice = () => {
    sliceScheduled = false;
    const deadline = performance.now() + LABEL_SLICE_MS;
    // Labels of embeds the page has since removed do not count: a page that churns its embeds keeps its labels.
    let room = MAX_LABELS_PER_FRAME - liveLabels(notices);
    while (next < queue.length && room > 0 && !stopped) {
      if (label(queue[next++]!)) room--;
      if (next < queue.length && room > 0 && performance.now() > deadline) {
        sliceScheduled = true;
        setTimeout(labelSlice, 0);
        return;
      }
    }
    // Done, or full: what is left would find no room (a label freed later is filled by the next batch, as before).
    queue = [];
    next = 0;
  };

  const fetchContext = async () => {
    // Null while the extension is being updated or reloaded: nothing is shown until it answers.
    const c: NoticeContext | null | undefined = await ask(browser.runtime, { type: 'notice:context' }).catch(() => null);
    context = c && Array.isArray(c.platforms) ? c : null;
  };

  const platformInfo = (id: string): ExplainedPlatform | undefined => context?.platforms.find((p) => p.platform === id);

  // Embeds grow into place (a blockquote becomes an iframe); their labels follow. One observer for all, all
  // reads before any write, so a batch of labels lays the page out once.
  const aligner =
    typeof ResizeObserver === 'function'
      ? new ResizeObserver((entries) => {
          const moves: [HTMLElement, { marginInlineStart: string; maxWidth: string }][] = [];
          for (const e of entries) {
            const n = notices.find((x) => x.anchor === e.target);
            const a = n ? measureAlignment(n.host, e.target) : null;
            if (n && a) moves.push([n.mountPoint, a]);
          }
          for (const [mountPoint, a] of moves) applyAlignment(mountPoint, a);
        })
      : null;
  const labelled = new WeakSet<Element>();
  const drop = (n: Notice) => {
    // An embed the page puts back later may be labelled again.
    if (n.anchor) labelled.delete(n.anchor);
    n.host.remove();
    if (n.anchor) aligner?.unobserve(n.anchor);
    notices.splice(notices.indexOf(n), 1);
  };
  const removePlatform = (platform: string | null) => {
    for (const n of [...notices]) if (platform === null || n.platform === platform) drop(n);
  };

  const mount = (platform: ExplainedPlatform, variant: 'label' | 'banner', anchor: Element | null) => {
    if (!context) return;
    const { host, mountPoint } = createHost(platform.platform, platform.basis ?? 'recorded', variant === 'banner' ? BANNER_HOST_STYLE : HOST_STYLE);
    mountPoint.setAttribute('dir', context.dir);
    mountPoint.setAttribute('lang', tagOf(context.lang));
    darkPage ??= pageIsDark();
    mountPoint.className = darkPage ? 'bl-root bl-dark' : 'bl-root';
    const t = translatorFrom(context.strings);
    const notice: Notice = { host, anchor, platform: platform.platform, reattached: 0, mountPoint };
    render(
      <NoticeCard
        platform={platform}
        t={t}
        lang={context.lang}
        variant={variant}
        onDismiss={() => {
          dismissed.add(platform.platform);
          removePlatform(platform.platform);
          if (variant === 'banner') void ask(browser.runtime, { type: 'notice:banner-dismissed', platform: platform.platform }).catch(() => {});
        }}
        onReport={() => ask(browser.runtime, { type: 'notice:report', platform: platform.platform }).then((a) => a?.ok === true, () => false)}
        onMuteSite={() => {
          dismissed.add('*');
          removePlatform(null);
          void ask(browser.runtime, { type: 'notice:mute-site' }).catch(() => {});
        }}
      />,
      mountPoint,
    );
    if (anchor) {
      anchor.before(host);
      // Aligned when the browser next lays the page out (a ResizeObserver reports each new target once),
      // so twelve labels cost one layout, not twelve forced ones (a page of 50,000 elements felt each).
      if (aligner) aligner.observe(anchor);
      else {
        const a = measureAlignment(host, anchor);
        if (a) applyAlignment(mountPoint, a);
      }
    } else (document.body ?? document.documentElement).prepend(host);
    notices.push(notice);
  };

  /** Labels one embed if it should be; true if a label was mounted. The cap is the caller's (labelSlice). */
  const label = (e: FoundEmbed): boolean => {
    if (stopped || dismissed.has('*') || dismissed.has(e.platform) || labelled.has(e.el)) return false;
    const info = platformInfo(e.platform);
    if (!info || !e.el.isConnected) return false;
    if (!wantsLabel(e)) {
      // Images may fail after we looked; label them if they do.
      if (e.kind === 'media' && e.el instanceof HTMLImageElement && !e.el.complete) e.el.addEventListener('error', () => labelAll([e]), { once: true });
      return false;
    }
    labelled.add(e.el);
    mount(info, 'label', e.el);
    return true;
  };

  const showBanner = () => {
    if (bannerShown || !context?.banner || dismissed.has('*')) return;
    bannerShown = true;
    mount(context.banner, 'banner', null);
  };

  // Put back notices the page removed while their embed is still there, restore host styles the page
  // changed, and drop labels whose embed is gone.
  const guard = new MutationObserver(() => {
    for (const n of [...notices]) {
      const wanted = n.anchor ? HOST_STYLE : BANNER_HOST_STYLE;
      let fix = guardFix(n, wanted, MAX_REATTACH);
      if (fix === 'drop') {
        drop(n);
        continue;
      }
      if (fix === 'reattach') {
        n.reattached++;
        if (n.anchor) n.anchor.before(n.host);
        else (document.body ?? document.documentElement).prepend(n.host);
        fix = guardFix(n, wanted, MAX_REATTACH);
      }
      if (fix === 'restyle') {
        n.reattached++;
        n.host.setAttribute('style', wanted);
      }
    }
  });

  const ui: NoticeUi = {
    async refresh() {
      await fetchContext();
      labelAll(registry.embeds);
      showBanner();
    },
    alive: () => !stopped && !!browser.runtime?.id,
    stop() {
      stopped = true;
      guard.disconnect();
      aligner?.disconnect();
      removePlatform(null);
    },
  };
  Object.defineProperty(g, '__banlensNoticeUi', { value: ui, configurable: true });

  // The guard watches before the first notice is mounted: a page that restyles a notice the moment it
  // appears does so in the same microtask checkpoint, and nothing later would show us the change.
  guard.observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ['style'] });
  await ui.refresh();
  registry.subscribe(labelAll);
  browser.runtime.onMessage.addListener((msg: unknown) => {
    if (isFrameMessage(msg)) void ui.refresh();
  });
  return ui;
}
