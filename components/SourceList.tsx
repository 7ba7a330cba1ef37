import type { ExplainedSource } from '@/utils/explain';
import { dirOf, type Lang } from '@/utils/languages';
import type { T } from '@/utils/i18n';

/**
 * Sources as explain.ts words them (dates already in the active language), so the notice bundle needs no
 * date formatting of its own. Titles and publishers are in the source's own language and direction, so each is isolated.
 */
export function SourceList({ sources, t, lang }: { sources: ExplainedSource[]; t: T; lang: Lang }) {
  return (
    <ul class="bl-sources" aria-label={t('sources')}>
      {sources.map((s) => (
        <li key={s.url}>
          <a href={s.url} target="_blank" rel="noopener noreferrer" dir="auto">
            {s.title ?? new URL(s.url).hostname}
          </a>{' '}
          <span class="bl-muted">
            — <bdi>{s.publisher}</bdi>
            {s.published ? (
              <>
                {dirOf(lang) === 'rtl' ? '، ' : ', '}
                <bdi>{s.published}</bdi>
              </>
            ) : null}
          </span>
        </li>
      ))}
    </ul>
  );
}
