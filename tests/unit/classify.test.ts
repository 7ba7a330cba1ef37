import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchBlockPage, BLOCKPAGE_FINGERPRINTS } from '../../utils/reach/blockpages';
import { classifyRequestEvent, isFirefoxTlsMessage, OONI_BLOCKING, type Outcome, type RequestEvent } from '../../utils/reach/classify';

const FIXTURES = join(__dirname, '..', 'fixtures', 'webrequest');

interface Fixture {
  browser: string;
  mode: string;
  event: RequestEvent['event'];
  expected: Outcome | null;
  /** The status onHeadersReceived showed before the request ended, when it did. */
  seenStatus?: number;
  details: { url: string; type?: string; statusCode?: number; error?: string; redirectUrl?: string };
}

function load(browser: 'chromium' | 'firefox' | 'firefox-l10n'): Array<[string, Fixture]> {
  return readdirSync(join(FIXTURES, browser))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => [`${browser}/${f}`, JSON.parse(readFileSync(join(FIXTURES, browser, f), 'utf8')) as Fixture]);
}

const toEvent = (f: Fixture): RequestEvent => ({
  event: f.event,
  url: f.details.url,
  statusCode: f.details.statusCode,
  error: f.details.error,
  redirectUrl: f.details.redirectUrl,
  resourceType: f.details.type,
  seenStatus: f.seenStatus,
});

describe('recorded webRequest events (tests/lab/record.ts)', () => {
  const recorded = [...load('chromium'), ...load('firefox'), ...load('firefox-l10n')];

  it('covers every lab mode in both browsers', () => {
    for (const b of ['chromium', 'firefox']) {
      const modes = new Set(recorded.filter(([n]) => n.startsWith(`${b}/`)).map(([, f]) => f.mode));
      const want = ['reset', 'refused', 'stall', 'syn_drop', 'bad_tls', 'tls_plain', 'nxdomain', 'http451', 'redirect', 'ok', 'decoy', 'blockpage'];
      expect([...modes].sort()).toEqual([...want].sort());
    }
  });

  it('includes Firefox TLS messages recorded in other UI languages', () => {
    const langs = new Set(recorded.filter(([n]) => n.startsWith('firefox-l10n/')).map(([n]) => n.split('/')[1]!.split('.')[0]));
    expect(langs.size).toBeGreaterThanOrEqual(3);
  });

  it.each(recorded)('%s', (_name, f) => {
    const got = classifyRequestEvent(toEvent(f));
    expect(got?.outcome ?? null).toBe(f.expected);
    if (got && f.event === 'error') expect(got.error).toBe(f.details.error);
    if (got && f.event === 'error') expect(got.httpStatus).toBe(f.seenStatus === 451 ? 451 : null);
    if (got && f.event !== 'error') expect(got.httpStatus).toBe(f.details.statusCode ?? null);
  });

  it('counts the 451 Firefox showed in the headers of a script and an image it then aborted', () => {
    const seen451 = recorded.filter(([, f]) => f.event === 'error' && f.seenStatus === 451);
    expect(seen451.map(([n]) => n).sort()).toEqual(['firefox/http451.image.error.json', 'firefox/http451.script.error.json']);
    for (const [, f] of seen451) expect(classifyRequestEvent(toEvent(f))).toEqual({ outcome: 'http_blockpage', error: 'NS_BINDING_ABORTED', httpStatus: 451 });
    // Without what the headers showed, the same report is an abort and is not logged.
    for (const [, f] of seen451) expect(classifyRequestEvent({ ...toEvent(f), seenStatus: undefined })).toBeNull();
  });
});

describe('Firefox TLS messages in other languages', () => {
  const l10n = JSON.parse(readFileSync(join(FIXTURES, 'firefox-nss-l10n.json'), 'utf8')) as {
    messages: Record<string, Record<string, string>>;
  };
  const rows = Object.entries(l10n.messages).flatMap(([lang, m]) => Object.entries(m).map(([code, text]) => [lang, code, text] as const));

  it('has a real sample', () => {
    expect(Object.keys(l10n.messages).length).toBeGreaterThanOrEqual(25);
    expect(rows.length).toBeGreaterThanOrEqual(200);
  });

  it.each(rows)('%s %s is tls', (_lang, _code, text) => {
    expect(classifyRequestEvent({ event: 'error', url: 'https://pbs.twimg.com/media/x.jpg', error: text })).toEqual({ outcome: 'tls', error: text, httpStatus: null });
  });

  it.each(rows.slice(0, 30))('%s %s on plain http is not tls', (_lang, _code, text) => {
    expect(classifyRequestEvent({ event: 'error', url: 'http://pbs.twimg.com/x', error: text })?.outcome).toBe('other');
  });
});

