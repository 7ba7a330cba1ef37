import type { MessageKey, T } from '@/utils/i18n';

/** The three-line privacy summary the first-run page and the dashboard both show. */
export function PrivacySummary({ t, id, heading }: { t: T; id: string; heading: MessageKey }) {
  return (
    <section class="card" aria-labelledby={id}>
      <h2 id={id}>{t(heading)}</h2>
      <ul>
        <li>{t('dashPrivacyStored')}</li>
        <li>{t('dashPrivacyNever')}</li>
        <li>{t('dashPrivacyLocal')}</li>
      </ul>
    </section>
  );
}
