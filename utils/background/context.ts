/**
 * Everything the background decides with, derived from settings, the dataset and today's date
 * (ARCHITECTURE.md "Background features"), and rebuilt only when one of those changes. Derived state is
 * never stored, so it cannot go stale. buildDecisionContext is pure, so tests build one from any
 * settings, dataset and day.
 */
import browser from 'webextension-polyfill';
import type { Dataset, Platform } from '../dataset/schema';
import { activeDataset, type DatasetSource } from '../dataset/store';
import { buildHostIndex, type HostIndex } from '../dataset/matcher';
import { isoDay, restrictedPlatformIds } from '../dataset/query';
import { buildSignaturePack, type SignaturePack } from '../detect/signatures';
import { resolveRegions, type RegionChoice } from '../region';
import { getSettings, type Settings } from '../settings';
import { observedStatusItem, type ObservedStatusMap } from '../storage';
import { browserLanguages, makeT, resolveLang, type Lang, type T } from '../i18n';

export interface DecisionContext {
  dataset: Dataset;
  datasetSource: DatasetSource;
  settings: Settings;
  region: RegionChoice;
  today: string;
  hostIndex: HostIndex;
  /** Platforms by id: looked up for every platform request, so built once with the context. */
  platformById: ReadonlyMap<string, Platform>;
  /** Platforms with a restriction active today in the user's regions: these count on the badge. */
  restrictedNow: ReadonlySet<string>;
  /**
   * What this browser's own requests say about platforms in the user's regions (features/observed-status.ts):
   * platform id → verdict, `failing` in any region winning. Only statuses other than `unknown` are here.
   */
  observed: ReadonlyMap<string, ObservedEntry>;
  /**
   * Platforms `failing` here with no restriction in force recorded, when observed notices are on: restricted here
   * on the observed basis. They count on the badge, get notices and the explanation page, and are watched.
   */
  observedFailing: ReadonlySet<string>;
  /** Platforms the detector looks for: restricted now, observed failing, plus restricted in the past when history is shown. */
  watched: ReadonlySet<string>;
  pack: SignaturePack | null;
  lang: Lang;
  t: T;
}

export interface ContextInputs {
  dataset: Dataset;
  datasetSource: DatasetSource;
  settings: Settings;
  today: string;
  /** The browser's UI language, for the `auto` language setting. */
  /** The browser's languages, preferred first (utils/languages.ts browserLanguages). */
  uiLanguage: string | readonly string[] | undefined;
  /** session:observedStatus, `<region>:<platform>` → verdict; none when absent. */
  observed?: ObservedStatusMap;
}

export type ObservedEntry = ObservedStatusMap[string];

/** The observed verdicts for the user's regions, by platform; `failing` in any region wins over `loading`. */
export function observedForRegions(map: ObservedStatusMap, regions: readonly string[]): Map<string, ObservedEntry> {
  const out = new Map<string, ObservedEntry>();
  for (const [key, v] of Object.entries(map)) {
    const i = key.lastIndexOf(':');
    if (!regions.some((r) => r.slice(0, 2) === key.slice(0, i))) continue;
    const platform = key.slice(i + 1);
    const prev = out.get(platform);
    if (!prev || (prev.status !== 'failing' && v.status === 'failing')) out.set(platform, v);
  }
  return out;
}

export function buildDecisionContext({ dataset, datasetSource, settings, today, uiLanguage, observed: observedMap = {} }: ContextInputs): DecisionContext {
  const region = resolveRegions(settings.regions);
  const restrictedNow = restrictedPlatformIds(dataset, region.regions, today);
  const observed = observedForRegions(observedMap, region.regions);
  const known = new Set(dataset.platforms.map((p) => p.id));
  const observedFailing = new Set(
    settings.notices.observed ? [...observed].filter(([p, v]) => v.status === 'failing' && known.has(p) && !restrictedNow.has(p)).map(([p]) => p) : [],
  );
  const watched = new Set([...restrictedPlatformIds(dataset, region.regions, today, settings.notices.showLifted), ...observedFailing]);
  const lang = resolveLang(settings.language, uiLanguage);
  return {
    dataset,
    datasetSource,
    settings,
    region,
    today,
    hostIndex: buildHostIndex(dataset.platforms),
    platformById: new Map(dataset.platforms.map((p) => [p.id, p])),
    restrictedNow,
    observed,
    observedFailing,
    watched,
    pack: buildSignaturePack(dataset.platforms.filter((p) => watched.has(p.id))),
    lang,
    t: makeT(lang),
  };
}

let cached: Promise<DecisionContext> | undefined;
let cachedDay = '';

export function invalidateContext(): void {
  cached = undefined;
}

/** The current context; a new day, new settings or a new dataset build a new one. */
export function decisionContext(): Promise<DecisionContext> {
  const today = isoDay();
  if (today !== cachedDay) cached = undefined;
  cachedDay = today;
  cached ??= (async () => {
    const [{ dataset, source }, settings, observed] = await Promise.all([activeDataset(), getSettings(), observedStatusItem.getValue().catch(() => ({}))]);
    return buildDecisionContext({ dataset, datasetSource: source, settings, today, uiLanguage: browserLanguages(browser.i18n.getUILanguage()), observed });
  })();
  // A failed build (storage unavailable) must not stick: the next call tries again.
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
}
