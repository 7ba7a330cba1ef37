/**
 * The one boundary schema for the ban dataset (ARCHITECTURE.md "Dataset"). The bundled `bans.json`, an imported file
 * and the tests all pass through `parseDataset`, so nothing unvalidated reaches the UI.
 */
import { z } from 'zod';

/** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: a record never claims more precision than its sources give. */
export const PartialDate = z
  .string()
  .regex(/^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/, 'expected YYYY, YYYY-MM or YYYY-MM-DD')
  .refine((s) => s.length < 10 || !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a real calendar date');
export const FullDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD').pipe(PartialDate);

/** ISO 3166-1 alpha-2, optionally with an ISO 3166-2 subdivision (`IN-JK`). Code reality is checked by dataset:check. */
export const RegionCode = z.string().regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'expected an ISO 3166 code such as PK or IN-JK');
export const PlatformId = z.string().regex(/^[a-z][a-z0-9-]{0,23}$/, 'expected a lowercase platform id');

/** Text in our own words. English is required; other languages are optional, keyed by BCP 47 tag. */
export const LocalizedText = z
  .object({ en: z.string().trim().min(1) })
  .catchall(z.string().trim().min(1))
  .refine((o) => Object.keys(o).every((k) => /^[a-z]{2,3}(-[A-Za-z0-9]+)?$/.test(k)), 'language keys must be BCP 47 tags');

const HttpsUrl = z.url({ protocol: /^https$/, hostname: z.regexes.domain }).max(2048);

export const Source = z.strictObject({
  url: HttpsUrl,
  publisher: z.string().trim().min(1).max(200),
  /** The headline as read; left out rather than guessed when the reader did not see it. */
  title: z.string().trim().min(1).max(400).optional(),
  /** Publication date as read on the page; never inferred. */
  published: PartialDate.optional(),
});

/**
 * `ordered`: an authority ordered it. `observed`: a measurement (OONI, NetBlocks, Cloudflare) saw it and nobody is known to have
 * ordered it. `reported`: the press or users reported it, with no order or measurement cited.
 */
export const EventKind = z.enum(['ordered', 'observed', 'reported', 'court', 'statement', 'partial-restore', 'lifted', 'reimposed']);

export const RestrictionEvent = z.strictObject({
  date: PartialDate,
  kind: EventKind,
  text: LocalizedText,
  /** URLs of this restriction's `sources` that support the event; kept as references so a source is written once. */
  sources: z.array(HttpsUrl).min(1),
});

export const RestrictionKind = z.enum(['block', 'throttle', 'partial', 'app-store']);

export const Restriction = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{2,80}$/),
    platform: PlatformId,
    region: RegionCode,
    kind: RestrictionKind,
    start: PartialDate,
    end: PartialDate.nullable(),
    /** The newest source date that confirms the status given here. */
    asOf: PartialDate,
    confidence: z.enum(['confirmed', 'reported']),
    authority: LocalizedText,
    reason: LocalizedText,
    summary: LocalizedText,
    /** Caveats the sources leave open (for example "end date unconfirmed"). Shown with the record. */
    caveats: LocalizedText.optional(),
    events: z.array(RestrictionEvent),
    sources: z.array(Source).min(1),
  })
  .superRefine((r, ctx) => {
    const urls = new Set(r.sources.map((s) => s.url));
    r.events.forEach((e, i) => {
      for (const u of e.sources) {
        if (!urls.has(u)) ctx.addIssue({ code: 'custom', path: ['events', i, 'sources'], message: `event source ${u} is not in the record's sources` });
      }
    });
  });

/** Host names only: lowercase ASCII (punycode), no scheme, no path, no trailing dot. */
export const HostName = z.string().regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'expected a lowercase host name');

export const Platform = z.strictObject({
  id: PlatformId,
  name: z.string().trim().min(1).max(60),
  /** Registrable domains of the service itself; each also matches its subdomains. */
  domains: z.array(HostName).min(1),
  /** Redirect and share domains (t.co, youtu.be). */
  shortLinkDomains: z.array(HostName).default([]),
  /** Media, script and API domains that other pages load from (twimg.com, ytimg.com). */
  cdnDomains: z.array(HostName).default([]),
  /** Domains whose subdomains name people (Bluesky handles under bsky.social): only the domain is ever logged. */
  userSubdomains: z.array(HostName).default([]),
  embeds: z.strictObject({
    /** CSS selectors for embed markup that stays on the page when the widget cannot load. */
    selectors: z.array(z.string().min(1).max(200)).default([]),
    /** Script and frame URL prefixes of the official embed code. */
    urlPrefixes: z.array(HttpsUrl).default([]),
  }),
  sources: z.array(Source).min(1),
});

export const Dataset = z
  .strictObject({
    schema: z.literal('banlens.dataset/1'),
    version: z.string().regex(/^\d{4}\.\d{1,2}\.\d{1,2}(-[a-z0-9.]+)?$/),
    /** When the file was compiled. */
    asOf: FullDate,
    /** The last day the research covered: no source newer than this was looked for. */
    researchedThrough: FullDate,
    platforms: z.array(Platform).min(1),
    restrictions: z.array(Restriction),
  })
  .superRefine((d, ctx) => {
    const platformIds = new Set<string>();
    d.platforms.forEach((p, i) => {
      if (platformIds.has(p.id)) ctx.addIssue({ code: 'custom', path: ['platforms', i, 'id'], message: `duplicate platform ${p.id}` });
      platformIds.add(p.id);
    });
    const ids = new Set<string>();
    d.restrictions.forEach((r, i) => {
      if (ids.has(r.id)) ctx.addIssue({ code: 'custom', path: ['restrictions', i, 'id'], message: `duplicate restriction ${r.id}` });
      ids.add(r.id);
      if (!platformIds.has(r.platform)) ctx.addIssue({ code: 'custom', path: ['restrictions', i, 'platform'], message: `unknown platform ${r.platform}` });
    });
  });

export type Source = z.infer<typeof Source>;
export type LocalizedText = z.infer<typeof LocalizedText>;
export type RestrictionEvent = z.infer<typeof RestrictionEvent>;
export type Restriction = z.infer<typeof Restriction>;
export type Platform = z.infer<typeof Platform>;
export type Dataset = z.infer<typeof Dataset>;

export type DatasetResult = { ok: true; dataset: Dataset } | { ok: false; errors: string[] };

/** Validates untrusted JSON; errors are short, path-prefixed lines a person can act on. */
export function parseDataset(json: unknown): DatasetResult {
  const r = Dataset.safeParse(json);
  if (r.success) return { ok: true, dataset: r.data };
  return { ok: false, errors: r.error.issues.slice(0, 20).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) };
}
