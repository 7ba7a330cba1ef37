/**
 * The observation pipeline's pure parts (utils/background/observations.ts): what a webRequest event becomes,
 * what is remembered between a request's start and end, and what the journal keeps for a new worker.
 */
import { describe, expect, it } from 'vitest';
import { bundledDataset } from '@/utils/dataset/store';
import { buildHostIndex } from '@/utils/dataset/matcher';
import { isOwnRequest, isPlatformHost, JournalEntry, ObservationJournal, observeRequest, requestHost, RequestTracker, type JournalStore, type RequestObservation } from '@/utils/background/observations';
import { OBSERVATION_JOURNAL_PREFIX } from '@/utils/storage';

const OWN = 'chrome-extension://abcdef/';
const none = { startedAt: undefined, seenStatus: undefined };

function details(url: string, more: Record<string, unknown> = {}) {
  return { requestId: '7', url, tabId: 5, frameId: 0, type: 'script', timeStamp: 10_000, method: 'GET', parentFrameId: -1, ...more } as never;
}

describe('RequestTracker', () => {
  it('hands over the start time and the status the headers showed, then forgets the request', () => {
    const t = new RequestTracker();
    t.started('1', 100);
    t.headers('1', 451);
    expect(t.end('1', 'error')).toEqual({ startedAt: 100, seenStatus: 451 });
    expect(t.end('1', 'error')).toEqual(none);
  });

  it('keeps a redirected request open: the next hop ends it', () => {
    const t = new RequestTracker();
    t.started('1', 100);
    t.headers('1', 301);
    expect(t.end('1', 'redirect')).toEqual({ startedAt: 100, seenStatus: 301 });
    expect(t.end('1', 'completed')).toEqual({ startedAt: 100, seenStatus: 301 });
    expect(t.end('1', 'completed')).toEqual(none);
  });

  it('stays bounded on a page that never ends its requests: the oldest are forgotten first', () => {
    const t = new RequestTracker();
    for (let i = 0; i <= 5000; i++) {
      t.started(String(i), i);
      t.headers(String(i), 200);
    }
    expect(t.end('0', 'completed')).toEqual(none);
    expect(t.end('1', 'completed')).toEqual({ startedAt: 1, seenStatus: 200 });
    expect(t.end('5000', 'completed')).toEqual({ startedAt: 5000, seenStatus: 200 });
  });
});

describe('isOwnRequest: the probes this extension makes', () => {
  it.each([
    ['Chromium initiator', { initiator: 'chrome-extension://abcdef' }, true],
    ['Firefox originUrl', { originUrl: 'chrome-extension://abcdef/background.js' }, true],
    ['Firefox documentUrl', { documentUrl: 'chrome-extension://abcdef/_generated_background_page.html' }, true],
    ['a page', { initiator: 'https://news.example', originUrl: 'https://news.example/a', documentUrl: 'https://news.example/a' }, false],
    ['another extension', { initiator: 'chrome-extension://other' }, false],
    ['nothing said', {}, false],
  ])('%s', (_name, d, own) => {
    expect(isOwnRequest(d, OWN)).toBe(own);
  });
});

describe('requestHost', () => {
  it.each([
    ['https://Cdn.BSKY.app./img/a.jpg', 'cdn.bsky.app'],
    ['wss://bsky.app/socket', 'bsky.app'],
    ['http://bsky.app:8080/', 'bsky.app'],
    ['data:text/plain,hi', null],
    ['chrome-extension://abcdef/popup.html', null],
    ['https://127.0.0.1/', null],
    ['not a url', null],
  ])('%s → %s', (url, host) => {
    expect(requestHost(url)).toBe(host);
  });
});

