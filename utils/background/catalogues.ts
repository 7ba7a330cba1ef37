/**
 * The background's words: the active language's catalogue, fetched from the package when the decision context is
 * built, never bundled (issue 12: twelve catalogues were a third of background.js). English, the fallback for a
 * key not yet translated, is fetched beside it. A catalogue that fails to load falls back to English, and English
 * to the message keys themselves, so a decision never waits on words.
 */
import browser from 'webextension-polyfill';
import { tFrom, type Catalogue, type Lang, type T } from '../i18n-core';
import { SOURCE_LANG } from '../languages';

const loaded = new Map<Lang, Promise<Catalogue>>();

function catalogue(lang: Lang): Promise<Catalogue> {
  let p = loaded.get(lang);
  if (!p) {
    p = fetch(browser.runtime.getURL(`/_locales/${lang}/messages.json`))
      .then((res) => (res.ok ? (res.json() as Promise<Catalogue>) : Promise.reject(new Error(`HTTP ${res.status}`))))
      .catch(() => {
        // Not kept: the next context build tries again.
        loaded.delete(lang);
        return {};
      });
    loaded.set(lang, p);
  }
  return p;
}

/** The words of a language, as `makeT` gives them to pages. */
export async function wordsFor(lang: Lang): Promise<T> {
  const [own, en] = await Promise.all([catalogue(lang), lang === SOURCE_LANG ? undefined : catalogue(SOURCE_LANG)]);
  return tFrom(own, en ?? own);
}
