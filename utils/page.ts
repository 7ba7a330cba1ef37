/** Shared start-up for extension pages: language, direction and the translator. */
import browser from 'webextension-polyfill';
import { getSettings } from './settings';
import { browserLanguages, dirOf, makeT, resolveLang, tagOf, type Lang, type T } from './i18n';

export async function pageLanguage(): Promise<{ lang: Lang; t: T }> {
  const settings = await getSettings();
  const lang = resolveLang(settings.language, browserLanguages(browser.i18n.getUILanguage()));
  applyLanguage(lang);
  return { lang, t: makeT(lang) };
}

export function applyLanguage(lang: string): void {
  document.documentElement.lang = tagOf(lang);
  document.documentElement.dir = dirOf(lang);
}
