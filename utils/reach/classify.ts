/**
 * Browser error vocabularies → reachability outcome (README "Outcomes"). Pure: no browser API, no clock.
 * Every classification rule lives here, including what the headers showed before an error (`seenStatus`).
 * Every row of the tables below was seen in the lab (tests/lab/README.md) or is named in the README's table.
 */
import { matchBlockPage } from './blockpages';
import { OONI_BLOCKING, type Outcome } from './outcome';

export type { Outcome };
export { OONI_BLOCKING };


export interface RequestEvent {
  event: 'completed' | 'error' | 'redirect';
  statusCode?: number;
  error?: string;
  url: string;
  redirectUrl?: string;
  resourceType?: string;
  /**
   * The status of the response headers, when onHeadersReceived showed them before the request ended.
   * Firefox shows a 451 there and then reports only NS_BINDING_ABORTED for a script or image.
   */
  seenStatus?: number;
}

export interface Classified {
  outcome: Outcome;
  /** The browser's raw error string, kept so that `other` can be reclassified later. */
  error: string | null;
  httpStatus: number | null;
}

/** Chromium `net::ERR_…` (without the prefix). `null`: not logged (the user, an extension or the OS did it). */
const CHROMIUM: Record<string, Outcome | null> = {
  NAME_NOT_RESOLVED: 'dns',
  NAME_RESOLUTION_FAILED: 'dns',
  CONNECTION_RESET: 'tcp_reset',
  CONNECTION_CLOSED: 'tcp_reset',
  EMPTY_RESPONSE: 'tcp_reset',
  CONNECTION_REFUSED: 'tcp_refused',
  ADDRESS_UNREACHABLE: 'tcp_refused',
  CONNECTION_TIMED_OUT: 'timeout',
  TIMED_OUT: 'timeout',
  BLOCKED_BY_ORB: 'inconclusive',
  BLOCKED_BY_RESPONSE: 'inconclusive',
  BLOCKED_BY_CLIENT: null,
  BLOCKED_BY_ADMINISTRATOR: null,
  BLOCKED_BY_CSP: null,
  ABORTED: null,
  INTERNET_DISCONNECTED: null,
  NETWORK_CHANGED: null,
  NETWORK_IO_SUSPENDED: null,
};
/** `net::ERR_SSL_…` and `net::ERR_CERT_…` are TLS failures, except these, which are about the client itself. */
const CHROMIUM_NOT_TLS = /^(SSL_CLIENT_AUTH_|CERT_DATABASE_CHANGED$|CERT_VERIFIER_CHANGED$|SSL_KEY_USAGE_INCOMPATIBLE$)/;

