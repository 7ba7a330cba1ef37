/**
 * Signed dataset updates: verify before trusting. The channel publishes a small manifest
 * (`version`, `researchedThrough`, `sha256`, `url`, `bytes`) and an Ed25519 signature over its exact bytes.
 * A copy accepts a dataset only when the signature verifies with the public key it was built with, the dataset
 * comes from the channel's own host, its bytes match the hash, it passes the same schema and checks as
 * `dataset:check`, and it is newer than the dataset in use. Anything else changes nothing and says why.
 *
 * Pure apart from `fetch` and WebCrypto, so the background, the publishing script and the tests share it.
 */
import { z } from 'zod';
import { FullDate, parseDataset, type Dataset } from './schema';
import { checkDataset } from './check';

export const MANIFEST_SCHEMA = 'banlens.dataset-manifest/1';
/** The largest dataset a copy will download; the manifest is small and capped far lower. */
export const MAX_DATASET_BYTES = 10 * 1024 * 1024;
export const MAX_MANIFEST_BYTES = 16 * 1024;
export const UPDATE_TIMEOUT_MS = 30_000;

const Version = z.string().regex(/^\d{4}\.\d{1,2}\.\d{1,2}(-[a-z0-9.]+)?$/);

export const UpdateManifest = z.strictObject({
  schema: z.literal(MANIFEST_SCHEMA),
  version: Version,
  researchedThrough: FullDate,
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected a lowercase hex SHA-256'),
  url: z.url({ protocol: /^https$/ }),
  bytes: z.number().int().positive().max(MAX_DATASET_BYTES),
});
export type UpdateManifest = z.infer<typeof UpdateManifest>;

/** Why an update was refused. Each has a sentence in the catalogues (`updateFailure_<reason>`); a meta-test keeps them complete. */
export const UPDATE_FAILURES = [
  'network',
  'timeout',
  'http',
  'too-large',
  'bad-signature',
  'bad-manifest',
  'other-host',
  'not-newer',
  'bad-hash',
  'bad-json',
  'schema',
  'checks',
] as const;
export type UpdateFailure = (typeof UPDATE_FAILURES)[number];

export type UpdateResult =
  | { ok: true; manifest: UpdateManifest; dataset: Dataset }
  | { ok: false; reason: UpdateFailure; detail: string };

export interface UpdateChannel {
  /** https URL of `manifest.json`; its signature is at the same URL plus `.sig`. */
  manifestUrl: string;
  /** Base64 of the raw 32-byte Ed25519 public key. */
  publicKey: string;
}

export interface UpdateDeps {
  fetch: typeof fetch;
  timeoutMs?: number;
  /** Today (YYYY-MM-DD), for the dataset checks. */
  today: string;
}

class Refused extends Error {
  constructor(readonly reason: UpdateFailure, detail: string) {
    super(detail);
  }
}

