/**
 * Everything the background decides with, derived from settings, the dataset and today's date
 * (ARCHITECTURE.md "Background features"), and rebuilt only when one of those changes. Derived state is
 * never stored, so it cannot go stale. buildDecisionContext is pure, so tests build one from any
 * settings, dataset and day.
 */
import browser from 'webextension-polyfill';
import type { Dataset, Platform } from '../dataset/schema';
import { activeDataset } from '../dataset/store';
import { buildHostIndex, type HostIndex } from '../dataset/matcher';
import { isoDay, restrictedPlatformIds } from '../dataset/query';
import { buildSignaturePack, type SignaturePack } from '../detect/signatures';
import { resolveRegions, type RegionChoice } from '../region';
import { getSettings, type Settings } from '../settings';
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

export interface ContextInputs {
  dataset: Dataset;
  datasetSource: 'bundled' | 'imported';
  settings: Settings;
  today: string;
  /** The browser's UI language, for the `auto` language setting. */
  /** The browser's languages, preferred first (utils/languages.ts browserLanguages). */
  uiLanguage: string | readonly string[] | undefined;
}

export function buildDecisionContext({ dataset, datasetSource, settings, today, uiLanguage }: ContextInputs): DecisionContext {
  const region = resolveRegions(settings.regions);
  const restrictedNow = restrictedPlatformIds(dataset, region.regions, today);
  const watched = restrictedPlatformIds(dataset, region.regions, today, settings.notices.showLifted);
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
    const [{ dataset, source }, settings] = await Promise.all([activeDataset(), getSettings()]);
    return buildDecisionContext({ dataset, datasetSource: source, settings, today, uiLanguage: browserLanguages(browser.i18n.getUILanguage()) });
  })();
  // A failed build (storage unavailable) must not stick: the next call tries again.
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
}
