/**
 * Exports: exactly the records the filters show, or the whole log, in the chosen format. A 100k-record
 * export takes seconds; the generators yield between chunks, so the page keeps painting the progress bar
 * and the buttons stay disabled until the file is saved.
 *
 * "The records shown" are the ids of the dashboard's current view, read back by id, so the file holds what
 * the page counted, not a second query that could disagree with it.
 */
import { useState } from 'preact/hooks';
import { tagOf, type Lang, type T } from '@/utils/i18n';
import { countRecords } from '@/utils/log/db';
import { EXPORT_FORMATS, exportFileName, exportLogBlob, FORMAT_LABELS, recordsById, saveBlob, type ExportFormat, type ExportScope } from '@/utils/log/download';

export const SCHEMA_URL = '/schema/reachability-record.schema.json';

type ExportState =
  | { phase: 'idle' }
  | { phase: 'running'; done: number; total: number }
  | { phase: 'done'; fileName: string; records: number }
  | { phase: 'failed'; message: string };

/** The records the dashboard shows: how many, their ids (asked for only on export), and the file name's scope. */
export interface ShownRecords {
  count: number;
  ids: () => string[];
  scope: ExportScope;
}

export function LogExport(props: { shown: ShownRecords | null; everything: ExportScope; onBusy: (busy: boolean) => void; lang: Lang; t: T }) {
  const { shown, everything, onBusy, lang, t } = props;
  const [state, setState] = useState<ExportState>({ phase: 'idle' });
  const [format, setFormat] = useState<ExportFormat>('jsonl');
  const number = new Intl.NumberFormat(tagOf(lang));
  const running = state.phase === 'running';

  const run = async (which: 'shown' | 'all') => {
    onBusy(true);
    setState({ phase: 'running', done: 0, total: 0 });
    try {
      const ids = which === 'shown' && shown ? shown.ids() : null;
      const total = ids ? ids.length : await countRecords();
      const { blob, records } = await exportLogBlob(format, ({ records: done }) => setState({ phase: 'running', done, total }), ids ? recordsById(ids) : undefined);
      const fileName = exportFileName(format, ids ? shown!.scope : everything);
      saveBlob(blob, fileName);
      setState({ phase: 'done', fileName, records });
    } catch (error) {
      setState({ phase: 'failed', message: error instanceof Error ? error.message : String(error) });
    } finally {
      onBusy(false);
    }
  };

  return (
    <div>
      <div class="row">
        <label>
          {t('dashExportFormat')}{' '}
          <select value={format} disabled={running} onChange={(e) => setFormat((e.currentTarget as HTMLSelectElement).value as ExportFormat)}>
            {EXPORT_FORMATS.map((f) => (
              <option key={f} value={f}>
                {FORMAT_LABELS[f]}
              </option>
            ))}
          </select>
        </label>
        {shown ? (
          <button type="button" disabled={running || shown.count === 0} data-export="shown" onClick={() => void run('shown')}>
            {t('dashExportShown', number.format(shown.count))}
          </button>
        ) : null}
        <button type="button" disabled={running} data-export="all" onClick={() => void run('all')}>
          {t('dashExportAll')}
        </button>
        <a href={SCHEMA_URL} download="banlens-reachability-record.schema.json">
          {t('dashDownloadSchema')}
        </a>
      </div>
      {state.phase === 'running' ? (
        <p class="row">
          <progress max={Math.max(1, state.total)} value={state.done} aria-label={t('dashExportProgressLabel')} />
          <span>{t('dashExportProgress', number.format(state.done), number.format(state.total))}</span>
        </p>
      ) : null}
      <p role="status" class={state.phase === 'failed' ? 'error' : 'muted'}>
        {state.phase === 'done' ? t('dashExportDone', number.format(state.records), state.fileName) : state.phase === 'failed' ? t('dashExportFailed', state.message) : ''}
      </p>
      <p class="muted">{t('dashExportScopeNote')}</p>
    </div>
  );
}
