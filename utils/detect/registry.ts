/**
 * Found embeds, shared between the detector and the notice UI inside the extension's isolated world.
 * Page scripts cannot reach this global (it lives in the content-script world), so a page can neither
 * read which embeds we found nor inject fake ones.
 */
import type { FoundEmbed } from './scan';

export interface EmbedRegistry {
  readonly embeds: FoundEmbed[];
  add(found: FoundEmbed[]): void;
  subscribe(listener: (added: FoundEmbed[]) => void): () => void;
}

const KEY = '__banlensEmbedRegistry';
/** A flooding page must not make us hold unbounded element references. */
export const MAX_REGISTERED_EMBEDS = 1000;

/** Removes, in place, the embeds no longer in their document (the array is shared with the notice UI). */
export function pruneDetached(embeds: FoundEmbed[]): void {
  let kept = 0;
  for (const e of embeds) if (e.el.isConnected) embeds[kept++] = e;
  embeds.length = kept;
}

export function embedRegistry(): EmbedRegistry {
  const g = globalThis as unknown as Record<string, EmbedRegistry | undefined>;
  const existing = g[KEY];
  if (existing) return existing;
  const embeds: FoundEmbed[] = [];
  const listeners = new Set<(added: FoundEmbed[]) => void>();
  const registry: EmbedRegistry = {
    embeds,
    add(found) {
      // Embeds the page has removed since make room: a page that churns its embeds would otherwise fill the
      // registry with dead ones, and the embeds it leaves in place would never be labelled.
      if (embeds.length + found.length > MAX_REGISTERED_EMBEDS) pruneDetached(embeds);
      const room = MAX_REGISTERED_EMBEDS - embeds.length;
      const added = found.slice(0, Math.max(0, room));
      if (added.length === 0) return;
      embeds.push(...added);
      for (const l of listeners) l(added);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  Object.defineProperty(g, KEY, { value: registry, configurable: true });
  return registry;
}
