import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  anonymise,
  bucketDuration,
  ERROR_MAX_LENGTH,
  ErrorText,
  hostOf,
  hourOf,
  isIdentifyingToken,
  LogRecord,
  mergeKey,
  resourceOf,
  scrubError,
  type RawObservation,
} from '../../utils/log/record';

const HOUR = 3_600_000;
const YEAR_10000 = Date.parse('+010000-01-01T00:00:00Z');

function raw(overrides: Partial<RawObservation> = {}): RawObservation {
  return {
    url: 'https://platform.twitter.com/widgets.js',
    timeStamp: Date.parse('2026-11-22T16:42:13.512Z'),
    region: 'PK',
    platform: 'x',
    resourceType: 'script',
    vantage: 'passive',
    outcome: 'tcp_reset',
    error: 'net::ERR_CONNECTION_RESET',
    httpStatus: null,
    durationMs: 120,
    restricted: true,
    browser: 'chromium/156',
    extension: '0.1.0',
    dataset: '2026.11.22',
    ...overrides,
  };
}

/** A marker that cannot occur in a record by chance (no field holds "zq" followed by ten more letters). */
const secretArb = fc.stringMatching(/^[a-z0-9]{10}$/).map((s) => `zq${s}`);

/** A URL whose every non-host part carries the secret, with a real host name. */
const markedUrlArb = fc
  .record({
    scheme: fc.constantFrom('http', 'https', 'ws', 'wss'),
    host: fc.domain(),
    port: fc.integer({ min: 1, max: 65535 }),
    secret: secretArb,
    part: fc.constantFrom('user', 'password', 'path', 'query', 'fragment', 'all'),
  })
  .map(({ scheme, host, port, secret, part }) => {
    const has = (p: string) => part === p || part === 'all';
    const userinfo = has('user') || has('password') ? `${has('user') ? `u${secret}` : 'u'}${has('password') ? `:p${secret}` : ''}@` : '';
    const url = `${scheme}://${userinfo}${host}:${port}/${has('path') ? `a/${secret}/b` : ''}${has('query') ? `?q=${secret}&r=1` : ''}${has('fragment') ? `#${secret}` : ''}`;
    return { url, host, port, secret };
  });

const anyWebUrlArb = fc.webUrl({
  validSchemes: ['http', 'https'],
  authoritySettings: { withIPv4: true, withIPv6: true, withIPv4Extended: true, withUserInfo: true, withPort: true },
  withQueryParameters: true,
  withFragments: true,
});

const ipArb = fc.oneof(fc.ipV4(), fc.ipV6());

/** Arbitrary text around the dangerous part, so the scrubber cannot rely on spaces or punctuation. */
const textArb = fc.string({ unit: 'binary', maxLength: 30 });

describe('anonymise: hosts', () => {
  it('keeps only the lowercase host name of any URL, and drops IP-literal hosts entirely', () => {
    fc.assert(
      fc.property(anyWebUrlArb, (url) => {
        const record = anonymise(raw({ url }));
        const { hostname } = new URL(url);
        const isIp = hostname.startsWith('[') || /^\d+\.\d+\.\d+\.\d+$/.test(hostname);
        if (isIp) {
          expect(record).toBeNull();
          return;
        }
        if (record === null) return; // a host the schema refuses (e.g. a numeric TLD) is dropped, never mangled
        expect(record.host).toBe(hostname.replace(/\.$/, ''));
        expect(record.host).toMatch(/^[a-z0-9.-]+$/);
      }),
      { numRuns: 500 },
    );
  });

  it('never lets userinfo, port, path, query or fragment into any field', () => {
    fc.assert(
      fc.property(markedUrlArb, ({ url, host, port, secret }) => {
        const record = anonymise(raw({ url }));
        expect(record).not.toBeNull();
        expect(record!.host).toBe(host);
        const json = JSON.stringify(record);
        expect(json).not.toContain(secret);
        expect(json).not.toContain(`:${port}"`);
        expect(json).not.toContain(`${host}:`);
      }),
      { numRuns: 500 },
    );
  });

  it('accepts every ordinary domain, so the properties above are not vacuous', () => {
    fc.assert(
      fc.property(fc.domain(), (host) => {
        expect(anonymise(raw({ url: `https://${host}/` }))?.host).toBe(host);
      }),
    );
  });

  it.each([
    ['https://Platform.Twitter.COM:8443/x', 'platform.twitter.com'],
    ['https://x.com./', 'x.com'],
    ['wss://gateway.discord.gg/?v=10', 'gateway.discord.gg'],
    ['https://пример.рф/', 'xn--e1afmkfd.xn--p1ai'],
    ['https://127.0.0.1/', null],
    ['http://2130706433/', null], // decimal IPv4
    ['http://0x7f.1/', null], // hex and short IPv4
    ['http://127.1/', null],
    ['https://[::1]:443/', null],
    ['https://[::ffff:10.0.0.1]/', null],
    ['data:text/html,hi', null],
    ['about:blank', null],
    ['not a url', null],
  ])('hostOf(%s) is %s', (url, expected) => {
    expect(hostOf(url)).toBe(expected);
  });
});

