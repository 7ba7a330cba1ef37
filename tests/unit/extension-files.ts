/**
 * Unit tests run on WXT's fake browser, where nothing is packaged: a fetch of an extension URL
 * (`runtime.getURL`) is answered here from what the build would package, so the background and pages read
 * their files the way they do in a browser. The bundled dataset and its core are what scripts/build/dataset-core.ts
 * packages; `_locales/` is public/_locales, the time zone table utils/region/timezones.json. Every other fetch goes through unchanged.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ZONES_PATH } from '../../utils/region';
import { DATASET_CORE_FILE, DATASET_FILE, datasetCoreFileContents, datasetFileContents } from '../../scripts/build/dataset-core';

const PUBLIC = join(import.meta.dirname, '../../public');
const realFetch = globalThis.fetch;

async function packaged(path: string): Promise<string | null> {
  if (path === DATASET_FILE) return datasetFileContents();
  if (path === DATASET_CORE_FILE) return datasetCoreFileContents();
  if (path.startsWith('_locales/') && !path.includes('..')) return readFile(join(PUBLIC, path), 'utf8').catch(() => null);
  if (path === ZONES_PATH.slice(1)) return readFile(join(import.meta.dirname, '../../utils/region/timezones.json'), 'utf8');
  return null;
}

globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const m = /^(chrome|moz)-extension:\/\/[^/]+\/(.*)$/.exec(url);
  if (!m) return realFetch(input, init);
  const body = await packaged(m[2]!);
  return body === null ? new Response('not found', { status: 404 }) : new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
};
