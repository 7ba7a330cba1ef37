/**
 * Writes the JSON Schema of a reachability record, generated from its zod schema, to
 * public/schema/reachability-record.schema.json, where it ships with the extension and its exports.
 * Run after changing utils/log/record.ts: `npx tsx scripts/gen-schema.ts`. A unit test fails while
 * the committed file differs from what this writes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordJsonSchemaText } from '../utils/log/export';

export const RECORD_SCHEMA_PATH = fileURLToPath(new URL('../public/schema/reachability-record.schema.json', import.meta.url));

mkdirSync(dirname(RECORD_SCHEMA_PATH), { recursive: true });
writeFileSync(RECORD_SCHEMA_PATH, recordJsonSchemaText());
console.log(`wrote ${RECORD_SCHEMA_PATH}`);
