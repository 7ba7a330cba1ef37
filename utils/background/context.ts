/**
 * Everything the background decides with, derived from settings, the dataset's core and today's date
 * (ARCHITECTURE.md "Background features"), and rebuilt only when one of those changes. Derived state is
 * never stored, so it cannot go stale. buildDecisionContext is pure, so tests build one from any
 * settings, dataset and day.
 *
 * The context carries the dataset's core only (utils/dataset/core.ts): a decision needs hosts, platforms and
 * when each restriction applied, never the records' words. A surface that shows records gets them with
 * `withRecords`, which reads the whole dataset then and keeps only the user's regions' records.
 */
import browser from 'webextension-polyfill';
import type { Dataset, Platform } from '../dataset/schema';
import type { DatasetCore } from '../dataset/core';
import { activeCore, readActiveDataset, type DatasetSource } from '../dataset/store';
import { buildHostIndex, type HostIndex } from '../dataset/matcher';
import { appliesTo, isoDay, restrictedPlatformIds } from '../dataset/query';
import { buildSignaturePack, type SignaturePack } from '../detect/signatures';
import type { RegionChoice } from '../region';
import { regionsHere } from './regions';
import { getSettings, type Settings } from '../settings';
import { observedStatusItem, type ObservedStatusMap } from '../storage';
import { browserLanguages, resolveLang, type Lang, type T } from '../i18n-core';
import { wordsFor } from './catalogues';

export interface DecisionContext {
  /** The dataset's core: platforms, and where, what and when each restriction applied. */
  dataset: DatasetCore;
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
  /** The core, or a whole dataset (which is one). */
  dataset: DatasetCore;
  datasetSource: DatasetSource;
  settings: Settings;
  today: string;
  /** The browser's UI language, for the `auto` language setting. */
  /** The browser's languages, preferred first (utils/languages.ts browserLanguages). */
  uiLanguage: string | readonly string[] | undefined;
  /** session:observedStatus, `<region>:<platform>` → verdict; none when absent. */
  observed?: ObservedStatusMap;
  /** The user's regions, resolved (utils/region resolveRegions; the background: ./regions.ts). */
  region: RegionChoice;
  /** The words of the resolved language (pages and tests: `makeT` from utils/i18n.ts; the background fetches them). */
  words: (lang: Lang) => T;
}

/** A context with the records of the user's regions, for the answers that show them (popup, notices, explanation page). */
export interface RecordsContext extends DecisionContext {
  /** The whole dataset's platforms, and its records that apply to the user's regions, words and sources included. */
  records: Dataset;
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

export function buildDecisionContext({ dataset, datasetSource, settings, today, uiLanguage, observed: observedMap = {}, words, region }: ContextInputs): DecisionContext {
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
    t: words(lang),
  };
}

/** The records of the user's regions: the same answers as the whole dataset for every question asked in them. */
export function recordsFor(dataset: Dataset, regions: readonly string[]): Dataset {
  return { ...dataset, restrictions: dataset.restrictions.filter((r) => appliesTo(r, regions)) };
}

const withRecordsCache = new WeakMap<DecisionContext, Promise<RecordsContext>>();

/** The context with its records, read once per context: the whole dataset is read, filtered, and let go. */
export function withRecords(ctx: DecisionContext): Promise<RecordsContext> {
  let p = withRecordsCache.get(ctx);
  if (!p) {
    p = readActiveDataset().then(({ dataset }) => ({ ...ctx, records: recordsFor(dataset, ctx.region.regions) }));
    p.catch(() => withRecordsCache.delete(ctx));
    withRecordsCache.set(ctx, p);
  }
  return p;
}

let cached: Promise<DecisionContext> | undefined;
let cachedDay = '';
/** The performance mark set when this worker's first decision context is ready; scripts/bench.ts reads it. */
export const FIRST_CONTEXT_MARK = 'banlens:first-context';
let firstContextMarked = false;

export function invalidateContext(): void {
  cached = undefined;
}

/** The current context; a new day, new settings or a new dataset build a new one. */
export function decisionContext(): Promise<DecisionContext> {
  const today = isoDay();
  if (today !== cachedDay) cached = undefined;
  cachedDay = today;
  cached ??= (async () => {
    const [{ core, source }, settings, observed] = await Promise.all([activeCore(), getSettings(), observedStatusItem.getValue().catch(() => ({}))]);
    const uiLanguage = browserLanguages(browser.i18n.getUILanguage());
    const [t, region] = await Promise.all([wordsFor(resolveLang(settings.language, uiLanguage)), regionsHere(settings.regions)]);
    const ctx = buildDecisionContext({ dataset: core, datasetSource: source, settings, today, uiLanguage, observed, words: () => t, region });
    // Issue 12's "service worker start to first decision": every decision waits for this context (npm run bench).
    if (!firstContextMarked) {
      firstContextMarked = true;
      performance.mark?.(FIRST_CONTEXT_MARK);
    }
    return ctx;
  })();
  // A failed build (storage unavailable) must not stick: the next call tries again.
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
}
