import type { Source } from '@/utils/dataset/schema';
import { dirOf, formatDate, type Lang, type T } from '@/utils/i18n';

/** Titles and publishers are in the source's own language and direction, so each is isolated. */
export function SourceList({ sources, t, lang }: { sources: Source[]; t: T; lang: Lang }) {
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
                <bdi>{formatDate(s.published, lang)}</bdi>
              </>
            ) : null}
          </span>
        </li>
      ))}
    </ul>
  );
}
