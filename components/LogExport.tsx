/**
 * Whole-log exports. A 100k-record export takes seconds; the generators yield between chunks, so the
 * page keeps painting the progress bar and the buttons stay disabled until the file is saved.
 */
import { useState } from 'preact/hooks';
import { tagOf, type Lang, type T } from '@/utils/i18n';
import { countRecords } from '@/utils/log/db';
import { exportFileName, exportLogBlob, saveBlob, type ExportFormat } from '@/utils/log/download';

export const SCHEMA_URL = '/schema/reachability-record.schema.json';

type ExportState =
  | { phase: 'idle' }
  | { phase: 'running'; format: ExportFormat; done: number; total: number }
  | { phase: 'done'; fileName: string; records: number }
  | { phase: 'failed'; message: string };

const BUTTON_LABEL = { jsonl: 'dashExportJsonl', csv: 'dashExportCsv', ooni: 'dashExportOoni' } as const;

export function LogExport({ onBusy, lang, t }: { onBusy: (busy: boolean) => void; lang: Lang; t: T }) {
  const [state, setState] = useState<ExportState>({ phase: 'idle' });
  const number = new Intl.NumberFormat(tagOf(lang));
  const running = state.phase === 'running';

  const run = async (format: ExportFormat) => {
    onBusy(true);
    setState({ phase: 'running', format, done: 0, total: 0 });
    try {
      const total = await countRecords();
      const { blob, records } = await exportLogBlob(format, ({ records: done }) => setState({ phase: 'running', format, done, total }));
      const fileName = exportFileName(format, new Date());
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
        {(Object.keys(BUTTON_LABEL) as ExportFormat[]).map((format) => (
          <button key={format} type="button" disabled={running} data-export={format} onClick={() => void run(format)}>
            {t(BUTTON_LABEL[format])}
          </button>
        ))}
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
      <p class="muted">{t('dashExportNote')}</p>
    </div>
  );
}
