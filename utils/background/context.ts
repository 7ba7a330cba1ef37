/**
 * Everything the background decides with, derived from settings, the dataset and today's date, and
 * rebuilt only when one of those changes. Derived state is never stored, so it cannot go stale.
 */
import browser from 'webextension-polyfill';
import type { Dataset, Platform } from '../dataset/schema';
import { activeDataset } from '../dataset/store';
import { buildHostIndex, type HostIndex } from '../dataset/matcher';
import { isoDay, restrictedPlatformIds, restrictionsActiveAt } from '../dataset/query';
import { buildSignaturePack, type SignaturePack } from '../detect/signatures';
import { resolveRegions, type RegionChoice } from '../region';
import { getSettings, siteKey, type Settings } from '../settings';
import { browserLanguages, makeT, resolveLang, type Lang, type T } from '../i18n';

export interface DecisionContext {
  dataset: Dataset;
  datasetSource: 'bundled' | 'imported';
  settings: Settings;
  region: RegionChoice;
  today: string;
  hostIndex: HostIndex;
  /** Platforms by id: looked up for every platform request, so built once with the context. */
  platformById: ReadonlyMap<string, Platform>;
  /** Platforms with a restriction active today in the user's regions: these count on the badge. */
  restrictedNow: ReadonlySet<string>;
  /** Platforms the detector looks for: restricted now, plus restricted in the past when history is shown. */
  watched: ReadonlySet<string>;
  pack: SignaturePack | null;
  lang: Lang;
  t: T;
}

let cached: Promise<DecisionContext> | undefined;
let cachedDay = '';

export function invalidateContext(): void {
  cached = undefined;
}

export function decisionContext(): Promise<DecisionContext> {
  const today = isoDay();
  if (today !== cachedDay) cached = undefined;
  cachedDay = today;
  cached ??= build(today);
  return cached;
}

async function build(today: string): Promise<DecisionContext> {
  const [{ dataset, source }, settings] = await Promise.all([activeDataset(), getSettings()]);
  const region = resolveRegions(settings.regions);
  const restrictedNow = restrictedPlatformIds(dataset, region.regions, today);
  const watched = restrictedPlatformIds(dataset, region.regions, today, settings.notices.showLifted);
  const lang = resolveLang(settings.language, browserLanguages(browser.i18n.getUILanguage()));
  return {
    dataset,
    datasetSource: source,
    settings,
    region,
    today,
    hostIndex: buildHostIndex(dataset.platforms),
    platformById: new Map(dataset.platforms.map((p) => [p.id, p])),
    restrictedNow,
    watched,
    pack: buildSignaturePack(dataset.platforms.filter((p) => watched.has(p.id))),
    lang,
    t: makeT(lang),
  };
}

export function badgeCount(ctx: DecisionContext, platformsOnTab: Iterable<string>): number {
  let n = 0;
  for (const p of platformsOnTab) if (ctx.restrictedNow.has(p)) n++;
  return n;
}

/** Whether an in-page notice may be shown for this platform on this site, by the user's settings. */
export function noticeAllowed(ctx: DecisionContext, site: string | null, platform: string): boolean {
  const n = ctx.settings.notices;
  if (!n.enabled || n.mode !== 'full') return false;
  if (site && n.mutedSites.includes(siteKey(site))) return false;
  if (n.mutedPlatforms.includes(platform)) return false;
  return ctx.restrictedNow.has(platform) || (n.showLifted && ctx.watched.has(platform));
}

export function hasAnyRestriction(ctx: DecisionContext): boolean {
  return restrictionsActiveAt(ctx.dataset, ctx.region.regions, ctx.today).length > 0;
}
