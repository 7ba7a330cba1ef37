/**
 * The background's frame (ARCHITECTURE.md "Background features"): it owns the browser listeners that
 * several features share, the message router, the tab store and the observation pipeline, and hands each
 * feature a `Background` to register what it needs. A feature is one file in ./features/ and never
 * imports another feature's state.
 */
import browser, { type Runtime, type WebRequest } from 'webextension-polyfill';
import { z } from 'zod';
import { bundledHostIndex, watchDatasetChanges } from '../dataset/store';
import { matchHost, type HostIndex } from '../dataset/matcher';
import { settingsItem } from '../storage';
import { isControlHost } from '../observed/status';
import type { Answer, ContentRequest, ContentRequests, ContentType, PageRequest, PageRequests, PageType } from '../protocol';
import { CONTENT_REQUESTS, PAGE_REQUESTS } from '../protocol/requests';
import { decisionContext, invalidateContext, type DecisionContext } from './context';
import { TabStore } from './tab-store';
import { NoticeUi } from './notice-ui';
import {
  isPlatformHost,
  matchObservation,
  ObservationJournal,
  observeRequest,
  RequestTracker,
  requestHost,
  type JournalStore,
  type PlatformObservation,
  type RequestObservation,
  type RequestStart,
} from './observations';

/** Who sent a content-script message: always a tab's frame (others are refused before a handler runs). */
export interface ContentSender {
  tabId: number;
  frameId: number;
  /** The frame's URL, as the browser reports it. */
  url: string;
}

type Awaitable<T> = T | Promise<T>;
export type ContentHandler<K extends ContentType> = (request: ContentRequest<K>, from: ContentSender, ctx: DecisionContext) => Awaitable<Answer<K>>;
export type PageHandler<K extends PageType> = (request: PageRequest<K>, ctx: DecisionContext) => Awaitable<Answer<K>>;
export type ObservationListener = (obs: PlatformObservation, ctx: DecisionContext) => Awaitable<unknown>;

export interface Background {
  /** The current decision context (settings, dataset, regions, today). */
  context(): Promise<DecisionContext>;
  tabs: TabStore;
  /** Answers one content-script message type. Each type has exactly one handler. */
  onContent<K extends ContentType>(type: K, handler: ContentHandler<K>): void;
  /** Answers one extension-page message type. Each type has exactly one handler. */
  onPage<K extends PageType>(type: K, handler: PageHandler<K>): void;
  /** A main-frame request, or a request to a platform host, began. */
  onRequestStart(listener: (start: RequestStart, ctx: DecisionContext) => void): void;
  /** A request to a platform host ended (or a probe timed out). Listeners may return a promise. */
  onObservation(listener: ObservationListener): void;
  /**
   * A control load: a successful https main-frame or sub-resource load, in a tab, of a public host that belongs to
   * no platform (utils/observed/status.ts isControlHost). Listeners get its time only: the host is never handed on.
   */
  onControl(listener: (at: number) => void): void;
  /** Feeds an observation made outside webRequest (a probe's timeout) into the same pipeline. */
  observe(obs: PlatformObservation): Promise<void>;
  /** Settings or the dataset changed, or the worker started: the new context. */
  onContextChange(listener: (ctx: DecisionContext) => void): void;
  /** A feature changed an input of the context that only it writes (the observed statuses): rebuild it. */
  refreshContext(): void;
  /** Work that must be written before an answer can rely on it (the log's buffer). */
  onFlush(flush: () => Promise<void>): void;
  flush(): Promise<void>;
  /** Storage of the observation journal (storage.session in the extension). */
  journal: ObservationJournal;
  /** A tab closed. */
  onTabRemoved(listener: (tabId: number) => void): void;
  /** Injects the notice UI where a registered part wants it, and answers `notice:context`. */
  notices: NoticeUi;
  /** The message types that have a handler (for the meta-test that every declared message has one). */
  handled(): { content: string[]; page: string[] };
}

export interface Feature {
  /** The feature file's name: features/<id>.ts. */
  id: string;
  setup(bg: Background): void;
}

export function defineFeature(feature: Feature): Feature {
  return feature;
}

/** A request that shows the public web loads: https, ok, a page's request, to a public name (not loopback or private). */
export function isControl(obs: Pick<RequestObservation, 'url' | 'host' | 'outcome' | 'tabId' | 'vantage'>): boolean {
  return obs.outcome === 'ok' && obs.tabId >= 0 && obs.vantage === 'passive' && obs.url.startsWith('https://') && isControlHost(obs.host);
}

