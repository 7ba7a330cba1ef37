import { describe, expect, it } from 'vitest';
import { inferRegion, isCountryCode } from '@/utils/region';

describe('inferRegion', () => {
  it.each([
    ['Asia/Karachi', ['en-US'], 'PK', 'timezone'],
    ['Asia/Shanghai', ['en-US'], 'CN', 'timezone'],
    ['Asia/Calcutta', ['en-US'], 'IN', 'timezone'],
    ['Asia/Kolkata', ['hi-IN'], 'IN', 'timezone'],
    ['Europe/Istanbul', ['tr-TR'], 'TR', 'timezone'],
    ['Europe/Moscow', ['ru'], 'RU', 'timezone'],
    ['Asia/Tehran', ['fa-IR'], 'IR', 'timezone'],
    ['America/Sao_Paulo', ['pt-BR'], 'BR', 'timezone'],
    ['Africa/Lagos', ['en-US'], 'NG', 'timezone'],
    ['Africa/Lagos', ['fr-NE'], 'NE', 'timezone_locale'],
    ['Asia/Muscat', ['en-US'], 'OM', 'timezone'],
  ])('%s with %j → %s', (tz, locales, region, source) => {
    expect(inferRegion(tz, locales)).toEqual({ regions: [region], source, timeZone: tz });
  });

  it('the locale breaks a tie between countries sharing a zone', () => {
    expect(inferRegion('Europe/Zurich', ['de-LI']).regions).toEqual(['LI']);
    expect(inferRegion('Europe/Zurich', ['de-DE']).source).toBe('timezone_locale');
    expect(inferRegion('Europe/Zurich', ['en-US']).regions).toEqual(['CH']);
  });

  it('a locale region never overrides an unambiguous time zone', () => {
    expect(inferRegion('Asia/Karachi', ['en-GB']).regions).toEqual(['PK']);
  });

  it('falls back to the locale when the zone names no country', () => {
    expect(inferRegion('UTC', ['ur-PK'])).toEqual({ regions: ['PK'], source: 'locale', timeZone: 'UTC' });
    expect(inferRegion('Etc/GMT+5', ['zh-CN']).regions).toEqual(['CN']);
  });

  it('says so when nothing is known', () => {
    expect(inferRegion(undefined, [])).toEqual({ regions: [], source: 'none', timeZone: null });
    expect(inferRegion('Not/AZone', ['xx']).source).toBe('none');
  });

  it('knows real ISO codes', () => {
    expect(isCountryCode('PK')).toBe(true);
    expect(isCountryCode('XK')).toBe(false);
    expect(isCountryCode('ZZ')).toBe(false);
  });
});
