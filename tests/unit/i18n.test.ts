/**
 * The catalogue test, over every declared language: every English key is present, with the same
 * placeholders, and nothing is left in English by accident.
 */
import { describe, expect, it } from 'vitest';
import en from '../../public/_locales/en/messages.json';
import { LANGUAGES, catalogueOf, dirOf, formatDate, intlTag, makeT, matchLanguage, regionName, resolveLang, tagOf, type Catalogue, type Lang } from '@/utils/i18n';

const EN = en as Catalogue;
const KEYS = Object.keys(EN);
const TRANSLATED = LANGUAGES.filter((l) => l.code !== 'en').map((l) => l.code);

/** Strings that are the same in every language: the product name, and a line that is empty in English. */
const SAME_EVERYWHERE = new Set(['extName', 'regionHow_user']);
/**
 * Strings a language rightly writes as English does, each with its reason. A string equal to the English
 * one and not listed here is an error; so is a listed one that no longer equals English.
 */
const SAME_AS_ENGLISH: Partial<Record<Lang, Record<string, string>>> = {
  fr: {
    dates: 'French "Dates" is the English word',
    sources: 'French "Sources" is the English word',
    dashPages: 'French "Pages" is the English word',
    dashColObservations: 'French "Observations" is the English word',
    dashColTotal: 'French "Total" is the English word',
    dashMsBucket: 'only the SI symbol ms',
    dashMsUnder: 'only the SI symbol ms',
  },
  es: { dashColTotal: 'Spanish "Total"', dashMsBucket: 'only the SI symbol ms', dashMsUnder: 'only the SI symbol ms' },
  tr: {
    dashColPlatform: 'Turkish "Platform" is the English word',
    dashMsBucket: 'only the SI symbol ms, used in Turkish too',
    dashMsUnder: 'only the SI symbol ms, used in Turkish too',
  },
  pt_BR: { dashColTotal: 'Portuguese "Total"', dashMsBucket: 'only the SI symbol ms', dashMsUnder: 'only the SI symbol ms' },
};

/** The script a language's strings are written in: every translated string must contain some of it. */
const SCRIPT: Partial<Record<Lang, RegExp>> = {
  ar: /[\u0600-\u06FF]/,
  fa: /[\u0600-\u06FF]/,
  ur: /[\u0600-\u06FF]/,
  bn: /[\u0980-\u09FF]/,
  my: /[\u1000-\u109F]/,
  ru: /[\u0400-\u04FF]/,
  zh_CN: /[\u4E00-\u9FFF]/,
};

/** A placeholders block as a comparable string, whatever order its entries were written in. */
const canon = (p: Catalogue[string]['placeholders']) => JSON.stringify(Object.entries(p ?? {}).sort(([a], [b]) => a.localeCompare(b)));
const tokens = (message: string) => (message.match(/\$[A-Za-z0-9_]+\$/g) ?? []).map((t) => t.toUpperCase()).sort();

describe.each(TRANSLATED)('the %s catalogue', (lang) => {
  const cat = catalogueOf(lang);
  const same = SAME_AS_ENGLISH[lang] ?? {};
  it('has exactly the English keys, and no translator notes', () => {
    expect(Object.keys(cat).sort()).toEqual([...KEYS].sort());
    expect(Object.entries(cat).filter(([, v]) => 'description' in v).map(([k]) => k)).toEqual([]);
  });
  it('keeps every placeholder, in the message and in the placeholders block', () => {
    const wrong = KEYS.filter((k) => cat[k] && (JSON.stringify(tokens(cat[k]!.message)) !== JSON.stringify(tokens(EN[k]!.message)) || canon(cat[k]!.placeholders) !== canon(EN[k]!.placeholders)));
    expect(wrong).toEqual([]);
  });
  it('leaves nothing in English by accident', () => {
    const untranslated = KEYS.filter((k) => !SAME_EVERYWHERE.has(k) && !(k in same) && cat[k]?.message === EN[k]!.message);
    expect(untranslated).toEqual([]);
    const stale = Object.keys(same).filter((k) => cat[k]?.message !== EN[k]?.message);
    expect(stale).toEqual([]);
  });
  // Only languages with a script of their own have this test (Latin-script languages are covered by the untranslated check).
  const script = SCRIPT[lang];
  if (script) {
    it('writes every string in its own script', () => {
      const latinOnly = KEYS.filter((k) => !SAME_EVERYWHERE.has(k) && cat[k] && !script.test(cat[k]!.message));
      expect(latinOnly).toEqual([]);
    });
  }
  it('keeps the product name BanLens in Latin script wherever English has it', () => {
    expect(KEYS.filter((k) => EN[k]!.message.includes('BanLens') && !cat[k]?.message.includes('BanLens'))).toEqual([]);
  });
});

