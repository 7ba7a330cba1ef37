/**
 * From a classified webRequest (or probe) to an anonymised record in the log. The background owns one
 * ReachLog; everything that could identify a person or a page is dropped on the way (README "Privacy rules").
 */
import browser from 'webextension-polyfill';
import type { Platform } from '../dataset/schema';
import type { HostMatch } from '../dataset/matcher';
import type { Outcome } from '../reach/outcome';
import { anonymise, type Vantage } from './record';
import { LogWriter, prune, type LogWriterOptions } from './db';

/** A subdomain made only of short lowercase words (pbs, upload, en.m) says nothing about the user. */
const PLAIN_SUBDOMAIN = /^[a-z]{1,20}(\.[a-z]{1,20})?$/;

/**
 * The host to log. CDN node names (rr3---sn-4g5e6nsz.googlevideo.com, scontent-lhr8-1.xx.fbcdn.net)
 * point at the user's ISP or city, and handles under bsky.social name people; both collapse to the
 * platform domain they belong to.
 */
export function loggableHost(host: string, match: HostMatch, platform: Pick<Platform, 'userSubdomains'> | undefined): string {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (h === match.domain) return h;
  if (platform?.userSubdomains.includes(match.domain)) return match.domain;
  const sub = h.slice(0, -(match.domain.length + 1));
  return PLAIN_SUBDOMAIN.test(sub) ? h : match.domain;
}

/** `chromium/156` or `firefox/153` from a user agent; nothing more specific. */
export function browserTag(userAgent: string): string {
  const firefox = /Firefox\/(\d+)/.exec(userAgent);
  if (firefox) return `firefox/${firefox[1]}`;
  const chromium = /Chrom(?:e|ium)\/(\d+)/.exec(userAgent);
  return chromium ? `chromium/${chromium[1]}` : 'unknown/0';
}

export interface Observation {
  host: string;
  match: HostMatch;
  platform: Platform | undefined;
  timeStamp: number;
  resourceType: string;
  vantage: Vantage;
  outcome: Outcome;
  error: string | null;
  httpStatus: number | null;
  durationMs: number | null;
  restricted: boolean;
}

export interface LogContext {
  enabled: boolean;
  /** The first of the user's regions; ZZ (ISO's "unknown") when none could be inferred. */
  region: string;
  dataset: string;
  retentionDays: number;
  maxRecords: number;
}

const PRUNE_EVERY = 500;

export class ReachLog {
  readonly #writer: LogWriter;
  #sincePrune = 0;
  readonly #browser = browserTag(typeof navigator !== 'undefined' ? navigator.userAgent : '');
  readonly #extension = browser.runtime.getManifest().version;

  /** The writer's options are for tests and the bench (utils/log/db.ts LogWriterOptions). */
  constructor(writer: LogWriterOptions = {}) {
    this.#writer = new LogWriter(writer);
  }

  /** Writes what a killed worker left behind, then applies retention. */
  async start(ctx: LogContext): Promise<void> {
    await this.#writer.recoverPending().catch(() => 0);
    await prune({ maxAgeDays: ctx.retentionDays, maxRecords: ctx.maxRecords }).catch(() => 0);
  }

  /**
   * Anonymises and buffers one observation. Resolves to whether it was logged, once its record is
   * mirrored to session storage; `supersedes` is the journal entry the mirror replaces (LogWriter.push).
   */
  async record(obs: Observation, ctx: LogContext, supersedes?: string): Promise<boolean> {
    if (!ctx.enabled) return false;
    const record = anonymise({
      url: `https://${loggableHost(obs.host, obs.match, obs.platform)}/`,
      timeStamp: obs.timeStamp,
      region: ctx.region,
      platform: obs.match.platform,
      resourceType: obs.resourceType,
      vantage: obs.vantage,
      outcome: obs.outcome,
      error: obs.error,
      httpStatus: obs.httpStatus,
      durationMs: obs.durationMs,
      restricted: obs.restricted,
      browser: this.#browser,
      extension: this.#extension,
      dataset: ctx.dataset,
    });
    if (!record) return false;
    const mirrored = this.#writer.push(record, supersedes);
    if (++this.#sincePrune >= PRUNE_EVERY) {
      this.#sincePrune = 0;
      void this.#writer.flush().then(() => prune({ maxAgeDays: ctx.retentionDays, maxRecords: ctx.maxRecords }));
    }
    await mirrored;
    return true;
  }

  flush(): Promise<void> {
    return this.#writer.flush();
  }
}
