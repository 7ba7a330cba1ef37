/**
 * Strings come from public/_locales (the browser's own i18n files), but the language is ours to choose:
 * a user may read Urdu in an English browser. Both catalogues are small, so pages and the notice bundle
 * carry them; the detector content script carries none.
 */
import en from '../public/_locales/en/messages.json';
import ur from '../public/_locales/ur/messages.json';

type Catalogue = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
export type MessageKey = keyof typeof en;
export type Lang = 'en' | 'ur';
export const LANGS: readonly Lang[] = ['en', 'ur'];
const CATALOGUES: Record<Lang, Catalogue> = { en, ur };
export const RTL_LANGS: ReadonlySet<string> = new Set(['ur', 'ar', 'fa', 'he', 'ps']);

export function resolveLang(setting: 'auto' | Lang, uiLanguage: string | undefined): Lang {
  if (setting !== 'auto') return setting;
  return uiLanguage?.toLowerCase().startsWith('ur') ? 'ur' : 'en';
}

export function dirOf(lang: string): 'rtl' | 'ltr' {
  return RTL_LANGS.has(lang) ? 'rtl' : 'ltr';
}

export type T = (key: MessageKey, ...subs: (string | number)[]) => string;

/** Substitutes named placeholders ($PLATFORM$ → its "$1") and then positional ones, as chrome.i18n does. */
export function makeT(lang: Lang): T {
  const cat = CATALOGUES[lang];
  return (key, ...subs) => {
    const entry = cat[key] ?? (en as Catalogue)[key];
    if (!entry) return key;
    let msg = entry.message.replace(/\$([A-Za-z0-9_]+)\$/g, (whole, name: string) => entry.placeholders?.[name.toLowerCase()]?.content ?? whole);
    msg = msg.replace(/\$(\d)/g, (_, n: string) => String(subs[Number(n) - 1] ?? ''));
    return msg.replace(/\$\$/g, '$');
  };
}

export function regionName(code: string, lang: Lang): string {
  try {
    return new Intl.DisplayNames([lang], { type: 'region' }).of(code.slice(0, 2)) ?? code;
  } catch {
    return code;
  }
}

/** Formats a partial date at its own precision: 2024 · Feb 2024 · 17 Feb 2024. */
export function formatDate(partial: string, lang: Lang): string {
  const [y, m, d] = partial.split('-').map(Number) as [number, number?, number?];
  const date = new Date(Date.UTC(y, (m ?? 1) - 1, d ?? 1));
  const opts: Intl.DateTimeFormatOptions = { timeZone: 'UTC', year: 'numeric', ...(m ? { month: 'short' } : {}), ...(d ? { day: 'numeric' } : {}) };
  try {
    // en-GB gives "17 Feb 2024", which reads the same in every English-speaking region.
    return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : lang, opts).format(date);
  } catch {
    return partial;
  }
}
