// @vitest-environment happy-dom
/** The notice guard's decisions (utils/notice/guard.ts) and the registry's room for embeds a page leaves in place. */
import { afterEach, describe, expect, it } from 'vitest';
import { embedRegistry, MAX_REGISTERED_EMBEDS, pruneDetached } from '@/utils/detect/registry';
import type { FoundEmbed } from '@/utils/detect/scan';
import { guardFix, isOrphanLabel, liveLabels, type GuardedNotice } from '@/utils/notice/guard';

const OURS = 'display:block !important;';
const notice = (o: { host?: boolean; style?: string | null; anchor?: boolean | null; reattached?: number } = {}): GuardedNotice => ({
  host: { isConnected: o.host ?? true, getAttribute: () => (o.style === undefined ? OURS : o.style) },
  anchor: o.anchor === null ? null : { isConnected: o.anchor ?? true },
  reattached: o.reattached ?? 0,
});

describe('guardFix', () => {
  it('leaves a notice in place with its own style alone', () => {
    expect(guardFix(notice(), OURS, 3)).toBe(null);
    expect(guardFix(notice({ anchor: null }), OURS, 3)).toBe(null);
  });

  it('puts back a removed label while its embed is there, and a removed banner', () => {
    expect(guardFix(notice({ host: false }), OURS, 3)).toBe('reattach');
    expect(guardFix(notice({ host: false, anchor: null }), OURS, 3)).toBe('reattach');
  });

  it('restores a host style the page changed or removed', () => {
    expect(guardFix(notice({ style: 'display:none !important' }), OURS, 3)).toBe('restyle');
    expect(guardFix(notice({ style: null }), OURS, 3)).toBe('restyle');
  });

  it('gives up after the allowed number of fixes, rather than fight the page forever', () => {
    expect(guardFix(notice({ host: false, reattached: 2 }), OURS, 3)).toBe('reattach');
    expect(guardFix(notice({ host: false, reattached: 3 }), OURS, 3)).toBe(null);
    expect(guardFix(notice({ style: 'x', reattached: 3 }), OURS, 3)).toBe(null);
  });

  it('drops a label whose embed left the page, removed or not, fixed often or never', () => {
    for (const host of [true, false]) for (const reattached of [0, 3]) expect(guardFix(notice({ host, anchor: false, reattached }), OURS, 3)).toBe('drop');
  });
});

describe('the per-frame cap counts live labels only', () => {
  it('orphans, the banner and removed-but-anchored labels', () => {
    expect(isOrphanLabel(notice({ anchor: false }))).toBe(true);
    expect(isOrphanLabel(notice({ anchor: null }))).toBe(false);
    expect(isOrphanLabel(notice({ host: false }))).toBe(false);
    // A label the page removed while its embed stays still holds its place (the guard puts it back).
    expect(liveLabels([notice(), notice({ host: false }), notice({ anchor: null }), notice({ anchor: false }), notice({ anchor: false })])).toBe(2);
    expect(liveLabels(Array.from({ length: 40 }, () => notice({ anchor: false })))).toBe(0);
  });
});

describe('the embed registry after a page churns its embeds', () => {
  afterEach(() => document.body.replaceChildren());
  const embedsOf = (n: number): FoundEmbed[] =>
    Array.from({ length: n }, () => {
      const el = document.createElement('blockquote');
      document.body.append(el);
      return { platform: 'bluesky', kind: 'markup', el } as FoundEmbed;
    });

  it('pruneDetached keeps connected embeds, in order, in the same array', () => {
    const all = embedsOf(5);
    all[1]!.el.remove();
    all[3]!.el.remove();
    const same = all;
    pruneDetached(all);
    expect(all).toBe(same);
    expect(all.map((e) => e.el.isConnected)).toEqual([true, true, true]);
    expect(all).toHaveLength(3);
  });

  it('a full registry of removed embeds still admits the embeds the page leaves in place', () => {
    const registry = embedRegistry();
    const seen: FoundEmbed[] = [];
    const off = registry.subscribe((added) => seen.push(...added));
    for (let round = 0; round * 40 < MAX_REGISTERED_EMBEDS + 200; round++) {
      document.body.replaceChildren();
      registry.add(embedsOf(40));
    }
    expect(registry.embeds.length).toBeLessThanOrEqual(MAX_REGISTERED_EMBEDS);
    document.body.replaceChildren();
    const left = embedsOf(30);
    seen.length = 0;
    registry.add(left);
    expect(seen).toEqual(left);
    expect(registry.embeds.slice(-30)).toEqual(left);
    expect(registry.embeds.length).toBeLessThanOrEqual(MAX_REGISTERED_EMBEDS);
    off();
  });

  it('a registry full of live embeds stays capped', () => {
    const registry = embedRegistry();
    registry.add(embedsOf(MAX_REGISTERED_EMBEDS + 50));
    expect(registry.embeds.length).toBe(MAX_REGISTERED_EMBEDS);
  });
});
