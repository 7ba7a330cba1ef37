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
export function RecordRow({ r, t, lang, timeline = false, extra }: { r: ExplainedRestriction; t: T; lang: Lang; timeline?: boolean; extra?: ComponentChildren }) {
  const [open, setOpen] = useState(false);
  return (
    <details class={`record${r.active ? ' active' : ''}`} data-restriction={r.id} id={r.id} onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>
        <StatusChip r={r} />
        <span class="record-headline">{r.headline}</span>
        {extra}
        <span class="record-meta">{r.age}</span>
      </summary>
      {open ? (
        <div class="record-body">
          <RestrictionDetails r={r} t={t} lang={lang} timeline={timeline} />
        </div>
      ) : null}
    </details>
  );
}
