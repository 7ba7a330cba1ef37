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

/** The global that baked signature files push to, in the content script's own world. */
export const BAKED_SIGNATURES = '__banlensSignatures';
/** Path, in the built extension, of one platform's baked signatures. */
export const signatureFile = (platformId: string) => `signatures/${platformId}.js`;

/**
 * One platform's pack as a content script, written into the build for every platform of the bundled
 * dataset (wxt.config.ts). The registration lists the files of the watched platforms before the detector,
 * so the detector starts with its signatures in hand and touches no extension API until it has found
 * something (an API's first use costs a page about 0.5-1.5 ms in Chromium 156, more than the scan).
 */
export function signatureScript(platform: Platform): string {
  const pack = buildSignaturePack([platform])!;
  return `(globalThis.${BAKED_SIGNATURES} ??= []).push(${JSON.stringify({ markup: pack.markup, hosts: pack.hosts })});\n`;
}

/** The packs of several platforms as one, equal to buildSignaturePack over the same platforms. */
export function mergePacks(parts: readonly Pick<SignaturePack, 'markup' | 'hosts'>[]): SignaturePack | null {
  if (parts.length === 0) return null;
  const markup: [string, string][] = [];
  const hosts: Record<string, string> = {};
  for (const p of parts) {
    markup.push(...p.markup);
    for (const [d, id] of Object.entries(p.hosts)) hosts[d] ??= id;
  }
  return { selector: [...markup.map(([s]) => s), URL_ELEMENTS].join(','), markup, hosts };
}
