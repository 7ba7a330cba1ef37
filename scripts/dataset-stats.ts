// npm run --silent dataset:stats — one JSON object describing the bundled dataset.
import { readFileSync } from 'node:fs';
import { Dataset } from '../utils/dataset/schema';
import { datasetStats } from '../utils/dataset/check';
import { isoDay } from '../utils/dataset/query';

const file = 'utils/dataset/bans.json';
const dataset = Dataset.parse(JSON.parse(readFileSync(file, 'utf8')));
console.log(JSON.stringify({ file, ...datasetStats(dataset, isoDay()) }));
