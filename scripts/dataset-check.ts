// npm run dataset:check — schema plus consistency checks on the bundled dataset (or a file given as argument).
import { readFileSync } from 'node:fs';
import { parseDataset } from '../utils/dataset/schema';
import { checkDataset } from '../utils/dataset/check';
import { isoDay } from '../utils/dataset/query';

const file = process.argv[2] ?? 'utils/dataset/bans.json';
const parsed = parseDataset(JSON.parse(readFileSync(file, 'utf8')));
if (!parsed.ok) {
  console.error(`${file}: schema errors:\n${parsed.errors.map((e) => `  ${e}`).join('\n')}`);
  process.exit(1);
}
const { errors, warnings } = checkDataset(parsed.dataset, isoDay());
for (const w of warnings) console.warn(`warning: ${w}`);
for (const e of errors) console.error(`error: ${e}`);
console.log(`${file}: ${parsed.dataset.restrictions.length} restrictions, ${errors.length} errors, ${warnings.length} warnings`);
process.exit(errors.length ? 1 : 0);
