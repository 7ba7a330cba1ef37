/**
 * User settings: one zod schema at the storage boundary, one versioned WXT storage item.
 * Only the background and extension pages read settings; the page-facing content script never does.
 */
import { z } from 'zod';
import { storage } from '#imports';
import { RegionCode, PlatformId } from './dataset/schema';
import { LANG_CODES } from './languages';

export const Settings = z.object({
  /** null: infer from the time zone; otherwise the regions the user picked (several for travellers and researchers). */
  regions: z.array(RegionCode).max(50).nullable().default(null),
  notices: z
    .object({
      enabled: z.boolean().default(true),
      /** badge-only: pages never see a sign of the extension (design §8). */
      mode: z.enum(['full', 'badge-only']).default('full'),
      mutedSites: z.array(z.string().max(253)).max(5000).default([]),
      mutedPlatforms: z.array(PlatformId).max(100).default([]),
      showLifted: z.boolean().default(false),
      explanationPage: z.boolean().default(true),
    })
    .prefault({}),
  /**
   * Opt-in daily dataset updates from the build's channel (utils/dataset/channel.ts). Off until the user
   * chooses it, on the first-run page or in Settings: the download tells the update host this browser uses BanLens.
   */
  datasetUpdates: z.boolean().default(false),
  /** 'auto' follows the browser's languages (utils/languages.ts resolveLang). */
  language: z.enum(['auto', ...LANG_CODES]).default('auto'),
  log: z
    .object({
      enabled: z.boolean().default(true),
      retentionDays: z.number().int().min(1).max(3650).default(180),
      maxRecords: z.number().int().min(100).max(1_000_000).default(100_000),
    })
    .prefault({}),
  probe: z
    .object({
      enabled: z.boolean().default(false),
      consentedAt: z.string().nullable().default(null),
      /** Hours between scheduled probes; null means only when the user starts one. */
      everyHours: z.number().int().min(1).max(168).nullable().default(null),
    })
    .prefault({}),
});
export type Settings = z.infer<typeof Settings>;
export const DEFAULT_SETTINGS: Settings = Settings.parse({});

export const settingsItem = storage.defineItem<Settings>('local:settings', {
  fallback: DEFAULT_SETTINGS,
  version: 1,
});

/** Reads settings, repairing anything malformed field by field rather than failing. */
export async function getSettings(): Promise<Settings> {
  const raw = await settingsItem.getValue();
  const parsed = Settings.safeParse(raw);
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}

export async function updateSettings(patch: (s: Settings) => Settings): Promise<Settings> {
  const next = Settings.parse(patch(await getSettings()));
  await settingsItem.setValue(next);
  return next;
}

/** Site key for per-site muting: the host without a leading www. */
export function siteKey(host: string): string {
  return host.toLowerCase().replace(/^www\./, '');
}