describe('observeRequest: one webRequest end, one observation', () => {
  it('a page request that was reset: host parsed once, classified, timed from its start', () => {
    const obs = observeRequest('error', details('https://embed.bsky.app/static/embed.js?x=1', { error: 'net::ERR_CONNECTION_RESET', timeStamp: 10_300 }), { startedAt: 10_000, seenStatus: undefined }, OWN);
    expect(obs).toEqual({
      event: 'error',
      requestId: '7',
      tabId: 5,
      frameId: 0,
      url: 'https://embed.bsky.app/static/embed.js?x=1',
      host: 'embed.bsky.app',
      resourceType: 'script',
      timeStamp: 10_300,
      durationMs: 300,
      outcome: 'tcp_reset',
      error: 'net::ERR_CONNECTION_RESET',
      httpStatus: null,
      vantage: 'passive',
    } satisfies RequestObservation);
  });

  it('a completed load carries its status; without a tracked start it has no duration', () => {
    expect(observeRequest('completed', details('https://bsky.app/', { statusCode: 200, type: 'main_frame' }), none, OWN)).toMatchObject({ outcome: 'ok', httpStatus: 200, durationMs: null, resourceType: 'main_frame' });
    expect(observeRequest('completed', details('https://bsky.app/', { statusCode: 404 }), none, OWN)).toMatchObject({ httpStatus: 404 });
  });

  it('a clock that went backwards gives a zero duration, never a negative one', () => {
    expect(observeRequest('completed', details('https://bsky.app/', { statusCode: 200, timeStamp: 90 }), { startedAt: 100, seenStatus: undefined }, OWN)?.durationMs).toBe(0);
  });

  it('a redirect to a block page is a block page', () => {
    expect(observeRequest('redirect', details('https://vk.com/', { statusCode: 302, redirectUrl: 'http://warning.rt.ru/?id=1' }), none, OWN)).toMatchObject({ outcome: 'http_blockpage', httpStatus: 302 });
    expect(observeRequest('redirect', details('http://vk.com/', { statusCode: 301, redirectUrl: 'https://vk.com/' }), none, OWN)?.outcome).not.toBe('http_blockpage');
  });

  it('the 451 the headers showed counts, whatever Firefox reported after', () => {
    const obs = observeRequest('error', details('https://bsky.app/a.js', { error: 'NS_BINDING_ABORTED' }), { startedAt: undefined, seenStatus: 451 }, OWN);
    expect(obs).toMatchObject({ outcome: 'http_blockpage', httpStatus: 451 });
  });

  it('our own probe is a probe; the same request from a page, or a tab-less request of someone else, is passive', () => {
    expect(observeRequest('completed', details('https://bsky.app/', { statusCode: 200, tabId: -1, initiator: 'chrome-extension://abcdef' }), none, OWN)?.vantage).toBe('probe');
    expect(observeRequest('completed', details('https://bsky.app/', { statusCode: 200, tabId: -1, initiator: 'chrome-extension://other' }), none, OWN)?.vantage).toBe('passive');
    expect(observeRequest('completed', details('https://bsky.app/', { statusCode: 200, tabId: 5, initiator: 'chrome-extension://abcdef' }), none, OWN)?.vantage).toBe('passive');
  });

  it('nothing for an odd host, or for an end the classifier does not log (an abort, an ad blocker)', () => {
    expect(observeRequest('completed', details('data:text/plain,hi', { statusCode: 200 }), none, OWN)).toBeNull();
    expect(observeRequest('error', details('https://bsky.app/', { error: 'net::ERR_ABORTED' }), none, OWN)).toBeNull();
    expect(observeRequest('error', details('https://bsky.app/', { error: 'net::ERR_BLOCKED_BY_CLIENT' }), none, OWN)).toBeNull();
  });
});

describe('isPlatformHost', () => {
  const index = buildHostIndex(bundledDataset().platforms);
  it('is true for a platform host and its subdomains only', () => {
    expect(isPlatformHost(index, 'video.twimg.com')).toBe(true);
    expect(isPlatformHost(index, 'bsky.app')).toBe(true);
    expect(isPlatformHost(index, 'news.example')).toBe(false);
    expect(isPlatformHost(index, 'notbsky.app')).toBe(false);
  });
});

/** A storage.session stand-in that records what the journal wrote. */
function memoryStore(initial: Record<string, unknown> = {}): JournalStore & { items: Record<string, unknown> } {
  const items: Record<string, unknown> = { ...initial };
  return {
    items,
    get: async () => ({ ...items }),
    set: async (more) => void Object.assign(items, more),
    remove: async (keys) => {
      for (const k of [keys].flat()) delete items[k];
    },
  };
}

const obs: RequestObservation = {
  event: 'error',
  requestId: '7',
  tabId: 5,
  frameId: 0,
  url: 'https://bsky.app/profile/alice?ref=1',
  host: 'bsky.app',
  resourceType: 'main_frame',
  timeStamp: 10_000,
  durationMs: 40,
  outcome: 'tcp_reset',
  error: 'net::ERR_CONNECTION_RESET',
  httpStatus: null,
  vantage: 'passive',
};

describe('ObservationJournal', () => {
  it('writes each observation at once under its own key, without the URL', async () => {
    const store = memoryStore();
    const journal = new ObservationJournal(store);
    const a = journal.append(obs);
    const b = journal.append({ ...obs, requestId: '8' });
    expect(a).not.toBe(b);
    expect(a.startsWith(OBSERVATION_JOURNAL_PREFIX)).toBe(true);
    await Promise.resolve();
    const { url: _url, ...entry } = obs;
    expect(store.items[a]).toEqual(entry);
    expect(JSON.stringify(store.items)).not.toContain('alice');
    expect(JournalEntry.safeParse(store.items[b]).success).toBe(true);
    await journal.remove(a);
    expect(Object.keys(store.items)).toEqual([b]);
  });

  it("a new worker gets what a killed one left, and clears what the log took over or what no longer parses", async () => {
    const { url: _url, ...entry } = obs;
    const store = memoryStore({
      [`${OBSERVATION_JOURNAL_PREFIX}dead/0`]: entry,
      [`${OBSERVATION_JOURNAL_PREFIX}dead/1`]: false,
      [`${OBSERVATION_JOURNAL_PREFIX}dead/2`]: { ...entry, outcome: 'nonsense' },
      tabStates: { '5': {} },
    });
    const journal = new ObservationJournal(store);
    const mine = journal.append({ ...obs, requestId: 'mine' });
    await Promise.resolve();
    const left = await journal.leftovers();
    expect(left).toEqual([{ key: `${OBSERVATION_JOURNAL_PREFIX}dead/0`, obs: { ...entry, url: 'https://bsky.app/' } }]);
    // Its own entries are still on their way to the log; other keys are not the journal's.
    expect(Object.keys(store.items).sort()).toEqual([`${OBSERVATION_JOURNAL_PREFIX}dead/0`, mine, 'tabStates'].sort());
  });

  it('a storage that refuses does not throw into the webRequest listener', async () => {
    const journal = new ObservationJournal({ get: async () => ({}), set: () => Promise.reject(new Error('quota')), remove: () => Promise.reject(new Error('gone')) });
    expect(() => journal.append(obs)).not.toThrow();
    await expect(journal.remove('x')).resolves.toBeUndefined();
  });
});
