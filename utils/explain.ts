/**
 * Turns dataset records into the words every surface shows (notice, popup, explanation page, browser).
 * Pure, so the background can prepare a notice's text and pages can render the same thing themselves.
 */
import type { Dataset, Restriction, Source } from './dataset/schema';
import { isActiveAt, isStale, localized, restrictionsFor } from './dataset/query';
import { formatDate, isolate, regionName, relativeAge, tagOf, type Lang, type T } from './i18n-core';

/** A source as every surface lists it: its publication date already worded in the active language. */
export interface ExplainedSource {
  url: string;
  publisher: string;
  title: string | null;
  published: string | null;
}

export interface ExplainedRestriction {
  id: string;
  platform: string;
  region: string;
  regionName: string;
  kind: Restriction['kind'];
  active: boolean;
  headline: string;
  start: string;
  end: string | null;
  authority: string;
  reason: string;
  summary: string;
  caveats: string | null;
  latest: ExplainedEvent | null;
  events: ExplainedEvent[];
  sources: ExplainedSource[];
  asOf: string;
  /** The ISO date of the newest source confirming the status, for ordering and age. */
  asOfDay: string;
  stale: boolean;
  /** The status chip every surface shows first: in force, "last confirmed …" when not reconfirmed in 12 months, or lifted. */
  chip: { status: 'active' | 'stale' | 'lifted'; text: string };
  /** One line with the record's age: "Last confirmed 23 Nov 2024 (2 years ago)". */
  age: string;
  /** The age alone ("2 years ago"), for beside a chip that already gives the date. */
  ageRelative: string;
  /** The language tag the summary, authority and reason are written in (English where no translation exists). */
  textLang: string;
  confidence: Restriction['confidence'];
}

export interface ExplainedEvent {
  date: string;
  /** The event's kind as a word ("Ordered", "Observed", "Reported" …), true to what the event says. */
  kind: string;
  text: string;
  /** The language tag of `text`: English inside another language's page gets its own direction and lang. */
  textLang: string;
}

export interface ExplainedPlatform {
  platform: string;
  name: string;
  active: boolean;
  restrictions: ExplainedRestriction[];
  /** What a notice stands on (README "data-basis"): a restriction in force, or the browser's own evidence. Absent: recorded. */
  basis?: 'recorded' | 'observed';
  /** For the observed basis: what was seen and what was not, worded (utils/observed/words.ts). */
  observed?: string;
  /** The popup's one status line combining both bases (utils/observed/words.ts statusLine). */
  status?: { key: string; text: string };
}

const KIND_KEYS = { block: 'kindBlock', throttle: 'kindThrottle', partial: 'kindPartial', 'app-store': 'kindAppStore' } as const;
const EVENT_KEYS = { ordered: 'eventOrdered', observed: 'eventObserved', reported: 'eventReported', court: 'eventCourt', statement: 'eventStatement', 'partial-restore': 'eventPartialRestore', lifted: 'eventLifted', reimposed: 'eventReimposed' } as const;

export function eventKindLabel(kind: string, t: T): string {
  return t(EVENT_KEYS[kind as keyof typeof EVENT_KEYS] ?? 'eventStatement');
}

/**
 * The event that happened last. Several events on one day (ordered, then lifted the same afternoon) keep
 * the dataset's order, so the one listed last is the latest.
 */
export function latestOf<E extends { date: string }>(events: readonly E[]): E | null {
  let latest: E | null = null;
  for (const e of events) if (!latest || e.date >= latest.date) latest = e;
  return latest;
}

export function explainRestriction(r: Restriction, platformName: string, lang: Lang, t: T, today: string): ExplainedRestriction {
  const active = isActiveAt(r, today);
  const region = regionName(r.region, lang);
  const kind = t(KIND_KEYS[r.kind]);
  const start = formatDate(r.start, lang);
  const end = r.end ? formatDate(r.end, lang) : null;
  // In right-to-left text each substituted name and date is isolated, so "X" or "17 Feb 2024" keeps its order.
  const [iName, iRegion, iStart, iEnd] = [platformName, region, start, end ?? ''].map((v) => isolate(v, lang)) as [string, string, string, string];
  const headline = active
    ? t('headlineActive', iName, kind, iRegion, iStart)
    : r.end === r.start
      ? t('headlineOneDay', iName, kind, iRegion, iStart)
      : t('headlineLifted', iName, kind, iRegion, iStart, iEnd);
  const textLang = (text: Restriction['summary']) => tagOf(text[lang] ? lang : 'en');
  const ev = (e: Restriction['events'][number]): ExplainedEvent => ({ date: formatDate(e.date, lang), kind: eventKindLabel(e.kind, t), text: localized(e.text, lang), textLang: textLang(e.text) });
  const latest = latestOf(r.events);
  const stale = active && isStale(r, today);
  const lastConfirmed = formatDate(r.asOf, lang);
  return {
    id: r.id,
    platform: r.platform,
    region: r.region,
    regionName: region,
    kind: r.kind,
    active,
    headline,
    start,
    end,
    authority: localized(r.authority, lang),
    reason: localized(r.reason, lang),
    summary: localized(r.summary, lang),
    caveats: r.caveats ? localized(r.caveats, lang) : null,
    latest: latest ? ev(latest) : null,
    // A stable sort: same-day events keep the dataset's order.
    events: [...r.events].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)).map(ev),
    sources: r.sources.map((s: Source) => ({ url: s.url, publisher: s.publisher, title: s.title ?? null, published: s.published ? formatDate(s.published, lang) : null })),
    asOf: lastConfirmed,
    asOfDay: r.asOf,
    stale,
    chip: !active ? { status: 'lifted', text: t('chipLifted') } : stale ? { status: 'stale', text: t('chipLastConfirmed', isolate(lastConfirmed, lang)) } : { status: 'active', text: t('chipInForce') },
    age: t('recordAge', isolate(lastConfirmed, lang), relativeAge(r.asOf, today, lang)),
    ageRelative: relativeAge(r.asOf, today, lang),
    textLang: textLang(r.summary),
    confidence: r.confidence,
  };
}

/** Everything to say about one platform in the user's regions: active restrictions first, then history if wanted. */
export function explainPlatform(dataset: Dataset, platform: string, regions: readonly string[], opts: { lang: Lang; t: T; today: string; includeLifted: boolean }): ExplainedPlatform | null {
  const p = dataset.platforms.find((x) => x.id === platform);
  if (!p) return null;
  const all = restrictionsFor(dataset, platform, regions).map((r) => explainRestriction(r, p.name, opts.lang, opts.t, opts.today));
  const active = all.filter((r) => r.active);
  const shown = opts.includeLifted ? [...active, ...all.filter((r) => !r.active)] : active;
  return { platform, name: p.name, active: active.length > 0, restrictions: shown };
}
