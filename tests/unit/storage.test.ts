/** The storage module (ARCHITECTURE.md "Storage"): versions, migrations and the field-by-field settings repair. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { acknowledgeSettingsRepair, DEFAULT_SETTINGS, getSettings, repairSettings, Settings, updateSettings } from '@/utils/settings';
import { SETTINGS_MIGRATIONS, SETTINGS_VERSION, settingsItem, settingsRepairItem } from '@/utils/storage';

const FROZEN = join(__dirname, '..', 'fixtures', 'settings');
const frozen = readdirSync(FROZEN)
  .filter((f) => /^v\d+\.json$/.test(f))
  .map((f) => [Number(f.slice(1, -5)), JSON.parse(readFileSync(join(FROZEN, f), 'utf8')) as { stored: unknown; expected?: unknown }] as const)
  .sort(([a], [b]) => a - b);

beforeEach(() => fakeBrowser.reset());

/** Stores a value as a build at `version` would have, with WXT's version meta. */
async function storeAsVersion(value: unknown, version: number | null) {
  await fakeBrowser.storage.local.set({ settings: value, ...(version === null ? {} : { settings$: { v: version } }) });
}

describe('settings versions', () => {
  it('have a frozen example of every version, up to the current one', () => {
    expect(frozen.map(([v]) => v)).toEqual(Array.from({ length: SETTINGS_VERSION }, (_, i) => i + 1));
    for (let v = 2; v <= SETTINGS_VERSION; v++) expect(SETTINGS_MIGRATIONS[v], `migration to v${v}`).toBeTypeOf('function');
  });

  it.each(frozen)('v%i migrates to the current settings, keeping every field', async (version, example) => {
    await storeAsVersion(example.stored, version);
    await settingsItem.migrate();
    const settings = await getSettings();
    expect(settings).toEqual(Settings.parse(example.expected ?? example.stored));
    expect(await settingsRepairItem.getValue()).toBeNull();
    expect(await fakeBrowser.storage.local.get('settings$')).toEqual({ 'settings$': { v: SETTINGS_VERSION } });
  });

  it('a value stored with no version meta is read as version 1', async () => {
    const [, v1] = frozen[0]!;
    await storeAsVersion(v1.stored, null);
    await settingsItem.migrate();
    expect(await getSettings()).toEqual(Settings.parse(v1.stored));
  });

  it('nothing stored is a fresh install: defaults, and no repair to report', async () => {
    expect(await getSettings()).toEqual(DEFAULT_SETTINGS);
    expect(await settingsRepairItem.getValue()).toBeNull();
  });
});

describe('settings repair, field by field', () => {
  const [, v1] = frozen[0]!;
  const good = Settings.parse(v1.stored);
  const stored = v1.stored as Record<string, Record<string, unknown>>;

  it.each([
    ['a bad mode', { ...stored, notices: { ...stored.notices, mode: 'loud' } }, ['notices.mode'], { ...good, notices: { ...good.notices, mode: 'full' } }],
    ['a bad region', { ...stored, regions: ['Pakistan'] }, ['regions'], { ...good, regions: null }],
    ['a bad language', { ...stored, language: 'xx' }, ['language'], { ...good, language: 'auto' }],
    ['retention out of range', { ...stored, log: { ...stored.log, retentionDays: -3 } }, ['log.retentionDays'], { ...good, log: { ...good.log, retentionDays: 180 } }],
    ['a muted site that is not a string', { ...stored, notices: { ...stored.notices, mutedSites: [42] } }, ['notices.mutedSites'], { ...good, notices: { ...good.notices, mutedSites: [] } }],
    ['a group that is not an object', { ...stored, probe: 'on' }, ['probe'], { ...good, probe: DEFAULT_SETTINGS.probe }],
    ['two bad fields', { ...stored, language: 1, log: { ...stored.log, enabled: 'yes' } }, ['language', 'log.enabled'], { ...good, language: 'auto', log: { ...good.log, enabled: true } }],
  ])('%s falls back alone; every other field is kept', (_name, raw, repaired, want) => {
    expect(repairSettings(raw)).toEqual({ settings: want, repaired });
  });

  it.each([
    ['a string', 'settings'],
    ['an array', [1, 2]],
    ['a number', 7],
  ])('a value that is %s falls back whole', (_name, raw) => {
    expect(repairSettings(raw)).toEqual({ settings: DEFAULT_SETTINGS, repaired: ['*'] });
  });

  it('missing fields (a newer version added them) take their defaults without a repair', () => {
    expect(repairSettings({ notices: { enabled: false } })).toEqual({ settings: { ...DEFAULT_SETTINGS, notices: { ...DEFAULT_SETTINGS.notices, enabled: false } }, repaired: [] });
  });

  it('is written back and reported once; the next save keeps every good field', async () => {
    await storeAsVersion({ ...stored, notices: { ...stored.notices, mode: 'loud' } }, 1);
    const settings = await getSettings();
    expect(settings.notices.mutedSites).toEqual(['news.example', 'blog.example.org']);
    expect(settings.probe.consentedAt).toBe('2026-11-22T10:00:00.000Z');
    expect(await settingsRepairItem.getValue()).toEqual({ fields: ['notices.mode'], at: expect.any(Number) });
    // Stored repaired: reading again repairs nothing more.
    expect(repairSettings(await settingsItem.getValue()).repaired).toEqual([]);
    await updateSettings((s) => ({ ...s, language: 'en' }));
    expect(await getSettings()).toEqual({ ...good, language: 'en', notices: { ...good.notices, mode: 'full' } });
    expect((await settingsRepairItem.getValue())?.fields).toEqual(['notices.mode']);
    await acknowledgeSettingsRepair();
    expect(await settingsRepairItem.getValue()).toBeNull();
  });
});
