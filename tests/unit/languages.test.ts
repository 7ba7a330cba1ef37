/**
 * The language vocabulary (utils/languages.ts) is the only list of languages: every declared language has
 * a catalogue, a glossary and store texts, nothing exists for an undeclared one, and the Settings schema,
 * the manifest and the picker follow it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, LANG_CODES } from '@/utils/languages';
import { catalogueOf, type Catalogue } from '@/utils/i18n';
import { Settings } from '@/utils/settings';

const ROOT = resolve(import.meta.dirname, '../..');
const CODES = LANGUAGES.map((l) => l.code) as string[];
const dirs = (path: string) => readdirSync(join(ROOT, path), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
const text = (path: string) => readFileSync(join(ROOT, path), 'utf8');

describe('the declared languages', () => {
  it('are unique, with a native name, a direction and a BCP 47 tag', () => {
    expect(new Set(CODES).size).toBe(CODES.length);
    expect([...LANG_CODES]).toEqual(CODES);
    for (const l of LANGUAGES) {
      expect(l.name.length).toBeGreaterThan(1);
      expect(['ltr', 'rtl']).toContain(l.dir);
      expect(Intl.getCanonicalLocales(l.tag)).toEqual([l.tag]);
    }
  });
  it('each have a catalogue, and every catalogue is a declared language', () => {
    expect(dirs('public/_locales')).toEqual([...CODES].sort());
    for (const code of LANG_CODES) expect(Object.keys(catalogueOf(code)).length).toBeGreaterThan(0);
  });
  it('each have a glossary (English is the source), and every glossary is a declared language', () => {
    // Besides the glossaries: README.md and review notes (review-<codes>.md), which are no language of their own.
    const glossaries = readdirSync(join(ROOT, 'docs/i18n')).filter((f) => f.endsWith('.md') && f !== 'README.md' && !f.startsWith('review-')).map((f) => f.replace(/\.md$/, '')).sort();
    expect(glossaries).toEqual(CODES.filter((c) => c !== 'en').sort());
  });
  it('each have store texts, and every store folder is a declared language', () => {
    // store/screenshots/ holds the listing's screenshots (made by tests/e2e/ui.e2e.ts), shared by every language.
    expect(dirs('store').filter((d) => d !== 'screenshots')).toEqual([...CODES].sort());
  });
  it('are what the Settings schema accepts, besides "auto"', () => {
    for (const code of [...CODES, 'auto']) expect(Settings.shape.language.safeParse(code).success).toBe(true);
    expect(Settings.shape.language.safeParse('de').success).toBe(false);
  });
});

describe('store descriptions', () => {
  it.each(CODES)('%s has a summary that fits the Chrome Web Store (132 characters) and a full description', (code) => {
    const summary = text(`store/${code}/summary.txt`).trim();
    const description = text(`store/${code}/description.txt`).trim();
    expect(summary).not.toContain('\n');
    expect([...summary].length).toBeGreaterThan(20);
    expect([...summary].length).toBeLessThanOrEqual(132);
    expect(summary).toContain('BanLens');
    expect(description).toContain('BanLens');
    expect(description.length).toBeGreaterThan(600);
    // The permissions are named as the manifest names them, each with its purpose.
    for (const permission of ['storage', 'webRequest', 'scripting', 'alarms']) expect(description).toContain(permission);
    if (code !== 'en') expect(description).not.toBe(text('store/en/description.txt').trim());
  });
});

describe('the manifest', () => {
  const config = text('wxt.config.ts');
  const keys = [...config.matchAll(/__MSG_(\w+)__/g)].map((m) => m[1]!);
  it('sets default_locale to English and names its strings by catalogue keys', () => {
    expect(config).toMatch(/default_locale: 'en'/);
    expect(keys.length).toBeGreaterThanOrEqual(2);
  });
  it.each(CODES)('finds every __MSG_…__ key in the %s catalogue', (code) => {
    const cat = JSON.parse(text(`public/_locales/${code}/messages.json`)) as Catalogue;
    for (const key of keys) expect(cat[key]?.message, key).toBeTruthy();
    // Chrome refuses an extension name over 75 characters and a description over 132.
    expect([...(cat.extName?.message ?? '')].length).toBeLessThanOrEqual(75);
    expect([...(cat.extDescription?.message ?? '')].length).toBeLessThanOrEqual(132);
  });
});

describe('Intl is never given a catalogue code', () => {
  // pt_BR and zh_CN are folder names, not BCP 47 tags: Intl throws on them. Every Intl call goes through tagOf or intlTag.
  const sources = ['components', 'utils', 'entrypoints'].flatMap((dir) => (readdirSync(join(ROOT, dir), { recursive: true }) as string[]).filter((f) => /\.tsx?$/.test(f)).map((f) => join(dir, f)));
  it.each(sources)('%s', (file) => {
    const src = text(file);
    expect(src).not.toMatch(/new Intl\.\w+\(\s*\[?\s*lang\b/);
    expect(src).not.toMatch(/localeCompare\((?:[^()]|\([^()]*\))*,\s*lang\s*\)/);
    expect(src).not.toMatch(/toLocale\w*String\([^)]*\blang\b/);
    expect(existsSync(join(ROOT, file))).toBe(true);
  });
});
