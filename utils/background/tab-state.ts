/**
 * What the background knows about one tab, and the one pure reducer that changes it
 * (ARCHITECTURE.md "Background features"). Features never write a TabState: they dispatch a TabEvent
 * to the tab store (tab-store.ts), which applies reduceTab, persists the result and tells the features
 * that listen. reduceTab returns the very same object when an event changes nothing.
 */
import { z } from 'zod';
import { EMBED_KINDS, type EmbedKind } from '@/utils/detect/kinds';
import { OUTCOMES, type Outcome } from '../reach/outcome';

export { EMBED_KINDS, type EmbedKind };
export type Evidence = 'page' | EmbedKind | `request:${string}`;

const Evidence = z.union([z.enum(['page', ...EMBED_KINDS]), z.templateLiteral(['request:', z.string()])]);
const FrameId = z.number().int().min(0);

/** Also the check on what storage.session gives back after a worker restart. */
export const TabState = z.object({
  /** Host of the top-level page: used for per-site muting, never logged. */
  site: z.string().nullable(),
  /** Platform id when the top-level page is itself a platform. */
  page: z.string().nullable(),
  platforms: z.record(z.string(), z.object({ evidence: z.array(Evidence), frames: z.array(FrameId) })),
  /** Frames that have the notice UI injected (or being injected). */
  noticeFrames: z.array(FrameId),
  /** When the detector in the top frame last announced a new document (ms since the epoch). */
  docAt: z.number().optional(),
  /** This tab's reachability results by platform host: shown in the popup, separate from the anonymised log. */
  reach: z.record(
    z.string(),
    z.object({ platform: z.string(), outcomes: z.partialRecord(z.enum(OUTCOMES), z.number().int().min(0)), lastError: z.string().nullable() }),
  ),
});
export type TabState = z.infer<typeof TabState>;

export type TabEvent =
  /** A main-frame request began: a new page, unless the new document already announced itself (`at` is its time). */
  | { type: 'navigated'; site: string | null; platform: string | null; at: number }
  /** A request to a platform host began in this tab. */
  | { type: 'request'; platform: string; resourceType: string }
  /** A frame's detector started on a new document; `platform` is set when the top page is a watched platform. */
  | { type: 'document'; frameId: number; site: string | null; platform: string | null; at: number }
  /** A frame's detector found embeds of watched platforms. */
  | { type: 'found'; frameId: number; found: Readonly<Record<string, readonly EmbedKind[]>> }
  /** A request to a platform host ended with this outcome. */
  | { type: 'reach'; host: string; platform: string; outcome: Outcome; error: string | null }
  /** The notice UI is being injected into a frame. */
  | { type: 'notice-injecting'; frameId: number }
  /** Injecting the notice UI into a frame failed for good. */
  | { type: 'notice-failed'; frameId: number };

export function emptyTabState(site: string | null = null): TabState {
  return { site, page: null, platforms: {}, noticeFrames: [], reach: {} };
}

/** Platform ids found in a frame. */
export function framePlatforms(s: TabState, frameId: number): string[] {
  return Object.entries(s.platforms)
    .filter(([, p]) => p.frames.includes(frameId))
    .map(([id]) => id);
}

function withEvidence(s: TabState, platform: string, evidence: Evidence, frameId?: number): TabState {
  const p = s.platforms[platform] ?? { evidence: [], frames: [] };
  const addEvidence = !p.evidence.includes(evidence);
  const addFrame = frameId !== undefined && !p.frames.includes(frameId);
  if (!addEvidence && !addFrame && s.platforms[platform]) return s;
  return {
    ...s,
    platforms: {
      ...s.platforms,
      [platform]: { evidence: addEvidence ? [...p.evidence, evidence] : p.evidence, frames: addFrame ? [...p.frames, frameId] : p.frames },
    },
  };
}

function withoutNoticeFrame(s: TabState, frameId: number): TabState {
  return s.noticeFrames.includes(frameId) ? { ...s, noticeFrames: s.noticeFrames.filter((f) => f !== frameId) } : s;
}

export function reduceTab(s: TabState, e: TabEvent): TabState {
  switch (e.type) {
    case 'navigated': {
      // Firefox can deliver the main-frame event after the new document's detector has already reported;
      // what that document found must not be wiped by the late event.
      let next = s.docAt !== undefined && s.docAt > e.at ? s : emptyTabState(e.site);
      if (next.site !== e.site) next = { ...next, site: e.site };
      if (e.platform) {
        if (next.page !== e.platform) next = { ...next, page: e.platform };
        next = withEvidence(next, e.platform, 'page', 0);
      }
      return next;
    }
    case 'request':
      return withEvidence(s, e.platform, `request:${e.resourceType}`);
    case 'document': {
      // A new document in this frame: any notice UI injected into the previous one is gone.
      let next = withoutNoticeFrame(s, e.frameId);
      if (e.frameId !== 0) return next;
      next = { ...next, docAt: e.at, site: next.site ?? e.site };
      if (e.platform) next = withEvidence({ ...next, page: e.platform }, e.platform, 'page', 0);
      return next;
    }
    case 'found': {
      let next = s;
      for (const [platform, kinds] of Object.entries(e.found)) for (const kind of kinds) next = withEvidence(next, platform, kind, e.frameId);
      return next;
    }
    case 'reach': {
      const entry = s.reach[e.host] ?? { platform: e.platform, outcomes: {}, lastError: null };
      const outcomes = { ...entry.outcomes, [e.outcome]: (entry.outcomes[e.outcome] ?? 0) + 1 };
      return { ...s, reach: { ...s.reach, [e.host]: { platform: entry.platform, outcomes, lastError: e.error ?? entry.lastError } } };
    }
    case 'notice-injecting':
      return s.noticeFrames.includes(e.frameId) ? s : { ...s, noticeFrames: [...s.noticeFrames, e.frameId] };
    case 'notice-failed':
      return withoutNoticeFrame(s, e.frameId);
  }
}
