// npm run dataset:keygen -- --out DIR
// Makes an Ed25519 key pair for a dataset update channel. The private key is written to DIR/dataset-signing.key
// (PKCS#8, base64) with mode 0600 and never belongs in a repository: the command refuses a folder inside one.
// The public key is printed as base64 raw bytes: build BanLens with BANLENS_DATASET_KEY set to it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bytesToBase64 } from '../utils/dataset/update';

const args = process.argv.slice(2);
const out = args[args.indexOf('--out') + 1];
if (!args.includes('--out') || !out) {
  console.error('usage: npm run dataset:keygen -- --out DIR   (DIR must be outside any git repository)');
  process.exit(2);
}
const dir = resolve(out);
mkdirSync(dir, { recursive: true });
let insideRepo = false;
try {
  execFileSync('git', ['-C', dir, 'rev-parse', '--is-inside-work-tree'], { stdio: 'pipe' });
  insideRepo = true;
} catch {
  insideRepo = false;
}
if (insideRepo) {
  console.error(`refusing: ${dir} is inside a git repository, and a private key must never be committed`);
  process.exit(1);
}
const file = join(dir, 'dataset-signing.key');
if (existsSync(file)) {
  console.error(`refusing: ${file} exists; move it away first (a new key would orphan every installed copy built with the old one)`);
  process.exit(1);
}
const keys = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', keys.privateKey));
const raw = new Uint8Array(await crypto.subtle.exportKey('raw', keys.publicKey));
writeFileSync(file, `${bytesToBase64(pkcs8)}\n`, { mode: 0o600 });
writeFileSync(join(dir, 'dataset-signing.pub'), `${bytesToBase64(raw)}\n`);
console.log(`private key: ${file} (keep it secret and backed up)`);
console.log(`public key:  ${bytesToBase64(raw)}`);
console.log(`build with:  BANLENS_DATASET_KEY=${bytesToBase64(raw)} BANLENS_DATASET_URL=https://<your host>/manifest.json npm run build`);
