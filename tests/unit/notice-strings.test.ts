/** The notice bundle carries only what a notice needs (ARCHITECTURE.md "Notice bundle"). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANG_CODES, makeT } from '@/utils/i18n';
import { NOTICE_KEYS, noticeStrings, translatorFrom } from '@/utils/notice/strings';

const ROOT = join(__dirname, '..', '..');
const NOTICE_COMPONENTS = ['components/NoticeCard.tsx', 'components/RestrictionDetails.tsx', 'components/SourceList.tsx', 'components/Timeline.tsx'];

describe('the strings sent with a notice', () => {
  it.each(NOTICE_COMPONENTS)('cover every key %s uses', (file) => {
    const src = readFileSync(join(ROOT, file), 'utf8');
    const used = [...src.matchAll(/\bt\(\s*['"`]([A-Za-z0-9_]+)['"`]/g)].map((m) => m[1]);
    expect(used.length).toBeGreaterThan(0);
    for (const key of used) expect(NOTICE_KEYS, `${file} uses ${key}`).toContain(key);
  });

  it.each([...LANG_CODES])('read in %s exactly as the full translator would', (lang) => {
    const full = makeT(lang);
    const sent = translatorFrom(noticeStrings(full));
    const args = ['Bluesky', 'blocked', 'Pakistan', '20 Nov 2024', '21 Nov 2024'];
    for (const key of NOTICE_KEYS) expect(sent(key, ...args), key).toBe(full(key, ...args));
  });

  it('a key that was not sent shows as the key, never as another string', () => {
    expect(translatorFrom({ why: 'Why?' })('muteSite')).toBe('muteSite');
    expect(translatorFrom({ asOf: 'As of $1' })('asOf')).toBe('As of ');
  });
});

/** The modules a file imports at run time (type-only imports are erased by the build). */
function runtimeImports(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  const specs = [...src.matchAll(/^\s*import\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
  return specs.map((spec) => {
    if (spec.startsWith('@/')) return resolveFile(join(ROOT, spec.slice(2)));
    if (spec.startsWith('.')) return resolveFile(resolve(dirname(file), spec));
    return `package:${spec}`;
  });
}
function resolveFile(base: string): string {
  for (const ext of ['', '.ts', '.tsx', '/index.ts', '/index.tsx']) if (existsSync(base + ext) && !base.endsWith('/') && (ext || /\.(tsx?|json)$/.test(base))) return base + ext;
  return base;
}

describe('the notice bundle', () => {
  it('reaches no catalogue, no zod and no polyfill at run time', () => {
    const seen = new Set<string>();
    const queue = [join(ROOT, 'entrypoints/notice/index.ts')];
    while (queue.length) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      if (!file.startsWith('package:') && /\.tsx?$/.test(file)) queue.push(...runtimeImports(file));
    }
    const reached = [...seen].map((f) => (f.startsWith('package:') ? f : f.slice(ROOT.length + 1)));
    expect(reached).toContain('utils/notice/mount.tsx');
    expect(reached).toContain('utils/protocol/index.ts');
    expect(reached.filter((f) => f === 'utils/i18n.ts' || f.includes('_locales') || f === 'package:zod' || f === 'package:webextension-polyfill')).toEqual([]);
  });
});
