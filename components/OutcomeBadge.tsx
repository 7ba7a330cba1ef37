import type { T } from '@/utils/i18n';

/** One outcome with its count, worded for people (the outcome vocabulary underneath, ARCHITECTURE.md "Vocabularies"). */
export function OutcomeBadge({ outcome, count, t }: { outcome: string; count?: number; t: T }) {
  return (
    <span class={`outcome outcome-${outcome}`} data-outcome={outcome}>
      {t(`outcome_${outcome}` as 'outcome_ok')}
      {count !== undefined ? ` ×${count}` : ''}{' '}
    </span>
  );
}
