/**
 * The zod side of the protocol (utils/protocol/index.ts): one schema per request, keyed by message type.
 * Content scripts run beside hostile pages, so the background parses every message against these before
 * use and ignores anything else. Only the background imports this file; callers need only the types.
 */
import { z } from 'zod';
import { PlatformId } from '../dataset/schema';

const Count = z.number().int().min(0).max(1e6).optional();
/** What a detector found in its frame: platform → embed kind → how many. At most 50 platforms. */
export const EmbedCounts = z
  .record(PlatformId, z.strictObject({ markup: Count, frame: Count, script: Count, media: Count }))
  .refine((r) => Object.keys(r).length <= 50, 'too many platforms');

/** Requests from content scripts (the detector and the notice UI): untrusted. */
export const CONTENT_REQUESTS = {
  signatures: z.strictObject({ type: z.literal('signatures') }),
  found: z.strictObject({ type: z.literal('found'), found: EmbedCounts }),
  'notice:context': z.strictObject({ type: z.literal('notice:context') }),
  'notice:mute-site': z.strictObject({ type: z.literal('notice:mute-site') }),
  'notice:banner-dismissed': z.strictObject({ type: z.literal('notice:banner-dismissed'), platform: PlatformId }),
  /** "I think this is blocked here", from an observed notice. */
  'notice:report': z.strictObject({ type: z.literal('notice:report'), platform: PlatformId }),
} as const;

/** Requests from the extension's own pages (popup, explanation page, options, dashboard). */
export const PAGE_REQUESTS = {
  'popup:state': z.strictObject({ type: z.literal('popup:state'), tabId: z.number().int() }),
  'popup:set-site-muted': z.strictObject({ type: z.literal('popup:set-site-muted'), tabId: z.number().int(), muted: z.boolean() }),
  'blocked:state': z.strictObject({ type: z.literal('blocked:state'), tabId: z.number().int() }),
  'region:state': z.strictObject({ type: z.literal('region:state') }),
  'probe:run': z.strictObject({ type: z.literal('probe:run') }),
  'dataset:update-state': z.strictObject({ type: z.literal('dataset:update-state') }),
  'dataset:update-now': z.strictObject({ type: z.literal('dataset:update-now') }),
  /** "I think this is blocked here", from the popup. */
  'popup:report': z.strictObject({ type: z.literal('popup:report'), platform: PlatformId }),
} as const;
