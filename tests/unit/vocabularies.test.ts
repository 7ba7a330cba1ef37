// @vitest-environment happy-dom
/**
 * Each vocabulary is declared once (ARCHITECTURE.md, "Vocabularies"); these tests fail when a member lacks
 * what every surface needs for it: a label, a colour, a translation, a choice, a file extension, a fixture.
 */
import 'fake-indexeddb/auto';
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledDataset } from '@/utils/dataset/store';
import { EMBED_KINDS as TAB_EMBED_KINDS } from '@/utils/background/tab-state';
import { EMBED_KINDS } from '@/utils/detect/kinds';
import { scanRoot } from '@/utils/detect/scan';
import { buildSignaturePack } from '@/utils/detect/signatures';
import { LANGUAGES } from '@/utils/languages';
import { EXPORT_FORMATS, FORMAT_DETAILS, FORMAT_LABELS, exportFileName } from '@/utils/log/download';
import { LOG_FORMATS } from '@/utils/log/export';
import { detectFormat, FORMAT_NAMES } from '@/utils/log/formats';
import { CONTENT_REQUESTS, PAGE_REQUESTS } from '@/utils/protocol/requests';
import { OONI_BLOCKING, OUTCOMES } from '@/utils/reach/outcome';
import { sampleRecord } from './helpers/records';

const read = (path: string) => readFileSync(resolve(path), 'utf8');
const catalogue = (code: string): Record<string, unknown> => JSON.parse(read(`public/_locales/${code}/messages.json`));

describe('outcomes (utils/reach/outcome.ts)', () => {
  const dashboard = read('entrypoints/dashboard/index.html');
  it.each(OUTCOMES)('%s has a label in every catalogue', (o) => {
    for (const { code } of LANGUAGES) expect(catalogue(code), `${code} lacks outcome_${o}`).toHaveProperty(`outcome_${o}`);
  });
  it.each(OUTCOMES)('%s has a chart colour in light and dark mode, and a fill class', (o) => {
    expect(dashboard.match(new RegExp(`--o-${o}:\\s*#[0-9a-f]{3,8}`, 'gi'))?.length ?? 0).toBeGreaterThanOrEqual(2);
    expect(dashboard).toContain(`.dash-fill-${o} {`);
  });
  it('every outcome, and nothing else, has an OONI mapping', () => {
    expect(Object.keys(OONI_BLOCKING).sort()).toEqual([...OUTCOMES].sort());
  });
});

describe('languages (utils/languages.ts)', () => {
  // Missing keys fall back to English by design; tests/unit/i18n.test.ts and languages.test.ts check the rest.
  it('every language has a catalogue naming the extension', () => {
    for (const { code } of LANGUAGES) expect(catalogue(code), code).toHaveProperty('extName');
  });
  it('every catalogue directory is a declared language', () => {
    expect(readdirSync(resolve('public/_locales')).sort()).toEqual(LANGUAGES.map((l) => l.code).sort());
  });
});

describe('export formats (utils/log/export.ts)', () => {
  it('the download choices are exactly the declared formats', () => {
    expect(EXPORT_FORMATS).toBe(LOG_FORMATS);
    // The dashboard's format <select> is built from the list, not written out by hand.
    expect(read('components/LogExport.tsx')).toMatch(/EXPORT_FORMATS\.map\(/);
  });
  it.each(LOG_FORMATS)('%s has a choice label, a reader name, a file extension and a MIME type', (f) => {
    expect(FORMAT_LABELS[f]).toMatch(/\S/);
    expect(FORMAT_NAMES[f]).toMatch(/\S/);
    expect(FORMAT_DETAILS[f].suffix).toMatch(/^\.[a-z.]+$/);
    expect(FORMAT_DETAILS[f].type).toMatch(/^[a-z]+\/[a-z.+-]+$/);
    expect(exportFileName(f, { fromHour: '2026-11-22T16:00:00Z', toHour: '2026-11-29T15:00:00Z' }).endsWith(FORMAT_DETAILS[f].suffix)).toBe(true);
  });
  it('file extensions tell the formats apart', () => {
    expect(new Set(LOG_FORMATS.map((f) => FORMAT_DETAILS[f].suffix)).size).toBe(LOG_FORMATS.length);
  });
  it.each(LOG_FORMATS)('%s is written, then recognised by the reader', async (f) => {
    let text = '';
    async function* one() {
      yield sampleRecord();
    }
    for await (const chunk of FORMAT_DETAILS[f].stream(one())) text += chunk;
    expect(detectFormat(text)).toBe(f);
  });
  it.each(LOG_FORMATS)('%s has a recorded dashboard export in tests/fixtures/dashboard-exports', (f) => {
    const files = readdirSync(resolve('tests/fixtures/dashboard-exports'));
    const own = files.filter((name) => name.endsWith(FORMAT_DETAILS[f].suffix) && LOG_FORMATS.every((g) => g === f || !name.endsWith(FORMAT_DETAILS[g].suffix) || FORMAT_DETAILS[g].suffix.length < FORMAT_DETAILS[f].suffix.length));
    expect(own.length).toBeGreaterThan(0);
    expect(detectFormat(read(`tests/fixtures/dashboard-exports/${own[0]}`))).toBe(f);
  });
});

describe('embed kinds (utils/detect/kinds.ts)', () => {
  it('the tab state carries the same list', () => {
    expect(TAB_EMBED_KINDS).toBe(EMBED_KINDS);
  });
  it('every kind is found on some fixture page', () => {
    const pack = buildSignaturePack(bundledDataset().platforms);
    expect(pack).not.toBeNull();
    const dir = resolve('tests/fixtures/pages');
    const kinds = new Set<string>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.html'))) {
      const html = readFileSync(`${dir}/${file}`, 'utf8');
      // Inline scripts are the fixtures' own behaviour; only the markup is scanned here.
      document.documentElement.innerHTML = html.replace(/^<!doctype html>/i, '').replace(/<script(?![^>]*\bsrc=)[^>]*>[\s\S]*?<\/script>/g, '');
      for (const f of scanRoot(document, pack ?? buildSignaturePack([])!)) kinds.add(f.kind);
    }
    expect([...kinds].sort()).toEqual([...EMBED_KINDS].sort());
  });
});

describe('message types (utils/protocol/)', () => {
  const all = { ...CONTENT_REQUESTS, ...PAGE_REQUESTS };
  it('content and page message types are disjoint', () => {
    expect(Object.keys(CONTENT_REQUESTS).filter((k) => k in PAGE_REQUESTS)).toEqual([]);
  });
  it.each(Object.keys(all))('%s: the schema accepts its own type and refuses another', (type) => {
    const schema = all[type as keyof typeof all];
    expect(schema.shape.type.value).toBe(type);
    expect(schema.safeParse({ type: `${type}-x` }).success).toBe(false);
  });
  // That each type has exactly one handler at run time is checked in tests/unit/background.test.ts.
});
