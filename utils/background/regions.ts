/**
 * The user's regions as the background resolves them. The time zone table (utils/region/timezones.json, about a
 * tenth of what the background bundled) is a packaged file, fetched only when the user has not picked regions,
 * once per worker, beside the catalogue (issue 12: background.js ≤ 60 KB gzipped).
 */
import browser from 'webextension-polyfill';
import { resolveRegionsIn, ZONES_PATH, type RegionChoice, type ZoneTable } from '../region';

let zones: Promise<ZoneTable> | undefined;

function zoneTable(): Promise<ZoneTable> {
  zones ??= fetch(browser.runtime.getURL(ZONES_PATH))
    .then((res) => (res.ok ? (res.json() as Promise<{ zones: ZoneTable }>) : Promise.reject(new Error(`HTTP ${res.status}`))))
    .then((file) => file.zones);
  // Not kept on failure: the region falls back to the languages alone now, and the next build tries again.
  zones.catch(() => {
    zones = undefined;
  });
  return zones;
}

export async function regionsHere(userRegions: readonly string[] | null): Promise<RegionChoice> {
  if (userRegions && userRegions.length > 0) return resolveRegionsIn({}, userRegions);
  return resolveRegionsIn(await zoneTable().catch(() => ({})), userRegions);
}
