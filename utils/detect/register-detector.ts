/**
 * The one effect of region gating: keeps the detector's signatures in storage.local and its dynamic
 * registration in step with the background's decision context. Called when the worker starts and when
 * settings or the dataset change. Runs are queued, so two quick changes cannot register the id twice.
 *
 *   something to watch:  write signatures → register (a page that starts in between finds them; with the
 *                        bundled dataset the registration also lists the watched platforms' baked files)
 *   nothing to watch:    unregister → remove signatures (a page that starts in between does nothing)
 */
import browser from 'webextension-polyfill';
import type { SignaturePack } from './signatures';
import { DETECTOR_ID, detectorRegistration, registrationStep, type DetectorRegistration, type RegisteredScript, type WatchInput } from './registration';
import { writeSignatures, type SignatureArea } from './signature-store';

interface ScriptingApi {
  getRegisteredContentScripts(filter?: { ids?: string[] }): Promise<RegisteredScript[]>;
  registerContentScripts(scripts: DetectorRegistration[]): Promise<unknown>;
  unregisterContentScripts(filter?: { ids?: string[] }): Promise<unknown>;
}

let queue: Promise<void> = Promise.resolve();

/** Never rejects: a failure is logged, and the next settings or dataset change (or worker start) retries. */
export interface DetectorInput extends Omit<WatchInput, 'baked'> {
  pack: SignaturePack | null;
  /** Baked signature files exist only for the bundled dataset's platforms. */
  datasetSource: 'bundled' | 'imported' | 'updated';
}

export function syncDetector(input: DetectorInput): Promise<void> {
  queue = queue.then(() => apply(input)).catch((e: unknown) => console.warn('BanLens: detector registration failed', e));
  return queue;
}

async function apply(input: DetectorInput): Promise<void> {
  // The polyfill's types predate matchOriginAsFallback; the calls themselves pass through unchanged.
  const scripting = browser.scripting as unknown as ScriptingApi;
  const area = browser.storage.local as unknown as SignatureArea;
  const wanted = input.pack ? detectorRegistration({ ...input, baked: input.datasetSource === 'bundled' }) : null;
  const registered = await scripting.getRegisteredContentScripts({ ids: [DETECTOR_ID] });
  const step = registrationStep(registered, wanted);
  if (wanted) await writeSignatures(area, input.pack);
  if (step === 'unregister' || step === 'replace') await scripting.unregisterContentScripts({ ids: [DETECTOR_ID] });
  if (wanted && (step === 'register' || step === 'replace')) await scripting.registerContentScripts([wanted]);
  if (!wanted) await writeSignatures(area, null);
}
