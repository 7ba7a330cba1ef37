/**
 * The one declaration of every message between the extension's parts (ARCHITECTURE.md "Protocol"):
 * for each message type, the request (a zod schema in ./requests.ts) and the answer (a type here).
 *
 *   content script ──ask(type)──► background handler registered for that type ──► Answer<type>
 *   extension page ──ask(type)──► background handler registered for that type ──► Answer<type>
 *   background ──tell(frame, 'notice:refresh')──► notice UI
 *
 * This file carries no zod and no browser API, so the detector and the notice bundle can import it for
 * free. Answer types live here, never in background files.
 */
import type { z } from 'zod';
import type { CONTENT_REQUESTS, PAGE_REQUESTS } from './requests';
import type { SignaturePack } from '../detect/signatures';
import type { ExplainedPlatform } from '../explain';
import type { Lang } from '../i18n';
import type { Outcome } from '../reach/outcome';
import type { ProbeRefusal } from '../reach/probe';
import type { RegionChoice } from '../region';
import type { NoticeStrings } from '../notice/strings';

export type Dir = 'ltr' | 'rtl';
export interface Ok {
  ok: boolean;
}

/** What the notice UI in one frame shows: labels for its embeds, and the banner in the top frame. */
export interface NoticeContext {
  lang: Lang;
  dir: Dir;
  /** The active language's strings that a notice uses, and no others (ARCHITECTURE.md "Notice bundle"). */
  strings: NoticeStrings;
  platforms: ExplainedPlatform[];
  banner: ExplainedPlatform | null;
}

export interface PopupState {
  lang: Lang;
  dir: Dir;
  regions: { code: string; name: string }[];
  regionSource: RegionChoice['source'];
  site: string | null;
  siteMuted: boolean;
  noticesMode: 'full' | 'badge-only';
  noticesEnabled: boolean;
  restrictedHere: number;
  platforms: ExplainedPlatform[];
  reach: { host: string; platform: string; outcomes: Partial<Record<Outcome, number>>; lastError: string | null }[];
  dataset: { version: string; asOf: string; researchedThrough: string; source: 'bundled' | 'imported' | 'updated' };
}

/** A tab's failed main-frame load, kept for the explanation page and its retry. */
export interface MainFrameFailure {
  url: string;
  host: string;
  platform: string;
  outcome: Outcome;
  error: string | null;
  /** Absent: recorded (a failure kept before the observed basis existed). */
  basis?: 'recorded' | 'observed';
}

export interface BlockedState {
  failure: MainFrameFailure;
  explained: ExplainedPlatform | null;
  /** For the observed basis: the page's heading and text, worded so as to claim no block the sources do not show. */
  observed?: { heading: string; body: string };
  lang: Lang;
  dir: Dir;
}

export interface RegionState {
  region: RegionChoice;
  anyRestriction: boolean;
  names: string[];
}

/** The dataset update channel as Settings shows it. */
export interface DatasetUpdateState {
  enabled: boolean;
  /** The update host; null when this build has no update channel (updates are off and Settings says why). */
  host: string | null;
  status: import('../storage').DatasetUpdateStatus | null;
  active: { version: string; researchedThrough: string; source: 'bundled' | 'imported' | 'updated' };
  previous: { version: string; source: 'bundled' | 'imported' | 'updated' } | null;
}

export interface ProbeRunResult {
  ran: number;
  skipped: ProbeRefusal | null;
}

/** The answer to each content-script request. */
interface ContentAnswers {
  /** null: nothing is restricted in the user's regions, so the frame has nothing to look for. */
  signatures: SignaturePack | null;
  found: Ok;
  'notice:context': NoticeContext;
  'notice:mute-site': Ok;
  'notice:banner-dismissed': Ok;
  /** ok false: the log is off, so nothing was stored. */
  'notice:report': Ok;
}

/** The answer to each extension-page request. */
interface PageAnswers {
  'popup:state': PopupState;
  'popup:set-site-muted': Ok;
  /** null: this tab has no failed load to explain. */
  'blocked:state': BlockedState | null;
  'region:state': RegionState;
  'probe:run': ProbeRunResult;
  'dataset:update-state': DatasetUpdateState;
  /** Checks the channel now (the user asked), whatever the back-off says; refused while the setting is off. */
  'dataset:update-now': DatasetUpdateState;
  'popup:report': Ok;
}

export type ContentType = keyof typeof CONTENT_REQUESTS;
export type PageType = keyof typeof PAGE_REQUESTS;
export type MessageType = ContentType | PageType;

/** Each request's type, inferred from its schema: declared once, in ./requests.ts. */
export type ContentRequests = { [K in ContentType]: z.infer<(typeof CONTENT_REQUESTS)[K]> };
export type PageRequests = { [K in PageType]: z.infer<(typeof PAGE_REQUESTS)[K]> };
export type ContentRequest<K extends ContentType> = ContentRequests[K];
export type PageRequest<K extends PageType> = PageRequests[K];
export type Request<K extends MessageType> = K extends ContentType ? ContentRequest<K> : K extends PageType ? PageRequest<K> : never;
export type Answer<K extends MessageType> = K extends ContentType ? ContentAnswers[K] : K extends PageType ? PageAnswers[K] : never;

/** Messages the background sends to a frame's notice UI. */
export type FrameMessage = { type: 'notice:refresh' };

/** The part of `runtime` (either browser global, or the polyfill) that sending needs. */
export interface MessageRuntime {
  sendMessage(message: unknown): Promise<unknown>;
}

/**
 * Sends a request to the background and returns its typed answer. The background is ours and answers
 * by this same declaration, so this is the one place that trusts an answer's type.
 */
export function ask<K extends MessageType>(runtime: MessageRuntime, request: Request<K> & { type: K }): Promise<Answer<K>> {
  return runtime.sendMessage(request) as Promise<Answer<K>>;
}

export function isFrameMessage(msg: unknown): msg is FrameMessage {
  return typeof msg === 'object' && msg !== null && 'type' in msg && msg.type === 'notice:refresh';
}
