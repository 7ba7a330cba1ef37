/**
 * The one declaration of the languages BanLens speaks. Everything else derives from it: the Settings
 * picker and schema, the text direction, catalogue loading (public/_locales/<code>/messages.json),
 * Intl formatting, and the tests (a catalogue, a glossary in docs/i18n/<code>.md and store texts in
 * store/<code>/ must exist for every code here, and nothing else may exist).
 *
 * - code: the folder name under public/_locales, as Chrome and Firefox spell locales (pt_BR, zh_CN).
 * - name: the language's own name for itself, shown in the picker whatever the interface language is.
 * - dir: the direction of its script.
 * - tag: the BCP 47 tag given to Intl and to the HTML lang attribute. English is en-GB so that dates read
 *   "17 Feb 2024", the same in every English-speaking region.
 *
 * Pure (no browser API), so the background, pages, scripts and tests can all import it.
 */
export const LANGUAGES = [
  { code: 'en', name: 'English', dir: 'ltr', tag: 'en-GB' },
  { code: 'ar', name: 'العربية', dir: 'rtl', tag: 'ar' },
  { code: 'bn', name: 'বাংলা', dir: 'ltr', tag: 'bn' },
  { code: 'es', name: 'Español', dir: 'ltr', tag: 'es' },
  { code: 'fa', name: 'فارسی', dir: 'rtl', tag: 'fa' },
  { code: 'fr', name: 'Français', dir: 'ltr', tag: 'fr' },
  { code: 'my', name: 'မြန်မာ', dir: 'ltr', tag: 'my' },
  { code: 'pt_BR', name: 'Português (Brasil)', dir: 'ltr', tag: 'pt-BR' },
  { code: 'ru', name: 'Русский', dir: 'ltr', tag: 'ru' },
  { code: 'tr', name: 'Türkçe', dir: 'ltr', tag: 'tr' },
  { code: 'ur', name: 'اردو', dir: 'rtl', tag: 'ur' },
  { code: 'vi', name: 'Tiếng Việt', dir: 'ltr', tag: 'vi' },
  { code: 'zh_CN', name: '简体中文', dir: 'ltr', tag: 'zh-CN' },
] as const satisfies readonly { code: string; name: string; dir: 'ltr' | 'rtl'; tag: string }[];

export type Language = (typeof LANGUAGES)[number];
export type Lang = Language['code'];
export const LANG_CODES = LANGUAGES.map((l) => l.code) as unknown as readonly [Lang, ...Lang[]];
export const SOURCE_LANG: Lang = 'en';

const BY_CODE = new Map<string, Language>(LANGUAGES.map((l) => [l.code, l]));

export function isLang(code: string): code is Lang {
  return BY_CODE.has(code);
}

export function languageOf(lang: string): Language {
  return BY_CODE.get(lang) ?? LANGUAGES[0];
}

export function dirOf(lang: string): 'rtl' | 'ltr' {
  return BY_CODE.get(lang)?.dir ?? 'ltr';
}

/** The BCP 47 tag for Intl and the lang attribute (pt_BR → pt-BR); an unknown code is passed through as a tag. */
export function tagOf(lang: string): string {
  return BY_CODE.get(lang)?.tag ?? lang.replace(/_/g, '-');
}

/**
 * Other spellings that name one of our languages. Only where a reader of the one reads the other as their own:
 * Dari (prs) is Persian; every Portuguese and every Chinese reads the one variant we have (Traditional
 * Chinese readers get Simplified rather than English; they can pick English in Settings).
 */
const ALIASES: Record<string, Lang> = { prs: 'fa', pt: 'pt_BR', zh: 'zh_CN' };

/** The supported language nearest to one browser language tag (pt-PT → pt_BR, zh-Hans-CN → zh_CN, fa-IR → fa), or null. */
export function matchLanguage(tag: string | undefined | null): Lang | null {
  if (!tag) return null;
  const parts = tag.trim().replace(/_/g, '-').toLowerCase().split('-');
  const primary = parts[0] ?? '';
  // An exact code or tag first (pt-br, zh-cn), then the primary language subtag.
  for (const l of LANGUAGES) {
    if (l.code.toLowerCase().replace('_', '-') === parts.slice(0, 2).join('-') || l.tag.toLowerCase() === parts.slice(0, 2).join('-')) return l.code;
  }
  if (isLang(primary)) return primary;
  return ALIASES[primary] ?? null;
}

/**
 * The language to show: the user's choice, else the first of the browser's languages we support, else English.
 * `browserLanguages` is in preference order: navigator.languages (which the user orders in the browser's
 * settings, and which Debian's English-only Chromium still honours) and then the UI language.
 */
export function resolveLang(setting: 'auto' | Lang, browserLanguages: string | readonly (string | undefined)[] | undefined): Lang {
  if (setting !== 'auto') return setting;
  const tags = typeof browserLanguages === 'string' ? [browserLanguages] : (browserLanguages ?? []);
  for (const tag of tags) {
    const lang = matchLanguage(tag);
    if (lang) return lang;
  }
  return SOURCE_LANG;
}

/** What this browser says about its languages, preferred first. */
export function browserLanguages(uiLanguage?: string): string[] {
  const nav = typeof navigator !== 'undefined' ? navigator : undefined;
  return [...(nav?.languages ?? []), nav?.language, uiLanguage].filter((l): l is string => !!l);
}

/** Unicode isolates (FSI … PDI) around a value substituted into right-to-left text, so a Latin name, a date or a host keeps its own direction. */
export function isolate(value: string, lang: string): string {
  return dirOf(lang) === 'rtl' ? `\u2068${value}\u2069` : value;
}
