/** Questions asked of the dataset: what is restricted where, at a given date. Dates may be partial (YYYY or YYYY-MM). */
import type { Restriction, LocalizedText } from './schema';
import type { RestrictionCore } from './core';

/** What the questions below read: a whole dataset, or its core (utils/dataset/core.ts). */
type WithRestrictions<R extends RestrictionCore> = { readonly restrictions: readonly R[] };
import { countryOf } from '../region';

/** Today as YYYY-MM-DD in UTC. */
export function isoDay(date: Date = new Date()): string {
  return date.toISOString().slice(0, 10);
}

/** Compares a full day with a partial date at the partial date's precision: -1 before, 0 within, 1 after. */
export function comparePartial(day: string, partial: string): -1 | 0 | 1 {
  const d = day.slice(0, partial.length);
  return d < partial ? -1 : d > partial ? 1 : 0;
}

/**
 * Active at `day` when it started on or before that day and has not ended by then. An end known only to the
 * month or year counts as ended throughout that month or year, so we never claim a block that may be over.
 */
export function isActiveAt(r: Pick<Restriction, 'start' | 'end'>, day: string): boolean {
  if (comparePartial(day, r.start) < 0) return false;
  return r.end === null || comparePartial(day, r.end) < 0;
}

/** A restriction applies to a user region when it names that region, or the user's country for a subdivision record. */
export function appliesTo(r: Pick<Restriction, 'region'>, regions: readonly string[]): boolean {
  return regions.some((u) => u === r.region || countryOf(r.region) === u || countryOf(u) === r.region);
}

export function restrictionsActiveAt<R extends RestrictionCore>(dataset: WithRestrictions<R>, regions: readonly string[], day: string): R[] {
  return dataset.restrictions.filter((r) => appliesTo(r, regions) && isActiveAt(r, day));
}

export function restrictionsFor<R extends RestrictionCore>(dataset: WithRestrictions<R>, platform: string, regions: readonly string[]): R[] {
  return dataset.restrictions
    .filter((r) => r.platform === platform && appliesTo(r, regions))
    .sort((a, b) => (a.start < b.start ? 1 : -1));
}

/** Platforms with an active restriction in the regions; with `includeLifted`, also those restricted in the past. */
export function restrictedPlatformIds(dataset: WithRestrictions<RestrictionCore>, regions: readonly string[], day: string, includeLifted = false): Set<string> {
  return new Set(
    dataset.restrictions.filter((r) => appliesTo(r, regions) && (isActiveAt(r, day) || (includeLifted && comparePartial(day, r.start) >= 0))).map((r) => r.platform),
  );
}

/** True when the record's status was last confirmed more than `months` before `day`. */
export function isStale(r: Pick<Restriction, 'asOf'>, day: string, months = 12): boolean {
  const [y, m] = day.split('-').map(Number) as [number, number];
  const limit = new Date(Date.UTC(y, m - 1 - months, 1)).toISOString().slice(0, 7);
  return r.asOf.slice(0, 7) < limit;
}

export function latestEvent(r: Restriction) {
  return [...r.events].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0))[0] ?? null;
}

export function localized(text: LocalizedText | undefined, lang: string): string {
  if (!text) return '';
  return text[lang] ?? text.en;
}