describe('translation helpers', () => {
  it('substitutes named and positional placeholders', () => {
    expect(makeT('en')('headlineActive', 'X', 'blocked', 'Pakistan', '17 Feb 2024')).toBe('X is blocked in Pakistan since 17 Feb 2024');
    expect(makeT('ur')('headlineActive', 'X', 'بند', 'پاکستان', '17 فروری 2024')).toBe('X پاکستان میں 17 فروری 2024 سے بند ہے');
  });
  it('chooses the language from the setting, then the browser', () => {
    expect(resolveLang('auto', 'ur-PK')).toBe('ur');
    expect(resolveLang('auto', 'en-US')).toBe('en');
    expect(resolveLang('ur', 'en-US')).toBe('ur');
    expect(resolveLang('fa', ['ru-RU'])).toBe('fa');
    expect(resolveLang('auto', undefined)).toBe('en');
    expect(resolveLang('auto', [])).toBe('en');
    // The first of the browser's languages that BanLens speaks wins; unknown ones are skipped.
    expect(resolveLang('auto', ['de-DE', 'fa-IR', 'en-US'])).toBe('fa');
    expect(resolveLang('auto', ['en-US', 'fa'])).toBe('en');
    expect(resolveLang('auto', ['uk-UA', 'de'])).toBe('en');
  });
  it.each([
    ['pt-BR', 'pt_BR'],
    ['pt', 'pt_BR'],
    ['pt-PT', 'pt_BR'],
    ['pt_BR', 'pt_BR'],
    ['zh-CN', 'zh_CN'],
    ['zh-Hans', 'zh_CN'],
    ['zh-Hans-CN', 'zh_CN'],
    ['zh', 'zh_CN'],
    ['zh-TW', 'zh_CN'],
    ['zh_CN', 'zh_CN'],
    ['fa-IR', 'fa'],
    ['fa-AF', 'fa'],
    ['prs', 'fa'],
    ['ar-EG', 'ar'],
    ['ar', 'ar'],
    ['bn-BD', 'bn'],
    ['bn-IN', 'bn'],
    ['es-419', 'es'],
    ['es-MX', 'es'],
    ['fr-CA', 'fr'],
    ['my-MM', 'my'],
    ['ru-RU', 'ru'],
    ['TR-tr', 'tr'],
    ['vi-VN', 'vi'],
    ['ur-IN', 'ur'],
    ['en-GB', 'en'],
    ['en-US', 'en'],
  ] as const)('maps the browser language %s to %s', (tag, lang) => {
    expect(matchLanguage(tag)).toBe(lang);
  });
  it('maps a language it does not speak to nothing', () => {
    for (const tag of ['de', 'uk-UA', 'ja-JP', 'ps-AF', 'he', '', 'x']) expect(matchLanguage(tag)).toBeNull();
  });
  it('derives direction and Intl tags from the declaration', () => {
    expect(LANGUAGES.filter((l) => dirOf(l.code) === 'rtl').map((l) => l.code).sort()).toEqual(['ar', 'fa', 'ur']);
    expect(dirOf('en')).toBe('ltr');
    expect(tagOf('pt_BR')).toBe('pt-BR');
    expect(tagOf('zh_CN')).toBe('zh-CN');
    for (const l of LANGUAGES) expect(Intl.getCanonicalLocales(l.tag)).toEqual([l.tag]);
  });
  it('formats dates only as precisely as they are known', () => {
    expect(formatDate('2024-02-17', 'en')).toBe('17 Feb 2024');
    expect(formatDate('2024-02', 'en')).toBe('Feb 2024');
    expect(formatDate('2009', 'en')).toBe('2009');
  });
  it('takes month names from Intl in the language, always in the Gregorian calendar', () => {
    expect(formatDate('2024-02-17', 'fr')).toBe(new Intl.DateTimeFormat('fr', { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' }).format(Date.UTC(2024, 1, 17)));
    expect(formatDate('2024-02-17', 'zh_CN')).toBe('2024年2月17日');
    expect(formatDate('2024-02', 'ru')).toMatch(/февр/);
    // Persian would default to the Solar Hijri calendar; the dataset's months and years are Gregorian.
    expect(formatDate('2024-02', 'fa')).toMatch(/۲۰۲۴/);
    expect(formatDate('2024-02-17', 'pt_BR')).toMatch(/fev/);
  });
  it('takes region names from Intl in the language', () => {
    expect(regionName('PK', 'en')).toBe('Pakistan');
    expect(regionName('PK', 'fr')).toBe('Pakistan');
    expect(regionName('IR', 'fa')).toBe('ایران');
    expect(regionName('CN', 'zh_CN')).toBe('中国');
    expect(regionName('RU', 'ru')).toBe('Россия');
    expect(regionName('IN-JK', 'en')).toBe('India');
  });
  it('falls back to English where Intl lacks the language', () => {
    // A tag no engine has data for stands in for an Intl built without one of ours.
    expect(intlTag('xx-Unknown')).toBe('en-GB');
    expect(intlTag('fa')).toBe('fa');
  });
});
