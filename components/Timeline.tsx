import type { ExplainedRestriction } from '@/utils/explain';
import type { T } from '@/utils/i18n';

export function Timeline({ events, t }: { events: ExplainedRestriction['events']; t: T }) {
  if (events.length === 0) return null;
  return (
    <ol class="bl-timeline" aria-label={t('timeline')}>
      {events.map((e, i) => (
        <li key={i}>
          <bdi class="bl-date">{e.date}</bdi> · <span class="bl-kind">{e.kind}</span>
          {': '}
          <bdi lang={e.textLang}>{e.text}</bdi>
        </li>
      ))}
    </ol>
  );
}
