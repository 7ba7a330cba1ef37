import type { ExplainedRestriction } from '@/utils/explain';
import type { Lang, T } from '@/utils/i18n';
import { SourceList } from './SourceList';
import { Timeline } from './Timeline';

/** The full context of one restriction, as every surface shows it: who, when, why, what happened last, sources. */
export function RestrictionDetails({ r, t, timeline = false }: { r: ExplainedRestriction; t: T; lang: Lang; timeline?: boolean }) {
  return (
    <div class="bl-details">
      <p class="bl-summary">{r.summary}</p>
      <dl class="bl-facts">
        <dt>{t('authority')}</dt>
        <dd>{r.authority}</dd>
        <dt>{t('dates')}</dt>
        <dd>{r.end ? t('datesLifted', r.start, r.end) : t('datesActive', r.start)}</dd>
        <dt>{t('statedReason')}</dt>
        <dd>{r.reason}</dd>
        {r.latest && !timeline ? (
          <>
            <dt>{t('latestEvent')}</dt>
            <dd>
              <span class="bl-date">{r.latest.date}</span> <span class="bl-kind">{r.latest.kind}</span>: {r.latest.text}
            </dd>
          </>
        ) : null}
      </dl>
      {timeline ? <Timeline events={r.events} t={t} /> : null}
      {r.caveats ? <p class="bl-caveat">{r.caveats}</p> : null}
      {r.stale ? (
        <p class="bl-stale" role="status">
          {t('staleWarning', r.asOf)}
        </p>
      ) : null}
      <p class="bl-asof">
        {t('asOf', r.asOf)}
        {r.confidence === 'reported' ? ` · ${t('confidenceReported')}` : ''}
      </p>
      <SourceList sources={r.sources} t={t} />
    </div>
  );
}
