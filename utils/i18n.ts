/**
 * Strings come from public/_locales (the browser's own i18n files), but the language is ours to choose:
 * a user may read Urdu in an English browser. The languages are declared once, in ./languages; every
 * declared language's catalogue is bundled with pages and the notice (the detector content script carries none).
 */
import en from '../public/_locales/en/messages.json';
import { LANGUAGES, SOURCE_LANG, tagOf, type Lang } from './languages';

export { LANGUAGES, LANG_CODES, dirOf, isLang, languageOf, matchLanguage, resolveLang, browserLanguages, tagOf, type Lang, type Language } from './languages';

export type Catalogue = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
export type MessageKey = keyof typeof en;

const FILES = import.meta.glob<Catalogue>('../public/_locales/*/messages.json', { eager: true, import: 'default' });
/** The catalogue file of a language code, by the same path the browser uses. */
export const cataloguePath = (lang: string) => `../public/_locales/${lang}/messages.json`;
const CATALOGUES = Object.fromEntries(LANGUAGES.map((l) => [l.code, FILES[cataloguePath(l.code)] ?? {}])) as Record<Lang, Catalogue>;

export function catalogueOf(lang: Lang): Catalogue {
  return CATALOGUES[lang] ?? (en as Catalogue);
}

export type T = (key: MessageKey, ...subs: (string | number)[]) => string;

/** Substitutes named placeholders ($PLATFORM$ → its "$1") and then positional ones, as chrome.i18n does. */
export function makeT(lang: Lang): T {
  const cat = catalogueOf(lang);
  return (key, ...subs) => {
    const entry = cat[key] ?? (en as Catalogue)[key];
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
export function intlSupports(tag: string, kind: 'DisplayNames' | 'DateTimeFormat'): boolean {
  const id = `${kind}:${tag}`;
  let ok = supported.get(id);
  if (ok === undefined) {
    try {
      ok = Intl[kind].supportedLocalesOf([tag]).length > 0;
    } catch {
      ok = false;
    }
    supported.set(id, ok);
  }
  return ok;
}

/** The tag to give Intl for a language: its own, or English when this engine lacks it. */
export function intlTag(lang: Lang | string, kind: 'DisplayNames' | 'DateTimeFormat' = 'DateTimeFormat'): string {
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
