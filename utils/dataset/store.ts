/**
 * The active dataset: an imported newer file if the user loaded one, else the bundled one. An import is
 * validated by the same schema as the bundled file; a bad file changes nothing.
 */
import bundledJson from './bans.json';
import { parseDataset, type Dataset, type DatasetResult } from './schema';
import { buildHostIndex, type HostIndex } from './matcher';
import { datasetImportedItem as importedItem } from '../storage';
/** Imported files above this size are refused before parsing: a hostile file must not exhaust memory. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

let bundled: Dataset | undefined;
let cached: Promise<{ dataset: Dataset; source: 'bundled' | 'imported' }> | undefined;

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

export function activeDataset(): Promise<{ dataset: Dataset; source: 'bundled' | 'imported' }> {
  cached ??= (async () => {
    const raw = await importedItem.getValue();
    if (raw) {
      const r = parseDataset(raw);
      if (r.ok) return { dataset: r.dataset, source: 'imported' as const };
    }
    return { dataset: bundledDataset(), source: 'bundled' as const };
  })();
  return cached;
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
  await importedItem.setValue(r.dataset);
  cached = undefined;
  return r;
}

export async function resetDataset(): Promise<void> {
  await importedItem.removeValue();
  cached = undefined;
}

/** Other contexts (the background) drop their cache when an options page imports or resets. */
export function watchDatasetChanges(onChange: () => void): void {
  importedItem.watch(() => {
    cached = undefined;
    onChange();
  });
}