/** Compares dataset versions (`2026.11.22`, optionally `-suffix`) by their numbers; a suffix alone never makes a version newer. */
export function compareVersions(a: string, b: string): number {
  const nums = (v: string) => v.split('-')[0]!.split('.').map(Number);
  const [x, y] = [nums(a), nums(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

export function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64.trim());
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function verifySignature(publicKeyB64: string, signature: Uint8Array<ArrayBuffer>, data: Uint8Array<ArrayBuffer>): Promise<boolean> {
  try {
    const key = await crypto.subtle.importKey('raw', base64ToBytes(publicKeyB64), { name: 'Ed25519' }, false, ['verify']);
    return await crypto.subtle.verify({ name: 'Ed25519' }, key, signature, data);
  } catch {
    return false;
  }
}

/** Reads a response body, refusing it as soon as it grows past `max` bytes, whatever Content-Length claimed. */
async function readCapped(res: Response, max: number, what: string): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) throw new Refused('too-large', `${what} is ${declared} bytes, more than ${max}`);
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      throw new Refused('too-large', `${what} is more than ${max} bytes`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

async function get(url: string, deps: UpdateDeps, signal: AbortSignal, max: number, what: string): Promise<Uint8Array<ArrayBuffer>> {
  let res: Response;
  try {
    // Nothing about the user goes with the request: no cookies, no referrer, no cache that could be probed later.
    res = await deps.fetch(url, { signal, credentials: 'omit', referrerPolicy: 'no-referrer', cache: 'no-store', redirect: 'error' });
  } catch (e) {
    if (signal.aborted) throw new Refused('timeout', `${what}: no answer within ${(deps.timeoutMs ?? UPDATE_TIMEOUT_MS) / 1000} s`);
    throw new Refused('network', `${what}: ${(e as Error).message || 'the network request failed'}`);
  }
  if (!res.ok) throw new Refused('http', `${what}: HTTP ${res.status}`);
  try {
    return await readCapped(res, max, what);
  } catch (e) {
    if (e instanceof Refused) throw e;
    if (signal.aborted) throw new Refused('timeout', `${what}: the download did not finish within ${(deps.timeoutMs ?? UPDATE_TIMEOUT_MS) / 1000} s`);
    throw new Refused('network', `${what}: ${(e as Error).message}`);
  }
}

/**
 * One update check. `currentVersion` is the version of the dataset in use; only a newer one is accepted.
 * Never throws: every failure is a reason and a detail that Settings shows.
 */
export async function checkForUpdate(channel: UpdateChannel, currentVersion: string, deps: UpdateDeps): Promise<UpdateResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), deps.timeoutMs ?? UPDATE_TIMEOUT_MS);
  try {
    const [manifestBytes, signature] = await Promise.all([
      get(channel.manifestUrl, deps, controller.signal, MAX_MANIFEST_BYTES, 'manifest'),
      get(`${channel.manifestUrl}.sig`, deps, controller.signal, 1024, 'signature'),
    ]);
    const sig = decodeSignature(signature);
    if (!sig || !(await verifySignature(channel.publicKey, sig, manifestBytes))) {
      throw new Refused('bad-signature', 'the manifest signature does not verify with the built-in public key');
    }
    let manifest: UpdateManifest;
    try {
      manifest = UpdateManifest.parse(JSON.parse(new TextDecoder().decode(manifestBytes)));
    } catch (e) {
      throw new Refused('bad-manifest', `the signed manifest is not valid: ${(e as Error).message.slice(0, 200)}`);
    }
    if (new URL(manifest.url).host !== new URL(channel.manifestUrl).host) {
      throw new Refused('other-host', `the manifest points to ${new URL(manifest.url).host}, not to the update host ${new URL(channel.manifestUrl).host}`);
    }
    if (compareVersions(manifest.version, currentVersion) <= 0) {
      throw new Refused('not-newer', `the channel offers ${manifest.version}; ${currentVersion} is in use`);
    }
    const datasetBytes = await get(manifest.url, deps, controller.signal, Math.min(manifest.bytes, MAX_DATASET_BYTES), 'dataset');
    const hash = await sha256Hex(datasetBytes);
    if (hash !== manifest.sha256) throw new Refused('bad-hash', `the dataset's SHA-256 is ${hash}, the manifest says ${manifest.sha256}`);
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(datasetBytes));
    } catch (e) {
      throw new Refused('bad-json', `the dataset is not valid JSON: ${(e as Error).message.slice(0, 200)}`);
    }
    const dataset = validateDataset(json, deps.today);
    if (dataset.version !== manifest.version) throw new Refused('bad-manifest', `the dataset says version ${dataset.version}, the manifest ${manifest.version}`);
    return { ok: true, manifest, dataset };
  } catch (e) {
    if (e instanceof Refused) return { ok: false, reason: e.reason, detail: e.message };
    return { ok: false, reason: 'network', detail: (e as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** The same schema and checks as `dataset:check`: an update is held to the bundled file's standard. */
export function validateDataset(json: unknown, today: string): Dataset {
  const parsed = parseDataset(json);
  if (!parsed.ok) throw new Refused('schema', parsed.errors.slice(0, 5).join('; '));
  const { errors } = checkDataset(parsed.dataset, today);
  if (errors.length) throw new Refused('checks', errors.slice(0, 5).join('; '));
  return parsed.dataset;
}

/** The `.sig` file is the base64 of the 64-byte signature (white space allowed around it). */
function decodeSignature(bytes: Uint8Array): Uint8Array<ArrayBuffer> | null {
  try {
    const sig = base64ToBytes(new TextDecoder().decode(bytes));
    return sig.length === 64 ? sig : null;
  } catch {
    return null;
  }
}
