/**
 * Tells the user what the log could not keep (utils/log/loss.ts): observations the browser refused to
 * store and old records deleted to make room. Shown until the user's OK; a new loss shows it again.
 */
import { useEffect, useState } from 'preact/hooks';
import { tagOf, type Lang, type T } from '@/utils/i18n';
import type { LogLoss } from '@/utils/log/loss';
import { clearLogLoss, readLogLoss, watchLogLoss } from '@/utils/storage';
import { formatHour } from './LogTable';

export function LogLossNotice({ lang, t }: { lang: Lang; t: T }) {
  const [loss, setLoss] = useState<LogLoss | null>(null);
  useEffect(() => {
    void readLogLoss().then(setLoss);
    return watchLogLoss(setLoss);
  }, []);
  if (!loss) return null;
  const number = new Intl.NumberFormat(tagOf(lang));
  // In UTC and the Gregorian calendar, as the table below shows the records' hours.
  const since = `${formatHour(new Date(loss.since).toISOString(), lang)} UTC`;
  return (
    <p role="alert" class="card error" data-log-loss={loss.quota ? 'quota' : 'error'}>
      {loss.quota ? t('dashLogLossQuota', since, number.format(loss.lostObservations), number.format(loss.prunedRecords)) : t('dashLogLossError', since, number.format(loss.lostObservations))}{' '}
      <button type="button" onClick={() => void clearLogLoss()}>
        {t('dashLogLossOk')}
      </button>
    </p>
  );
}
