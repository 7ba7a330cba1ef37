#!/usr/bin/env node
/**
 * Keeps the catalogues in step with English (public/_locales/en/messages.json), the source language.
 *
 *   node scripts/i18n-merge.mjs --missing [code…]       what each catalogue lacks, as a flat JSON to translate
 *   node scripts/i18n-merge.mjs <code> <translations.json>  merges a flat {"key": "message"} file into <code>
 *
 * A merge writes the catalogue in English key order, takes each `message` from the translations file (or
 * keeps the one already there), copies `placeholders` exactly from English, never copies `description`
 * (it is a note for translators), and drops keys English no longer has. It refuses a message whose
 * $NAMED$ placeholders differ from the English one.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const LOCALES = join(ROOT, 'public/_locales');
const read = (code) => {
  const file = join(LOCALES, code, 'messages.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
};
const tokens = (message) => (message.match(/\$[A-Za-z0-9_]+\$/g) ?? []).map((t) => t.toUpperCase()).sort().join(' ');
const en = read('en');
const args = process.argv.slice(2);

if (args[0] === '--missing') {
  const codes = args.length > 1 ? args.slice(1) : readdirSync(LOCALES).filter((c) => c !== 'en');
  for (const code of codes) {
    const cat = read(code);
    const missing = Object.fromEntries(Object.keys(en).filter((k) => !cat[k]).map((k) => [k, en[k].message]));
    console.log(`// ${code}: ${Object.keys(missing).length} missing`);
    console.log(JSON.stringify(missing, null, 2));
  }
  process.exit(0);
}

const [code, file] = args;
if (!code || !file) {
  console.error('usage: node scripts/i18n-merge.mjs --missing [code…] | <code> <translations.json>');
  process.exit(2);
}
const incoming = JSON.parse(readFileSync(file, 'utf8'));
const current = read(code);
const out = {};
const problems = [];
for (const [key, entry] of Object.entries(en)) {
  const message = incoming[key] ?? current[key]?.message;
  if (message === undefined) {
    problems.push(`missing: ${key}`);
    continue;
  }
  if (tokens(message) !== tokens(entry.message)) problems.push(`placeholders differ: ${key}: ${JSON.stringify(message)}`);
  out[key] = entry.placeholders ? { message, placeholders: entry.placeholders } : { message };
}
for (const key of Object.keys(incoming)) if (!(key in en)) problems.push(`not an English key (ignored): ${key}`);
if (problems.some((p) => p.startsWith('placeholders'))) {
  console.error(problems.join('\n'));
  process.exit(1);
}
const target = join(LOCALES, code, 'messages.json');
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, `${JSON.stringify(out, null, 2)}\n`);
console.log(`${code}: ${Object.keys(out).length}/${Object.keys(en).length} keys written${problems.length ? `\n${problems.join('\n')}` : ''}`);
