/**
 * One anonymised reachability observation (ARCHITECTURE.md "The log and its export"), and the only way to make one.
 *
 *   webRequest details / probe result ──► anonymise() ──► LogRecord ──► db.ts ──► export.ts
 *
 * The zod schema is the privacy boundary. It is strict, so no field is added by accident, and each
 * field is shaped so that a page, a path, a query, an IP address, a port or a sub-hour time cannot
 * pass it. anonymise() reduces raw data until it passes; parseRecordLine() (export.ts) rejects
 * imported lines that do not.
 */
import { z } from 'zod';
import { Dataset, HostName, PlatformId, RegionCode } from '../dataset/schema';
import { OUTCOMES, type Outcome } from '../reach/outcome';

export const RECORD_SCHEMA_ID = 'banlens.reachability/1';

const HOUR_MS = 3_600_000;

/** The start of a UTC hour, `YYYY-MM-DDTHH:00:00Z`: the finest time a record keeps. */
export const HourStamp = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:00:00Z$/, 'expected the start of a UTC hour, YYYY-MM-DDTHH:00:00Z')
  .refine((s) => hourOf(Date.parse(s)) === s, 'not a real calendar hour');

/** The hour that contains `timeStamp` (ms since the epoch), or null outside years 0000–9999. */
export function hourOf(timeStamp: number): string | null {
  if (!Number.isFinite(timeStamp)) return null;
  const start = new Date(Math.floor(timeStamp / HOUR_MS) * HOUR_MS);
  if (Number.isNaN(start.getTime())) return null; // beyond ±8.64e15 ms
  const iso = start.toISOString();
  // Years outside 0000–9999 are written "+010000-…" or "-000001-…", which HourStamp does not accept.
  return /^\d{4}-/.test(iso) ? `${iso.slice(0, 13)}:00:00Z` : null;
}

/**
 * Lower bounds of the duration buckets, in ms. A duration is stored as the largest bound not above
 * it, so `100` means 100–249 ms and `60000` means a minute or more. Coarse enough not to fingerprint
 * a connection, fine enough to tell an instant reset from a timeout.
 */
export const MS_BUCKETS = [0, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000] as const;
export type MsBucket = (typeof MS_BUCKETS)[number];
export const MsBucket = z.literal(MS_BUCKETS);

export function bucketDuration(durationMs: number | null): MsBucket | null {
  if (durationMs === null || !Number.isFinite(durationMs) || durationMs < 0) return null;
  let bucket: MsBucket = 0;
  for (const bound of MS_BUCKETS) if (durationMs >= bound) bucket = bound;
  return bucket;
}

/** What kind of request it was: a small set so the request type never becomes a fingerprint. */
export const RESOURCES = ['main_frame', 'sub_frame', 'script', 'image', 'media', 'xhr', 'stylesheet', 'font', 'other', 'probe'] as const;
export type Resource = (typeof RESOURCES)[number];
export const Resource = z.enum(RESOURCES);

/** webRequest `type` values of Chromium and Firefox that keep their own name; the rest are `other`. */
const RESOURCE_BY_REQUEST_TYPE: Readonly<Record<string, Exclude<Resource, 'probe'>>> = {
  main_frame: 'main_frame',
  sub_frame: 'sub_frame',
  script: 'script',
  image: 'image',
  imageset: 'image', // Firefox: <img srcset>, <picture>
  media: 'media',
  xmlhttprequest: 'xhr', // both browsers report fetch() as xmlhttprequest too
  stylesheet: 'stylesheet',
  font: 'font',
};

/** Maps a webRequest `details.type` to a record's resource. Probes are not requests the page made. */
export function resourceOf(requestType: string): Exclude<Resource, 'probe'> {
  return (Object.hasOwn(RESOURCE_BY_REQUEST_TYPE, requestType) && RESOURCE_BY_REQUEST_TYPE[requestType]) || 'other';
}

/** report: the user's own "I think this is blocked here" (features/observed-status.ts); no request behind it. */
export const VANTAGES = ['passive', 'probe', 'report'] as const;
export type Vantage = (typeof VANTAGES)[number];

// ── Error text ──────────────────────────────────────────────────────────────────────────────────
// Browsers' error strings are kept raw so that a new, unclassified one can still be studied (§6).
// Chromium's are codes (net::ERR_CONNECTION_RESET), but Firefox's TLS errors are localised sentences
// that can name a host, and any string could one day carry a URL. So the text is cut into
// whitespace-separated tokens and every token that could identify a page, a host, an address or a
// moment is replaced whole. Replacing whole tokens means a half-recognised URL never leaves a tail.

export const ERROR_MAX_LENGTH = 200;
const REDACTED = '[redacted]';
/** Longer tokens are more likely ids, hashes or encoded data than words. */
const MAX_TOKEN_LENGTH = 64;

