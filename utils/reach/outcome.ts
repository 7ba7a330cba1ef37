/**
 * The outcome vocabulary of one reachability observation (design §6). Shared by the classifier
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
