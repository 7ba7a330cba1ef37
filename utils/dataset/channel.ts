/**
 * The dataset update channel this copy was built for. Both values are build-time settings, so a digital-rights
 * group can build BanLens against its own signed channel:
 *   BANLENS_DATASET_URL  https URL of the channel's manifest.json
 *   BANLENS_DATASET_KEY  base64 of the raw 32-byte Ed25519 public key that signs it (`npm run dataset:keygen`)
 * They are fixed into the bundle by `wxt.config.ts` (both or neither); nothing at run time can change which key
 * is trusted.
 */
import type { UpdateChannel } from './update';

/**
 * The project's own channel, used when the build names none. It is null until a maintainer makes the project's
 * key pair, keeps the private key offline and puts the public key here (README "Running a channel"): a key whose
 * private half nobody holds would send every opted-in copy to a host nobody runs, and a key whose private half
 * leaked would let anyone sign what those copies believe. With no channel, updates are off and Settings says so.
 */
export const PROJECT_CHANNEL: UpdateChannel | null = null;

declare const __BANLENS_DATASET_URL__: string | undefined;
declare const __BANLENS_DATASET_KEY__: string | undefined;

/** The channel from the build settings when both are given, else the project's own; null: this build has none. */
export function channelFrom(url: string | undefined, key: string | undefined, fallback: UpdateChannel | null = PROJECT_CHANNEL): UpdateChannel | null {
  return url && key ? { manifestUrl: url, publicKey: key } : fallback;
}

export function updateChannel(): UpdateChannel | null {
  return channelFrom(typeof __BANLENS_DATASET_URL__ === 'string' ? __BANLENS_DATASET_URL__ : undefined, typeof __BANLENS_DATASET_KEY__ === 'string' ? __BANLENS_DATASET_KEY__ : undefined);
}

/** The host named in the opt-in wording (what the daily download reveals, and to whom); null when the build has no channel. */
export function updateHost(): string | null {
  const channel = updateChannel();
  return channel ? new URL(channel.manifestUrl).host : null;
}
