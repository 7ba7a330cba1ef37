/**
 * The bundled dataset at build time (issue 12, "a worker that starts fast"): the build validates
 * utils/dataset/bans.json with the same schema and checks as `npm run dataset:check` and fails on an error, so the
 * extension never validates its own file at run time. It then provides the two forms the extension reads:
 *
 *   virtual:banlens/dataset-core  the compact core the background decides with (utils/dataset/core.ts), a module
 *   dataset.json                  the whole validated dataset, a packaged file that pages (and the background, when
 *                                 a surface shows records) fetch with runtime.getURL; no web_accessible_resources
 */
import type { WxtViteConfig } from 'wxt';
import bans from '../../utils/dataset/bans.json';
import { parseDataset, type Dataset } from '../../utils/dataset/schema';
import { checkDataset } from '../../utils/dataset/check';
import { compactDataset } from '../../utils/dataset/core';
import { isoDay } from '../../utils/dataset/query';

/** A Vite plugin as WXT's Vite takes it (scripts/build/preact-without-html.ts does the same). */
type Plugin = Extract<NonNullable<WxtViteConfig['plugins']>[number], { name: string }>;

export const DATASET_CORE_MODULE = 'virtual:banlens/dataset-core';
/** The packaged full dataset; utils/dataset/store.ts fetches it by this path. */
export const DATASET_FILE = 'dataset.json';

let validated: Dataset | undefined;

/** A dataset file parsed and checked as `npm run dataset:check` does; throws with every error found. */
export function validateForBuild(json: unknown, today: string): Dataset {
  const parsed = parseDataset(json);
  if (!parsed.ok) throw new Error(`utils/dataset/bans.json is invalid (npm run dataset:check):\n  ${parsed.errors.join('\n  ')}`);
  const { errors } = checkDataset(parsed.dataset, today);
  if (errors.length) throw new Error(`utils/dataset/bans.json fails its checks (npm run dataset:check):\n  ${errors.join('\n  ')}`);
  return parsed.dataset;
}

/** The bundled dataset, parsed and checked once per build; an invalid file fails the build. */
export function validatedBundledDataset(): Dataset {
  validated ??= validateForBuild(bans, isoDay());
  return validated;
}

/** The packaged file: the parsed dataset (defaults filled in), so readers need not parse it again. */
export function datasetFileContents(): string {
  return JSON.stringify(validatedBundledDataset());
}

/** The core as a module; JSON.parse of a string literal is the quickest way for an engine to read data. */
export function datasetCoreModule(): string {
  return `export default JSON.parse(${JSON.stringify(JSON.stringify(compactDataset(validatedBundledDataset())))});`;
}

export function datasetCore(): Plugin {
  const resolved = `\0${DATASET_CORE_MODULE}`;
  return {
    name: 'banlens-dataset-core',
    resolveId: (id: string) => (id === DATASET_CORE_MODULE ? resolved : null),
    load: (id: string) => (id === resolved ? datasetCoreModule() : null),
  };
}
