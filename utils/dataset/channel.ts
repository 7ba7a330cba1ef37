/**
 * The dataset update channel this copy was built for. Both values are build-time settings, so a digital-rights
 * group can build BanLens against its own signed channel:
 *   BANLENS_DATASET_URL  https URL of the channel's manifest.json
 *   BANLENS_DATASET_KEY  base64 of the raw 32-byte Ed25519 public key that signs it (`npm run dataset:keygen`)
 * They are fixed into the bundle by `wxt.config.ts`; nothing at run time can change which key is trusted.
 */
import type { UpdateChannel } from './update';

/** The project's own channel. Its private key is held by the maintainers, outside the repository. */
export const DEFAULT_CHANNEL: UpdateChannel = {
  manifestUrl: 'https://updates.banlens.org/v1/manifest.json',
  publicKey: '09CDuqXIh+V6EHVe2k0ol/D4115skASNxgoj/7nuEng=',
};

declare const __BANLENS_DATASET_URL__: string | undefined;
declare const __BANLENS_DATASET_KEY__: string | undefined;

export function updateChannel(): UpdateChannel {
  return {
    manifestUrl: (typeof __BANLENS_DATASET_URL__ === 'string' && __BANLENS_DATASET_URL__) || DEFAULT_CHANNEL.manifestUrl,
    publicKey: (typeof __BANLENS_DATASET_KEY__ === 'string' && __BANLENS_DATASET_KEY__) || DEFAULT_CHANNEL.publicKey,
  };
}

/** The host named in the opt-in wording: what the daily download reveals, and to whom. */
export function updateHost(): string {
  return new URL(updateChannel().manifestUrl).host;
}
