/**
 * What the observed basis says, in words (README "data-basis"). Pure: the background words the notice, the popup's
 * status line and the explanation page with these, so each says plainly what was seen and what was not, and none
 * claims a block the sources do not show.
 */
import type { DatasetCore } from '../dataset/core';
import { restrictionsFor } from '../dataset/query';
import { formatDate, regionName, type Lang, type MessageKey, type T } from '../i18n-core';
import type { Outcome } from '../reach/outcome';

export type Basis = 'recorded' | 'observed';

interface Words {
  dataset: DatasetCore;
  regions: readonly string[];
  lang: Lang;
  t: T;
}

const KIND_KEYS = { block: 'kindBlock', throttle: 'kindThrottle', partial: 'kindPartial', 'app-store': 'kindAppStore' } as const satisfies Record<string, MessageKey>;

export const outcomeWords = (t: T, outcome: Outcome | null): string => t(`outcome_${outcome ?? 'other'}` as MessageKey);

/** The user's regions by name, as a list. */
export const regionWords = (w: Pick<Words, 'regions' | 'lang'>): string => w.regions.map((r) => regionName(r, w.lang)).join(', ');

/** "Last recorded: blocked 17 Feb 2024 – 7 May 2025.", or null when nothing at all is recorded for the platform here. */
export function lastRecorded(w: Words, platform: string): string | null {
  const last = [...restrictionsFor(w.dataset, platform, w.regions)].sort((a, b) => (a.start < b.start ? 1 : -1))[0];
  if (!last) return null;
  return w.t('observedLastRecorded', w.t(KIND_KEYS[last.kind]), formatDate(last.start, w.lang), last.end ? formatDate(last.end, w.lang) : '…');
}

/** The observed notice: "X did not load here: connection reset, the way blocking looks. No restriction in force is recorded for Pakistan. Last recorded: …" */
export function observedNoticeText(w: Words, platform: { id: string; name: string }, outcome: Outcome | null): string {
  return [w.t('observedFailing', platform.name, outcomeWords(w.t, outcome)), w.t('observedNoneRecorded', regionWords(w)), lastRecorded(w, platform.id)].filter(Boolean).join(' ');
}

/** The popup's one status line for a platform on the tab, combining both bases. */
export function statusLine(t: T, recorded: boolean, observed: { status: string; outcome: Outcome | null } | undefined): { key: 'recorded-failing' | 'recorded-loading' | 'recorded' | 'observed-failing' | 'history'; text: string } {
  const failing = observed?.status === 'failing';
  if (recorded && failing) return { key: 'recorded-failing', text: t('statusRecordedFailing', outcomeWords(t, observed.outcome)) };
  if (recorded && observed?.status === 'loading') return { key: 'recorded-loading', text: t('statusRecordedLoading') };
  if (recorded) return { key: 'recorded', text: t('statusRecorded') };
  if (failing) return { key: 'observed-failing', text: t('statusObservedFailing', outcomeWords(t, observed.outcome)) };
  return { key: 'history', text: t('statusHistory') };
}
