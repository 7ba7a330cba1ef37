/**
 * Puts the notice UI into a frame and tells it what to show (ARCHITECTURE.md "Background features").
 * Features decide; this file only carries out: a feature registers a NoticePart that says whether a
 * frame wants the UI and what its part of the frame's NoticeContext is. The UI bundle is injected only
 * into frames that have something to show, so pages with no restricted platform never load it.
 */
import browser from 'webextension-polyfill';
import { dirOf } from '../i18n-core';
import { noticeStrings } from '../notice/strings';
import type { FrameMessage, NoticeContext } from '../protocol';
import type { Background, ContentSender } from './host';
import type { DecisionContext } from './context';
import type { TabState } from './tab-state';

export const NOTICE_SCRIPT = '/notice.js';
const INJECT_ATTEMPTS = 3;
const INJECT_RETRY_MS = 300;

type Contribution = Partial<Pick<NoticeContext, 'platforms' | 'banner'>>;

export interface NoticePart {
  id: string;
  /** Whether this frame should have the notice UI for this part. */
  wants(ctx: DecisionContext, s: TabState, frameId: number): Awaitable<boolean>;
  /** This part's share of what the frame shows; called when the notice UI asks. */
  build(ctx: DecisionContext, s: TabState, frameId: number): Awaitable<Contribution>;
}
type Awaitable<T> = T | Promise<T>;

type NoticeUiHost = Pick<Background, 'context' | 'tabs' | 'onContent'>;

export type Injector = (tabId: number, frameId: number) => Promise<void>;

/** Firefox can refuse an injection while the frame is still settling; a second try a moment later works. */
export const injectNoticeScript: Injector = async (tabId, frameId) => {
  for (let attempt = 1; ; attempt++) {
    try {
      await browser.scripting.executeScript({ target: { tabId, frameIds: [frameId] }, files: [NOTICE_SCRIPT] });
      return;
    } catch (error) {
      if (attempt >= INJECT_ATTEMPTS) throw error;
      await new Promise((r) => setTimeout(r, INJECT_RETRY_MS));
    }
  }
};

export class NoticeUi {
  readonly #parts: NoticePart[] = [];
  readonly #bg: NoticeUiHost;
  readonly #inject: Injector;

  constructor(bg: NoticeUiHost, inject: Injector = injectNoticeScript) {
    this.#bg = bg;
    this.#inject = inject;
    bg.onContent('notice:context', (_request, from, ctx) => this.contextFor(from, ctx));
  }

  register(part: NoticePart): void {
    this.#parts.push(part);
  }

  /** Injects the notice UI into a frame once per document if any part wants it there; otherwise asks it to refresh. */
  async ensure(tabId: number, frameId: number): Promise<void> {
    const ctx = await this.#bg.context();
    const s = await this.#bg.tabs.read(tabId);
    let wanted = false;
    for (const part of this.#parts) {
      wanted = await part.wants(ctx, s, frameId);
      if (wanted) break;
    }
    if (!wanted) return;
    // Claiming the frame is one dispatch, so two findings at once inject the UI once.
    if ((await this.#bg.tabs.dispatch(tabId, { type: 'notice-injecting', frameId })) === null) {
      // Already there (or on its way): let it pick up what is new.
      const refresh: FrameMessage = { type: 'notice:refresh' };
      await browser.tabs.sendMessage(tabId, refresh, { frameId }).catch(() => {});
      return;
    }
    try {
      await this.#inject(tabId, frameId);
    } catch {
      await this.#bg.tabs.dispatch(tabId, { type: 'notice-failed', frameId });
    }
  }

  async contextFor(from: ContentSender, ctx: DecisionContext): Promise<NoticeContext> {
    const s = await this.#bg.tabs.read(from.tabId);
    const context: NoticeContext = { lang: ctx.lang, dir: dirOf(ctx.lang), strings: noticeStrings(ctx.t), platforms: [], banner: null };
    for (const part of this.#parts) Object.assign(context, await part.build(ctx, s, from.frameId));
    return context;
  }
}
