/**
 * Messages that reach the background. Content scripts run beside hostile pages, so every message is
 * parsed with zod and anything else is ignored. Only the background answers.
 */
import { z } from 'zod';
import { PlatformId } from './dataset/schema';

const EmbedCounts = z.record(PlatformId, z.strictObject({
  markup: z.number().int().min(0).max(1e6).optional(),
  frame: z.number().int().min(0).max(1e6).optional(),
  script: z.number().int().min(0).max(1e6).optional(),
  media: z.number().int().min(0).max(1e6).optional(),
}));

export const ContentMessage = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('signatures') }),
  z.strictObject({ type: z.literal('found'), found: EmbedCounts.refine((r) => Object.keys(r).length <= 50) }),
  z.strictObject({ type: z.literal('notice:context') }),
  z.strictObject({ type: z.literal('notice:mute-site') }),
  z.strictObject({ type: z.literal('notice:banner-dismissed'), platform: PlatformId }),
]);
export type ContentMessage = z.infer<typeof ContentMessage>;

export const PageMessage = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('popup:state'), tabId: z.number().int() }),
  z.strictObject({ type: z.literal('popup:set-site-muted'), tabId: z.number().int(), muted: z.boolean() }),
  z.strictObject({ type: z.literal('blocked:state'), tabId: z.number().int() }),
  z.strictObject({ type: z.literal('region:state') }),
  z.strictObject({ type: z.literal('probe:run') }),
]);
export type PageMessage = z.infer<typeof PageMessage>;