describe('synthetic cases', () => {
  const https = 'https://platform.twitter.com/widgets.js';
  const err = (error: string, url = https): RequestEvent => ({ event: 'error', error, url });
  const cases: Array<[string, RequestEvent, Outcome | null]> = [
    // Chromium
    ['net dns', err('net::ERR_NAME_NOT_RESOLVED'), 'dns'],
    ['net dns failed', err('net::ERR_NAME_RESOLUTION_FAILED'), 'dns'],
    ['net reset', err('net::ERR_CONNECTION_RESET'), 'tcp_reset'],
    ['net closed', err('net::ERR_CONNECTION_CLOSED'), 'tcp_reset'],
    ['net empty', err('net::ERR_EMPTY_RESPONSE'), 'tcp_reset'],
    ['net refused', err('net::ERR_CONNECTION_REFUSED'), 'tcp_refused'],
    ['net unreachable', err('net::ERR_ADDRESS_UNREACHABLE'), 'tcp_refused'],
    ['net connect timeout', err('net::ERR_CONNECTION_TIMED_OUT'), 'timeout'],
    ['net timeout', err('net::ERR_TIMED_OUT'), 'timeout'],
    ['net ssl protocol', err('net::ERR_SSL_PROTOCOL_ERROR'), 'tls'],
    ['net cert name', err('net::ERR_CERT_COMMON_NAME_INVALID'), 'tls'],
    ['net cert date', err('net::ERR_CERT_DATE_INVALID'), 'tls'],
    ['net cipher', err('net::ERR_SSL_VERSION_OR_CIPHER_MISMATCH'), 'tls'],
    ['net client cert is not censorship', err('net::ERR_SSL_CLIENT_AUTH_CERT_NEEDED'), 'other'],
    ['net orb', err('net::ERR_BLOCKED_BY_ORB'), 'inconclusive'],
    ['net blocked by response', err('net::ERR_BLOCKED_BY_RESPONSE'), 'inconclusive'],
    ['net ad blocker', err('net::ERR_BLOCKED_BY_CLIENT'), null],
    ['net aborted', err('net::ERR_ABORTED'), null],
    ['net offline', err('net::ERR_INTERNET_DISCONNECTED'), null],
    ['net unknown', err('net::ERR_QUIC_PROTOCOL_ERROR'), 'other'],
    ['net malformed', err('net::ERR_'), 'other'],
    // Firefox
    ['ns dns', err('NS_ERROR_UNKNOWN_HOST'), 'dns'],
    ['ns reset', err('NS_ERROR_NET_RESET'), 'tcp_reset'],
    ['ns interrupt', err('NS_ERROR_NET_INTERRUPT'), 'tcp_reset'],
    ['ns refused', err('NS_ERROR_CONNECTION_REFUSED'), 'tcp_refused'],
    ['ns timeout', err('NS_ERROR_NET_TIMEOUT'), 'timeout'],
    ['ns binding aborted', err('NS_BINDING_ABORTED'), null],
    ['ns abort (declarativeNetRequest)', err('NS_ERROR_ABORT'), null],
    ['ns offline', err('NS_ERROR_OFFLINE'), null],
    ['ns tracking', err('NS_ERROR_TRACKING_URI'), null],
    ['ns social tracking', err('NS_ERROR_SOCIALTRACKING_URI'), null],
    ['ns fingerprinting', err('NS_ERROR_FINGERPRINTING_URI'), null],
    ['ns failure', err('NS_ERROR_FAILURE'), 'other'],
    ['ns unknown', err('NS_ERROR_SOMETHING_NEW'), 'other'],
    ['ns security module', err('NS_ERROR_GENERATE_FAILURE(NS_ERROR_MODULE_SECURITY, SSL_ERROR_BAD_CERT_DOMAIN)'), 'tls'],
    ['ns other module', err('NS_ERROR_GENERATE_FAILURE(6, 12)'), 'other'],
    ['ff english tls', err('SSL received a record that exceeded the maximum permissible length.'), 'tls'],
    ['ff english tls on wss', err('The certificate is not trusted because it is self-signed.', 'wss://example.test/'), 'tls'],
    ['ff nss code embedded, any scheme', err('Error code: SSL_ERROR_BAD_CERT_DOMAIN', 'http://x.test/'), 'tls'],
    ['ff prose on http', err('The certificate is not trusted because it is self-signed.', 'http://x.test/'), 'other'],
    ['unknown code-like string', err('SOME_NEW_ERROR'), 'other'],
    ['unknown bare token', err('error'), 'other'],
    ['digits only', err('12345'), 'other'],
    ['empty error', err(''), 'other'],
    // Status codes and redirects
    ['200', { event: 'completed', url: https, statusCode: 200 }, 'ok'],
    ['204', { event: 'completed', url: https, statusCode: 204 }, 'ok'],
    ['304', { event: 'completed', url: https, statusCode: 304 }, 'ok'],
    ['451', { event: 'completed', url: https, statusCode: 451 }, 'http_blockpage'],
    ['403', { event: 'completed', url: https, statusCode: 403 }, 'http_error'],
    ['503', { event: 'completed', url: https, statusCode: 503 }, 'http_error'],
    ['no status', { event: 'completed', url: https }, 'other'],
    ['completed on a block page URL', { event: 'completed', url: 'https://vk.com/blank.php?rkn=123', statusCode: 200 }, 'http_blockpage'],
    ['redirect to a block page', { event: 'redirect', url: https, statusCode: 302, redirectUrl: 'http://warning.rt.ru/?id=17' }, 'http_blockpage'],
    ['redirect to https block page', { event: 'redirect', url: https, statusCode: 302, redirectUrl: 'https://warning.rt.ru/' }, 'http_blockpage'],
    ['redirect to a look-alike host', { event: 'redirect', url: https, statusCode: 302, redirectUrl: 'http://warning.rt.ru.evil.test/' }, 'ok'],
    ['redirect elsewhere', { event: 'redirect', url: https, statusCode: 301, redirectUrl: 'https://x.com/' }, 'ok'],
    ['redirect 451?', { event: 'redirect', url: https, statusCode: 451, redirectUrl: 'https://x.com/' }, 'http_blockpage'],
    ['redirect with a bad target', { event: 'redirect', url: https, statusCode: 307, redirectUrl: 'not a url' }, 'ok'],
    // What the headers showed before the error
    ['451 in headers, then an abort', { ...err('NS_BINDING_ABORTED'), seenStatus: 451 }, 'http_blockpage'],
    ['451 in headers, then ORB', { ...err('net::ERR_BLOCKED_BY_ORB'), seenStatus: 451 }, 'http_blockpage'],
    ['451 in headers, then a generic failure', { ...err('NS_ERROR_FAILURE'), seenStatus: 451 }, 'http_blockpage'],
    ['451 in headers, then no error text', { ...err(''), seenStatus: 451 }, 'http_blockpage'],
    ['200 in headers, then an abort', { ...err('NS_BINDING_ABORTED'), seenStatus: 200 }, null],
    ['302 in headers, then ORB', { ...err('net::ERR_BLOCKED_BY_ORB'), seenStatus: 302 }, 'inconclusive'],
    ['451 in headers, then a reset', { ...err('net::ERR_CONNECTION_RESET'), seenStatus: 451 }, 'tcp_reset'],
  ];

  it.each(cases)('%s', (_name, ev, want) => {
    expect(classifyRequestEvent(ev)?.outcome ?? null).toBe(want);
  });

  it('keeps the raw error and the status', () => {
    expect(classifyRequestEvent(err('net::ERR_SOMETHING'))).toEqual({ outcome: 'other', error: 'net::ERR_SOMETHING', httpStatus: null });
    expect(classifyRequestEvent({ event: 'completed', url: https, statusCode: 451 })).toEqual({ outcome: 'http_blockpage', error: null, httpStatus: 451 });
  });

  it('maps outcomes to OONI blocking values', () => {
    expect(OONI_BLOCKING).toEqual({
      ok: false, dns: 'dns', tcp_reset: 'tcp_ip', tcp_refused: 'tcp_ip', timeout: 'tcp_ip', tls: 'http-failure',
      http_blockpage: 'http-diff', http_error: null, inconclusive: null, other: null,
    });
  });

  it('never throws and never calls a not-TLS code TLS', () => {
    const codes = ['NS_', 'ERR_', 'NS_ERROR_', ''].flatMap((p) => ['X', 'SSL_THING', 'CERT', 'A_B_C', 'TLS'].map((s) => p + s));
    for (const c of codes) {
      expect(classifyRequestEvent(err(c))?.outcome ?? null).not.toBe('tls');
      expect(isFirefoxTlsMessage(c, https)).toBe(false);
    }
    expect(isFirefoxTlsMessage('net::ERR_SSL_PROTOCOL_ERROR', https)).toBe(false);
  });
});

