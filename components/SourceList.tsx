import type { ExplainedSource } from '@/utils/explain';
import type { T } from '@/utils/i18n';

/** Sources as explain.ts words them (dates already in the active language), so the notice bundle needs no date formatting of its own. */
export function SourceList({ sources, t }: { sources: ExplainedSource[]; t: T }) {
  return (
    <ul class="bl-sources" aria-label={t('sources')}>
      {sources.map((s) => (
        <li key={s.url}>
          <a href={s.url} target="_blank" rel="noopener noreferrer">
            {s.title ?? new URL(s.url).hostname}
          </a>{' '}
          <span class="bl-muted">
            — {s.publisher}
            {s.published ? `, ${s.published}` : ''}
          </span>
        </li>
      ))}
    </ul>
  );
}
