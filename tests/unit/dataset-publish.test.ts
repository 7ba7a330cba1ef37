import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import bans from '@/utils/dataset/bans.json';
import { newestSourceDate } from '@/utils/dataset/check';
import type { Dataset } from '@/utils/dataset/schema';
import { checkForUpdate } from '@/utils/dataset/update';

const tsx = (script: string, args: string[]) => execFileSync('npx', ['tsx', script, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('dataset:keygen and dataset:publish', () => {
  it('publish a channel that the extension verifies with the generated public key', async () => {
    const keys = mkdtempSync(join(tmpdir(), 'banlens-keys-'));
    const out = mkdtempSync(join(tmpdir(), 'banlens-channel-'));
    const printed = tsx('scripts/dataset-keygen.ts', ['--out', keys]);
    const publicKey = /public key:\s+(\S+)/.exec(printed)![1]!;
    expect(statSync(join(keys, 'dataset-signing.key')).mode & 0o077).toBe(0);

    const d = structuredClone(bans) as unknown as Dataset;
    d.version = '2027.2.1';
    d.restrictions = d.restrictions.filter((r) => r.region === 'PK');
    d.researchedThrough = newestSourceDate(d).padEnd(10, '-01').slice(0, 10);
    const file = join(out, 'input.json');
    writeFileSync(file, JSON.stringify(d));
    tsx('scripts/dataset-publish.ts', ['--key', join(keys, 'dataset-signing.key'), '--out', join(out, 'site'), '--dataset', file, '--base-url', 'https://updates.banlens.test/v1/']);
    expect(readdirSync(join(out, 'site')).sort()).toEqual(['dataset-2027.2.1.json', 'manifest.json', 'manifest.json.sig']);

    const serve = (async (url: RequestInfo | URL) => {
      const name = String(url).replace('https://updates.banlens.test/v1/', '');
      return new Response(readFileSync(join(out, 'site', name)));
    }) as typeof fetch;
    const r = await checkForUpdate({ manifestUrl: 'https://updates.banlens.test/v1/manifest.json', publicKey }, '2026.11.22', { fetch: serve, today: '2026-12-01' });
    expect(r.ok, JSON.stringify(r)).toBe(true);
  }, 60_000);

  it('keygen refuses a folder inside a git repository', () => {
    expect(() => tsx('scripts/dataset-keygen.ts', ['--out', 'artifacts/keys'])).toThrow(/inside a git repository/);
  }, 30_000);

  it('publish refuses a dataset that fails the checks', () => {
    const keys = mkdtempSync(join(tmpdir(), 'banlens-keys-'));
    tsx('scripts/dataset-keygen.ts', ['--out', keys]);
    const out = mkdtempSync(join(tmpdir(), 'banlens-channel-'));
    const d = structuredClone(bans) as unknown as Dataset;
    d.restrictions = [{ ...d.restrictions[0]!, start: '2031-01-01' }];
    writeFileSync(join(out, 'bad.json'), JSON.stringify(d));
    expect(() => tsx('scripts/dataset-publish.ts', ['--key', join(keys, 'dataset-signing.key'), '--out', join(out, 'site'), '--dataset', join(out, 'bad.json'), '--base-url', 'https://updates.banlens.test/v1/'])).toThrow(/not publishable/);
  }, 30_000);
});
