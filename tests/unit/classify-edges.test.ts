// Edges of the classifier that the recorded fixtures do not reach: status bounds, padding, code shapes and
// the shape test for Firefox's localised TLS sentences (found by mutation testing, README "Mutation testing").
import { describe, expect, it } from 'vitest';
import { classifyRequestEvent, isFirefoxTlsMessage } from '../../utils/reach/classify';

const url = 'https://pbs.twimg.com/media/a.jpg';

describe('status bounds', () => {
  it.each([
    [99, 'other'],
    [100, 'ok'],
    [200, 'ok'],
    [399, 'ok'],
    [400, 'http_error'],
    [451, 'http_blockpage'],
    [503, 'http_error'],
    [200.5, 'other'],
    [undefined, 'other'],
  ] as const)('completed with status %s is %s', (statusCode, outcome) => {
    expect(classifyRequestEvent({ event: 'completed', url, statusCode })?.outcome).toBe(outcome);
  });

  it.each([
    [0, null],
    [-1, null],
    [undefined, null],
    [204, 204],
  ] as const)('a status of %s is recorded as %s', (statusCode, httpStatus) => {
    expect(classifyRequestEvent({ event: 'completed', url, statusCode })?.httpStatus).toBe(httpStatus);
  });
});

describe('error strings', () => {
  it('padding around a Chromium code does not matter', () => {
    expect(classifyRequestEvent({ event: 'error', url, error: '  net::ERR_CONNECTION_RESET \n' })).toEqual({ outcome: 'tcp_reset', error: 'net::ERR_CONNECTION_RESET', httpStatus: null });
  });

  it('a Chromium code must be the whole string', () => {
    expect(classifyRequestEvent({ event: 'error', url, error: 'net::ERR_CONNECTION_RESET and more' })?.outcome).toBe('other');
  });

  it('an unknown SSL_ or CERT_ code is TLS; a code that only contains SSL_ is not', () => {
    expect(classifyRequestEvent({ event: 'error', url, error: 'net::ERR_SSL_SOMETHING_NEW' })?.outcome).toBe('tls');
    expect(classifyRequestEvent({ event: 'error', url, error: 'net::ERR_NOT_SSL_RELATED' })?.outcome).toBe('other');
  });
});

describe('isFirefoxTlsMessage: the shape of a localised NSS sentence', () => {
  const prose = 'The certificate is not trusted because it is self-signed.';
  it('prose on a TLS request is a TLS message', () => {
    expect(isFirefoxTlsMessage(prose, url)).toBe(true);
    expect(isFirefoxTlsMessage(`  ${prose}  `, 'wss://example.org/')).toBe(true);
    expect(isFirefoxTlsMessage('Сертификат недействителен', url)).toBe(true);
  });
  it('not on a plain-HTTP request, nor when the scheme only appears later', () => {
    expect(isFirefoxTlsMessage(prose, 'http://example.org/')).toBe(false);
    expect(isFirefoxTlsMessage(prose, 'http://example.org/?u=https://x')).toBe(false);
  });
  it('XPCOM names and net:: codes are never sentences, even padded', () => {
    expect(isFirefoxTlsMessage('NS_ERROR_SOMETHING with words', url)).toBe(false);
    expect(isFirefoxTlsMessage('  net::ERR_SOMETHING with words', url)).toBe(false);
  });
  it('too short or too long', () => {
    expect(isFirefoxTlsMessage('a b', url)).toBe(false);
    expect(isFirefoxTlsMessage('ab c', url)).toBe(true);
    expect(isFirefoxTlsMessage(`${'word '.repeat(100)}x`.slice(0, 500), url)).toBe(true);
    expect(isFirefoxTlsMessage(`${'word '.repeat(101)}`, url)).toBe(false);
  });
  it('a code-like token is not a sentence unless it ends like one', () => {
    expect(isFirefoxTlsMessage('SOME_UNKNOWN_CODE', url)).toBe(false);
    expect(isFirefoxTlsMessage('Some.Unknown:Code(1)', url)).toBe(false);
    expect(isFirefoxTlsMessage('Untrusted.', url)).toBe(true);
  });
  it('needs a letter, and a space, a non-ASCII character or final punctuation', () => {
    expect(isFirefoxTlsMessage('1234 5678', url)).toBe(false);
    expect(isFirefoxTlsMessage('Untrusted!', url)).toBe(true);
    expect(isFirefoxTlsMessage('Untrusted', url)).toBe(false);
  });
});
