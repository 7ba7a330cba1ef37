/**
 * The active dataset: a verified signed update or a file the user imported (at most one of the two is
 * installed at a time), else the bundled one. A file is validated once, when it arrives (`importDataset`, and
 * utils/dataset/update.ts for updates); what is stored has passed. Every change keeps what was in use before,
 * so the user can go back in one click.
 *
 * Two readers (ARCHITECTURE.md "Dataset"): the background starts from `activeCore`, the compact core kept in
 * `local:datasetCore` (for the bundled dataset, the packaged `dataset-core.json` made at build time); pages, and
 * the background when a surface shows records, read the whole dataset with `activeDataset` (the bundled one is
 * the packaged `dataset.json`). Both packaged files were validated by the build, so they are read as they are.
 */
import browser from 'webextension-polyfill';
import bundledHosts from 'virtual:banlens/dataset-hosts';
import { parseDataset, type Dataset, type DatasetResult } from './schema';
import { compactDataset, DATASET_CORE_FORMAT, type DatasetCore } from './core';
import { buildHostIndex, type HostIndex } from './matcher';
import {
  datasetCoreItem as coreItem,
  datasetImportedItem as importedItem,
  datasetPreviousItem as previousItem,
  datasetUpdatedItem as updatedItem,
  datasetUpdateStatusItem,
  type DatasetCoreEntry,
  type DatasetPrevious,
  type DatasetUpdated,
} from '../storage';

/** Tests and scripts read the parsed bundled file; the extension never does (tree-shaken away). */
export { bundledDataset } from './bundled';

export type DatasetSource = 'bundled' | 'imported' | 'updated';
export interface ActiveDataset {
  dataset: Dataset;
  source: DatasetSource;
  /** For an update: the manifest it came with. */
  manifest?: DatasetUpdated['manifest'];
}
export interface ActiveCore {
  core: DatasetCore;
  source: DatasetSource;
  manifest?: DatasetUpdated['manifest'];
}
/** Imported files above this size are refused before parsing: a hostile file must not exhaust memory. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
/** Where the build packages the whole bundled dataset and its core (scripts/build/dataset-core.ts). */
export const BUNDLED_DATASET_PATH = '/dataset.json';
export const BUNDLED_CORE_PATH = '/dataset-core.json';

let cachedCore: Promise<ActiveCore> | undefined;
let cachedFull: Promise<ActiveDataset> | undefined;

/** The bundled dataset's host index, for deciding in a webRequest listener before any await what to journal. */
export function bundledHostIndex(): HostIndex {
  return buildHostIndex(bundledHosts);
}

/** A packaged file, validated at build time, so read as it is. */
async function fetchPackaged<T>(path: string): Promise<T> {
  const res = await fetch(browser.runtime.getURL(path));
  if (!res.ok) throw new Error(`the packaged ${path} did not load: HTTP ${res.status}`);
  return (await res.json()) as T;
}

let bundledCorePromise: Promise<DatasetCore> | undefined;
/** The bundled dataset's core, made at build time; fetched once per worker. */
function bundledCore(): Promise<DatasetCore> {
  bundledCorePromise ??= fetchPackaged<DatasetCore>(BUNDLED_CORE_PATH);
  bundledCorePromise.catch(() => {
    bundledCorePromise = undefined;
  });
  return bundledCorePromise;
}

/** The stored dataset of a source, or null. It was validated when it arrived. */
async function storedDataset(): Promise<{ dataset: unknown; source: 'updated' | 'imported'; manifest?: DatasetUpdated['manifest'] } | null> {
  const updated = await updatedItem.getValue();
  if (updated) return { dataset: updated.dataset, source: 'updated', manifest: updated.manifest };
  const imported = await importedItem.getValue();
  return imported ? { dataset: imported, source: 'imported' } : null;
}

/** The core entry for what is installed: what the background reads at every start. */
function coreEntry(source: DatasetSource, dataset: Dataset | null, manifest?: DatasetUpdated['manifest']): DatasetCoreEntry {
  return { format: DATASET_CORE_FORMAT, source, core: source === 'bundled' || !dataset ? null : compactDataset(dataset), ...(manifest ? { manifest } : {}) };
}

/**
 * What the background decides with: one small storage read. Only when no entry of this format exists (the first
 * start after this version was installed) is the stored dataset read, validated and its core written.
 */
export function activeCore(): Promise<ActiveCore> {
  cachedCore ??= (async () => {
    const entry = await coreItem.getValue();
    if (entry && entry.format === DATASET_CORE_FORMAT) {
      if (entry.source !== 'bundled' && entry.core) return { core: entry.core, source: entry.source, ...(entry.manifest ? { manifest: entry.manifest } : {}) };
      if (entry.source === 'bundled') return { core: await bundledCore(), source: 'bundled' as const };
    }
    // Nothing stored (the bundled dataset, as for most users): nothing to write either.
    const stored = await storedDataset();
    const parsed = stored ? parseDataset(stored.dataset) : null;
    if (!stored || !parsed?.ok) return { core: await bundledCore(), source: 'bundled' as const };
    const next = coreEntry(stored.source, parsed.dataset, stored.manifest);
    await coreItem.setValue(next);
    return { core: next.core ?? (await bundledCore()), source: next.source, ...(next.manifest ? { manifest: next.manifest } : {}) };
  })();
  cachedCore.catch(() => {
    cachedCore = undefined;
  });
  return cachedCore;
}


/** The whole dataset in use, records and sources included, read afresh: the background keeps only what it shows. */
export async function readActiveDataset(): Promise<ActiveDataset> {
  const { source } = await activeCore();
  if (source !== 'bundled') {
    const stored = await storedDataset();
    if (stored && stored.source === source) return { dataset: stored.dataset as Dataset, source, ...(stored.manifest ? { manifest: stored.manifest } : {}) };
  }
  return { dataset: await fetchPackaged<Dataset>(BUNDLED_DATASET_PATH), source: 'bundled' as const };
}

