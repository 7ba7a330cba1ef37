/**
 * User settings: one zod schema, repaired field by field when read (ARCHITECTURE.md "Storage").
 * The storage item itself is declared in utils/storage.ts with every other key.
 * Only the background and extension pages read settings; the page-facing content scripts never do.
 */
import { z } from 'zod';
import { RegionCode, PlatformId } from './dataset/schema';
import { LANG_CODES } from './languages';
import { settingsItem, settingsRepairItem, type SettingsRepair } from './storage';

export { settingsItem, settingsRepairItem, type SettingsRepair };

/** Each group's fields, each with its own default, so that one bad field can fall back alone. */
const NOTICES = {
  enabled: z.boolean().default(true),
  /** badge-only: pages never see a sign of the extension (README "Using it", ARCHITECTURE.md threat model). */
  mode: z.enum(['full', 'badge-only']).default('full'),
  mutedSites: z.array(z.string().max(253)).max(5000).default([]),
  mutedPlatforms: z.array(PlatformId).max(100).default([]),
  showLifted: z.boolean().default(false),
  explanationPage: z.boolean().default(true),
  /** Notices on the browser's own evidence (a platform `failing` here with nothing in force recorded); README "data-basis". */
  observed: z.boolean().default(true),
};
const LOG = {
  enabled: z.boolean().default(true),
  retentionDays: z.number().int().min(1).max(3650).default(180),
  maxRecords: z.number().int().min(100).max(1_000_000).default(100_000),
};
const PROBE = {
  enabled: z.boolean().default(false),
  consentedAt: z.string().nullable().default(null),
  /** Hours between scheduled probes; null means only when the user starts one. */
  everyHours: z.number().int().min(1).max(168).nullable().default(null),
};
const TOP = {
  /** null: infer from the time zone; otherwise the regions the user picked (several for travellers and researchers). */
  regions: z.array(RegionCode).max(50).nullable().default(null),
  /**
   * Opt-in daily dataset updates from the build's channel (utils/dataset/channel.ts). Off until the user
   * chooses it, on the first-run page or in Settings: the download tells the update host this browser uses BanLens.
   */
  datasetUpdates: z.boolean().default(false),
  /** 'auto' follows the browser's languages (utils/languages.ts resolveLang). */
  language: z.enum(['auto', ...LANG_CODES]).default('auto'),
};
const GROUPS = { notices: NOTICES, log: LOG, probe: PROBE } as const;

export const Settings = z.object({
  regions: TOP.regions,
  notices: z.object(NOTICES).prefault({}),
  datasetUpdates: TOP.datasetUpdates,
  language: TOP.language,
  log: z.object(LOG).prefault({}),
  probe: z.object(PROBE).prefault({}),
});
export type Settings = z.infer<typeof Settings>;
export const DEFAULT_SETTINGS: Settings = Settings.parse({});

export interface RepairedSettings {
  settings: Settings;
  /** Dotted paths of the fields that were unreadable and fell back to their defaults (`notices.mode`); `*` for the whole value. */
  repaired: string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function repairFields(shape: Record<string, z.ZodType>, raw: Record<string, unknown>, prefix: string, repaired: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(shape)) {
    const parsed = schema.safeParse(raw[key]);
    if (parsed.success) out[key] = parsed.data;
    else {
      out[key] = schema.parse(undefined);
      repaired.push(prefix + key);
    }
  }
  return out;
}

/**
 * Reads a stored settings value, keeping every field that is valid: a bad field falls back to its own
 * default and is named in `repaired`. Missing fields take their defaults silently (a newer version added
 * them); unknown fields are dropped. Nothing stored at all is a fresh install, not a repair.
 */
export function repairSettings(raw: unknown): RepairedSettings {
  if (raw === null || raw === undefined) return { settings: DEFAULT_SETTINGS, repaired: [] };
  if (!isRecord(raw)) return { settings: DEFAULT_SETTINGS, repaired: ['*'] };
  const whole = Settings.safeParse(raw);
  if (whole.success) return { settings: whole.data, repaired: [] };
  const repaired: string[] = [];
  const top = repairFields(TOP, raw, '', repaired);
  const groups: Record<string, unknown> = {};
  for (const [name, shape] of Object.entries(GROUPS)) {
    const value = raw[name];
    if (value === undefined) groups[name] = repairFields(shape, {}, `${name}.`, repaired);
    else if (!isRecord(value)) {
      groups[name] = repairFields(shape, {}, `${name}.`, []);
      repaired.push(name);
    } else groups[name] = repairFields(shape, value, `${name}.`, repaired);
  }
  return { settings: Settings.parse({ ...top, ...groups }), repaired };
}

/**
 * Reads settings, repairing anything malformed field by field. A repair is written back at once, so the
 * next save cannot turn a reset field into a lost one elsewhere, and recorded once for the options page.
 */
export async function getSettings(): Promise<Settings> {
  const raw = await settingsItem.getValue();
  const { settings, repaired } = repairSettings(raw);
  if (repaired.length > 0) {
    await settingsItem.setValue(settings);
    const earlier = await settingsRepairItem.getValue();
    await settingsRepairItem.setValue({ fields: [...new Set([...(earlier?.fields ?? []), ...repaired])], at: Date.now() });
  }
  return settings;
}

export async function updateSettings(patch: (s: Settings) => Settings): Promise<Settings> {
  const next = Settings.parse(patch(await getSettings()));
  await settingsItem.setValue(next);
  return next;
}

/** The options page shows a repair once; the user's acknowledgement clears it. */
export async function acknowledgeSettingsRepair(): Promise<void> {
  await settingsRepairItem.removeValue();
}

/** Site key for per-site muting: the host without a leading www. */
export function siteKey(host: string): string {
  return host.toLowerCase().replace(/^www\./, '');
}
