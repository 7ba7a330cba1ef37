import type { ExplainedRestriction } from '@/utils/explain';
import type { T } from '@/utils/i18n';
import { isolate, type Lang } from '@/utils/languages';
import { SourceList } from './SourceList';
import { Timeline } from './Timeline';

/**
 * The full context of one restriction, as every surface shows it: who, when, why, what happened last, sources.
 * Text the dataset has only in English keeps its own lang and direction inside a right-to-left page.
 */
export function RestrictionDetails({ r, t, lang, timeline = false }: { r: ExplainedRestriction; t: T; lang: Lang; timeline?: boolean }) {
  const own = { lang: r.textLang, dir: 'auto' as const };
  return (
    <div class="bl-details">
      <p class="bl-summary" {...own}>
        {r.summary}
      </p>
      <dl class="bl-facts">
        <dt>{t('authority')}</dt>
        <dd {...own}>{r.authority}</dd>
        <dt>{t('dates')}</dt>
        <dd>{r.end ? t('datesLifted', isolate(r.start, lang), isolate(r.end, lang)) : t('datesActive', isolate(r.start, lang))}</dd>
        <dt>{t('statedReason')}</dt>
        <dd {...own}>{r.reason}</dd>
        {r.latest && !timeline ? (
          <>
            <dt>{t('latestEvent')}</dt>
            <dd>
              <bdi class="bl-date">{r.latest.date}</bdi> · <span class="bl-kind">{r.latest.kind}</span>
              {': '}
              <bdi lang={r.latest.textLang}>{r.latest.text}</bdi>
            </dd>
          </>
        ) : null}
      </dl>
      {timeline ? <Timeline events={r.events} t={t} /> : null}
      {r.caveats ? (
        <p class="bl-caveat" {...own}>
          {r.caveats}
        </p>
      ) : null}
      <p class="bl-asof">
        {r.age}
        {r.confidence === 'reported' ? ` · ${t('confidenceReported')}` : ''}
      </p>
      {r.stale ? (
        <p class="bl-stale" role="status" dir="auto">
          {t('staleMayBeOutdated')}
        </p>
      ) : null}
      <SourceList sources={r.sources} t={t} lang={lang} />
    </div>
  );
}
