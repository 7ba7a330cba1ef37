/**
 * The background hands each frame only what it needs to scan: the embed selectors and host names of
 * platforms restricted in the user's regions. The page never sees the dataset, and frames in a region
 * with nothing restricted get nothing to do.
 */
import type { Platform } from '../dataset/schema';

export interface SignaturePack {
  /** One combined selector: embed markup plus every element that can load from a host. */
  selector: string;
  /** [markup selector, platform id]: which platform a markup match belongs to. */
  markup: [string, string][];
  /** Registrable domain → platform id, for src-like attributes. */
  hosts: Record<string, string>;
}

/** Elements whose URL attributes load something from another host: frames, scripts and media. */
export const URL_ELEMENTS = 'iframe,frame,embed,object,script[src],img,video,audio,source';

export function buildSignaturePack(platforms: readonly Platform[]): SignaturePack | null {
  if (platforms.length === 0) return null;
  const markup: [string, string][] = [];
  const hosts: Record<string, string> = {};
  for (const p of platforms) {
    for (const s of p.embeds.selectors) markup.push([s, p.id]);
    for (const d of [...p.domains, ...p.cdnDomains, ...p.shortLinkDomains]) hosts[d] ??= p.id;
  }
  const selector = [...markup.map(([s]) => s), URL_ELEMENTS].join(',');
  return { selector, markup, hosts };
}
