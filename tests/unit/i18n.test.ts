import { describe, expect, it } from 'vitest';
import en from '../../public/_locales/en/messages.json';
import ur from '../../public/_locales/ur/messages.json';
import { dirOf, formatDate, makeT, resolveLang } from '@/utils/i18n';

type Catalogue = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
const EN = en as Catalogue;
const UR = ur as Catalogue;
/** Strings that are the same in every language. */
const SAME_EVERYWHERE = new Set(['extName', 'regionHow_user']);

describe('the Urdu catalogue is complete', () => {
  it('has exactly the English keys', () => {
    expect(Object.keys(UR).sort()).toEqual(Object.keys(EN).sort());
  });
  it.each(Object.keys(EN).filter((k) => !SAME_EVERYWHERE.has(k)))('%s is translated, with the same placeholders', (key) => {
    expect(UR[key]!.message).toMatch(/[\u0600-\u06FF]/);
    expect(Object.keys(UR[key]!.placeholders ?? {}).sort()).toEqual(Object.keys(EN[key]!.placeholders ?? {}).sort());
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
    expect(dirOf('ur')).toBe('rtl');
    expect(dirOf('en')).toBe('ltr');
  });
  it('formats dates only as precisely as they are known', () => {
    expect(formatDate('2024-02-17', 'en')).toBe('17 Feb 2024');
    expect(formatDate('2024-02', 'en')).toBe('Feb 2024');
    expect(formatDate('2009', 'en')).toBe('2009');
  });
});
