/**
 * Whole-log downloads from an extension page. The export generators (export.ts) yield a chunk per
 * ~1000 records and give the event loop a turn between chunks, so the page stays responsive; here
 * the chunks are folded into Blobs as they arrive, so the JS heap never holds the whole file.
 *
 *   iterateRecords() ─► counted ─► streamJsonl / streamCsv / streamOoniJsonl ─► collectBlob ─► <a download>
 */
import { iterateRecords } from './db';
import { streamCsv, streamJsonl, streamOoniJsonl, type StreamOptions } from './export';
import type { LogRecord } from './record';

export const EXPORT_FORMATS = ['jsonl', 'csv', 'ooni'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const FORMAT_DETAILS: Record<ExportFormat, { suffix: string; type: string; stream: (records: AsyncIterable<LogRecord>, options?: StreamOptions) => AsyncGenerator<string> }> = {
  jsonl: { suffix: '.jsonl', type: 'application/x-ndjson', stream: streamJsonl },
  csv: { suffix: '.csv', type: 'text/csv', stream: streamCsv },
  ooni: { suffix: '.ooni.jsonl', type: 'application/x-ndjson', stream: streamOoniJsonl },
};

/** `banlens-reachability-20261122.jsonl`, dated by the user's local calendar day. */
export function exportFileName(format: ExportFormat, date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}`;
  return `banlens-reachability-${day}${FORMAT_DETAILS[format].suffix}`;
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

async function* counted<T>(items: AsyncIterable<T>, onItem: () => void): AsyncGenerator<T> {
  for await (const item of items) {
    onItem();
    yield item;
  }
}

export interface ExportProgress {
  records: number;
}

/** Builds the whole log in the given format. `onProgress` runs once per chunk (~1000 records). */
export async function exportLogBlob(format: ExportFormat, onProgress: (p: ExportProgress) => void, records: AsyncIterable<LogRecord> = iterateRecords()): Promise<{ blob: Blob; records: number }> {
  const { type, stream } = FORMAT_DETAILS[format];
  let read = 0;
  const blob = await collectBlob(
    stream(counted(records, () => read++)),
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
