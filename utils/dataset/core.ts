/**
 * What the background decides with (ARCHITECTURE.md "Dataset"): the platforms (hosts, embeds, names) and, of
 * each restriction, only where, what kind and when. The records' words, events and sources stay out; a
 * surface that shows them reads the full dataset (utils/dataset/store.ts `activeDataset`).
 *
 * The bundled dataset's core is made at build time (scripts/build/dataset-core.ts: the packaged
 * `dataset-core.json`, and the host lists as `virtual:banlens/dataset-hosts`), after the build validated the file;
 * an imported or updated dataset's core is made once, when it arrives.
 * A full `Dataset` is also a `DatasetCore`, so tests and pages can hand either to a decision.
 */
import type { Dataset, Platform, Restriction } from './schema';

/** Raised when the shape below changes: a stored core of another format is made again from its dataset. */
export const DATASET_CORE_FORMAT = 1;

export type RestrictionCore = Pick<Restriction, 'platform' | 'region' | 'kind' | 'start' | 'end'>;

export interface DatasetCore {
  version: string;
  asOf: string;
  researchedThrough: string;
  platforms: readonly Platform[];
  restrictions: readonly RestrictionCore[];
}

/** A platform's host names: all the background needs to decide, before any await, which requests to journal. */
export type PlatformHosts = Pick<Platform, 'id' | 'domains' | 'shortLinkDomains' | 'cdnDomains'>;

export function platformHosts(platforms: readonly Platform[]): PlatformHosts[] {
  return platforms.map(({ id, domains, shortLinkDomains, cdnDomains }) => ({ id, domains, shortLinkDomains, cdnDomains }));
}

export function compactDataset(d: Dataset): DatasetCore {
  return {
    version: d.version,
    asOf: d.asOf,
    researchedThrough: d.researchedThrough,
    platforms: d.platforms,
    restrictions: d.restrictions.map(({ platform, region, kind, start, end }) => ({ platform, region, kind, start, end })),
  };
}
