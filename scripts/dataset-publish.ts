// npm run dataset:publish -- --key FILE --out DIR [--dataset FILE] [--base-url https://host/path/]
// --base-url defaults to the folder of BANLENS_DATASET_URL, else of the project's channel (utils/dataset/channel.ts).
// Writes a signed update channel as static files: DIR/dataset-<version>.json, DIR/manifest.json and
// DIR/manifest.json.sig (base64 Ed25519 signature over the manifest's exact bytes). The dataset must pass the
// same schema and checks as `npm run dataset:check`; the extension verifies all of it again before use.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MANIFEST_SCHEMA, base64ToBytes, bytesToBase64, sha256Hex, validateDataset, type UpdateManifest } from '../utils/dataset/update';
import { isoDay } from '../utils/dataset/query';
import { PROJECT_CHANNEL } from '../utils/dataset/channel';

function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : fallback;
  if (!v) {
    console.error('usage: npm run dataset:publish -- --key FILE --out DIR [--dataset utils/dataset/bans.json] --base-url https://host/path/   (--base-url may be left out when BANLENS_DATASET_URL is set)');
    process.exit(2);
  }
  return v;
}

const keyFile = arg('key');
const out = resolve(arg('out'));
const datasetFile = arg('dataset', 'utils/dataset/bans.json');
const baseUrl = arg('base-url', process.env.BANLENS_DATASET_URL?.replace(/[^/]*$/, '') || PROJECT_CHANNEL?.manifestUrl.replace(/[^/]*$/, ''));
if (!/^https:\/\//.test(baseUrl)) {
  console.error(`--base-url must be https: ${baseUrl}`);
  process.exit(2);
}

const bytes = new Uint8Array(readFileSync(datasetFile));
let dataset: ReturnType<typeof validateDataset>;
try {
  dataset = validateDataset(JSON.parse(new TextDecoder().decode(bytes)), isoDay());
} catch (e) {
  console.error(`${datasetFile}: not publishable: ${(e as Error).message}`);
  process.exit(1);
}
const name = `dataset-${dataset.version}.json`;
const manifest: UpdateManifest = {
  schema: MANIFEST_SCHEMA,
  version: dataset.version,
  researchedThrough: dataset.researchedThrough,
  sha256: await sha256Hex(bytes),
  url: new URL(name, baseUrl).href,
  bytes: bytes.byteLength,
};
const manifestBytes = new TextEncoder().encode(`${JSON.stringify(manifest, null, 1)}\n`);
const key = await crypto.subtle.importKey('pkcs8', base64ToBytes(readFileSync(keyFile, 'utf8')), { name: 'Ed25519' }, false, ['sign']);
const signature = new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, key, manifestBytes));
mkdirSync(out, { recursive: true });
writeFileSync(join(out, name), bytes);
writeFileSync(join(out, 'manifest.json'), manifestBytes);
writeFileSync(join(out, 'manifest.json.sig'), `${bytesToBase64(signature)}\n`);
console.log(`wrote ${join(out, 'manifest.json')} (version ${manifest.version}, researched through ${manifest.researchedThrough}), its signature and ${name}`);
console.log(`host the three files at ${baseUrl}`);
