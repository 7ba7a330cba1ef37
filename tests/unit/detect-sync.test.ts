/**
 * syncDetector's calls (utils/detect/register-detector.ts), step by step, against a scripting API that
 * behaves like the browsers' (a duplicate id is refused; unregister without ids removes every script):
 * which calls each step makes, with which filter, in which order, and what a failure leaves.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { isoDay, restrictedPlatformIds } from '@/utils/dataset/query';
import { bundledDataset } from '@/utils/dataset/store';
import { syncDetector } from '@/utils/detect/register-detector';
import { DETECTOR_ID, type RegisteredScript } from '@/utils/detect/registration';
import { SIGNATURES_KEY } from '@/utils/detect/signature-store';
import { buildSignaturePack } from '@/utils/detect/signatures';

const dataset = bundledDataset();
const today = isoDay();
const packFor = (regions: string[]) => {
  const watched = restrictedPlatformIds(dataset, regions, today);
  return { watched, pack: buildSignaturePack(dataset.platforms.filter((p) => watched.has(p.id))), datasetSource: 'bundled' as const };
};

let registered: RegisteredScript[];
let calls: string[];
beforeEach(() => {
  fakeBrowser.reset();
  registered = [{ id: 'another-script', js: ['other.js'] }];
  calls = [];
  const scripting = fakeBrowser.scripting as unknown as Record<string, unknown>;
  scripting.getRegisteredContentScripts = vi.fn(async (f?: { ids?: string[] }) => {
    calls.push(`get ${f?.ids?.join() ?? '*'}`);
    return registered.filter((r) => !f?.ids || f.ids.includes(r.id));
  });
  scripting.registerContentScripts = vi.fn(async (scripts: RegisteredScript[]) => {
    calls.push(`register ${scripts.map((s) => s.id).join()}`);
    for (const s of scripts) {
      if (registered.some((r) => r.id === s.id)) throw new Error(`Duplicate script ID '${s.id}'`);
      registered.push(s);
    }
  });
  scripting.unregisterContentScripts = vi.fn(async (f?: { ids?: string[] }) => {
    calls.push(`unregister ${f?.ids?.join() ?? '*'}`);
    registered = registered.filter((r) => f?.ids && !f.ids.includes(r.id));
  });
});

describe('syncDetector, step by step', () => {
  it('register: asks for our id only, writes the signatures, registers once, leaves other scripts alone', async () => {
    await syncDetector(packFor(['CN']));
    expect(calls).toEqual([`get ${DETECTOR_ID}`, `register ${DETECTOR_ID}`]);
    expect(registered.map((r) => r.id)).toEqual(['another-script', DETECTOR_ID]);
  });

  it('replace: a changed registration is unregistered by id, then registered anew, with the new signatures', async () => {
    const cn = packFor(['CN']);
    const more = packFor(['CN', 'PK']);
    await syncDetector(cn);
    calls = [];
    await syncDetector(more);
    expect(calls).toEqual([`get ${DETECTOR_ID}`, `unregister ${DETECTOR_ID}`, `register ${DETECTOR_ID}`]);
    expect(registered.map((r) => r.id)).toEqual(['another-script', DETECTOR_ID]);
    expect(registered[1]!.js).toHaveLength(more.watched.size + 1);
    expect((await fakeBrowser.storage.local.get(SIGNATURES_KEY))[SIGNATURES_KEY]).toEqual(more.pack);
  });

  it('keep: the same registration makes no call but the lookup, and no storage write', async () => {
    await syncDetector(packFor(['CN']));
    calls = [];
    const set = vi.spyOn(fakeBrowser.storage.local, 'set');
    await syncDetector(packFor(['CN']));
    expect(calls).toEqual([`get ${DETECTOR_ID}`]);
    expect(set).not.toHaveBeenCalled();
  });

  it('unregister: by id only, then the signatures go; nothing to watch and nothing registered makes no call', async () => {
    await syncDetector(packFor(['CN']));
    calls = [];
    await syncDetector(packFor(['NO']));
    expect(calls).toEqual([`get ${DETECTOR_ID}`, `unregister ${DETECTOR_ID}`]);
    expect(registered.map((r) => r.id)).toEqual(['another-script']);
    expect(await fakeBrowser.storage.local.get(SIGNATURES_KEY)).toEqual({});
    calls = [];
    await syncDetector(packFor(['NO']));
    expect(calls).toEqual([`get ${DETECTOR_ID}`]);
  });

  it('a failure is logged, never thrown, and the next sync still runs', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    (fakeBrowser.scripting as unknown as Record<string, unknown>).registerContentScripts = vi.fn(async () => {
      throw new Error('quota');
    });
    await expect(syncDetector(packFor(['CN']))).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith('BanLens: detector registration failed', expect.any(Error));
    await syncDetector(packFor(['NO']));
    expect(await fakeBrowser.storage.local.get(SIGNATURES_KEY)).toEqual({});
    warn.mockRestore();
  });
});
