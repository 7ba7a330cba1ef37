import type { BlockedState } from '@/utils/protocol';
import { makeT } from '@/utils/i18n';
import { RestrictionDetails } from './RestrictionDetails';

/** Shown instead of the browser's error page when a restricted platform fails to load in a censorship-like way. */
export function BlockedPage({ state }: { state: BlockedState | null }) {
  const t = makeT(state?.lang ?? 'en');
  if (!state) return <p>{t('blockedNothing')}</p>;
  const { failure, explained, observed } = state;
  const name = explained?.name ?? failure.platform;
  return (
    <div data-basis={failure.basis ?? 'recorded'}>
      <h1>{observed ? observed.heading : t('blockedTitle', name)}</h1>
      {observed ? <p class="bl-observed">{observed.body}</p> : null}
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
        <section key={r.id} class={r.active ? 'card active' : 'card'} aria-label={r.headline}>
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
