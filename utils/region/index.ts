/**
 * Region inference without the network (ARCHITECTURE.md "Region"): the IANA time zone names the country, and the
 * browser locale's region breaks ties where a zone is shared. The user's explicit choice always wins.
 */
import timezones from './timezones.json';
import countryCodes from './countries.json';

const ZONES: Record<string, string[]> = timezones.zones;
const COUNTRIES = new Set<string>(countryCodes);

export type RegionSource = 'user' | 'timezone' | 'timezone_locale' | 'locale' | 'none';
export interface RegionChoice {
  regions: string[];
  source: RegionSource;
  timeZone: string | null;
}

export function isCountryCode(code: string): boolean {
  return COUNTRIES.has(code);
}

/** A region code is a country (PK) or a subdivision of one (IN-JK); subdivisions match their country's users too. */
export function countryOf(region: string): string {
  return region.slice(0, 2);
}

function localeRegion(locale: string): string | null {
  try {
    const region = new Intl.Locale(locale).maximize().region;
    return region && COUNTRIES.has(region) ? region : null;
  } catch {
    return null;
  }
}

export function inferRegion(timeZone: string | null | undefined, locales: readonly string[]): RegionChoice {
  return inferRegionIn(ZONES, timeZone, locales);
}

/** Where the build packages timezones.json for the background (wxt.config.ts, utils/background/regions.ts). */
export const ZONES_PATH = '/region/timezones.json';

/** The time zone → countries table (timezones.json `zones`), as the background fetches it from the package. */
export type ZoneTable = Readonly<Record<string, readonly string[]>>;

/** inferRegion with the zone table handed in: the background does not bundle the table (utils/background/regions.ts). */
export function inferRegionIn(zones: ZoneTable, timeZone: string | null | undefined, locales: readonly string[]): RegionChoice {
  const candidates = (timeZone && zones[timeZone]) || [];
  // Only an explicit region subtag breaks a tie; maximize() would invent one (en → US).
  const explicit = locales.map((l) => /^[a-z]{2,3}[-_](?:[A-Za-z]{4}[-_])?([A-Z]{2})\b/i.exec(l)?.[1]?.toUpperCase()).find((r) => r && COUNTRIES.has(r)) ?? null;
  if (candidates.length > 0) {
    if (candidates.length > 1 && explicit && candidates.includes(explicit)) {
      return { regions: [explicit], source: 'timezone_locale', timeZone: timeZone ?? null };
    }
    return { regions: [candidates[0]!], source: 'timezone', timeZone: timeZone ?? null };
  }
  const fromLocale = explicit ?? (locales[0] ? localeRegion(locales[0]) : null);
  if (fromLocale) return { regions: [fromLocale], source: 'locale', timeZone: timeZone ?? null };
  return { regions: [], source: 'none', timeZone: timeZone ?? null };
}

/** What the browser this runs in says; kept apart so inferRegion stays pure. */
export function inferRegionHere(): RegionChoice {
  return inferRegionHereIn(ZONES);
}

function inferRegionHereIn(zones: ZoneTable): RegionChoice {
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const locales = typeof navigator !== 'undefined' ? [...(navigator.languages ?? []), navigator.language].filter(Boolean) : [];
  return inferRegionIn(zones, timeZone, locales);
}

/** The user's choice, else what the time zone and languages say. */
export function resolveRegionsIn(zones: ZoneTable, userRegions: readonly string[] | null): RegionChoice {
  if (userRegions && userRegions.length > 0) return { regions: [...userRegions], source: 'user', timeZone: null };
  return inferRegionHereIn(zones);
}

export function resolveRegions(userRegions: readonly string[] | null): RegionChoice {
  return resolveRegionsIn(ZONES, userRegions);
}
