/**
 * Log downloads from an extension page: the whole log, or exactly the records the dashboard shows. The export generators (export.ts) yield a chunk per
 * ~1000 records and give the event loop a turn between chunks, so the page stays responsive; here
 * the chunks are folded into Blobs as they arrive, so the JS heap never holds the whole file.
 *
 *   logPagesAsStored() or recordsById(shown ids), a page at a time ─► counted ─► streamJsonl / streamCsv / streamOoniJsonl ─► collectBlob ─► <a download>
 */
import { getRecords, logPagesAsStored } from './db';
import { LOG_FORMATS, streamCsv, streamJsonl, streamOoniJsonl, type LogFormat, type RecordSource, type StreamOptions } from './export';
import type { LogRecord } from './record';

/** Records per IndexedDB read of an export: bigger pages make the walk over 100k records about twice as fast. */
const EXPORT_PAGE_RECORDS = 2000;

/** The formats a download offers: every format export.ts declares. */
export const EXPORT_FORMATS = LOG_FORMATS;
export type ExportFormat = LogFormat;

export const FORMAT_DETAILS: Record<ExportFormat, { suffix: string; type: string; stream: (records: RecordSource, options?: StreamOptions) => AsyncGenerator<string> }> = {
  jsonl: { suffix: '.jsonl', type: 'application/x-ndjson', stream: streamJsonl },
  csv: { suffix: '.csv', type: 'text/csv', stream: streamCsv },
  ooni: { suffix: '.ooni.jsonl', type: 'application/x-ndjson', stream: streamOoniJsonl },
};

export const FORMAT_LABELS: Record<ExportFormat, string> = { jsonl: 'JSONL', csv: 'CSV', ooni: 'OONI JSONL' };

/** What an export holds, for its file name: the UTC hours it spans and the filters that chose it. */
export interface ExportScope {
  fromHour: string | null;
  toHour: string | null;
  /** Filter values safe in a file name (region, platform, outcome, vantage), in that order. */
  filters?: string[];
}

/** `2026-11-22T16:00:00Z` → `20261122T16Z`: sortable, and no colon, which Windows refuses in a name. */
function compactHour(hour: string): string {
  return `${hour.slice(0, 4)}${hour.slice(5, 7)}${hour.slice(8, 10)}T${hour.slice(11, 13)}Z`;
}

/**
 * `banlens-reachability-PK-x-20261122T16Z-20261129T15Z.jsonl`: the filters, then the first and last UTC hour.
 * An empty log has no range and is named by the user's local calendar day instead.
 */
export function exportFileName(format: ExportFormat, scope: ExportScope, date: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const filters = (scope.filters ?? []).filter((f) => /^[A-Za-z0-9_-]{1,24}$/.test(f));
  const range = scope.fromHour && scope.toHour ? [compactHour(scope.fromHour), compactHour(scope.toHour)] : [`${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}`];
  return `${['banlens-reachability', ...filters, ...range].join('-')}${FORMAT_DETAILS[format].suffix}`;
}

/** The records with these ids, in this order, a page per read; a record pruned since is left out. */
export async function* recordsById(ids: readonly string[], batch = 1000): AsyncGenerator<LogRecord[]> {
  for (let i = 0; i < ids.length; i += batch) yield await getRecords(ids.slice(i, i + batch));
}

/**
 * Each chunk becomes its own Blob part at once: the browser may keep Blob data outside the JS heap,
 * and converting one ~1000-record chunk takes milliseconds, where batching many stalled a frame.
 */
export async function collectBlob(chunks: AsyncIterable<string>, type: string, onChunk?: () => void): Promise<Blob> {
  const parts: Blob[] = [];
  for await (const chunk of chunks) {
    parts.push(new Blob([chunk]));
    onChunk?.();
  }
  return new Blob(parts, { type });
}

async function* counted(items: RecordSource, onRecords: (n: number) => void): AsyncGenerator<LogRecord | readonly LogRecord[]> {
  for await (const item of items) {
    onRecords(Array.isArray(item) ? item.length : 1);
    yield item;
  }
}

export interface ExportProgress {
  records: number;
}

/** Builds the given records (the whole log by default) in the format. `onProgress` runs once per chunk (~1000 records). */
export async function exportLogBlob(format: ExportFormat, onProgress: (p: ExportProgress) => void, records: RecordSource = logPagesAsStored(EXPORT_PAGE_RECORDS)): Promise<{ blob: Blob; records: number }> {
  const { type, stream } = FORMAT_DETAILS[format];
  let read = 0;
  const blob = await collectBlob(
    stream(counted(records, (n) => (read += n))),
    type,
    () => onProgress({ records: read }),
  );
  return { blob, records: read };
}

/** Saves a Blob through a temporary link, as a user's click on a download link would. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Firefox reads the object URL after click() returns; revoking at once can cancel the download.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