/** Firefox XPCOM error names. `null`: not logged. */
const FIREFOX: Record<string, Outcome | null> = {
  NS_ERROR_UNKNOWN_HOST: 'dns',
  NS_ERROR_NET_RESET: 'tcp_reset',
  NS_ERROR_NET_INTERRUPT: 'tcp_reset',
  NS_ERROR_NET_EMPTY_RESPONSE: 'tcp_reset',
  NS_ERROR_CONNECTION_REFUSED: 'tcp_refused',
  NS_ERROR_NET_TIMEOUT: 'timeout',
  NS_ERROR_NET_TIMEOUT_EXTERNAL: 'timeout',
  NS_BINDING_ABORTED: null,
  NS_BINDING_REDIRECTED: null,
  NS_ERROR_ABORT: null,
  NS_ERROR_OFFLINE: null,
  NS_ERROR_BLOCKED_BY_POLICY: null,
  NS_ERROR_CONTENT_BLOCKED: null,
};
/** Firefox's URL classifier (tracking protection, Safe Browsing): NS_ERROR_TRACKING_URI, NS_ERROR_SOCIALTRACKING_URI, … */
const FIREFOX_CLASSIFIER = /^NS_ERROR_[A-Z]*_URI$/;
/** An XPCOM name synthesised for a security-module error (xpcom/base/ErrorNames.cpp GetErrorName). */
const FIREFOX_SECURITY_MODULE = /^NS_ERROR_GENERATE_FAILURE\(NS_ERROR_MODULE_SECURITY\b/;
/** NSS/PSM error code names, in case a message carries one. */
const NSS_CODE = /\b(SSL_ERROR|SEC_ERROR|MOZILLA_PKIX_ERROR)_[A-Z0-9_]+\b/;

/**
 * Firefox reports TLS failures as a localised sentence. Structure, not wording, identifies them: Firefox's
 * ChannelWrapper::GetErrorString returns nsINSSErrorsService's message when the channel's security info carries an NSS
 * error code, and otherwise an XPCOM error name (`NS_…`). So a string that is neither an XPCOM name nor a Chromium
 * `net::` code, that reads as prose, on a request that uses TLS, is an NSS (TLS/certificate) message in whatever
 * language the browser speaks. Anything else we do not recognise stays `other`.
 */
export function isFirefoxTlsMessage(error: string, url: string): boolean {
  const s = error.trim();
  if (s.length < 4 || s.length > 500 || /^(NS_|net::)/.test(s)) return false;
  if (NSS_CODE.test(s)) return true;
  if (!/^(https|wss):/i.test(url)) return false;
  // A code-like token (FOO_BAR, Foo.Bar, x-y) is not a sentence: an unknown code must not pass as TLS.
  if (/^[\w.:()-]+$/.test(s) && !/[.。۔।።]$/.test(s)) return false;
  // Prose: some letter, and a space, a non-ASCII character or final sentence punctuation.
  return /\p{L}/u.test(s) && (/\s/.test(s) || /\P{ASCII}/u.test(s) || /[.。۔।።!?]$/.test(s));
}

function classifyError(error: string, url: string): Outcome | null {
  const s = error.trim();
  const chromium = /^net::ERR_([A-Z0-9_]+)$/.exec(s);
  if (chromium) {
    const code = chromium[1] as string;
    if (code in CHROMIUM) return CHROMIUM[code] ?? null;
    if (/^(SSL|CERT)_/.test(code) && !CHROMIUM_NOT_TLS.test(code)) return 'tls';
    return 'other';
  }
  if (s in FIREFOX) return FIREFOX[s] ?? null;
  if (FIREFOX_CLASSIFIER.test(s)) return null;
  if (FIREFOX_SECURITY_MODULE.test(s)) return 'tls';
  if (/^NS_/.test(s)) return 'other';
  return isFirefoxTlsMessage(s, url) ? 'tls' : 'other';
}

function byStatus(status: number | undefined): Outcome {
  if (status === undefined || !Number.isInteger(status) || status < 100) return 'other';
  if (status === 451) return 'http_blockpage';
  return status >= 400 ? 'http_error' : 'ok';
}

/**
 * One webRequest event → outcome, or null when the event must not be logged (ad blockers, aborts, offline,
 * tracking protection). `completed` is onCompleted, `error` onErrorOccurred, `redirect` onBeforeRedirect.
 */
export function classifyRequestEvent(ev: RequestEvent): Classified | null {
  const httpStatus = typeof ev.statusCode === 'number' && ev.statusCode > 0 ? ev.statusCode : null;
  switch (ev.event) {
    case 'error': {
      const error = (ev.error ?? '').trim();
      const outcome = error ? classifyError(error, ev.url) : 'other';
      // The headers said 451 before the browser hid or cancelled the response (Firefox, scripts and
      // images; tests/lab/README.md): the block page is the evidence, whatever the error says.
      if (ev.seenStatus === 451 && (outcome === null || outcome === 'inconclusive' || outcome === 'other')) {
        return { outcome: 'http_blockpage', error: error || null, httpStatus: 451 };
      }
      if (!error) return { outcome: 'other', error: null, httpStatus: null };
      return outcome === null ? null : { outcome, error, httpStatus: null };
    }
    case 'redirect': {
      if (ev.redirectUrl && matchBlockPage(ev.redirectUrl)) return { outcome: 'http_blockpage', error: null, httpStatus };
      return { outcome: byStatus(ev.statusCode), error: null, httpStatus };
    }
    case 'completed': {
      // A platform URL that is itself a known block page (vk.com/blank.php?rkn=…) is not a successful load.
      if (matchBlockPage(ev.url)) return { outcome: 'http_blockpage', error: null, httpStatus };
      return { outcome: byStatus(ev.statusCode), error: null, httpStatus };
    }
    default:
      return { outcome: 'other', error: null, httpStatus: null };
  }
}
