/**
 * webRequest → evidence and reachability. Observe-only listeners: nothing here can block or modify a
 * request. A request counts only when its host belongs to a platform in the dataset.
 */
import browser, { type WebRequest } from 'webextension-polyfill';
import { matchUrl, hostOfUrl, type HostMatch } from '../dataset/matcher';
import type { Platform } from '../dataset/schema';
import { decisionContext, type DecisionContext } from './context';
import { addEvidence, FAILURE_KEY, markDirty, resetTab, tabState } from './tab-state';
import { scheduleBadge } from './badge';
import { classifyRequestEvent } from '../reach/classify';
import type { Outcome } from '../reach/outcome';

/** Outcomes that look like censorship of a page load, for which the explanation page may replace the error page. */
export const CENSORSHIP_OUTCOMES: ReadonlySet<Outcome> = new Set(['dns', 'tcp_reset', 'tcp_refused', 'timeout', 'tls', 'http_blockpage']);

export interface ObservedRequest {
  host: string;
  match: HostMatch;
  platform: Platform | undefined;
  resourceType: string;
  timeStamp: number;
  durationMs: number | null;
  outcome: Outcome;
  error: string | null;
  httpStatus: number | null;
  restricted: boolean;
  vantage: 'passive' | 'probe';
}

type Observer = (obs: ObservedRequest, ctx: DecisionContext) => void;
const observers: Observer[] = [];
export function onObservation(fn: Observer): void {
  observers.push(fn);
}

const startedAt = new Map<string, number>();
/** Firefox shows a 451 in onHeadersReceived and then reports only NS_BINDING_ABORTED for scripts and images. */
const statusSeen = new Map<string, number>();
const FILTER = { urls: ['<all_urls>'] };

async function onBeforeRequest(d: WebRequest.OnBeforeRequestDetailsType): Promise<void> {
  const ctx = await decisionContext();
  const match = matchUrl(ctx.hostIndex, d.url);
  if (d.type === 'main_frame' && d.tabId >= 0) {
    // Firefox can deliver this event after the new document's content script has already reported;
    // a state that the new document wrote must not be wiped by the late event.
    const current = await tabState(d.tabId);
    const s = current.docAt !== undefined && current.docAt > d.timeStamp ? current : await resetTab(d.tabId, hostOfUrl(d.url));
    s.site = hostOfUrl(d.url);
    if (match) {
      s.page = match.platform;
      addEvidence(s, match.platform, 'page', 0);
    }
    markDirty(d.tabId);
    scheduleBadge(d.tabId);
  } else if (match && d.tabId >= 0) {
    const s = await tabState(d.tabId);
    if (addEvidence(s, match.platform, `request:${d.type}`)) {
      markDirty(d.tabId);
      scheduleBadge(d.tabId);
    }
  }
  if (match) {
    startedAt.set(d.requestId, d.timeStamp);
    if (startedAt.size > 5000) startedAt.delete(startedAt.keys().next().value!);
  }
}

async function onOutcome(event: 'completed' | 'error' | 'redirect', d: WebRequest.OnCompletedDetailsType | WebRequest.OnErrorOccurredDetailsType | WebRequest.OnBeforeRedirectDetailsType): Promise<void> {
  const ctx = await decisionContext();
  const match = matchUrl(ctx.hostIndex, d.url);
  if (!match) return;
  const started = startedAt.get(d.requestId);
  const headersStatus = statusSeen.get(d.requestId);
  if (event !== 'redirect') {
    startedAt.delete(d.requestId);
    statusSeen.delete(d.requestId);
  }
  let verdict = classifyRequestEvent({
    event,
    url: d.url,
    statusCode: 'statusCode' in d ? d.statusCode : undefined,
    error: 'error' in d ? d.error : undefined,
    redirectUrl: 'redirectUrl' in d ? d.redirectUrl : undefined,
    resourceType: d.type,
  });
  if (event === 'error' && headersStatus === 451 && (!verdict || verdict.outcome === 'inconclusive')) {
    verdict = { outcome: 'http_blockpage', error: 'error' in d ? d.error : null, httpStatus: 451 };
  }
  if (!verdict) return;
  const host = hostOfUrl(d.url)!;
  const obs: ObservedRequest = {
    host,
    match,
    platform: ctx.platformById.get(match.platform),
    resourceType: d.type,
    timeStamp: d.timeStamp,
    durationMs: started !== undefined ? Math.max(0, d.timeStamp - started) : null,
    outcome: verdict.outcome,
    error: verdict.error,
    httpStatus: verdict.httpStatus,
    restricted: ctx.restrictedNow.has(match.platform),
    vantage: d.tabId < 0 && isOwnRequest(d) ? 'probe' : 'passive',
  };
  if (d.tabId >= 0) {
    const s = await tabState(d.tabId);
    const entry = (s.reach[host] ??= { platform: match.platform, outcomes: {}, lastError: null });
    entry.outcomes[verdict.outcome] = (entry.outcomes[verdict.outcome] ?? 0) + 1;
    if (verdict.error) entry.lastError = verdict.error;
    markDirty(d.tabId);
    if (event === 'error' && d.type === 'main_frame' && d.frameId === 0) await maybeExplainFailure(d.tabId, d.url, match.platform, verdict.outcome, verdict.error);
  }
  for (const fn of observers) fn(obs, ctx);
}

/** Requests this extension made itself (active probes): Chromium names the initiator, Firefox the origin URL. */
function isOwnRequest(d: { initiator?: string; originUrl?: string; documentUrl?: string }): boolean {
  const own = browser.runtime.getURL('/').replace(/\/$/, '');
  return [d.initiator, d.originUrl, d.documentUrl].some((u) => typeof u === 'string' && u.startsWith(own));
}

async function onHeadersReceived(d: WebRequest.OnHeadersReceivedDetailsType): Promise<void> {
  if (d.statusCode !== 451) return;
  const ctx = await decisionContext();
  if (matchUrl(ctx.hostIndex, d.url)) statusSeen.set(d.requestId, d.statusCode);
  if (statusSeen.size > 1000) statusSeen.delete(statusSeen.keys().next().value!);
}

export interface MainFrameFailure {
  url: string;
  host: string;
  platform: string;
  outcome: Outcome;
  error: string | null;
}

/** Replaces the browser's error page with ours, only for censorship-like failures of a restricted platform. */
async function maybeExplainFailure(tabId: number, url: string, platform: string, outcome: Outcome, error: string | null): Promise<void> {
  const ctx = await decisionContext();
  if (!ctx.settings.notices.explanationPage || !CENSORSHIP_OUTCOMES.has(outcome) || !ctx.restrictedNow.has(platform)) return;
  const failure: MainFrameFailure = { url, host: hostOfUrl(url)!, platform, outcome, error };
  await browser.storage.session.set({ [FAILURE_KEY(tabId)]: failure });
  await browser.tabs.update(tabId, { url: browser.runtime.getURL('/blocked.html') }).catch(() => {});
}

/** Listeners must be added synchronously when the worker starts, or events that woke it are lost. */
export function listenToRequests(): void {
  browser.webRequest.onBeforeRequest.addListener((d) => void onBeforeRequest(d), FILTER);
  browser.webRequest.onCompleted.addListener((d) => void onOutcome('completed', d), FILTER);
  browser.webRequest.onErrorOccurred.addListener((d) => void onOutcome('error', d), FILTER);
  browser.webRequest.onBeforeRedirect.addListener((d) => void onOutcome('redirect', d), FILTER);
  browser.webRequest.onHeadersReceived.addListener((d) => void onHeadersReceived(d), FILTER);
}
