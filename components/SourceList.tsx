import type { Source } from '@/utils/dataset/schema';
import { formatDate, type Lang, type T } from '@/utils/i18n';

export function SourceList({ sources, t, lang }: { sources: Source[]; t: T; lang: Lang }) {
  return (
    <ul class="bl-sources" aria-label={t('sources')}>
      {sources.map((s) => (
        <li key={s.url}>
          <a href={s.url} target="_blank" rel="noopener noreferrer">
            {s.title ?? new URL(s.url).hostname}
          </a>{' '}
          <span class="bl-muted">
            — {s.publisher}
            {s.published ? `, ${formatDate(s.published, lang)}` : ''}
          </span>
        </li>
      ))}
    </ul>
  );
}
