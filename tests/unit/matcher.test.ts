import { describe, expect, it } from 'vitest';
import { buildHostIndex, matchHost, matchUrl, normaliseHost } from '@/utils/dataset/matcher';
import { bundledDataset } from '@/utils/dataset/store';

const index = buildHostIndex(bundledDataset().platforms);

describe('matchHost', () => {
  it.each([
    ['x.com', 'x'],
    ['api.x.com', 'x'],
    ['platform.twitter.com', 'x'],
    ['pbs.twimg.com', 'x'],
    ['t.co', 'x'],
    ['X.COM', 'x'],
    ['API.X.com.', 'x'],
    ['www.youtube.com', 'youtube'],
    ['www.youtube-nocookie.com', 'youtube'],
    ['i.ytimg.com', 'youtube'],
    ['youtu.be', 'youtube'],
    ['embed.bsky.app', 'bluesky'],
    ['cdn.bsky.app', 'bluesky'],
    ['upload.wikimedia.org', 'wikipedia'],
    ['en.wikipedia.org', 'wikipedia'],
    ['connect.facebook.net', 'facebook'],
    ['scontent.xx.fbcdn.net', 'facebook'],
    ['www.instagram.com', 'instagram'],
    ['www.tiktok.com', 'tiktok'],
    ['telegram.org', 'telegram'],
    ['t.me', 'telegram'],
    ['www.reddit.com', 'reddit'],
    ['www.threads.net', 'threads'],
  ])('%s belongs to %s', (host, platform) => {
    expect(matchHost(index, host)?.platform).toBe(platform);
  });

  it.each([
    'x.com.evil.test',
    'notx.com',
    'x.co',
    'xx.com',
    'twitter.com.evil.test',
    'evil-twitter.com',
    'youtube.com.attacker.example',
    'myyoutube.com',
    'bsky.app.evil.test',
    'wikipedia.org.evil.test',
    'com',
    '',
    '.',
    'x..com',
    '-x.com',
    '1.2.3.4',
    '104.244.42.1',
    '[2606:4700::1]',
    '2606:4700::1',
    'xn--x-5ba.com',
    'xn--80ak6aa92e.com',
    'x.com:443',
    'x.com%2eevil.test',
    'x.com/evil',
    'x.com\u0000.evil.test',
    'ｘ.com',
    'x.com..',
  ])('%s matches nothing', (host) => {
    expect(matchHost(index, host)).toBeNull();
  });

  it('a platform domain owns its subdomains only at a label boundary', () => {
    expect(matchHost(index, 'a.b.c.x.com')?.domain).toBe('x.com');
    expect(matchHost(index, 'ax.com')).toBeNull();
  });
});

describe('matchUrl', () => {
  it.each([
    ['https://platform.twitter.com/widgets.js', 'x'],
    ['https://www.youtube.com/embed/abc?x=1', 'youtube'],
    ['wss://x.com/socket', 'x'],
    ['https://X.COM./home', 'x'],
  ])('%s → %s', (url, platform) => expect(matchUrl(index, url)?.platform).toBe(platform));

  it.each([
    'https://x.com.evil.test/x.com',
    'https://evil.test/?u=https://x.com/',
    'https://user:pass@evil.test/x.com',
    'https://x.com@evil.test/',
    'data:text/html,x.com',
    'javascript:alert("x.com")',
    'chrome-extension://abc/x.com',
    'https://104.244.42.1/',
    'https://[::1]/',
    'not a url',
  ])('%s matches nothing', (url) => expect(matchUrl(index, url)).toBeNull());
});

describe('normaliseHost', () => {
  it('lower-cases and drops one trailing dot', () => expect(normaliseHost('Api.X.Com.')).toBe('api.x.com'));
  it('rejects IP literals', () => expect(normaliseHost('127.0.0.1')).toBeNull());
});
