/**
 * The outcome vocabulary of one reachability observation (ARCHITECTURE.md "Reachability"). Shared by the classifier
 * (utils/reach/classify.ts), the log record and the exports, so it lives on its own.
 */
export const OUTCOMES = [
  'ok',
  'dns',
  'tcp_reset',
  'tcp_refused',
  'timeout',
  'tls',
  'http_blockpage',
  'http_error',
  'inconclusive',
  'other',
] as const;

export type Outcome = (typeof OUTCOMES)[number];

/** OONI web_connectivity `blocking`: false when the host loaded, a blocking class, or null for no evidence. */
export type OoniBlocking = false | 'dns' | 'tcp_ip' | 'http-failure' | 'http-diff' | null;

/**
 * See ARCHITECTURE.md "Reachability". An HTTP error status, an inconclusive result (the browser hid the response) and
 * an unknown error are not evidence either way without a control measurement, so they are null.
 */
export const OONI_BLOCKING: Readonly<Record<Outcome, OoniBlocking>> = {
  ok: false,
  dns: 'dns',
  tcp_reset: 'tcp_ip',
  tcp_refused: 'tcp_ip',
  timeout: 'tcp_ip',
  tls: 'http-failure',
  http_blockpage: 'http-diff',
  http_error: null,
  inconclusive: null,
  other: null,
};
