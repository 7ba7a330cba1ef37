import { useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import type { ExplainedRestriction } from '@/utils/explain';
import type { Lang, T } from '@/utils/i18n';
import { RestrictionDetails } from './RestrictionDetails';

/** A record's status at a glance: in force, "last confirmed …" when not reconfirmed in 12 months, or lifted. */
export function StatusChip({ r }: { r: Pick<ExplainedRestriction, 'chip'> }) {
  return <span class={`chip chip-${r.chip.status === 'active' ? 'block' : r.chip.status}`}>{r.chip.text}</span>;
}

/**
 * One record as one compact row: chip, headline and age; the details render only once opened, so a country
 * with fifty records is fifty rows, not a 9,500 px page.
 */
/** What a row says about a record's age: the chip already gives the date when it is "last confirmed …". */
export function rowAge(r: Pick<ExplainedRestriction, 'chip' | 'age' | 'ageRelative'>): string {
  return r.chip.status === 'stale' ? r.ageRelative : r.age;
}

/**
 * `label` is plain text beside the headline (a region or platform name); `links` open inside the row,
 * since nothing interactive may sit in a summary.
 */
export function RecordRow({ r, t, lang, timeline = false, label, links }: { r: ExplainedRestriction; t: T; lang: Lang; timeline?: boolean; label?: string; links?: ComponentChildren }) {
  const [open, setOpen] = useState(false);
  return (
    <details class={`record${r.active ? ' active' : ''}`} data-restriction={r.id} id={r.id} onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>
        <StatusChip r={r} />
        <span class="record-headline">{r.headline}</span>
        {label ? <bdi class="record-label">{label}</bdi> : null}
        <span class="record-meta">{rowAge(r)}</span>
      </summary>
      {open ? (
        <div class="record-body">
          {links ? <p class="small">{links}</p> : null}
          <RestrictionDetails r={r} t={t} lang={lang} timeline={timeline} />
        </div>
      ) : null}
    </details>
  );
}
