/**
 * Unit tests run on WXT's fake browser, where nothing is packaged: a fetch of an extension URL
 * (`runtime.getURL`) is answered here from what the build would package, so the background and pages read
 * their files the way they do in a browser. The bundled dataset is the one scripts/build/dataset-core.ts
 * packages; `_locales/` is public/_locales. Every other fetch goes through unchanged.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DATASET_FILE, datasetFileContents } from '../../scripts/build/dataset-core';

const PUBLIC = join(import.meta.dirname, '../../public');
const realFetch = globalThis.fetch;

async function packaged(path: string): Promise<string | null> {
  if (path === DATASET_FILE) return datasetFileContents();
  if (path.startsWith('_locales/') && !path.includes('..')) return readFile(join(PUBLIC, path), 'utf8').catch(() => null);
  return null;
}

globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const m = /^(chrome|moz)-extension:\/\/[^/]+\/(.*)$/.exec(url);
  if (!m) return realFetch(input, init);
  const body = await packaged(m[2]!);
  return body === null ? new Response('not found', { status: 404 }) : new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
};
