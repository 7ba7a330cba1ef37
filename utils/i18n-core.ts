/**
 * Everything about languages except the catalogues themselves: the parts the background uses too. The background
 * carries no catalogue; it fetches the active language's file from the package when it builds its decision
 * context (utils/background/catalogues.ts), while pages and tests use the bundled ones (./i18n).
 */
import type en from '../public/_locales/en/messages.json';
import { SOURCE_LANG, tagOf, type Lang } from './languages';

export { LANGUAGES, LANG_CODES, dirOf, isolate, isLang, languageOf, matchLanguage, resolveLang, browserLanguages, tagOf, type Lang, type Language } from './languages';

export type Catalogue = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
export type MessageKey = keyof typeof en;

export type T = (key: MessageKey, ...subs: (string | number)[]) => string;

/** Substitutes named placeholders ($PLATFORM$ → its "$1") and then positional ones, as chrome.i18n does; a key missing from the catalogue comes from `fallback` (English). */
export function tFrom(cat: Catalogue, fallback: Catalogue): T {
  return (key, ...subs) => {
    const entry = cat[key] ?? fallback[key];
    if (!entry) return key;
    let msg = entry.message.replace(/\$([A-Za-z0-9_]+)\$/g, (whole, name: string) => entry.placeholders?.[name.toLowerCase()]?.content ?? whole);
    msg = msg.replace(/\$(\d)/g, (_, n: string) => String(subs[Number(n) - 1] ?? ''));
    return msg.replace(/\$\$/g, '$');
  };
}

const supported = new Map<string, boolean>();
/**
 * Whether this engine's Intl has data for a tag. An Intl without it would silently answer in its default
 * language (or throw), so callers fall back explicitly instead.
 */
export type IntlKind = 'DisplayNames' | 'DateTimeFormat' | 'RelativeTimeFormat' | 'PluralRules';
export function intlSupports(tag: string, kind: IntlKind): boolean {
  const id = `${kind}:${tag}`;
  let ok = supported.get(id);
  if (ok === undefined) {
    try {
      ok = (Intl[kind] as { supportedLocalesOf(l: string[]): string[] }).supportedLocalesOf([tag]).length > 0;
    } catch {
      ok = false;
    }
    supported.set(id, ok);
  }
  return ok;
}

/** The tag to give Intl for a language: its own, or English when this engine lacks it. */
export function intlTag(lang: Lang | string, kind: IntlKind = 'DateTimeFormat'): string {
  const tag = tagOf(lang);
  return intlSupports(tag, kind) ? tag : tagOf(SOURCE_LANG);
}

const regionNames = new Map<string, Intl.DisplayNames | null>();
/** A region's name in the language (Intl.DisplayNames), falling back to English and then to the code itself. */
export function regionName(code: string, lang: Lang): string {
  const tag = intlTag(lang, 'DisplayNames');
  let names = regionNames.get(tag);
  if (names === undefined) {
    try {
      names = new Intl.DisplayNames([tag], { type: 'region', fallback: 'code' });
    } catch {
      names = null;
    }
    regionNames.set(tag, names);
  }
  try {
    return names?.of(code.slice(0, 2)) ?? code;
  } catch {
    return code;
  }
}

/**
 * Formats a partial date at its own precision: 2024 · Feb 2024 · 17 Feb 2024, with month names from Intl in
 * the language. Always in the Gregorian calendar: the dataset's dates are Gregorian, and a year or a month
 * does not convert to one year or month of another calendar. An engine without the language's data gets
 * English month names; one without Intl at all gets the ISO date.
 */
export function formatDate(partial: string, lang: Lang): string {
  const [y, m, d] = partial.split('-').map(Number) as [number, number?, number?];
  const date = new Date(Date.UTC(y, (m ?? 1) - 1, d ?? 1));
  const opts: Intl.DateTimeFormatOptions = { timeZone: 'UTC', calendar: 'gregory', year: 'numeric', ...(m ? { month: 'short' } : {}), ...(d ? { day: 'numeric' } : {}) };
  try {
    return new Intl.DateTimeFormat(intlTag(lang), opts).format(date);
  } catch {
    return partial;
  }
}

/** Whole months from one partial date to a day (2024-11-23 → 2026-12-01 is 24). */
export function monthsBetween(from: string, to: string): number {
  const [fy, fm = 1, fd = 1] = from.split('-').map(Number) as [number, number?, number?];
  const [ty, tm = 1, td = 1] = to.split('-').map(Number) as [number, number?, number?];
  return (ty - fy) * 12 + (tm - fm) - (td < fd ? 1 : 0);
}

/**
 * How long ago a date was, in the language, at the coarsest honest unit: "2 years ago", "5 months ago",
 * "3 days ago", "today" (Intl.RelativeTimeFormat, so plural forms are the language's own). Years are whole
 * years: 23 months is "1 year ago", never "2 years ago", and 24 months is never "over a year ago".
 */
export function relativeAge(from: string, today: string, lang: Lang): string {
  const months = monthsBetween(from, today);
  let value: number;
  let unit: Intl.RelativeTimeFormatUnit;
  if (months >= 12) [value, unit] = [Math.floor(months / 12), 'year'];
  else if (months >= 1) [value, unit] = [months, 'month'];
  else {
    const day = (d: string) => Date.parse(`${d.length === 4 ? `${d}-01-01` : d.length === 7 ? `${d}-01` : d}T00:00:00Z`);
    [value, unit] = [Math.max(0, Math.round((day(today) - day(from)) / 86_400_000)), 'day'];
  }
  try {
    // "1 year ago", not "last year", which would read as the previous calendar year.
    return new Intl.RelativeTimeFormat(intlTag(lang, 'RelativeTimeFormat'), { numeric: unit === 'day' ? 'auto' : 'always' }).format(-value, unit);
  } catch {
    return `${value} ${unit}`;
  }
}

/** The plural category of a count in the language (Intl.PluralRules): picks between keys like `…_one` and `…_other`. */
export function pluralOf(n: number, lang: Lang): Intl.LDMLPluralRule {
  try {
    return new Intl.PluralRules(intlTag(lang, 'PluralRules')).select(n);
  } catch {
    return n === 1 ? 'one' : 'other';
  }
}

/**
 * The key for a count among `<base>_one` / `<base>_other`, by the plural rules of the language the message
 * will actually be read in: a language still without its translation falls back to English, and must get
 * English's "1 platform", not its own "other" form of the English text.
 */
export function pluralKeyIn(cat: Catalogue, base: string, n: number, lang: Lang): MessageKey {
  const pick = (l: Lang) => `${base}_${pluralOf(n, l) === 'one' ? 'one' : 'other'}`;
  const own = pick(lang);
  return (own in cat ? own : pick(SOURCE_LANG)) as MessageKey;
}
