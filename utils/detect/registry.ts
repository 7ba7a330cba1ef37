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

export function embedRegistry(): EmbedRegistry {
  const g = globalThis as unknown as Record<string, EmbedRegistry | undefined>;
  const existing = g[KEY];
  if (existing) return existing;
  const embeds: FoundEmbed[] = [];
  const listeners = new Set<(added: FoundEmbed[]) => void>();
  const registry: EmbedRegistry = {
    embeds,
    add(found) {
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
