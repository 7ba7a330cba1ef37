/**
 * The bundled dataset at build time (issue 12, "a worker that starts fast"): the build validates
 * utils/dataset/bans.json with the same schema and checks as `npm run dataset:check` and fails on an error, so the
 * extension never validates its own file at run time. It then provides the three forms the extension reads:
 *
 *   virtual:banlens/dataset-hosts  each platform's host names, a module: the background decides which requests to
 *                                  journal before anything is awaited (a few hundred bytes)
 *   dataset-core.json              the compact core the background decides with (utils/dataset/core.ts), a packaged
 *                                  file it fetches when it builds its first decision context
 *   dataset.json                   the whole validated dataset, a packaged file that pages (and the background, when
 *                                  a surface shows records) fetch
 *
 * Packaged files are read with runtime.getURL; there are no web_accessible_resources, so pages cannot probe them.
 */
import type { WxtViteConfig } from 'wxt';
import bans from '../../utils/dataset/bans.json';
import { parseDataset, type Dataset } from '../../utils/dataset/schema';
import { checkDataset } from '../../utils/dataset/check';
import { compactDataset, platformHosts } from '../../utils/dataset/core';
import { isoDay } from '../../utils/dataset/query';

/** A Vite plugin as WXT's Vite takes it (scripts/build/preact-without-html.ts does the same). */
type Plugin = Extract<NonNullable<WxtViteConfig['plugins']>[number], { name: string }>;

export const DATASET_HOSTS_MODULE = 'virtual:banlens/dataset-hosts';
/** The packaged files; utils/dataset/store.ts fetches them by these paths. */
export const DATASET_FILE = 'dataset.json';
export const DATASET_CORE_FILE = 'dataset-core.json';

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

export function datasetCoreFileContents(): string {
  return JSON.stringify(compactDataset(validatedBundledDataset()));
}

/** The host lists as a module; JSON.parse of a string literal is the quickest way for an engine to read data. */
export function datasetHostsModule(): string {
  return `export default JSON.parse(${JSON.stringify(JSON.stringify(platformHosts(validatedBundledDataset().platforms)))});`;
}

export function datasetCore(): Plugin {
  const resolved = `\0${DATASET_HOSTS_MODULE}`;
  return {
    name: 'banlens-dataset-hosts',
    resolveId: (id: string) => (id === DATASET_HOSTS_MODULE ? resolved : null),
    load: (id: string) => (id === resolved ? datasetHostsModule() : null),
  };
}
