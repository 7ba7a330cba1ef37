/**
 * One observation pipeline (ARCHITECTURE.md "Background features"): each webRequest event becomes one
 * typed observation, its host parsed once and its outcome decided by the classifier alone.
 *
 *   webRequest event ─► RequestTracker (start time, status seen in headers)
 *                    ─► observeRequest: host, classifyRequestEvent ─► RequestObservation   (sync, pure)
 *                    ─► journal to storage.session at once, before anything is awaited
 *                    ─► await the decision context ─► matchObservation ─► PlatformObservation
 *                    ─► every feature's onObservation (the log, tab reach, the explanation page)
 *                    ─► journal entry removed (the log has by then replaced it with its own mirror)
 *
 * Observe-only listeners: nothing here can block or modify a request. The journal closes the window in
 * which a killed worker used to lose observations that waited for the decision context.
 */
import type { WebRequest } from 'webextension-polyfill';
import { z } from 'zod';
import { hostOfUrl, matchHost, normaliseHost, type HostIndex, type HostMatch } from '../dataset/matcher';
import { classifyRequestEvent, type RequestEvent } from '../reach/classify';
import { OUTCOMES } from '../reach/outcome';
import type { Observation } from '../log/observe';
import type { DecisionContext } from './context';
import { groupCommit } from '../group-commit';
import { OBSERVATION_JOURNAL_PREFIX } from '../storage';

/** A finished request, before anyone knows whether its host is a platform's. */
export interface RequestObservation {
  /** How the request ended: onCompleted, onErrorOccurred or onBeforeRedirect. */
  event: OutcomeEvent;
  requestId: string;
  tabId: number;
  frameId: number;
  /** The full URL, only for the explanation page's retry; never journaled or logged. */
  url: string;
  /** Normalised host name, parsed once. */
  host: string;
  resourceType: string;
  timeStamp: number;
  durationMs: number | null;
  outcome: Observation['outcome'];
  error: string | null;
  httpStatus: number | null;
  vantage: 'passive' | 'probe' | 'report';
}

/**
 * The same observation joined to the dataset: what every feature that listens to requests receives.
 * It is also the log's Observation (utils/log/observe.ts), so the log takes it as it is.
 */
export interface PlatformObservation extends RequestObservation, Observation {
  /** Where the observation waits in storage.session until the log has taken it over. */
  journalKey?: string;
}

/** A request that began: every main-frame request, and any other request to a platform host. */
export interface RequestStart {
  tabId: number;
  frameId: number;
  resourceType: string;
  host: string | null;
  match: HostMatch | null;
  timeStamp: number;
}

type OutcomeEvent = RequestEvent['event'];
type OutcomeDetails = WebRequest.OnCompletedDetailsType | WebRequest.OnErrorOccurredDetailsType | WebRequest.OnBeforeRedirectDetailsType;

const TRACKED_MAX = 5000;

/** What is known about a request between its start and its end: bounded, oldest forgotten first. */
export class RequestTracker {
  readonly #startedAt = new Map<string, number>();
  readonly #seenStatus = new Map<string, number>();