const WEB_REQUEST_FILTER = { urls: ['<all_urls>'] };
/** The performance mark set when startBackground has registered every listener. */
export const LISTENING_MARK = 'banlens:listening';

/** The request schemas, typed per message type so that a handler gets exactly its request's type. */
const CONTENT_SCHEMAS: { [K in ContentType]: z.ZodType<ContentRequests[K]> } = CONTENT_REQUESTS;
const PAGE_SCHEMAS: { [K in PageType]: z.ZodType<PageRequests[K]> } = PAGE_REQUESTS;

export interface BackgroundOptions {
  /** Where the journal writes; storage.session unless a test says otherwise. */
  journalStore?: JournalStore;
}

/** Sets up every feature. Call synchronously when the worker starts: an event that woke it reaches only listeners added then. */
export function startBackground(features: readonly Feature[], options: BackgroundOptions = {}): Background {
  const tabs = new TabStore();
  const contentHandlers = new Map<string, (raw: unknown, from: ContentSender, ctx: DecisionContext) => Promise<unknown>>();
  const pageHandlers = new Map<string, (raw: unknown, ctx: DecisionContext) => Promise<unknown>>();
  const startListeners: ((start: RequestStart, ctx: DecisionContext) => void)[] = [];
  const observationListeners: ObservationListener[] = [];
  const contextListeners: ((ctx: DecisionContext) => void)[] = [];
  const flushers: (() => Promise<void>)[] = [];
  const removedListeners: ((tabId: number) => void)[] = [];
  const controlListeners: ((at: number) => void)[] = [];
  const tracker = new RequestTracker();
  const journal = new ObservationJournal(options.journalStore ?? browser.storage.session);
  const ownOrigin = browser.runtime.getURL('/');

  // Decides, with no await, which requests are platform requests worth tracking and journaling: the
  // last context's index, or the bundled core's (built into the extension) before the first context is ready.
  let index: HostIndex | undefined;
  const currentIndex = (): HostIndex => (index ??= bundledHostIndex());

  const notifyObservation = async (obs: PlatformObservation, ctx: DecisionContext): Promise<void> => {
    await Promise.all(
      observationListeners.map(async (listener) => {
        try {
          await listener(obs, ctx);
        } catch (error) {
          console.warn('BanLens: an observation listener failed', error);
        }
      }),
    );
  };

  const handleObservation = async (obs: RequestObservation, journalKey: string | undefined): Promise<void> => {
    try {
      const ctx = await decisionContext();
      const matched = matchObservation(obs, ctx, journalKey);
      if (matched) await notifyObservation(matched, ctx);
    } catch (error) {
      console.warn('BanLens: an observation was not handled', error);
    } finally {
      if (journalKey !== undefined) await journal.settle(journalKey);
    }
  };

  const onOutcome = (event: 'completed' | 'error' | 'redirect', d: WebRequest.OnCompletedDetailsType | WebRequest.OnErrorOccurredDetailsType | WebRequest.OnBeforeRedirectDetailsType) => {
    const obs = observeRequest(event, d, tracker.end(d.requestId, event), ownOrigin);
    if (!obs) return;
    const platformHost = isPlatformHost(currentIndex(), obs.host);
    // The journal filter widened only this far: a control is a time, never journaled, logged or stored with its host.
    if (!platformHost && isControl(obs)) for (const listener of controlListeners) listener(obs.timeStamp);
    // Durable before anything is awaited: the decision context may take a while on a fresh worker.
    const journalKey = platformHost ? journal.append(obs) : undefined;
    void handleObservation(obs, journalKey);
  };

  const onBeforeRequest = (d: WebRequest.OnBeforeRequestDetailsType) => {
    const host = requestHost(d.url);
    const platformHost = host !== null && isPlatformHost(currentIndex(), host);
    if (platformHost) tracker.started(d.requestId, d.timeStamp);
    if (d.tabId < 0 || (!platformHost && d.type !== 'main_frame')) return;
    void decisionContext()
      .then((ctx) => {
        const start: RequestStart = { tabId: d.tabId, frameId: d.frameId, resourceType: d.type, host, match: host ? matchHost(ctx.hostIndex, host) : null, timeStamp: d.timeStamp };
        if (start.match === null && d.type !== 'main_frame') return;
        for (const listener of startListeners) listener(start, ctx);
      })
      .catch((error: unknown) => console.warn('BanLens: a request start was not handled', error));
  };

  const onHeadersReceived = (d: WebRequest.OnHeadersReceivedDetailsType) => {
    const host = requestHost(d.url);
    if (host !== null && isPlatformHost(currentIndex(), host)) tracker.headers(d.requestId, d.statusCode);
  };

  const extensionOrigin = browser.runtime.getURL('/');
  const handleMessage = async (raw: unknown, sender: Runtime.MessageSender): Promise<unknown> => {
    if (sender.id !== browser.runtime.id) return undefined;
    const type = z.object({ type: z.string() }).safeParse(raw);
    if (!type.success) return undefined;
    const fromExtensionPage = typeof sender.url === 'string' && sender.url.startsWith(extensionOrigin);
    if (fromExtensionPage) {
      const handler = pageHandlers.get(type.data.type);
      return handler ? handler(raw, await decisionContext()) : undefined;
    }
    // Content scripts report the page's URL, never ours; they always speak from a tab.
    const tabId = sender.tab?.id;
    const handler = contentHandlers.get(type.data.type);
    if (!handler || tabId === undefined || tabId < 0) return undefined;
    return handler(raw, { tabId, frameId: sender.frameId ?? 0, url: sender.url ?? '' }, await decisionContext());
  };

  const contextChanged = () => {
    void decisionContext()
      .then((ctx) => {
        index = ctx.hostIndex;
        // One feature's failure must not keep the new context from the features after it.
        for (const listener of contextListeners) {
          try {
            listener(ctx);
          } catch (error) {
            console.warn('BanLens: a context listener failed', error);
          }
        }
      })
      .catch((error: unknown) => console.warn('BanLens: no decision context', error));
  };
  const core: Omit<Background, 'notices'> = {
    context: decisionContext,
    tabs,
    journal,
    onContent<K extends ContentType>(type: K, handler: ContentHandler<K>) {
      if (contentHandlers.has(type)) throw new Error(`two handlers for ${type}`);
      contentHandlers.set(type, async (raw, from, ctx) => {
        const request = CONTENT_SCHEMAS[type].safeParse(raw);
        return request.success ? handler(request.data, from, ctx) : undefined;
      });
    },
    onPage<K extends PageType>(type: K, handler: PageHandler<K>) {
      if (pageHandlers.has(type)) throw new Error(`two handlers for ${type}`);
      pageHandlers.set(type, async (raw, ctx) => {
        const request = PAGE_SCHEMAS[type].safeParse(raw);
        return request.success ? handler(request.data, ctx) : undefined;
      });
    },
    onRequestStart: (listener) => void startListeners.push(listener),
    onObservation: (listener) => void observationListeners.push(listener),
    observe: async (obs) => notifyObservation(obs, await decisionContext()),
    onContextChange: (listener) => void contextListeners.push(listener),
    refreshContext: () => {
      invalidateContext();
      contextChanged();
    },
    onControl: (listener) => void controlListeners.push(listener),
    onFlush: (flush) => void flushers.push(flush),
    flush: async () => {
      await Promise.all([tabs.flush(), ...flushers.map((f) => f())]);
    },
    onTabRemoved: (listener) => void removedListeners.push(listener),
    handled: () => ({ content: [...contentHandlers.keys()], page: [...pageHandlers.keys()] }),
  };

  // Listeners first and synchronously: an event that woke the worker is delivered only to them.
  browser.webRequest.onBeforeRequest.addListener(onBeforeRequest, WEB_REQUEST_FILTER);
  browser.webRequest.onHeadersReceived.addListener(onHeadersReceived, WEB_REQUEST_FILTER);
  browser.webRequest.onCompleted.addListener((d) => onOutcome('completed', d), WEB_REQUEST_FILTER);
  browser.webRequest.onErrorOccurred.addListener((d) => onOutcome('error', d), WEB_REQUEST_FILTER);
  browser.webRequest.onBeforeRedirect.addListener((d) => onOutcome('redirect', d), WEB_REQUEST_FILTER);
  browser.runtime.onMessage.addListener((msg: unknown, sender: Runtime.MessageSender) => handleMessage(msg, sender));
  browser.tabs.onRemoved.addListener((tabId) => {
    void tabs.forget(tabId);
    for (const listener of removedListeners) listener(tabId);
  });

  const ready: Background = { ...core, notices: new NoticeUi(core) };
  for (const feature of features) feature.setup(ready);

  settingsItem.watch(() => {
    invalidateContext();
    contextChanged();
  });
  watchDatasetChanges(() => {
    invalidateContext();
    contextChanged();
  });
  void tabs.load();
  contextChanged();
  // The worker's script has run and every listener is in place (scripts/bench.ts reads it beside FIRST_CONTEXT_MARK).
  performance.mark?.(LISTENING_MARK);
  return ready;
}
