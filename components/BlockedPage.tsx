import type { BlockedState } from '@/utils/protocol';
import { makeT } from '@/utils/i18n';
import { RestrictionDetails } from './RestrictionDetails';

/** Shown instead of the browser's error page when a restricted platform fails to load in a censorship-like way. */
export function BlockedPage({ state }: { state: BlockedState | null }) {
  const t = makeT(state?.lang ?? 'en');
  if (!state) return <p>{t('blockedNothing')}</p>;
  const { failure, explained } = state;
  const name = explained?.name ?? failure.platform;
  return (
    <div>
      <h1>{t('blockedTitle', name)}</h1>
      <p>
        {t('blockedWhatFailed', failure.host, t(`outcome_${failure.outcome}` as 'outcome_ok'))}
        {failure.error ? (
          <>
            {' '}
            <code class="muted">{failure.error}</code>
          </>
        ) : null}
      </p>
      <p class="muted">{t('blockedCaution')}</p>
      {explained?.restrictions.map((r) => (
        <section key={r.id} class="card active" aria-label={r.headline}>
          <h2>{r.headline}</h2>
          <RestrictionDetails r={r} t={t} lang={state.lang} timeline />
        </section>
      ))}
      <p class="row">
        <button type="button" onClick={() => location.replace(failure.url)}>
          {t('retry')}
        </button>
      </p>
    </div>
  );
}
