/**
 * The detector's life in one frame. The background registers this script only while the user's regions
 * have something to watch (register-detector.ts), so on most of the web it never runs at all.
 *
 *   take the signatures the registration ran before this script (signatures/<platform>.js), or with an
 *     imported dataset read them from storage.local; either way no message, so no service worker wakes up,
 *     and with baked files no extension API is touched at all until something is found
 *   scan (detector.ts); say nothing until something is found
 *   first finding in this document: announce the document ({type:'signatures'}; its answer is unused),
 *     so the background forgets notice UI injected into the frame's previous document, then report
 *   a top frame that is itself a watched platform's site announces at once (the background shows the banner)
 *
 * Extension APIs are the browser's own (`browser` in Firefox, `chrome` in Chrome), never the polyfill.
 */
import { startDetector, type Detector, type FoundSummary } from './detector';
import { platformOfHost } from './scan';
import { readSignatures } from './signature-store';
import { BAKED_SIGNATURES, mergePacks, type SignaturePack } from './signatures';

/** Set in the content script's own world (pages cannot see it): the detector runs once per document. */
export const DETECTOR_MARK = '__banlensDetector';

interface ExtensionApi {
  runtime: { id?: string; sendMessage(msg: unknown): Promise<unknown> };
  storage: { local: { get(key: string): Promise<Record<string, unknown>> } };
}

function extensionApi(): ExtensionApi | null {
  const g = globalThis as unknown as { browser?: ExtensionApi; chrome?: ExtensionApi };
  return g.browser?.runtime?.id ? g.browser : g.chrome?.runtime?.id ? g.chrome : null;
}

export async function runDetector(doc: Document = document): Promise<Detector | null> {
  const g = globalThis as unknown as Record<string, unknown>;
  if (g[DETECTOR_MARK]) return null;
  Object.defineProperty(g, DETECTOR_MARK, { value: true, configurable: true });
  const baked = g[BAKED_SIGNATURES] as Pick<SignaturePack, 'markup' | 'hosts'>[] | undefined;
  let api: ExtensionApi | null = null;
  let pack: SignaturePack | null = null;
  if (Array.isArray(baked) && baked.length) pack = mergePacks(baked);
  else {
    api = extensionApi();
    pack = api ? await readSignatures(api.storage.local).catch(() => null) : null;
  }
  if (!pack) return null;
  const signatures = pack;
  const message = (msg: unknown) => {
    api ??= extensionApi();
    return api ? api.runtime.sendMessage(msg) : Promise.reject(new Error('no extension API'));
  };

  let announced: Promise<unknown> | undefined;
  const announce = () => (announced ??= message({ type: 'signatures' }).catch(() => null));
  if (window === window.top && platformOfHost(signatures.hosts, location.hostname)) void announce();

  let reports: Promise<unknown> = Promise.resolve();
  let detector: Detector | undefined ;
  detector = startDetector(doc, signatures, {
    report: (found: FoundSummary) => {
      api ??= extensionApi();
      // An extension that was reloaded or removed leaves this script orphaned: stop quietly.
      if (!api?.runtime?.id) return detector?.stop();
      reports = reports.then(announce).then(() => message({ type: 'found', found })).catch(() => {});
    },
  });
  return detector;
}
