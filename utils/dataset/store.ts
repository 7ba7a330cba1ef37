/**
 * The active dataset: a verified signed update or a file the user imported (at most one of the two is
 * installed at a time), else the bundled one. Both are validated again on every read, by the same schema as
 * the bundled file; a bad file changes nothing. Every change keeps what was in use before, so the user can
 * go back in one click.
 */
import bundledJson from './bans.json';
import { parseDataset, type Dataset, type DatasetResult } from './schema';
import { buildHostIndex, type HostIndex } from './matcher';
import { datasetImportedItem as importedItem, datasetPreviousItem as previousItem, datasetUpdatedItem as updatedItem, datasetUpdateStatusItem, type DatasetPrevious, type DatasetUpdated } from '../storage';

export type DatasetSource = 'bundled' | 'imported' | 'updated';
export interface ActiveDataset {
  dataset: Dataset;
  source: DatasetSource;
  /** For an update: the manifest it came with. */
  manifest?: DatasetUpdated['manifest'];
}
/** Imported files above this size are refused before parsing: a hostile file must not exhaust memory. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

let bundled: Dataset | undefined;
let cached: Promise<ActiveDataset> | undefined;

export function bundledDataset(): Dataset {
  if (!bundled) {
    const r = parseDataset(bundledJson);
    if (!r.ok) throw new Error(`bundled dataset is invalid: ${r.errors.join('; ')}`);
    bundled = r.dataset;
  }
  return bundled;
}

/**
 * The bundled file's host index, built straight from the JSON without validating it (validation takes
 * about 100 ms, this well under 1 ms). Only for deciding, in a webRequest listener before any await, what
 * to journal; the validated index replaces it as soon as the decision context is ready.
 */
export function bundledHostIndexUnchecked(): HostIndex {
  const raw: { platforms: { id: string; domains: string[]; shortLinkDomains?: string[]; cdnDomains?: string[] }[] } = bundledJson;
  return buildHostIndex(raw.platforms.map((p) => ({ id: p.id, domains: p.domains, shortLinkDomains: p.shortLinkDomains ?? [], cdnDomains: p.cdnDomains ?? [] })));
}

/** The dataset in use as storage holds it now, read and validated afresh. */
async function readActive(): Promise<ActiveDataset> {
  const [updated, imported] = await Promise.all([updatedItem.getValue(), importedItem.getValue()]);
  if (updated) {
    const r = parseDataset(updated.dataset);
    if (r.ok) return { dataset: r.dataset, source: 'updated' as const, manifest: updated.manifest };
  }
  if (imported) {
    const r = parseDataset(imported);
    if (r.ok) return { dataset: r.dataset, source: 'imported' as const };
  }
  return { dataset: bundledDataset(), source: 'bundled' as const };
}

let watching = false;

/**
 * The dataset in use, cached in this context. Another context can change it (the background applies an
 * update while Settings is open), so every context drops its cache when the stored datasets change.
 */
export function activeDataset(): Promise<ActiveDataset> {
  if (!watching) {
    watching = true;
    const drop = () => {
      cached = undefined;
    };
    importedItem.watch(drop);
    updatedItem.watch(drop);
  }
  cached ??= readActive();
  return cached;
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
  return { source: 'bundled', dataset: null, version: (bundledJson as { version: string }).version };
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
  await Promise.all([importedItem.setValue(r.dataset), updatedItem.removeValue(), previousItem.setValue(previous)]);
  cached = undefined;
  return r;
}

/** Installs a verified update (utils/dataset/update.ts has checked signature, hash, schema, checks and version). */
export async function applyUpdate(dataset: Dataset, manifest: DatasetUpdated['manifest'], now = Date.now()): Promise<void> {
  const previous = await currentAsPrevious();
  await Promise.all([updatedItem.setValue({ dataset, manifest, appliedAt: now }), importedItem.removeValue(), previousItem.setValue(previous)]);
  cached = undefined;
}

export async function resetDataset(): Promise<void> {
  const previous = await currentAsPrevious();
  await Promise.all([importedItem.removeValue(), updatedItem.removeValue(), previous.source === 'bundled' ? Promise.resolve() : previousItem.setValue(previous)]);
  if (previous.source === 'updated') await declineVersion(previous.version);
  cached = undefined;
}

/** The user left this update on purpose: the daily check must not bring it straight back. */
async function declineVersion(version: string): Promise<void> {
  const status = await datasetUpdateStatusItem.getValue();
  if (status) await datasetUpdateStatusItem.setValue({ ...status, declinedVersion: version });
}

export function previousDataset(): Promise<DatasetPrevious | null> {
  return previousItem.getValue();
}

/**
 * Goes back to the dataset in use before the last change, in one step, and returns the version left behind.
 * What it leaves becomes the new "previous", so going back twice returns to where the user started.
 */
export async function rollbackDataset(): Promise<{ from: string; to: string } | null> {
  const previous = await previousItem.getValue();
  if (!previous) return null;
  const leaving = await currentAsPrevious();
  if (previous.source === 'updated' && previous.manifest) {
    await Promise.all([updatedItem.setValue({ dataset: previous.dataset, manifest: previous.manifest, appliedAt: Date.now() }), importedItem.removeValue()]);
  } else if (previous.source === 'imported') {
    await Promise.all([importedItem.setValue(previous.dataset), updatedItem.removeValue()]);
  } else {
    await Promise.all([importedItem.removeValue(), updatedItem.removeValue()]);
  }
  await previousItem.setValue(leaving);
  if (leaving.source === 'updated') await declineVersion(leaving.version);
  cached = undefined;
  return { from: leaving.version, to: previous.version };
}

/**
 * Calls `onChange` when another context changes the dataset in use (Settings imports or goes back; the
 * background applies an update), after this context's cache is dropped. Returns the function that stops it.
 */
export function watchDatasetChanges(onChange: () => void): () => void {
  const changed = () => {
    cached = undefined;
    onChange();
  };
  const stops = [importedItem.watch(changed), updatedItem.watch(changed)];
  return () => {
    for (const stop of stops) stop();
  };
}
