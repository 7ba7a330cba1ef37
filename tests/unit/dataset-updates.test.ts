import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import bans from '@/utils/dataset/bans.json';
import type { Dataset } from '@/utils/dataset/schema';
import { activeDataset, applyUpdate, importDataset, previousDataset, resetDataset, rollbackDataset } from '@/utils/dataset/store';
import datasetUpdates, { backoffDays, checkIsDue, declined, EMPTY_STATUS, statusAfter } from '@/utils/background/features/dataset-updates';
import type { Background } from '@/utils/background/host';
import type { DecisionContext } from '@/utils/background/context';
import { DEFAULT_SETTINGS } from '@/utils/settings';
import { datasetPreviousItem, datasetUpdatedItem, datasetUpdateStatusItem } from '@/utils/storage';
import type { UpdateResult } from '@/utils/dataset/update';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 11, 1, 9);
const manifest = (version: string) => ({ schema: 'banlens.dataset-manifest/1' as const, version, researchedThrough: '2026-11-30', sha256: 'a'.repeat(64), url: 'https://updates.banlens.test/v1/d.json', bytes: 10 });
const newer = (version: string): Dataset => ({ ...(structuredClone(bans) as unknown as Dataset), version });
const ok = (version: string): UpdateResult => ({ ok: true, manifest: manifest(version), dataset: newer(version) });
const refused = (reason: 'bad-signature' | 'not-newer' | 'network'): UpdateResult => ({ ok: false, reason, detail: 'why' });

describe('dataset update schedule', () => {
  it('waits a day after a success or a first failure, then doubles up to 8 days', () => {
    expect([0, 1, 2, 3, 4, 10].map(backoffDays)).toEqual([1, 1, 2, 4, 8, 8]);
  });

  it('checks only when opted in and due', () => {
    expect(checkIsDue(false, null, T0)).toBe(false);
    expect(checkIsDue(true, null, T0)).toBe(true);
    expect(checkIsDue(true, { ...EMPTY_STATUS, nextCheckAt: T0 + 1 }, T0)).toBe(false);
    expect(checkIsDue(true, { ...EMPTY_STATUS, nextCheckAt: T0 }, T0)).toBe(true);
  });

  it('records what a check did, and backs off only after failures', () => {
    const applied = statusAfter(null, ok('2027.1.1'), T0);
    expect(applied).toMatchObject({ result: 'applied', version: '2027.1.1', failures: 0, nextCheckAt: T0 + DAY, reason: null });
    const current = statusAfter(applied, refused('not-newer'), T0);
    expect(current).toMatchObject({ result: 'current', failures: 0, nextCheckAt: T0 + DAY });
    const f1 = statusAfter(current, refused('bad-signature'), T0);
    expect(f1).toMatchObject({ result: 'refused', reason: 'bad-signature', failures: 1, nextCheckAt: T0 + DAY });
    const f2 = statusAfter(f1, refused('network'), T0);
    expect(f2).toMatchObject({ reason: 'network', failures: 2, nextCheckAt: T0 + 2 * DAY });
    const f3 = statusAfter(f2, refused('network'), T0);
    expect(f3.nextCheckAt).toBe(T0 + 4 * DAY);
    expect(statusAfter(f3, ok('2027.2.1'), T0)).toMatchObject({ failures: 0, nextCheckAt: T0 + DAY });
  });

  it('never re-applies a version the user went back from', () => {
    const s = { ...EMPTY_STATUS, declinedVersion: '2027.1.1' };
    expect(declined(s, '2027.1.1')).toBe(true);
    expect(declined(s, '2026.12.1')).toBe(true);
    expect(declined(s, '2027.1.2')).toBe(false);
    expect(declined(null, '2027.1.1')).toBe(false);
  });
});

describe('the dataset store with updates', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  it('applies an update, keeps what was in use, and goes back in one step (twice returns)', async () => {
    await resetDataset();
    expect((await activeDataset()).source).toBe('bundled');
    await applyUpdate(newer('2027.1.1'), manifest('2027.1.1'), T0);
    expect(await activeDataset()).toMatchObject({ source: 'updated', dataset: { version: '2027.1.1' } });
    expect(await previousDataset()).toMatchObject({ source: 'bundled', version: bans.version });

    await datasetUpdateStatusItem.setValue({ ...EMPTY_STATUS, result: 'applied', version: '2027.1.1' });
    expect(await rollbackDataset()).toEqual({ from: '2027.1.1', to: bans.version });
    expect((await activeDataset()).source).toBe('bundled');
    expect((await datasetUpdateStatusItem.getValue())?.declinedVersion).toBe('2027.1.1');

    expect(await rollbackDataset()).toEqual({ from: bans.version, to: '2027.1.1' });
    expect(await activeDataset()).toMatchObject({ source: 'updated', dataset: { version: '2027.1.1' } });
  });

  it('going back from a page whose cache predates an update the background applied declines that update', async () => {
    await resetDataset();
    expect((await activeDataset()).source).toBe('bundled');
    // The background, another context, applies the update: this context's store functions are not involved.
    await Promise.all([datasetUpdatedItem.setValue({ dataset: newer('2027.1.1'), manifest: manifest('2027.1.1'), appliedAt: T0 }), datasetPreviousItem.setValue({ source: 'bundled', dataset: null, version: bans.version })]);
    await datasetUpdateStatusItem.setValue({ ...EMPTY_STATUS, result: 'applied', version: '2027.1.1' });
    expect(await rollbackDataset()).toEqual({ from: '2027.1.1', to: bans.version });
    expect((await datasetUpdateStatusItem.getValue())?.declinedVersion).toBe('2027.1.1');
    expect(await previousDataset()).toMatchObject({ source: 'updated', version: '2027.1.1' });
  });

  it('an import replaces an update, and the update stays one step back', async () => {
    await applyUpdate(newer('2027.1.1'), manifest('2027.1.1'), T0);
    const r = await importDataset(JSON.stringify(newer('2027.3.1')));
    expect(r.ok).toBe(true);
    expect(await activeDataset()).toMatchObject({ source: 'imported', dataset: { version: '2027.3.1' } });
    expect(await previousDataset()).toMatchObject({ source: 'updated', version: '2027.1.1' });
  });

  it('a bad import changes nothing', async () => {
    await applyUpdate(newer('2027.1.1'), manifest('2027.1.1'), T0);
    const r = await importDataset('{"schema":"banlens.dataset/1"}');
    expect(r.ok).toBe(false);
    expect(await activeDataset()).toMatchObject({ source: 'updated', dataset: { version: '2027.1.1' } });
  });
});

describe('a build without an update channel', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('never fetches, even opted in and asked to check now, and tells Settings it has no host', async () => {
    const fetches: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      fetches.push(String(url));
      return new Response('', { status: 500 });
    });
    const pages = new Map<string, () => Promise<unknown>>();
    const ctx = { settings: { ...DEFAULT_SETTINGS, datasetUpdates: true } } as unknown as DecisionContext;
    let onContext: ((c: DecisionContext) => void) | undefined;
    datasetUpdates.setup({
      context: async () => ctx,
      onPage: (type: string, handler: () => Promise<unknown>) => pages.set(type, handler),
      onContextChange: (listener: (c: DecisionContext) => void) => {
        onContext = listener;
      },
    } as unknown as Background);
    onContext!(ctx);
    const state = (await pages.get('dataset:update-now')!()) as { host: string | null; status: unknown };
    expect(state).toMatchObject({ host: null, status: null, enabled: true });
    expect(fetches).toEqual([]);
    expect(await fakeBrowser.alarms.getAll()).toEqual([]);
  });
});

