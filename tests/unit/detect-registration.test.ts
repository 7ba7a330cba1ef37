import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { bundledDataset } from '@/utils/dataset/store';
import { isoDay, restrictedPlatformIds } from '@/utils/dataset/query';
import { buildSignaturePack } from '@/utils/detect/signatures';
import { DETECTOR_ID, DETECTOR_JS, detectorRegistration, registrationStep, type DetectorRegistration, type RegisteredScript } from '@/utils/detect/registration';
import { isSignaturePack, readSignatures, SIGNATURES_KEY, writeSignatures } from '@/utils/detect/signature-store';
import { syncDetector } from '@/utils/detect/register-detector';

const dataset = bundledDataset();
const today = isoDay();
const packFor = (regions: string[]) => {
  const watched = restrictedPlatformIds(dataset, regions, today);
  return { watched, pack: buildSignaturePack(dataset.platforms.filter((p) => watched.has(p.id))) };
};

describe('detectorRegistration: registered only while the regions have something to watch', () => {
  it('nothing restricted and nothing failing: no detector', () => {
    expect(detectorRegistration({ watched: [] })).toBeNull();
    expect(detectorRegistration({ watched: new Set(), failing: [] })).toBeNull();
  });

  it('a user in Norway (nothing in force in the dataset) gets no detector; one in China does', () => {
    expect(packFor(['NO']).pack).toBeNull();
    expect(detectorRegistration(packFor(['NO']))).toBeNull();
    expect(detectorRegistration(packFor(['CN']))).not.toBeNull();
  });

  it.each([
    [{ watched: ['x'] }],
    [{ watched: [], failing: ['youtube'] }],
  ])('%j: every frame, about:blank and srcdoc frames too, at document_idle, persisted', (input) => {
    expect(detectorRegistration(input)).toEqual({
      id: DETECTOR_ID,
      js: [DETECTOR_JS],
      matches: ['<all_urls>'],
      allFrames: true,
      matchOriginAsFallback: true,
      runAt: 'document_idle',
      persistAcrossSessions: true,
    });
  });
});

describe('registrationStep', () => {
  const wanted = detectorRegistration({ watched: ['x'] })!;
  const as = (r: Partial<RegisteredScript>): RegisteredScript => ({ ...wanted, ...r });
  it.each<[string, RegisteredScript[], DetectorRegistration | null, string]>([
    ['nothing registered, nothing wanted', [], null, 'keep'],
    ['nothing registered, wanted', [], wanted, 'register'],
    ['registered, nothing wanted', [as({})], null, 'unregister'],
    ['registered the same', [as({})], wanted, 'keep'],
    ['registered the same, path with a leading slash (as a browser may report it)', [as({ js: ['/detector.js'] })], wanted, 'keep'],
    ['registered with other frames', [as({ allFrames: false })], wanted, 'replace'],
    ['registered with another file', [as({ js: ['content-scripts/detector.js'] })], wanted, 'replace'],
    ['someone else’s script only', [{ id: 'other', js: ['x.js'] }], wanted, 'register'],
  ])('%s → %s', (_, registered, w, step) => {
    expect(registrationStep(registered, w)).toBe(step);
  });
});

describe('signature store', () => {
  beforeEach(() => fakeBrowser.reset());
  const area = () => fakeBrowser.storage.local as never;
  const { pack } = packFor(['CN']);

  it('round-trips the pack, writes only on change, and removes it', async () => {
    expect(await readSignatures(area())).toBeNull();
    expect(await writeSignatures(area(), pack)).toBe(true);
    expect(await readSignatures(area())).toEqual(pack);
    expect(await writeSignatures(area(), structuredClone(pack))).toBe(false);
    expect(await writeSignatures(area(), null)).toBe(true);
    expect(await readSignatures(area())).toBeNull();
    expect(await writeSignatures(area(), null)).toBe(false);
  });

  it.each([null, 'x', { selector: 1, markup: [], hosts: {} }, { selector: '', markup: [['a']], hosts: {} }, { selector: '', markup: [], hosts: { 'x.com': 1 } }])('refuses a malformed pack %j', async (bad) => {
    expect(isSignaturePack(bad)).toBe(false);
    await fakeBrowser.storage.local.set({ [SIGNATURES_KEY]: bad });
    expect(await readSignatures(area())).toBeNull();
  });
});

describe('syncDetector', () => {
  let registered: RegisteredScript[];
  let signaturesAtRegister: unknown;
  beforeEach(() => {
    fakeBrowser.reset();
    registered = [];
    const scripting = fakeBrowser.scripting as unknown as Record<string, unknown>;
    scripting.getRegisteredContentScripts = vi.fn(async (f?: { ids?: string[] }) => registered.filter((r) => !f?.ids || f.ids.includes(r.id)));
    scripting.registerContentScripts = vi.fn(async (scripts: RegisteredScript[]) => {
      signaturesAtRegister = (await fakeBrowser.storage.local.get(SIGNATURES_KEY))[SIGNATURES_KEY];
      for (const s of scripts) {
        if (registered.some((r) => r.id === s.id)) throw new Error(`Duplicate script ID '${s.id}'`);
        registered.push(s);
      }
    });
    scripting.unregisterContentScripts = vi.fn(async (f?: { ids?: string[] }) => {
      registered = registered.filter((r) => f?.ids && !f.ids.includes(r.id));
    });
  });

  it('China: signatures are written before the detector is registered; a second sync changes nothing', async () => {
    const cn = packFor(['CN']);
    await syncDetector(cn);
    expect(registered.map((r) => r.id)).toEqual([DETECTOR_ID]);
    expect(signaturesAtRegister).toEqual(cn.pack);
    await syncDetector(cn);
    expect(fakeBrowser.scripting.registerContentScripts).toHaveBeenCalledTimes(1);
  });

  it('moving to Norway unregisters the detector and removes the signatures', async () => {
    await syncDetector(packFor(['CN']));
    await syncDetector(packFor(['NO']));
    expect(registered).toEqual([]);
    expect(await fakeBrowser.storage.local.get(SIGNATURES_KEY)).toEqual({});
  });

  it('quick successive changes never register the id twice', async () => {
    await Promise.all([syncDetector(packFor(['CN'])), syncDetector(packFor(['PK'])), syncDetector(packFor(['CN', 'PK']))]);
    expect(registered).toHaveLength(1);
    expect((await fakeBrowser.storage.local.get(SIGNATURES_KEY))[SIGNATURES_KEY]).toEqual(packFor(['CN', 'PK']).pack);
  });
});