describe('anonymise: time and duration', () => {
  it('cuts any time to the start of its UTC hour', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: YEAR_10000 - 1 }), fc.double({ min: 0, max: 0.999, noNaN: true }), (ms, fraction) => {
        const timeStamp = ms + fraction; // webRequest timeStamps are fractional
        // Near year 10000 a double moves in steps of 1/32 ms, so the last millisecond of 9999 plus 0.99 is
        // exactly 10000-01-01T00:00Z, which has no four-digit hour and is rightly dropped (the next test).
        fc.pre(timeStamp < YEAR_10000);
        const record = anonymise(raw({ timeStamp }));
        expect(record).not.toBeNull();
        expect(record!.hour).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:00:00Z$/);
        // Exact integer arithmetic, not the code's own floating-point formula.
        expect(BigInt(Date.parse(record!.hour))).toBe((BigInt(Math.floor(timeStamp)) / BigInt(HOUR)) * BigInt(HOUR));
        expect(JSON.stringify(record)).not.toMatch(/T\d{2}:(?!00:00Z)/);
      }),
      { numRuns: 500, examples: [[YEAR_10000 - 1, 0.96875]] },
    );
  });

  it('drops times it cannot express as an hour', () => {
    for (const timeStamp of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 8.64e15 + 1, Date.parse('-000001-12-31T23:00:00Z'), Date.parse('+010000-01-01T00:00:00Z')]) {
      expect(anonymise(raw({ timeStamp }))).toBeNull();
    }
  });

  it.each([
    [null, null],
    [-5, null],
    [Number.NaN, null],
    [0, 0],
    [99.9, 0],
    [100, 100],
    [249, 100],
    [250, 250],
    [999, 500],
    [1000, 1000],
    [29_999, 10000],
    [60_000, 60000],
    [3_600_000, 60000],
  ])('bucketDuration(%s) is %s', (ms, bucket) => {
    expect(bucketDuration(ms)).toBe(bucket);
  });

  it('rejects hours that are not the start of a real hour', () => {
    const good = anonymise(raw())!;
    for (const hour of ['2026-11-22T16:30:00Z', '2026-11-22T16:00:00.000Z', '2026-02-30T10:00:00Z', '2026-11-22T24:00:00Z', '2026-11-22 16:00:00']) {
      expect(LogRecord.safeParse({ ...good, hour }).success).toBe(false);
    }
  });
});