describe('block-page fingerprints', () => {
  it('are well formed and unique', () => {
    const ids = BLOCKPAGE_FINGERPRINTS.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const f of BLOCKPAGE_FINGERPRINTS) expect(f.countries.every((c) => /^[A-Z]{2}$/.test(c))).toBe(true);
  });

  it.each([
    ['http://warning.rt.ru/?id=1', 'ooni.ru_6'],
    ['http://WARNING.RT.RU/', 'ooni.ru_6'],
    ['https://vk.com/blank.php?rkn=abc', 'ooni.by_3'],
    ['http://195.94.233.66/?UrlRedir=http%3A%2F%2Fx', 'ooni.ru_33'],
    ['http://195.146.65.20/block.html?x', 'ooni.ru_12'],
    ['http://www.starhub.com/personal/broadband/value-added-services/safesurf/mda-blocked.html', 'ooni.sg_0'],
    ['http://www.warning.or.kr', 'ooni.kr_2'],
    ['http://bilgi.turktelekom.com.tr/guvenli_internet_uyari?u=x', 'ooni.tr_3'],
  ])('%s → %s', (url, id) => {
    expect(matchBlockPage(url)?.id).toBe(id);
  });

  it.each([
    'http://warning.rt.ru.evil.test/',
    'http://notwarning.rt.ru/',
    'https://vk.com/blank.php',
    'http://www.warning.or.kr/other',
    'https://x.com/',
    'ftp://warning.rt.ru/',
    'not a url',
  ])('%s is not a block page', (url) => {
    expect(matchBlockPage(url)).toBeNull();
  });
});
