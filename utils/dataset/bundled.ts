/**
 * The bundled dataset, parsed, for tests and scripts. The extension never imports this file: the worker gets
 * the compact form made at build time (`virtual:banlens/dataset-core`) and pages fetch the packaged
 * `dataset.json` (utils/dataset/store.ts), so neither carries the 2 MB file nor validates it at run time.
 */
import bundledJson from './bans.json';
import { parseDataset, type Dataset } from './schema';

let bundled: Dataset | undefined;

export function bundledDataset(): Dataset {
  if (!bundled) {
    const r = parseDataset(bundledJson);
    if (!r.ok) throw new Error(`bundled dataset is invalid: ${r.errors.join('; ')}`);
    bundled = r.dataset;
  }
  return bundled;
}
