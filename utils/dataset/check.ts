/**
 * Consistency checks beyond the schema, run by `npm run dataset:check` and the unit tests.
 * Errors block a release; warnings point at records that need a fresh source.
 */
import type { Dataset } from './schema';
import { comparePartial, isActiveAt, isStale } from './query';
import { isCountryCode } from '../region';

export interface CheckReport {
  errors: string[];
  warnings: string[];
}

/** The first day a partial date can mean, and the last, for overlap tests. */
function firstDay(d: string): string {
  return d.length === 4 ? `${d}-01-01` : d.length === 7 ? `${d}-01` : d;
}
function lastDay(d: string): string {
  return d.length === 4 ? `${d}-12-31` : d.length === 7 ? `${d}-31` : d;
}

export function checkDataset(dataset: Dataset, today: string): CheckReport {
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const r of dataset.restrictions) {
    const at = `${r.id}:`;
    if (!isCountryCode(r.region.slice(0, 2))) errors.push(`${at} region ${r.region} is not an ISO 3166 country code`);
    if (r.end !== null && lastDay(r.end) < firstDay(r.start)) errors.push(`${at} ends (${r.end}) before it starts (${r.start})`);
    if (comparePartial(today, r.start) < 0) errors.push(`${at} starts in the future (${r.start})`);
    if (lastDay(r.asOf) < firstDay(r.start)) errors.push(`${at} asOf ${r.asOf} is before the start ${r.start}`);
    if (firstDay(r.asOf) > today) errors.push(`${at} asOf ${r.asOf} is in the future`);
    if (r.end === null && r.sources.length < 2) errors.push(`${at} is in force but cites fewer than two sources`);
    if (r.end === null && r.events.length === 0) errors.push(`${at} is in force but has no timeline of events`);
    for (const e of r.events) if (firstDay(e.date) > today) errors.push(`${at} event on ${e.date} is in the future`);
    if (isActiveAt(r, today) && isStale(r, today)) warnings.push(`${at} in force, but last confirmed ${r.asOf} (over 12 months ago)`);
  }
  // Two records of the same kind for the same platform and region must not claim overlapping periods.
  const groups = new Map<string, Dataset['restrictions']>();
  for (const r of dataset.restrictions) {
    const key = `${r.platform}|${r.region}|${r.kind}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  for (const list of groups.values()) {
    const sorted = [...list].sort((a, b) => (firstDay(a.start) < firstDay(b.start) ? -1 : 1));
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1]!;
      const cur = sorted[i]!;
      const prevEnd = prev.end === null ? '9999-12-31' : firstDay(prev.end);
      if (firstDay(cur.start) < prevEnd) errors.push(`${cur.id}: overlaps ${prev.id} (same platform, region and kind)`);
    }
  }
  return { errors, warnings };
}

export function datasetStats(dataset: Dataset, today: string) {
  return {
    platforms: dataset.platforms.length,
    restrictions: dataset.restrictions.length,
    regions: new Set(dataset.restrictions.map((r) => r.region.slice(0, 2))).size,
    active: dataset.restrictions.filter((r) => isActiveAt(r, today)).length,
    sources: new Set(dataset.restrictions.flatMap((r) => r.sources.map((s) => s.url))).size,
  };
}