const IDENTIFYING_TOKEN_PATTERNS: readonly RegExp[] = [
  /:\/\//, // any URL with a scheme
  /[/\\?#&=%@]/, // paths, queries, fragments, percent-escapes, userinfo, e-mail addresses
  /[\p{L}\p{N}_-]\.\p{L}{2,}/u, // host names, including IDN (пример.рф) and punycode (.xn--p1ai)
  /\p{Nd}{1,3}(\.\p{Nd}{1,3}){3}/u, // IPv4
  /::|[0-9a-f]{1,4}:[0-9a-f]{1,4}:/i, // IPv6 (Chromium's own "net::ERR_" prefix is exempted first)
  /:\p{Nd}/u, // ports (host:8080) and clock times (16:42), both finer than a record keeps
];

/** True when a token might identify a page, a host, an address, a port or a moment. */
export function isIdentifyingToken(token: string): boolean {
  if (token.length > MAX_TOKEN_LENGTH) return true;
  const withoutChromiumPrefix = token.replace(/net::(?=ERR_)/g, '');
  return IDENTIFYING_TOKEN_PATTERNS.some((pattern) => pattern.test(withoutChromiumPrefix));
}

/** Bidi overrides and zero-width characters could hide or reorder what a reader sees. */
const INVISIBLE_FORMATTING = /[\u200B\u2060\uFEFF\u202A-\u202E\u2066-\u2069]/g;

/**
 * Error text safe to store: identifying tokens replaced, whitespace and control characters
 * collapsed, at most ERROR_MAX_LENGTH characters (cut at a token, never inside one). Idempotent.
 * Returns null when nothing is left.
 */
export function scrubError(raw: string): string | null {
  const tokens: string[] = [];
  for (const token of raw.replace(INVISIBLE_FORMATTING, '').split(/[\s\p{Cc}]+/u)) {
    if (token === '') continue;
    const kept = isIdentifyingToken(token) ? REDACTED : token;
    // One marker for a run of redactions: how many tokens were removed is itself a detail.
    if (kept === REDACTED && tokens.at(-1) === REDACTED) continue;
    tokens.push(kept);
  }
  if (tokens.length === 0) return null;
  const joined = tokens.join(' ');
  if (joined.length <= ERROR_MAX_LENGTH) return joined;
  const ellipsis = ' …';
  let cut = '';
  for (const token of tokens) {
    const next = cut === '' ? token : `${cut} ${token}`;
    if (next.length > ERROR_MAX_LENGTH - ellipsis.length) break;
    cut = next;
  }
  return cut === '' ? '…' : cut + ellipsis;
}

/** Exactly the strings that scrubError leaves unchanged, so import accepts what anonymise makes. */
export const ErrorText = z
  .string()
  .min(1)
  .max(ERROR_MAX_LENGTH)
  .refine((s) => scrubError(s) === s, 'error text must not carry URLs, host names, IP addresses, ports or times');

// ── The record ──────────────────────────────────────────────────────────────────────────────────

/** `chromium/156`: engine and major version only; a full version string narrows down a user. */
export const BrowserTag = z.string().regex(/^[a-z][a-z0-9-]{0,15}\/\d{1,4}$/, 'expected engine/major, e.g. chromium/156');
/** The extension's manifest version: 1 to 4 dot-separated integers (the Chrome and Firefox rule). */
export const ExtensionVersion = z.string().regex(/^\d{1,9}(\.\d{1,9}){0,3}$/, 'expected a manifest version such as 0.1.0');

export const LogRecord = z
  .strictObject({
    schema: z.literal(RECORD_SCHEMA_ID),
    // The descriptions end up in the exported JSON Schema, for researchers reading it cold.
    id: z.uuid().describe('Random; identifies the record within an export, never a user or a request.'),
    hour: HourStamp.describe('Start of the UTC hour of the observations; nothing finer is kept.'),
    region: RegionCode.describe('ISO 3166-1 alpha-2 region the user is in, optionally with an ISO 3166-2 subdivision.'),
    platform: PlatformId.describe('BanLens dataset platform id, e.g. x, youtube.'),
    host: HostName.describe('Host name only: lowercase, punycode, no port. IP-literal hosts are never recorded.'),
    resource: Resource.describe("Request type (webRequest type, reduced); 'probe' for active probes."),
    vantage: z.enum(VANTAGES).describe("passive: a request the browser made anyway; probe: an opt-in active check; report: the user's own report that the platform seems blocked here (outcome 'other', no request behind it)."),
    outcome: z.enum(OUTCOMES).describe('Classified result of the request (ok, dns, tcp_reset, ...; inconclusive is never evidence of blocking).'),
    error: ErrorText.nullable().describe('The browser error string, with anything URL-, host-, IP-, port- or time-like replaced by [redacted].'),
    http_status: z.int().min(100).max(599).nullable().describe('HTTP status when a response was seen, else null.'),
    ms_bucket: MsBucket.nullable().describe('Duration bucket lower bound in ms: 100 means 100-249 ms, 60000 means 60 s or more.'),
    count: z.int().min(1).describe('Number of identical observations in this hour.'),
    restricted: z.boolean().describe('Whether the dataset listed the platform as restricted in the region at the time.'),
    browser: BrowserTag.describe('Browser engine and major version.'),
    extension: ExtensionVersion.describe('BanLens version.'),
    dataset: Dataset.shape.version.describe('Version of the BanLens restrictions dataset used.'),
  })
  .refine((r) => (r.vantage === 'probe') === (r.resource === 'probe'), {
    path: ['resource'],
    message: "resource is 'probe' exactly when vantage is 'probe'",
  })
  .meta({
    title: 'BanLens reachability record',
    description: `One anonymised, hour-aggregated reachability observation (${RECORD_SCHEMA_ID}). Exported as JSONL, one record per line.`,
  });

export type LogRecord = z.infer<typeof LogRecord>;

/** The columns of every export, in schema order. */
export const RECORD_FIELDS = Object.keys(LogRecord.shape) as (keyof LogRecord)[];

/** The fields that make two observations "the same": everything except the id and the count. */
export const MERGE_KEY_FIELDS = RECORD_FIELDS.filter((f): f is Exclude<keyof LogRecord, 'id' | 'count'> => f !== 'id' && f !== 'count');

export type MergeFields = Omit<LogRecord, 'id' | 'count'>;

/** Equal exactly when two records may be merged by adding their counts. Field order is fixed. */
export function mergeKey(record: MergeFields): string {
  return JSON.stringify(MERGE_KEY_FIELDS.map((field) => record[field] ?? null));
}

/** Sums two counts, capped so that a record stays valid however long it accumulates. */
export function addCounts(a: number, b: number): number {
  return Math.min(a + b, Number.MAX_SAFE_INTEGER);
}

/** Merges records with the same merge key by summing counts; the first record's id is kept. */
export function mergeObservations(records: Iterable<LogRecord>): Map<string, LogRecord> {
  const merged = new Map<string, LogRecord>();
  for (const record of records) {
    const key = mergeKey(record);
    const seen = merged.get(key);
    merged.set(key, seen ? { ...seen, count: addCounts(seen.count, record.count) } : record);
  }
  return merged;
}

// ── From raw data ───────────────────────────────────────────────────────────────────────────────

/** What the background knows about one observation before anonymising it. */
export interface RawObservation {
  /** The request URL; only its host name is kept. */
  url: string;
  /** ms since the epoch (webRequest `details.timeStamp`); only the hour is kept. */
  timeStamp: number;
  region: string;
  platform: string;
  /** webRequest `details.type`; ignored for probes. */
  resourceType: string;
  vantage: Vantage;
  outcome: Outcome;
  error: string | null;
  httpStatus: number | null;
  durationMs: number | null;
  restricted: boolean;
  /** `chromium/156` or a longer version (`firefox/153.0.1`), which is cut to the major. */
  browser: string;
  extension: string;
  dataset: string;
}

const IPV4_HOST = /^\d+\.\d+\.\d+\.\d+$/; // WHATWG URL turns every IPv4 spelling (0x7f.1, 2130706433) into this

/** The URL's host name, or null for IP literals, host-less URLs and unparsable strings. */
export function hostOf(url: string): string | null {
  let hostname: string;
  try {
    hostname = new URL(url).hostname;
  } catch {
    return null;
  }
  hostname = hostname.replace(/\.$/, '');
  if (hostname === '' || hostname.startsWith('[') || IPV4_HOST.test(hostname)) return null;
  return hostname;
}

function browserTagOf(browser: string): string {
  const match = /^([A-Za-z][\w-]*)\/(\d+)/.exec(browser);
  return match ? `${match[1]!.toLowerCase()}/${match[2]}` : browser;
}

/**
 * Reduces a raw observation to a LogRecord with count 1, or returns null when it cannot be stored
 * without identifying data (an IP-literal host, no host) or does not fit the schema.
 */
export function anonymise(raw: RawObservation): LogRecord | null {
  const host = hostOf(raw.url);
  const hour = hourOf(raw.timeStamp);
  if (host === null || hour === null) return null;
  const candidate: LogRecord = {
    schema: RECORD_SCHEMA_ID,
    id: crypto.randomUUID(),
    hour,
    region: raw.region,
    platform: raw.platform,
    host,
    resource: raw.vantage === 'probe' ? 'probe' : resourceOf(raw.resourceType),
    vantage: raw.vantage,
    outcome: raw.outcome,
    error: raw.error === null ? null : scrubError(raw.error),
    // onErrorOccurred carries no status, and some callers pass 0 for "none".
    http_status: raw.httpStatus !== null && Number.isInteger(raw.httpStatus) && raw.httpStatus >= 100 && raw.httpStatus <= 599 ? raw.httpStatus : null,
    ms_bucket: bucketDuration(raw.durationMs),
    count: 1,
    restricted: raw.restricted,
    browser: browserTagOf(raw.browser),
    extension: raw.extension,
    dataset: raw.dataset,
  };
  const parsed = LogRecord.safeParse(candidate);
  return parsed.success ? parsed.data : null;
}