  started(requestId: string, timeStamp: number): void {
    this.#startedAt.set(requestId, timeStamp);
    if (this.#startedAt.size > TRACKED_MAX) this.#startedAt.delete(this.#startedAt.keys().next().value!);
  }

  /** The status of the response headers, which Firefox shows before it aborts a 451 script or image. */
  headers(requestId: string, statusCode: number): void {
    this.#seenStatus.set(requestId, statusCode);
    if (this.#seenStatus.size > TRACKED_MAX) this.#seenStatus.delete(this.#seenStatus.keys().next().value!);
  }

  /** What was tracked; a redirect keeps the request open, any other end forgets it. */
  end(requestId: string, event: OutcomeEvent): { startedAt: number | undefined; seenStatus: number | undefined } {
    const found = { startedAt: this.#startedAt.get(requestId), seenStatus: this.#seenStatus.get(requestId) };
    if (event !== 'redirect') {
      this.#startedAt.delete(requestId);
      this.#seenStatus.delete(requestId);
    }
    return found;
  }
}

/** Requests this extension made itself (active probes): Chromium names the initiator, Firefox the origin URL. */
export function isOwnRequest(d: { initiator?: string; originUrl?: string; documentUrl?: string }, ownOrigin: string): boolean {
  const own = ownOrigin.replace(/\/$/, '');
  return [d.initiator, d.originUrl, d.documentUrl].some((u) => typeof u === 'string' && u.startsWith(own));
}

/** The host of a URL, normalised as the matcher wants it, or null for anything not http(s)/ws(s) or odd. */
export function requestHost(url: string): string | null {
  const host = hostOfUrl(url);
  return host === null ? null : normaliseHost(host);
}

/** One webRequest end event → one observation, or null when the host is odd or the event is not logged. Pure. */
export function observeRequest(
  event: OutcomeEvent,
  d: OutcomeDetails,
  tracked: { startedAt: number | undefined; seenStatus: number | undefined },
  ownOrigin: string,
): RequestObservation | null {
  const host = requestHost(d.url);
  if (host === null) return null;
  const verdict = classifyRequestEvent({
    event,
    url: d.url,
    statusCode: 'statusCode' in d ? d.statusCode : undefined,
    error: 'error' in d ? d.error : undefined,
    redirectUrl: 'redirectUrl' in d ? d.redirectUrl : undefined,
    resourceType: d.type,
    seenStatus: tracked.seenStatus,
  });
  if (!verdict) return null;
  return {
    event,
    requestId: d.requestId,
    tabId: d.tabId,
    frameId: d.frameId,
    url: d.url,
    host,
    resourceType: d.type,
    timeStamp: d.timeStamp,
    durationMs: tracked.startedAt !== undefined ? Math.max(0, d.timeStamp - tracked.startedAt) : null,
    outcome: verdict.outcome,
    error: verdict.error,
    httpStatus: verdict.httpStatus,
    vantage: d.tabId < 0 && isOwnRequest(d, ownOrigin) ? 'probe' : 'passive',
  };
}

/** Joins an observation to the dataset: which platform's host it was, and whether it is restricted here. Pure. */
export function matchObservation(obs: RequestObservation, ctx: Pick<DecisionContext, 'hostIndex' | 'platformById' | 'restrictedNow'>, journalKey?: string): PlatformObservation | null {
  const match = matchHost(ctx.hostIndex, obs.host);
  if (!match) return null;
  return { ...obs, match, platform: ctx.platformById.get(match.platform), restricted: ctx.restrictedNow.has(match.platform), ...(journalKey !== undefined ? { journalKey } : {}) };
}

// ── Journal ─────────────────────────────────────────────────────────────────────────────────────

/** What the journal keeps of an observation: no URL, so no path or query is ever written. */
export const JournalEntry = z.object({
  event: z.enum(['completed', 'error', 'redirect']),
  requestId: z.string(),
  tabId: z.number(),
  frameId: z.number(),
  host: z.string(),
  resourceType: z.string(),
  timeStamp: z.number(),
  durationMs: z.number().nullable(),
  outcome: z.enum(OUTCOMES),
  error: z.string().nullable(),
  httpStatus: z.number().nullable(),
  vantage: z.enum(['passive', 'probe']),
});
export type JournalEntry = z.infer<typeof JournalEntry>;

/** The part of storage.session the journal uses. */
export interface JournalStore {
  get(keys: null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

/**
 * Observations written to storage.session the moment they are made. The log replaces an entry with its
 * own mirror in the same write (LogWriter.push `supersedes`, leaving `false`), so an observation is
 * either here, or in the log's mirror, or in IndexedDB: a worker killed at any point loses none and
 * counts none twice.
 */
export class ObservationJournal {
  readonly #store: JournalStore;
  readonly #worker = crypto.randomUUID();
  #n = 0;
  /** Removals are group-committed (a late removal loses nothing). */
  readonly #remove: (key: string) => Promise<void>;
  /** Entries the log took over: its mirror replaced them, and its flush removes them. */
  readonly #handedOver = new Set<string>();

  constructor(store: JournalStore) {
    this.#store = store;
    this.#remove = groupCommit<string>((keys) => store.remove(keys), 'BanLens: could not clear a journal entry');
  }

  /** Writes the entry without waiting; returns its key. */
  append(obs: RequestObservation): string {
    const key = `${OBSERVATION_JOURNAL_PREFIX}${this.#worker}/${this.#n++}`;
    const { url: _never, ...entry } = obs;
    this.#store.set({ [key]: entry }).catch((error: unknown) => console.warn('BanLens: could not journal an observation', error));
    return key;
  }

  /**
   * The log took the entry over (LogWriter.push `supersedes`): settle() leaves it to the log's flush,
   * which removes it with the batch, so an observation costs the worker one storage call fewer.
   */
  handOver(key: string): void {
    this.#handedOver.add(key);
  }

  /** Done with an observation: its entry goes, unless the log took it over. */
  settle(key: string): Promise<void> {
    return this.#handedOver.delete(key) ? Promise.resolve() : this.remove(key);
  }

  /** Appends stay one write each, at once: they are what makes an observation durable. */
  remove(key: string): Promise<void> {
    return this.#remove(key);
  }

  /**
   * Entries a killed worker left: observations it never handed to the log. Entries the log had taken
   * over (`false`) and entries that no longer parse are removed here.
   */
  async leftovers(): Promise<{ key: string; obs: RequestObservation }[]> {
    const all = await this.#store.get(null);
    const found: { key: string; obs: RequestObservation }[] = [];
    const done: string[] = [];
    for (const [key, value] of Object.entries(all)) {
      if (!key.startsWith(OBSERVATION_JOURNAL_PREFIX) || key.startsWith(`${OBSERVATION_JOURNAL_PREFIX}${this.#worker}/`)) continue;
      const parsed = JournalEntry.safeParse(value);
      if (parsed.success) found.push({ key, obs: { ...parsed.data, url: `https://${parsed.data.host}/` } });
      else done.push(key);
    }
    if (done.length) await this.#store.remove(done).catch(() => {});
    return found;
  }
}

/** True when the host belongs to a platform of this index: decides, before any await, what to journal. */
export function isPlatformHost(index: HostIndex, host: string): boolean {
  return matchHost(index, host) !== null;
}
