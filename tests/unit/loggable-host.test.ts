import { describe, expect, it } from 'vitest';
import { bundledDataset } from '@/utils/dataset/store';
import { buildHostIndex, matchHost } from '@/utils/dataset/matcher';
import { loggableHost } from '@/utils/log/observe';

const dataset = bundledDataset();
const index = buildHostIndex(dataset.platforms);
const byId = new Map(dataset.platforms.map((p) => [p.id, p]));

function logged(host: string): string {
  const match = matchHost(index, host);
  if (!match) throw new Error(`${host} is not a platform host`);
  return loggableHost(host, match, byId.get(match.platform));
}

describe('loggableHost: the host a record keeps (README "Privacy rules")', () => {
  it.each([
    // CDN node names point at the user's ISP or city: they collapse to the CDN's domain.
    ['rr3---sn-4g5e6nsz.googlevideo.com', 'googlevideo.com'],
    ['rr1---sn-ab5l6nrz.googlevideo.com', 'googlevideo.com'],
    ['r4---sn-hgn7rn7k.googlevideo.com', 'googlevideo.com'],
    ['scontent-lhr8-1.xx.fbcdn.net', 'fbcdn.net'],
    ['scontent-khi1-1.xx.fbcdn.net', 'fbcdn.net'],
    ['video-lhr8-1.xx.fbcdn.net', 'fbcdn.net'],
    ['instagram.flhr4-1.fna.fbcdn.net', 'fbcdn.net'],
    ['scontent-iad3-1.cdninstagram.com', 'cdninstagram.com'],
    ['p16-sign-va.tiktokcdn.com', 'tiktokcdn.com'],
    ['v16-webapp-prime.tiktok.com', 'tiktok.com'],
    ['lh3.googleusercontent.com', 'googleusercontent.com'],
    ['sun9-42.userapi.com', 'userapi.com'],
    ['cdn4.telesco.pe', 'telesco.pe'],
    // User handles name people: every subdomain of a user-subdomain domain collapses.
    ['alice.bsky.social', 'bsky.social'],
    ['bob.smith.bsky.social', 'bsky.social'],
    ['ALICE.BSKY.SOCIAL', 'bsky.social'],
    ['alice.bsky.social.', 'bsky.social'],
    ['did-plc-abc123.bsky.social', 'bsky.social'],
    // Generic service names say nothing about the user and are kept.
    ['bsky.social', 'bsky.social'],
    ['video.xx.fbcdn.net', 'video.xx.fbcdn.net'],
    ['static.xx.fbcdn.net', 'static.xx.fbcdn.net'],
    ['pbs.twimg.com', 'pbs.twimg.com'],
    ['abs.twimg.com', 'abs.twimg.com'],
    ['platform.twitter.com', 'platform.twitter.com'],
    ['i.ytimg.com', 'i.ytimg.com'],
    ['www.youtube.com', 'www.youtube.com'],
    ['redirector.googlevideo.com', 'redirector.googlevideo.com'],
    ['upload.wikimedia.org', 'upload.wikimedia.org'],
    ['en.m.wikipedia.org', 'en.m.wikipedia.org'],
    ['embed.bsky.app', 'embed.bsky.app'],
    ['x.com', 'x.com'],
    ['WWW.YOUTUBE.COM', 'www.youtube.com'],
    ['youtube.com.', 'youtube.com'],
  ])('%s → %s', (host, want) => {
    expect(logged(host)).toBe(want);
  });

  it('never keeps a label with a digit or a dash below the platform domain', () => {
    const hosts = ['a1.twimg.com', 'node-7.fbcdn.net', 'edge-star-mini-shv-01-lhr8.facebook.com', 'x9.y.reddit.com', 'abc.def.ghi.wikipedia.org'];
    for (const h of hosts) expect(logged(h)).toBe(matchHost(index, h)!.domain);
  });
});
