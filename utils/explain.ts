/**
 * Turns dataset records into the words every surface shows (notice, popup, explanation page, browser).
 * Pure, so the background can prepare a notice's text and pages can render the same thing themselves.
 */
import type { Dataset, Restriction, Source } from './dataset/schema';
import { isActiveAt, isStale, latestEvent, localized, restrictionsFor } from './dataset/query';
import { formatDate, regionName, type Lang, type T } from './i18n';

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
  latest: { date: string; kind: string; text: string } | null;
  events: { date: string; kind: string; text: string }[];
  sources: ExplainedSource[];
  asOf: string;
  stale: boolean;
  confidence: Restriction['confidence'];
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

export function explainRestriction(r: Restriction, platformName: string, lang: Lang, t: T, today: string): ExplainedRestriction {
  const active = isActiveAt(r, today);
  const region = regionName(r.region, lang);
  const kind = t(KIND_KEYS[r.kind]);
  const start = formatDate(r.start, lang);
  const end = r.end ? formatDate(r.end, lang) : null;
  const headline = active
    ? t('headlineActive', platformName, kind, region, start)
    : r.end === r.start
      ? t('headlineOneDay', platformName, kind, region, start)
      : t('headlineLifted', platformName, kind, region, start, end ?? '');
  const ev = (e: Restriction['events'][number]) => ({ date: formatDate(e.date, lang), kind: eventKindLabel(e.kind, t), text: localized(e.text, lang) });
  const latest = latestEvent(r);
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
    events: [...r.events].sort((a, b) => (a.date < b.date ? -1 : 1)).map(ev),
    sources: r.sources.map((s: Source) => ({ url: s.url, publisher: s.publisher, title: s.title ?? null, published: s.published ? formatDate(s.published, lang) : null })),
    asOf: formatDate(r.asOf, lang),
    stale: active && isStale(r, today),
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
