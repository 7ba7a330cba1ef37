/**
 * Whether the detector content script should be registered, and how: a pure decision. The detector runs
 * only while the user's regions have something to watch, so a user in a region with nothing restricted
 * pays nothing on any page (issue 12). The effect lives in register-detector.ts.
 */

export const DETECTOR_ID = 'banlens-detector';
import { signatureFile } from './signatures';

/** The unlisted script WXT builds from entrypoints/detector/index.ts. */
export const DETECTOR_JS = 'detector.js';

/** The fields of `scripting.RegisteredContentScript` we set, in both browsers. */
export interface DetectorRegistration {
  id: string;
  js: string[];
  matches: string[];
  allFrames: boolean;
  /** about:blank, srcdoc, data: and blob: frames of a matching page (replaces the manifest's match_about_blank). */
  matchOriginAsFallback: boolean;
  runAt: 'document_idle';
  /** Survives a browser restart (Chrome 102+, Firefox 105+), as a manifest script would. */
  persistAcrossSessions: boolean;
}

export interface WatchInput {
  /** Platforms with a restriction to watch in the user's regions (in force, or lifted when history is shown). */
  watched: Iterable<string>;
  /** Platforms observed failing in this browser (the observed basis, when that feature lands). */
  failing?: Iterable<string>;
  /**
   * The dataset is the bundled one, so every platform has a baked signature file in the build: those of
   * the watched platforms run first and the detector needs no storage read. An imported dataset may
   * differ, so its signatures come from storage.local.
   */
  baked?: boolean;
}

function nonEmpty(xs: Iterable<string> | undefined): boolean {
  for (const _ of xs ?? []) return true;
  return false;
}

export function detectorRegistration(input: WatchInput): DetectorRegistration | null {
  if (!nonEmpty(input.watched) && !nonEmpty(input.failing)) return null;
  const platforms = [...new Set([...input.watched, ...(input.failing ?? [])])].sort();
  return {
    id: DETECTOR_ID,
    js: input.baked ? [...platforms.map(signatureFile), DETECTOR_JS] : [DETECTOR_JS],
    matches: ['<all_urls>'],
    allFrames: true,
    matchOriginAsFallback: true,
    runAt: 'document_idle',
    persistAcrossSessions: true,
  };
}

/** A registered script as either browser reports it back (paths may come back with a leading slash). */
export interface RegisteredScript {
  id: string;
  js?: string[];
  matches?: string[];
  allFrames?: boolean;
  matchOriginAsFallback?: boolean;
  runAt?: string;
  persistAcrossSessions?: boolean;
}

export type RegistrationStep = 'keep' | 'register' | 'unregister' | 'replace';

const path = (p: string) => p.replace(/^\//, '');

function same(a: RegisteredScript, b: DetectorRegistration): boolean {
  return (
    (a.js ?? []).map(path).join() === b.js.map(path).join() &&
    (a.matches ?? []).join() === b.matches.join() &&
    (a.allFrames ?? false) === b.allFrames &&
    (a.matchOriginAsFallback ?? false) === b.matchOriginAsFallback &&
    (a.runAt ?? 'document_idle') === b.runAt &&
    (a.persistAcrossSessions ?? true) === b.persistAcrossSessions
  );
}

/** What to do, given what is registered now (only our id counts) and what is wanted. */
export function registrationStep(registered: readonly RegisteredScript[], wanted: DetectorRegistration | null): RegistrationStep {
  const current = registered.find((r) => r.id === DETECTOR_ID);
  if (!current) return wanted ? 'register' : 'keep';
  if (!wanted) return 'unregister';
  return same(current, wanted) ? 'keep' : 'replace';
}
