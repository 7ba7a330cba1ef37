/**
 * The strings an in-page notice shows, and nothing more (ARCHITECTURE.md "Notice bundle"). The background
 * resolves them in the active language and sends them with the notice's context, so the injected bundle
 * carries no catalogue. tests/unit/notice-strings.test.ts fails when a notice component uses a key that
 * is not listed here.
 */
import type { MessageKey, T } from '../i18n';

export const NOTICE_KEYS = [
  // components/NoticeCard.tsx
  'bannerHeadline',
  'noticeLabel',
  'hideDetails',
  'why',
  'dismissForPage',
  'muteSite',
  'reportBlocked',
  'reportSaved',
  // components/RestrictionDetails.tsx, SourceList.tsx, Timeline.tsx
  'authority',
  'dates',
  'datesActive',
  'datesLifted',
  'statedReason',
  'latestEvent',
  'staleMayBeOutdated',
  'asOf',
  'confidenceReported',
  'sources',
  'timeline',
] as const satisfies readonly MessageKey[];

export type NoticeKey = (typeof NOTICE_KEYS)[number];
/** Each message with its positional placeholders ($1 …) left in place for the notice to fill. */
export type NoticeStrings = Partial<Record<NoticeKey, string>>;

const POSITIONAL = ['$1', '$2', '$3', '$4', '$5', '$6', '$7', '$8', '$9'];

/** In the background: the notice's strings in the language `t` speaks, placeholders kept. */
export function noticeStrings(t: T): NoticeStrings {
  const out: NoticeStrings = {};
  for (const key of NOTICE_KEYS) out[key] = t(key, ...POSITIONAL);
  return out;
}

/** In the notice: a translator over the strings it was sent. A key it was not sent shows as the key. */
export function translatorFrom(strings: Readonly<Partial<Record<string, string>>>): T {
  return (key, ...subs) => {
    const msg = strings[key];
    if (typeof msg !== 'string') return key;
    return msg.replace(/\$(\d)/g, (_, n: string) => {
      const sub = subs[Number(n) - 1];
      return sub === undefined ? '' : String(sub);
    });
  };
}