let watching = false;

/**
 * The whole dataset in use, kept once read: for the pages that show it. Another context can change it (the
 * background applies an update while Settings is open), so every context drops its caches when the stored
 * datasets change.
 */
export function activeDataset(): Promise<ActiveDataset> {
  if (!watching) {
    watching = true;
    for (const item of [coreItem, importedItem, updatedItem] as const) item.watch(forget);
  }
  cachedFull ??= readActiveDataset();
  cachedFull.catch(() => {
    cachedFull = undefined;
  });
  return cachedFull;
}

function forget(): void {
  cachedCore = undefined;
  cachedFull = undefined;
}

/**
 * What is in use now, in the shape kept for going back to it. Read from storage, not this context's cache: a
 * page's cache may predate an update the background applied, and going back from it would decline nothing.
 * Not validated again here (that costs a page a full parse on every click): whatever is restored is validated
 * when it is read, like every stored dataset.
 */
async function currentAsPrevious(): Promise<DatasetPrevious> {
  const [updated, imported] = await Promise.all([updatedItem.getValue(), importedItem.getValue()]);
  if (updated) return { source: 'updated', dataset: updated.dataset, manifest: updated.manifest, version: updated.manifest.version };
  if (imported) {
    const version = (imported as { version?: unknown }).version;
    return { source: 'imported', dataset: imported, version: typeof version === 'string' ? version : '' };
  }
  return { source: 'bundled', dataset: null, version: (await bundledCore()).version };
}

export function parseDatasetText(text: string): DatasetResult {
  if (text.length > MAX_IMPORT_BYTES) return { ok: false, errors: [`file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB`] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [`not valid JSON: ${(e as Error).message}`] };
  }
  return parseDataset(json);
}

export async function importDataset(text: string): Promise<DatasetResult> {
  const r = parseDatasetText(text);
  if (!r.ok) return r;
  const previous = await currentAsPrevious();
  await Promise.all([importedItem.setValue(r.dataset), updatedItem.removeValue(), previousItem.setValue(previous), coreItem.setValue(coreEntry('imported', r.dataset))]);
  forget();
  return r;
}

/** Installs a verified update (utils/dataset/update.ts has checked signature, hash, schema, checks and version). */
export async function applyUpdate(dataset: Dataset, manifest: DatasetUpdated['manifest'], now = Date.now()): Promise<void> {
  const previous = await currentAsPrevious();
  await Promise.all([
    updatedItem.setValue({ dataset, manifest, appliedAt: now }),
    importedItem.removeValue(),
    previousItem.setValue(previous),
    coreItem.setValue(coreEntry('updated', dataset, manifest)),
  ]);
  forget();
}

export async function resetDataset(): Promise<void> {
  const previous = await currentAsPrevious();
  await Promise.all([
    importedItem.removeValue(),
    updatedItem.removeValue(),
    coreItem.setValue(coreEntry('bundled', null)),
    previous.source === 'bundled' ? Promise.resolve() : previousItem.setValue(previous),
  ]);
  if (previous.source === 'updated') await declineVersion(previous.version);
  forget();
}

/** The user left this update on purpose: the daily check must not bring it straight back. */
async function declineVersion(version: string): Promise<void> {
  const status = await datasetUpdateStatusItem.getValue();
  if (status) await datasetUpdateStatusItem.setValue({ ...status, declinedVersion: version });
}

export function previousDataset(): Promise<DatasetPrevious | null> {
  return previousItem.getValue();
}

/** A dataset kept as "previous" was validated when it first arrived; its core is made from it again. */
function previousCore(previous: DatasetPrevious): DatasetCoreEntry {
  if (previous.source === 'bundled' || (previous.source === 'updated' && !previous.manifest)) return coreEntry('bundled', null);
  const parsed = parseDataset(previous.dataset);
  return parsed.ok ? coreEntry(previous.source, parsed.dataset, previous.manifest) : coreEntry('bundled', null);
}

/**
 * Goes back to the dataset in use before the last change, in one step, and returns the version left behind.
 * What it leaves becomes the new "previous", so going back twice returns to where the user started.
 */
export async function rollbackDataset(): Promise<{ from: string; to: string } | null> {
  const previous = await previousItem.getValue();
  if (!previous) return null;
  const leaving = await currentAsPrevious();
  const core = coreItem.setValue(previousCore(previous));
  if (previous.source === 'updated' && previous.manifest) {
    await Promise.all([updatedItem.setValue({ dataset: previous.dataset, manifest: previous.manifest, appliedAt: Date.now() }), importedItem.removeValue(), core]);
  } else if (previous.source === 'imported') {
    await Promise.all([importedItem.setValue(previous.dataset), updatedItem.removeValue(), core]);
  } else {
    await Promise.all([importedItem.removeValue(), updatedItem.removeValue(), core]);
  }
  await previousItem.setValue(leaving);
  if (leaving.source === 'updated') await declineVersion(leaving.version);
  forget();
  return { from: leaving.version, to: previous.version };
}

/**
 * Calls `onChange` when another context changes the dataset in use (Settings imports or goes back; the
 * background applies an update), after this context's caches are dropped. Returns the function that stops it.
 */
export function watchDatasetChanges(onChange: () => void): () => void {
  const changed = () => {
    forget();
    onChange();
  };
  const stops = [coreItem.watch(changed), importedItem.watch(changed), updatedItem.watch(changed)];
  return () => {
    for (const stop of stops) stop();
  };
}
