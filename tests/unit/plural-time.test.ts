/** Counts and ages said right: plural forms from Intl, ages in whole units, and an untranslated count read in English. */
import { describe, expect, it } from 'vitest';
import { makeT, pluralKey, relativeAge } from '@/utils/i18n';
import { latestOf } from '@/utils/explain';

describe('relativeAge', () => {
  it.each([
    ['2024-11-23', '2026-12-01', '2 years ago'],
    ['2025-05-07', '2026-12-01', '1 year ago'],
    ['2024-12-15', '2026-12-01', '1 year ago'],
    ['2026-07-01', '2026-12-01', '5 months ago'],
    ['2026-11-28', '2026-12-01', '3 days ago'],
    ['2026-12-01', '2026-12-01', 'today'],
  ])('%s on %s is "%s"', (from, today, want) => {
    expect(relativeAge(from, today, 'en')).toBe(want);
  });
});

describe('plural keys', () => {
  it('say "1 platform … is" and "2 platforms … are" in English', () => {
    const t = makeT('en');
    expect(t(pluralKey('popupSummaryBlocked', 1, 'en'), '1', 'Pakistan')).toBe('1 platform on this page is blocked in Pakistan today');
    expect(t(pluralKey('popupSummaryBlocked', 2, 'en'), '2', 'Pakistan')).toBe('2 platforms on this page are blocked in Pakistan today');
  });
  it('use Urdu forms in Urdu', () => {
    expect(pluralKey('popupSummaryBlocked', 1, 'ur')).toBe('popupSummaryBlocked_one');
    expect(pluralKey('popupSummaryBlocked', 3, 'ur')).toBe('popupSummaryBlocked_other');
  });
});

describe('latestOf', () => {
  it('takes the last listed of several events on the latest day (ordered, then lifted the same afternoon)', () => {
    const events = [{ date: '2021-04-16', kind: 'ordered' }, { date: '2021-04-16', kind: 'lifted' }, { date: '2021-04-15', kind: 'reported' }];
    expect(latestOf(events)?.kind).toBe('lifted');
  });
});
