import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { bundledDataset } from '@/utils/dataset/store';
import { isoDay, restrictedPlatformIds } from '@/utils/dataset/query';
import { BAKED_SIGNATURES, buildSignaturePack, mergePacks, signatureFile, signatureScript } from '@/utils/detect/signatures';
import { DETECTOR_ID, DETECTOR_JS, detectorRegistration, registrationStep, type DetectorRegistration, type RegisteredScript } from '@/utils/detect/registration';
import { isSignaturePack, readSignatures, SIGNATURES_KEY, writeSignatures } from '@/utils/detect/signature-store';
import { syncDetector } from '@/utils/detect/register-detector';

const dataset = bundledDataset();
const today = isoDay();
const packFor = (regions: string[]) => {
  const watched = restrictedPlatformIds(dataset, regions, today);
  return { watched, pack: buildSignaturePack(dataset.platforms.filter((p) => watched.has(p.id))), datasetSource: 'bundled' as const };
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

describe('baked signatures: the registration carries the watched platforms’ signature files', () => {
  it('bundled dataset: one file per watched (or failing) platform, sorted, then the detector', () => {
    expect(detectorRegistration({ watched: new Set(['youtube', 'x']), failing: ['x', 'bluesky'], baked: true })!.js).toEqual(['signatures/bluesky.js', 'signatures/x.js', 'signatures/youtube.js', DETECTOR_JS]);
  });
  it('an imported dataset: the detector alone (it reads storage.local)', () => {
    expect(detectorRegistration({ watched: ['x'], baked: false })!.js).toEqual([DETECTOR_JS]);
  });
  it.each([['CN'], ['PK'], ['CN', 'PK', 'RU', 'IR']])('running the files of %s merges to the same pack the background builds', (...regions) => {
    const { watched, pack } = packFor(regions);
    const world: Record<string, unknown> = {};
    for (const p of dataset.platforms.filter((x) => watched.has(x.id))) new Function('globalThis', signatureScript(p))(world);
    const merged = mergePacks(world[BAKED_SIGNATURES] as never)!;
    expect(merged.markup).toEqual(pack!.markup);
    expect(merged.hosts).toEqual(pack!.hosts);
    expect(merged.selector.split(',').sort()).toEqual(pack!.selector.split(',').sort());
  });
  it('every platform of the dataset has a file name the build writes', () => {
    expect(new Set(dataset.platforms.map((p) => signatureFile(p.id))).size).toBe(dataset.platforms.length);
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
    ['registered with a file that differs only by a slash inside its path', [as({ js: ['signaturesx.js', DETECTOR_JS] })], detectorRegistration({ watched: ['x'], baked: true })!, 'replace'],
    ['registered with the baked files, a leading slash on each', [as({ js: ['/signatures/x.js', `/${DETECTOR_JS}`] })], detectorRegistration({ watched: ['x'], baked: true })!, 'keep'],
    ['registered for fewer pages', [as({ matches: ['https://*/*'] })], wanted, 'replace'],
    ['registered without about:blank and srcdoc frames', [as({ matchOriginAsFallback: false })], wanted, 'replace'],
    ['registered to run earlier', [as({ runAt: 'document_start' })], wanted, 'replace'],
    ['registered for this session only', [as({ persistAcrossSessions: false })], wanted, 'replace'],
    ['registered as a browser reports defaults (fields left out)', [{ id: DETECTOR_ID, js: [DETECTOR_JS], matches: ['<all_urls>'], allFrames: true, matchOriginAsFallback: true }], wanted, 'keep'],
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

  it.each([null, 'x', { selector: 1, markup: [], hosts: {} }, { selector: '', markup: [['a']], hosts: {} }, { selector: '', markup: [], hosts: { 'x.com': 1 } }, { selector: '', markup: [['a', 'x'], ['b']], hosts: {} }, { selector: '', markup: ['ab'], hosts: {} }, { selector: '', markup: [[1, 'x']], hosts: {} }, { selector: '', markup: [], hosts: { 'x.com': 'x', 'y.com': 2 } }, { selector: '', markup: [], hosts: 'x.com' }, { selector: '', markup: [] }])('refuses a malformed pack %j', async (bad) => {
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
    expect(registered[0]!.js).toEqual([...[...cn.watched].sort().map(signatureFile), DETECTOR_JS]);
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

  it('an imported dataset registers the detector alone, which then reads storage.local', async () => {
    await syncDetector({ ...packFor(['CN']), datasetSource: 'imported' });
    expect(registered[0]!.js).toEqual([DETECTOR_JS]);
    expect(await readSignatures(fakeBrowser.storage.local as never)).toEqual(packFor(['CN']).pack);
  });

  it('quick successive changes never register the id twice', async () => {
    await Promise.all([syncDetector(packFor(['CN'])), syncDetector(packFor(['PK'])), syncDetector(packFor(['CN', 'PK']))]);
    expect(registered).toHaveLength(1);
    expect((await fakeBrowser.storage.local.get(SIGNATURES_KEY))[SIGNATURES_KEY]).toEqual(packFor(['CN', 'PK']).pack);
  });
});

describe('signature packs', () => {
  const platform = (id: string, domains: string[], selectors: string[] = []) => ({ ...dataset.platforms[0]!, id, domains, cdnDomains: [], shortLinkDomains: [], embeds: { ...dataset.platforms[0]!.embeds, selectors } });
  it('map every domain of each platform to it, the first platform keeping a shared one', () => {
    const pack = buildSignaturePack([platform('a', ['a.example', 'shared.example'], ['div.a-embed']), platform('b', ['b.example', 'shared.example'])] as never)!;
    expect(pack.hosts).toEqual({ 'a.example': 'a', 'shared.example': 'a', 'b.example': 'b' });
    expect(pack.markup).toEqual([['div.a-embed', 'a']]);
    expect(mergePacks([buildSignaturePack([platform('a', ['a.example', 'shared.example'], ['div.a-embed'])] as never)!, buildSignaturePack([platform('b', ['b.example', 'shared.example'])] as never)!])).toEqual(pack);
  });
  it('are nothing for no platform', () => {
    expect(buildSignaturePack([])).toBeNull();
    expect(mergePacks([])).toBeNull();
  });
});
