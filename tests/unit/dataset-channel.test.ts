/** Which update channel a build trusts (utils/dataset/channel.ts): the build's own, else the project's, else none. */
import { describe, expect, it } from 'vitest';
import { channelFrom, PROJECT_CHANNEL, updateChannel, updateHost } from '@/utils/dataset/channel';

const OURS = { manifestUrl: 'https://updates.example.org/v1/manifest.json', publicKey: 'NtEzONimzp63nfBrMXHKN/ebVCqZ/pwaJo1N1zzaMdE=' };

describe('the update channel', () => {
  it('is the build settings when both are given', () => {
    expect(channelFrom(OURS.manifestUrl, OURS.publicKey, null)).toEqual(OURS);
  });

  it('falls back to the project channel, and is none without one', () => {
    const project = { manifestUrl: 'https://updates.banlens.example/v1/manifest.json', publicKey: `${'A'.repeat(43)}=` };
    expect(channelFrom('', '', project)).toBe(project);
    expect(channelFrom(undefined, undefined, null)).toBeNull();
    // wxt.config.ts refuses one without the other; here, half a channel is no channel of its own.
    expect(channelFrom(OURS.manifestUrl, '', null)).toBeNull();
  });

  it('has no project key until a maintainer sets one, so a build without settings has no channel', () => {
    // A maintainer who sets PROJECT_CHANNEL updates this expectation in the same commit (README "Running a channel").
    expect(PROJECT_CHANNEL).toBeNull();
    expect(updateChannel()).toBeNull();
    expect(updateHost()).toBeNull();
  });
});
