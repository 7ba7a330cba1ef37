import { beforeAll, describe, expect, it } from 'vitest';
import bans from '@/utils/dataset/bans.json';
import { newestSourceDate } from '@/utils/dataset/check';
import type { Dataset } from '@/utils/dataset/schema';
import {
  MANIFEST_SCHEMA,
  MAX_DATASET_BYTES,
  UPDATE_FAILURES,
  bytesToBase64,
  checkForUpdate,
  compareVersions,
  sha256Hex,
  type UpdateChannel,
  type UpdateFailure,
} from '@/utils/dataset/update';
import en from '@/public/_locales/en/messages.json';

const HOST = 'https://updates.banlens.test';
const TODAY = '2026-12-01';
const enc = new TextEncoder();

/** A small dataset that passes every check: the bundled platforms and Pakistan's records, one version ahead. */
function newerDataset(version = '2027.1.15'): Dataset {
  const d = structuredClone(bans) as unknown as Dataset;
  d.version = version;
  d.restrictions = d.restrictions.filter((r) => r.region === 'PK');
  d.researchedThrough = newestSourceDate(d).padEnd(10, '-01').slice(0, 10);
  return d;
}

let keys: CryptoKeyPair;
let otherKeys: CryptoKeyPair;
let channel: UpdateChannel;

beforeAll(async () => {
  keys = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  otherKeys = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  channel = { manifestUrl: `${HOST}/v1/manifest.json`, publicKey: bytesToBase64(new Uint8Array(await crypto.subtle.exportKey('raw', keys.publicKey))) };
});

interface Published {
  files: Map<string, Uint8Array<ArrayBuffer>>;
}

async function publish(opts: { dataset?: unknown; datasetBytes?: Uint8Array<ArrayBuffer>; manifest?: Record<string, unknown>; signWith?: CryptoKey; signOver?: Uint8Array<ArrayBuffer> } = {}): Promise<Published> {
  const datasetBytes = opts.datasetBytes ?? enc.encode(JSON.stringify(opts.dataset ?? newerDataset()));
  const version = (opts.dataset as Dataset | undefined)?.version ?? '2027.1.15';
  const manifest = { schema: MANIFEST_SCHEMA, version, researchedThrough: '2026-11-30', sha256: await sha256Hex(datasetBytes), url: `${HOST}/v1/dataset-${version}.json`, bytes: datasetBytes.byteLength, ...opts.manifest };
  const manifestBytes = enc.encode(JSON.stringify(manifest));
  const signature = new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, opts.signWith ?? keys.privateKey, opts.signOver ?? manifestBytes));
  return {
    files: new Map([
      [channel.manifestUrl, manifestBytes],
      [`${channel.manifestUrl}.sig`, enc.encode(bytesToBase64(signature))],
      [manifest.url as string, datasetBytes],
    ]),
  };
}

function server(p: Published, opts: { hang?: boolean; offline?: boolean } = {}): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    if (opts.offline) throw new TypeError('Failed to fetch');
    if (opts.hang) {
      return new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    }
    const body = p.files.get(String(input));
    if (!body) return new Response('not found', { status: 404 });
    return new Response(body, { status: 200 });
  }) as typeof fetch;
}

async function refusal(p: Published, current = '2026.11.22', opts: Parameters<typeof server>[1] = {}): Promise<UpdateFailure | 'accepted'> {
  const r = await checkForUpdate(channel, current, { fetch: server(p, opts), today: TODAY, timeoutMs: 200 });
  return r.ok ? 'accepted' : r.reason;
}

describe('signed dataset updates', () => {
  it('accepts a good update: verified signature, matching hash, valid and newer', async () => {
    const r = await checkForUpdate(channel, '2026.11.22', { fetch: server(await publish()), today: TODAY });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.dataset.version).toBe('2027.1.15');
      expect(r.manifest.researchedThrough).toBe('2026-11-30');
    }
  });

  it('refuses a signature made with another key', async () => {
    expect(await refusal(await publish({ signWith: otherKeys.privateKey }))).toBe('bad-signature');
  });

  it('refuses a signature over a different manifest', async () => {
    expect(await refusal(await publish({ signOver: enc.encode('{"schema":"banlens.dataset-manifest/1","version":"2099.1.1"}') }))).toBe('bad-signature');
  });

  it('refuses a dataset whose bytes do not match the signed hash', async () => {
    const p = await publish();
    const url = [...p.files.keys()].find((u) => u.includes('dataset-'))!;
    const tampered = newerDataset();
    tampered.restrictions[0]!.summary.en = 'Tampered in transit.';
    p.files.set(url, enc.encode(JSON.stringify(tampered)));
    expect(await refusal(p)).toBe('bad-hash');
  });

  it('refuses a schema-invalid dataset, even when signed', async () => {
    const bad = { ...newerDataset(), restrictions: [{ id: 'x' }] };
    expect(await refusal(await publish({ dataset: bad }))).toBe('schema');
  });

  it('refuses a dataset that fails the dataset:check rules', async () => {
    const d = newerDataset();
    d.restrictions[0]!.start = '2030-01-01';
    expect(await refusal(await publish({ dataset: d }))).toBe('checks');
  });

  it('refuses an older or equal version (no downgrade)', async () => {
    expect(await refusal(await publish({ dataset: newerDataset('2026.11.22') }))).toBe('not-newer');
    expect(await refusal(await publish({ dataset: newerDataset('2026.1.1') }))).toBe('not-newer');
  });

  it('refuses an oversized file: a manifest that admits one, a body longer than the manifest says, a body over 10 MB', async () => {
    expect(await refusal(await publish({ manifest: { bytes: MAX_DATASET_BYTES + 1 } }))).toBe('bad-manifest');
    expect(await refusal(await publish({ manifest: { bytes: 100 } }))).toBe('too-large');
    const big = new Uint8Array(MAX_DATASET_BYTES + 10).fill(32);
    expect(await refusal(await publish({ datasetBytes: big, manifest: { bytes: MAX_DATASET_BYTES } }))).toBe('too-large');
  });

  it('refuses a manifest that points to another host', async () => {
    expect(await refusal(await publish({ manifest: { url: 'https://evil.example/dataset.json' } }))).toBe('other-host');
  });

  it('refuses a dataset that is not JSON', async () => {
    expect(await refusal(await publish({ datasetBytes: enc.encode('<html>captive portal</html>') }))).toBe('bad-json');
  });

  it('reports a timeout and being offline, and never throws', async () => {
    const p = await publish();
    expect(await refusal(p, '2026.11.22', { hang: true })).toBe('timeout');
    expect(await refusal(p, '2026.11.22', { offline: true })).toBe('network');
    expect(await refusal({ files: new Map() })).toBe('http');
  });

  it('compares versions by their numbers', () => {
    expect(compareVersions('2026.12.1', '2026.11.22')).toBeGreaterThan(0);
    expect(compareVersions('2026.2.1', '2026.11.1')).toBeLessThan(0);
    expect(compareVersions('2026.11.22-rc.1', '2026.11.22')).toBe(0);
  });

  it('every refusal reason has a sentence in the English catalogue', () => {
    for (const reason of UPDATE_FAILURES) expect(en, reason).toHaveProperty(`updateFailure_${reason.replace(/-/g, '_')}`);
  });
});
