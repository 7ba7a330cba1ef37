import browser from 'webextension-polyfill';
import type { BlockedState } from '@/utils/protocol';
import { isolate, makeT, type T } from '@/utils/i18n';
import { Brand } from './Brand';
import { StatusChip } from './RecordRow';
import { RestrictionDetails } from './RestrictionDetails';

/** "BanLens: Bluesky appears to be blocked in Pakistan": says who speaks, what, and where, before anything technical. */
export function blockedLead(state: BlockedState, t: T): string {
  const { failure, explained, lang } = state;
  const name = isolate(explained?.name ?? failure.platform, lang);
  const inForce = explained?.restrictions.filter((r) => r.active) ?? [];
  const first = inForce[0];
  if (!first) return t('blockedLeadNoRecord', name);
  const region = isolate(first.regionName, lang);
  return inForce.every((r) => r.kind === 'block') ? t('blockedLeadBlocked', name, region) : t('blockedLeadRestricted', name, region);
}

const SLOT = '\u0001';
/** A message with the code in its place, the code in its own direction and font. */
function withCode(message: string, code: string) {
  const [before = '', after = ''] = message.split(SLOT);
  return (
    <>
      {before}
      <bdi>
        <code>{code}</code>
      </bdi>
      {after}
    </>
  );
}

/**
 * Shown instead of the browser's error page when a restricted platform fails to load in a censorship-like way.
 * The address the user tried stays on this page: it is shown, never stored or logged.
 */
export function BlockedPage({ state }: { state: BlockedState | null }) {
  const t = makeT(state?.lang ?? 'en');
  if (!state) return <p>{t('blockedNothing')}</p>;
  const { failure, explained, lang, observed } = state;
  const learnMore = browser.runtime.getURL(`/browse.html#platform=${failure.platform}`);
  return (
    <div class="stack blocked" data-basis={failure.basis ?? 'recorded'}>
      <Brand />
      <h1>{observed ? observed.heading : blockedLead(state, t)}</h1>
      {observed ? <p class="bl-observed">{observed.body}</p> : null}
      <p class="blocked-address">
        <span class="muted">{t('blockedAddress')}</span>{' '}
        <bdi class="code" data-testid="blocked-url">
          {failure.url}
        </bdi>
      </p>
      <p class="row">
        <button type="button" class="primary" onClick={() => location.replace(failure.url)}>
          {t('retry')}
        </button>
        <button type="button" onClick={() => void browser.runtime.openOptionsPage()}>
          {t('openOptions')}
        </button>
        <a href={learnMore} target="_blank" rel="noopener">
          {t('learnMore')}
        </a>
      </p>
      <p class="muted">{t('blockedCaution')}</p>
      {explained?.restrictions.map((r) => (
        <section key={r.id} class="card active" aria-labelledby={`h-${r.id}`}>
          <h2 id={`h-${r.id}`}>
            <StatusChip r={r} /> {r.headline}
          </h2>
          <RestrictionDetails r={r} t={t} lang={lang} timeline />
        </section>
      ))}
      <details class="technical">
        <summary>{t('blockedTechnical')}</summary>
        <p>{t('blockedWhatFailed', isolate(failure.host, lang), t(`outcome_${failure.outcome}` as 'outcome_ok'))}</p>
        {failure.error ? (
          <p>
            {withCode(t('blockedErrorCode', SLOT), failure.error)}
          </p>
        ) : null}
      </details>
    </div>
  );
}
