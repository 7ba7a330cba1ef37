/**
 * Strings come from public/_locales (the browser's own i18n files), but the language is ours to choose:
 * a user may read Urdu in an English browser. The languages are declared once, in ./languages; every
 * declared language's catalogue is bundled with pages (the detector content script carries none, the notice
 * gets its strings from the background, and the background fetches the one it needs: ./i18n-core).
 */
import en from '../public/_locales/en/messages.json';
import { LANGUAGES, type Lang } from './languages';
import { pluralKeyIn, tFrom, type Catalogue, type MessageKey, type T } from './i18n-core';

export * from './i18n-core';

const FILES = import.meta.glob<Catalogue>('../public/_locales/*/messages.json', { eager: true, import: 'default' });
/** The catalogue file of a language code, by the same path the browser uses. */
export const cataloguePath = (lang: string) => `../public/_locales/${lang}/messages.json`;
const CATALOGUES = Object.fromEntries(LANGUAGES.map((l) => [l.code, FILES[cataloguePath(l.code)] ?? {}])) as Record<Lang, Catalogue>;

export function catalogueOf(lang: Lang): Catalogue {
  return CATALOGUES[lang] ?? (en as Catalogue);
}

/** Substitutes named placeholders ($PLATFORM$ → its "$1") and then positional ones, as chrome.i18n does. */
export function makeT(lang: Lang): T {
  return tFrom(catalogueOf(lang), en as Catalogue);
}

/** `pluralKeyIn` with the bundled catalogue of the language. */
export function pluralKey(base: string, n: number, lang: Lang): MessageKey {
  return pluralKeyIn(catalogueOf(lang), base, n, lang);
}
