/** Conventions of the background's feature files (ARCHITECTURE.md "Background features"). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FEATURES } from '@/utils/background/features';

const ROOT = join(__dirname, '..', '..');
const DIR = join(ROOT, 'utils', 'background', 'features');
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start < 0) return '';
  const rest = markdown.slice(start + heading.length + 5);
  const end = rest.search(/\n## /);
  return end < 0 ? rest : rest.slice(0, end);
}

describe('background features', () => {
  it('are all registered, each once, with its file name as its id', () => {
    expect(FEATURES.map((f) => f.id).sort()).toEqual(files);
    expect(new Set(FEATURES.map((f) => f.id)).size).toBe(FEATURES.length);
  });

  it.each(files)('%s is documented in ARCHITECTURE.md "Background features"', (id) => {
    const doc = section(readFileSync(join(ROOT, 'ARCHITECTURE.md'), 'utf8'), 'Background features');
    expect(doc).toContain(`\`features/${id}.ts\``);
  });

  it.each(files)('%s is one feature file that registers itself and writes no tab state by hand', (id) => {
    const src = readFileSync(join(DIR, `${id}.ts`), 'utf8');
    expect(src).toMatch(/export default defineFeature\(\{\s*id: '([^']+)'/);
    expect(/id: '([^']+)'/.exec(src)?.[1]).toBe(id);
    // Tab state changes by dispatching events to the store, never by writing storage or a TabState.
    expect(src).not.toMatch(/tabStatesItem|markDirty|\.platforms\[[^\]]+\]\s*=|\.noticeFrames\.push/);
  });

  it('no file outside the storage module reads or writes browser storage by key', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.(ts|tsx)$/.test(e.name) && /browser\.storage\.(local|session|sync)\.(get|set|remove)\(/.test(readFileSync(p, 'utf8'))) offenders.push(p.slice(ROOT.length + 1));
      }
    };
    for (const d of ['utils', 'entrypoints', 'components']) walk(join(ROOT, d));
    expect(offenders).toEqual([]);
  });
});
