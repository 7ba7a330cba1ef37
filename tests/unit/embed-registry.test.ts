/**
 * The embed registry (utils/detect/registry.ts) on its own: one per world, empty at first, capped, pruned only
 * when it has to make room, and its listeners told only of embeds it took. (notice-guard.test.ts covers a page
 * that churns its embeds; these are the edges.)
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { embedRegistry, MAX_REGISTERED_EMBEDS } from '@/utils/detect/registry';
import type { FoundEmbed } from '@/utils/detect/scan';

const g = globalThis as unknown as Record<string, unknown>;
/** An embed whose element is (or is no longer) in its document; the registry reads nothing else of it. */
const embed = (connected = true): FoundEmbed => ({ platform: 'bluesky', kind: 'markup', el: { isConnected: connected } as Element });
const embeds = (n: number, connected = true) => Array.from({ length: n }, () => embed(connected));

beforeEach(() => {
  delete g.__banlensEmbedRegistry;
});
afterEach(() => {
  delete g.__banlensEmbedRegistry;
});

describe('embedRegistry', () => {
  it('is one registry per world, empty at first', () => {
    const first = embedRegistry();
    expect(first.embeds).toEqual([]);
    const e = embed();
    first.add([e]);
    expect(embedRegistry()).toBe(first);
    expect(embedRegistry().embeds).toEqual([e]);
  });

  it('tells each listener what it added, in order, until the listener unsubscribes', () => {
    const registry = embedRegistry();
    const told: FoundEmbed[][] = [];
    const off = registry.subscribe((added) => told.push(added));
    const batch = embeds(3);
    registry.add(batch);
    expect(told).toEqual([batch]);
    off();
    registry.add(embeds(2));
    expect(told).toHaveLength(1);
    expect(registry.embeds).toHaveLength(5);
  });

  it('keeps embeds the page removed while there is room (pruning walks every embed, so only a full registry does it)', () => {
    const registry = embedRegistry();
    const gone = embed(false);
    registry.add([gone]);
    registry.add(embeds(MAX_REGISTERED_EMBEDS - 2));
    // Exactly full after this add: still no need to make room.
    registry.add([embed()]);
    expect(registry.embeds).toHaveLength(MAX_REGISTERED_EMBEDS);
    expect(registry.embeds[0]).toBe(gone);
  });

  it('one embed past full drops the removed ones to make room', () => {
    const registry = embedRegistry();
    const gone = embed(false);
    registry.add([gone]);
    registry.add(embeds(MAX_REGISTERED_EMBEDS - 1));
    const late = embed();
    registry.add([late]);
    expect(registry.embeds).not.toContain(gone);
    expect(registry.embeds).toHaveLength(MAX_REGISTERED_EMBEDS);
    expect(registry.embeds.at(-1)).toBe(late);
  });

  it('a full registry of live embeds takes only what fits and tells no listener of what it refused', () => {
    const registry = embedRegistry();
    registry.add(embeds(MAX_REGISTERED_EMBEDS - 2));
    const told: FoundEmbed[][] = [];
    registry.subscribe((added) => told.push(added));
    const batch = embeds(5);
    registry.add(batch);
    expect(told).toEqual([batch.slice(0, 2)]);
    expect(registry.embeds.slice(-2)).toEqual(batch.slice(0, 2));
    registry.add(embeds(3));
    expect(told).toHaveLength(1);
    expect(registry.embeds).toHaveLength(MAX_REGISTERED_EMBEDS);
  });
});
