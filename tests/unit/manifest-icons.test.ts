/**
 * The icon in the manifest (wxt.config.ts): 16, 32, 48 and 128 px for the toolbar, the extensions page and
 * the stores, both as the extension's icons and the action's, in both browsers; each file exists in public/
 * and is a PNG of the size it claims.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import config from '../../wxt.config';

const ROOT = resolve(import.meta.dirname, '../..');
const SIZES = ['16', '32', '48', '128'];

// biome-ignore lint/suspicious/noExplicitAny: the manifest is read as WXT writes it, without its types.
type ManifestFn = (env: { browser: string; manifestVersion: number; mode: string; command: string }) => Record<string, any>;
const manifestFor = (browser: string) => (config.manifest as ManifestFn)({ browser, manifestVersion: 3, mode: 'production', command: 'build' });

/** Width and height from a PNG's IHDR chunk. */
function pngSize(path: string): [number, number] {
  const b = readFileSync(path);
  expect(b.subarray(1, 4).toString('ascii')).toBe('PNG');
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

describe.each(['chrome', 'firefox'])('the %s manifest', (browser) => {
  const m = manifestFor(browser);
  it.each(['icons', 'action.default_icon'])('has %s at 16, 32, 48 and 128 px', (field) => {
    const icons = field === 'icons' ? m.icons : m.action.default_icon;
    expect(Object.keys(icons).sort((a, b) => Number(a) - Number(b))).toEqual(SIZES);
    for (const size of SIZES) {
      const file = join(ROOT, 'public', icons[size]);
      expect(existsSync(file), file).toBe(true);
      expect(pngSize(file)).toEqual([Number(size), Number(size)]);
    }
  });
});

it('the PNGs have their SVG source beside them', () => {
  expect(readFileSync(join(ROOT, 'public/icon/banlens.svg'), 'utf8')).toMatch(/<svg[^>]+viewBox="0 0 128 128"/);
});
