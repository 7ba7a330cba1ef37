/**
 * Consistency checks beyond the schema, run by `npm run dataset:check` and the unit tests.
 * Errors block a release; warnings point at records that need a fresh source.
 */
import type { Dataset, LocalizedText } from './schema';
import { comparePartial, isActiveAt, isStale } from './query';
import { isCountryCode } from '../region';
import { dirOf } from '../languages';

/**
 * The languages a region's records must carry besides English, in every text and every event: a reader who gets
 * the record in their language must not meet an English event in the middle of it. Keys are country codes
 * (a subdivision's records count as its country's).
 */
export const REGION_TEXT_LANGUAGES: Readonly<Record<string, readonly string[]>> = { PK: ['ur'] };

const RTL_LETTER = /[\p{Script=Arabic}\p{Script=Hebrew}]/u;

/** Every text of a record, named as a researcher would look for it. */
function recordTexts(r: Dataset['restrictions'][number]): [string, LocalizedText][] {
  return [
    ['authority', r.authority],
    ['reason', r.reason],
    ['summary', r.summary],
    ...(r.caveats ? [['caveats', r.caveats] as [string, LocalizedText]] : []),
    ...r.events.map((e, i): [string, LocalizedText] => [`event ${i} (${e.date})`, e.text]),
  ];
}

/** The translation rules: required languages present, not left in English, and right-to-left text that starts right to left. */
function textErrors(r: Dataset['restrictions'][number]): string[] {
  const errors: string[] = [];
  const required = REGION_TEXT_LANGUAGES[r.region.slice(0, 2)] ?? [];
  for (const [field, text] of recordTexts(r)) {
    for (const lang of required) {
      if (!text[lang]) errors.push(`${r.id}: ${field} has no ${lang} text (${r.region} records carry ${required.join(', ')})`);
    }
    for (const [lang, value] of Object.entries(text)) {
      if (lang === 'en') continue;
      if (value === text.en) errors.push(`${r.id}: ${field} ${lang} text is the English text`);
      // The surfaces show dataset text with dir="auto", which takes its direction from the first letter.
      const first = value.match(/\p{L}/u)?.[0];
      if (dirOf(lang) === 'rtl' && first && !RTL_LETTER.test(first)) errors.push(`${r.id}: ${field} ${lang} text starts with "${first}", so it would be laid out left to right`);
    }
  }
  return errors;
}

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
    if (r.end !== null && lastDay(r.asOf) < firstDay(r.end)) errors.push(`${at} asOf ${r.asOf} is earlier than its end ${r.end}: no source confirms the end`);
    if (isActiveAt(r, today) && isStale(r, today)) warnings.push(`${at} in force, but last confirmed ${r.asOf} (over 12 months ago)`);
    errors.push(...textErrors(r));
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
  // The same episode recorded twice: same platform and region, starting within a week of each other, on the same layer
  // (a network block, throttle or partial block is one layer; an app-store removal alongside it is a separate restriction).
  const byPlace = new Map<string, Dataset['restrictions']>();
  for (const r of dataset.restrictions) {
    const key = `${r.platform}|${r.region}`;
    byPlace.set(key, [...(byPlace.get(key) ?? []), r]);
  }
  for (const list of byPlace.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        if (sameEpisode(list[i]!, list[j]!)) errors.push(`${list[j]!.id}: records the same episode as ${list[i]!.id} (same platform, region and layer, starting within a week)`);
      }
    }
  }
  const newest = newestSourceDate(dataset);
  if (firstDay(dataset.researchedThrough) > lastDay(newest)) {
    errors.push(`(dataset): researchedThrough ${dataset.researchedThrough} is later than the newest source (${newest})`);
  }
  return { errors, warnings };
}

const DAY_MS = 86_400_000;

/** Two records start the same episode when their starts are the same partial date, or full dates at most 7 days apart. */
function sameEpisode(a: Dataset['restrictions'][number], b: Dataset['restrictions'][number]): boolean {
  if ((a.kind === 'app-store') !== (b.kind === 'app-store')) return false;
  if (a.start === b.start) return true;
  if (a.start.length !== 10 || b.start.length !== 10) return false;
  return Math.abs(Date.parse(a.start) - Date.parse(b.start)) <= 7 * DAY_MS;
}

/** The newest date any record's sources confirm: its `asOf`, or a source's publication date. */
export function newestSourceDate(dataset: Dataset): string {
  let newest = '0000';
  for (const r of dataset.restrictions) {
    if (firstDay(r.asOf) > firstDay(newest)) newest = r.asOf;
    for (const s of r.sources) if (s.published && firstDay(s.published) > firstDay(newest)) newest = s.published;
  }
  return newest;
}

/** The first day of the month `months` before `day` (YYYY-MM-DD). */
function monthsBefore(day: string, months: number): string {
  const [y, m] = day.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 - months, 1)).toISOString().slice(0, 10);
}

function share(part: number, whole: number): number {
  return whole === 0 ? 1 : Math.round((part / whole) * 1000) / 1000;
}

export function datasetStats(dataset: Dataset, today: string) {
  const active = dataset.restrictions.filter((r) => isActiveAt(r, today));
  return {
    platforms: dataset.platforms.length,
    restrictions: dataset.restrictions.length,
    regions: new Set(dataset.restrictions.map((r) => r.region.slice(0, 2))).size,
    active: active.length,
    sources: new Set(dataset.restrictions.flatMap((r) => r.sources.map((s) => s.url))).size,
    before2015: dataset.restrictions.filter((r) => r.start.slice(0, 4) < '2015').length,
    /** Share of the records in force whose status a source confirmed in the last 18 months. */
    activeConfirmed18Months: share(active.filter((r) => lastDay(r.asOf) >= monthsBefore(today, 18)).length, active.length),
    researchedThrough: dataset.researchedThrough,
    byStartYear: Object.fromEntries(
      [...dataset.restrictions.reduce((m, r) => m.set(r.start.slice(0, 4), (m.get(r.start.slice(0, 4)) ?? 0) + 1), new Map<string, number>())].sort(),
    ),
  };
}