describe('anonymise: error text', () => {
  it('never lets a URL part, port or IP address through, wherever it sits in the text', () => {
    fc.assert(
      fc.property(textArb, markedUrlArb, textArb, (before, { url, port, secret }, after) => {
        const error = anonymise(raw({ error: `${before}${url}${after}` }))!.error;
        if (error === null) return;
        expect(error).not.toContain(secret);
        expect(error).not.toContain(`:${port}`);
        expect(error).not.toMatch(/[/?#@]/);
      }),
      { numRuns: 1000 },
    );
  });

  it('never lets an arbitrary URL through', () => {
    fc.assert(
      fc.property(textArb, anyWebUrlArb, textArb, (before, url, after) => {
        const error = anonymise(raw({ error: `${before} ${url}${after}` }))!.error;
        if (error === null) return;
        const { pathname, search, hash, username, port } = new URL(url);
        expect(error).not.toContain('://');
        if (pathname.length > 1) expect(error).not.toContain(pathname);
        if (search) expect(error).not.toContain(search);
        if (hash) expect(error).not.toContain(hash);
        if (username) expect(error).not.toContain(`${username}@`);
        if (port) expect(error).not.toContain(`:${port}`);
      }),
      { numRuns: 1000 },
    );
  });

  it('never lets an IPv4 or IPv6 address through', () => {
    fc.assert(
      fc.property(textArb, ipArb, textArb, (before, ip, after) => {
        const error = anonymise(raw({ error: `${before}${ip}${after}` }))!.error;
        if (error !== null) expect(error).not.toContain(ip);
      }),
      { numRuns: 1000 },
    );
  });

  it('never lets a clock time through', () => {
    fc.assert(
      fc.property(textArb, fc.date({ noInvalidDate: true }), textArb, (before, date, after) => {
        const time = date.toISOString().slice(11, 19);
        const error = anonymise(raw({ error: `${before}${time}${after}` }))!.error;
        if (error !== null) expect(error).not.toContain(time.slice(0, 5));
      }),
    );
  });

  it('turns any string into valid, bounded error text, and is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        const scrubbed = scrubError(text);
        if (scrubbed === null) {
          expect(text).toMatch(/^[\s\p{Cc}\u200B\u2060\uFEFF\u202A-\u202E\u2066-\u2069]*$/u);
          return;
        }
        expect(scrubbed.length).toBeLessThanOrEqual(ERROR_MAX_LENGTH);
        expect(scrubError(scrubbed)).toBe(scrubbed);
        expect(ErrorText.safeParse(scrubbed).success).toBe(true);
        expect(scrubbed.split(' ').filter((t) => t !== '[redacted]' && isIdentifyingToken(t))).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it.each([
    'net::ERR_CONNECTION_RESET',
    'net::ERR_NAME_NOT_RESOLVED',
    'net::ERR_CERT_AUTHORITY_INVALID',
    'net::ERR_BLOCKED_BY_ORB',
    'NS_ERROR_NET_RESET',
    'NS_ERROR_UNKNOWN_HOST',
    'NS_ERROR_FAILURE',
    'The certificate is not trusted because it is self-signed.',
    'SSL received a record that exceeded the maximum permissible length.',
    "Peer's Certificate issuer is not recognized.",
    'Das Zertifikat ist nicht vertrauenswürdig, weil es vom Aussteller selbst signiert wurde.',
    'سرٹیفکیٹ پر بھروسہ نہیں ہے', // Urdu: the classifier must see localised text unchanged
    'TypeError: Failed to fetch',
    'NetworkError when attempting to fetch resource.',
  ])('keeps the browser error %j unchanged', (error) => {
    expect(anonymise(raw({ error }))!.error).toBe(error);
  });

  it.each([
    ['Failed to load https://x.com/i/status/123?s=20', 'Failed to load [redacted]'],
    ['platform.twitter.com uses an invalid security certificate.', '[redacted] uses an invalid security certificate.'],
    ['connect 203.0.113.9:443 failed at 16:42', 'connect [redacted] failed at [redacted]'],
    ['reset by [2001:db8::1]', 'reset by [redacted]'],
    ['  line one\n\tline two\u202E  ', 'line one line two'],
    ['', null],
  ])('scrubs %j to %j', (error, expected) => {
    expect(anonymise(raw({ error }))!.error).toBe(expected);
  });

  it('cuts long error text at a token boundary', () => {
    const error = anonymise(raw({ error: 'word '.repeat(100) }))!.error!;
    expect(error.length).toBeLessThanOrEqual(ERROR_MAX_LENGTH);
    expect(error).toMatch(/^(word )+…$/);
  });

  it('keeps as many whole tokens as fit, in order, and the full text when it fits exactly', () => {
    // Tokens of 9 characters: 19 of them with their spaces make 189 characters, and one more of 10 makes 200.
    const tokens = Array.from({ length: 40 }, (_, i) => `token${String(i).padStart(4, '0')}`);
    const exactly200 = `${tokens.slice(0, 19).join(' ')} abcdefghij`;
    expect(exactly200).toHaveLength(ERROR_MAX_LENGTH);
    expect(scrubError(exactly200)).toBe(exactly200);
    const cut = scrubError(tokens.join(' '))!;
    // 19 tokens make 189 characters; a 20th would make 199, past the 198 that leave room for " …".
    expect(cut).toBe(`${tokens.slice(0, 19).join(' ')} …`);
    // A prefix that ends exactly at the room left is kept whole: 197 + 1 = 198 characters, then " …".
    const fills = `${'a'.repeat(60)} ${'b'.repeat(60)} ${'c'.repeat(60)} ${'d'.repeat(15)}`;
    expect(fills).toHaveLength(ERROR_MAX_LENGTH - 2);
    expect(scrubError(`${fills} more words`)).toBe(`${fills} …`);
  });

  it('replaces a run of identifying tokens with one marker, and tokens too long to be words', () => {
    expect(scrubError('reset https://a.example/x 203.0.113.9 host.example then')).toBe('reset [redacted] then');
    expect(scrubError('a https://a.example/ b https://b.example/')).toBe('a [redacted] b [redacted]');
    expect(scrubError('a'.repeat(64))).toBe('a'.repeat(64));
    expect(scrubError(`x ${'a'.repeat(65)} y`)).toBe('x [redacted] y');
  });
});

describe('the record schema', () => {
  it('matches the example record of ARCHITECTURE.md "The log and its export"', () => {
    const example = {
      schema: 'banlens.reachability/1', id: '0b7c2a6e-4d1f-4c59-9a8e-2f0d6c1b3a45', hour: '2026-11-22T16:00:00Z', region: 'PK',
      platform: 'x', host: 'platform.twitter.com', resource: 'script', vantage: 'passive',
      outcome: 'tcp_reset', error: 'net::ERR_CONNECTION_RESET', http_status: null, ms_bucket: 100,
      count: 3, restricted: true, browser: 'chromium/156', extension: '0.1.0', dataset: '2026.11.22',
    };
    expect(LogRecord.parse(example)).toEqual(example);
  });

  it('rejects any extra field, such as the page where the request was seen', () => {
    const good = anonymise(raw())!;
    for (const extra of [{ page: 'https://news.example/' }, { tabId: 3 }, { url: 'https://x.com/' }, { ip: '1.2.3.4' }]) {
      expect(LogRecord.safeParse({ ...good, ...extra }).success).toBe(false);
    }
  });

  it.each([
    ['host', 'x.com:443'],
    ['host', '1.2.3.4'],
    ['host', 'X.com'],
    ['error', 'GET https://x.com/secret'],
    ['count', 0],
    ['count', 1.5],
    ['http_status', 0],
    ['ms_bucket', 123],
    ['browser', 'chromium/156.0.7000.1'],
    ['region', 'pk'],
    ['outcome', 'blocked'],
  ])('rejects %s = %j', (field, value) => {
    expect(LogRecord.safeParse({ ...anonymise(raw())!, [field]: value }).success).toBe(false);
  });

  it('marks probes by their resource and never by a page request type', () => {
    expect(anonymise(raw({ vantage: 'probe', resourceType: 'main_frame' }))!.resource).toBe('probe');
    expect(anonymise(raw({ vantage: 'passive', resourceType: 'probe' }))!.resource).toBe('other');
    expect(LogRecord.safeParse({ ...anonymise(raw())!, resource: 'probe' }).success).toBe(false);
    expect(LogRecord.safeParse({ ...anonymise(raw({ vantage: 'probe' }))!, resource: 'script' }).success).toBe(false);
    expect(LogRecord.safeParse(anonymise(raw({ vantage: 'probe' }))).success).toBe(true);
    expect(anonymise(raw({ vantage: 'report', resourceType: 'other' }))).toMatchObject({ vantage: 'report', resource: 'other' });
  });

  it.each([
    ['main_frame', 'main_frame'],
    ['sub_frame', 'sub_frame'],
    ['script', 'script'],
    ['image', 'image'],
    ['imageset', 'image'],
    ['media', 'media'],
    ['xmlhttprequest', 'xhr'],
    ['stylesheet', 'stylesheet'],
    ['font', 'font'],
    ['websocket', 'other'],
    ['ping', 'other'],
    ['beacon', 'other'],
    ['object', 'other'],
    ['toString', 'other'],
    ['', 'other'],
  ])('resourceOf(%j) is %j', (type, resource) => {
    expect(resourceOf(type)).toBe(resource);
  });

  it('keeps only the major browser version and drops out-of-range statuses', () => {
    const record = anonymise(raw({ browser: 'Firefox/153.0.1esr', httpStatus: 0 }))!;
    expect(record.browser).toBe('firefox/153');
    expect(record.http_status).toBeNull();
    expect(anonymise(raw({ httpStatus: 451 }))!.http_status).toBe(451);
  });

  it.each([
    [100, 100],
    [599, 599],
    [99, null],
    [600, null],
    [200.5, null],
    [null, null],
  ])('keeps the record, with http_status %j stored as %j', (httpStatus, stored) => {
    expect(anonymise(raw({ httpStatus }))?.http_status).toBe(stored);
  });

  it('refuses a browser tag that does not start with an engine name rather than repairing it', () => {
    expect(anonymise(raw({ browser: 'chromium/156' }))?.browser).toBe('chromium/156');
    expect(anonymise(raw({ browser: '1chromium/156' }))).toBeNull();
    expect(anonymise(raw({ browser: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0' }))?.browser).toBe('mozilla/5');
  });
});

describe('mergeKey', () => {
  it('ignores id and count, and tells apart records differing in any other field', () => {
    const a = anonymise(raw())!;
    const b = anonymise(raw({ timeStamp: Date.parse('2026-11-22T16:59:59Z') }))!;
    expect(a.id).not.toBe(b.id);
    expect(mergeKey(a)).toBe(mergeKey({ ...b, count: 7 } as LogRecord));
    const variants: Partial<RawObservation>[] = [
      { timeStamp: Date.parse('2026-11-22T17:00:00Z') }, { region: 'IN' }, { platform: 'youtube' }, { url: 'https://x.com/' },
      { resourceType: 'image' }, { vantage: 'probe' }, { outcome: 'timeout' }, { error: null }, { httpStatus: 451 },
      { durationMs: 5000 }, { restricted: false }, { browser: 'firefox/153' }, { extension: '0.2.0' }, { dataset: '2026.12.1' },
    ];
    for (const v of variants) expect(mergeKey(anonymise(raw(v))!)).not.toBe(mergeKey(a));
  });
});

describe('hourOf', () => {
  it('is the inverse of Date.parse on hour stamps', () => {
    expect(hourOf(Date.parse('2026-11-22T16:00:00Z'))).toBe('2026-11-22T16:00:00Z');
    expect(hourOf(Date.parse('2026-11-22T16:00:00Z') - 1)).toBe('2026-11-22T15:00:00Z');
  });

  it('is null for times outside years 0000–9999, never a malformed stamp or an exception', () => {
    for (const t of [Date.parse('+010000-01-01T00:00:00Z'), Date.parse('-000001-12-31T23:00:00Z'), 8.64e15, 1e16, -1e16, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(hourOf(t)).toBeNull();
    }
    expect(hourOf(Date.parse('0000-01-01T00:30:00Z'))).toBe('0000-01-01T00:00:00Z');
    expect(hourOf(Date.parse('9999-12-31T23:59:59.999Z'))).toBe('9999-12-31T23:00:00Z');
  });
});
