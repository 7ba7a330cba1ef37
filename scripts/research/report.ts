/**
 * `logs report`: one self-contained HTML page (inline CSS and SVG, no script, no external asset) that turns a
 * pool into evidence for one region and period.
 *
 *   records view ──SQL──► per platform × day × outcome, distinct hours and hosts ──► tables and charts
 *   bans.json    ───────► restrictions active each day ──► agreement with the observations, day by day
 *
 * Privacy: every number shown is backed by at least `minObservations` observations (default 5). A cell backed
 * by fewer is replaced by "—" and counted, and the page says how many were suppressed. Each shown number
 * carries `data-backed-by`, the observations behind it, so a test can check that none is under the threshold.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isActiveAt, appliesTo } from '../../utils/dataset/query';
import { Dataset, type Restriction } from '../../utils/dataset/schema';
import { OONI_BLOCKING, OUTCOMES, type Outcome } from '../../utils/reach/outcome';
import type { Engine } from './engine';
import { filterSql } from './filters';

export const DEFAULT_MIN_OBSERVATIONS = 5;

export interface ReportOptions {
  region: string;
  fromHour?: string;
  toHour?: string;
  minObservations: number;
  /** The restrictions dataset; the bundled utils/dataset/bans.json by default. */
  dataset?: Dataset;
}

export interface Report {
  html: string;
  observations: bigint;
  suppressed: number;
}

/** OONI's blocking classes in a fixed order; "null" is OONI's "no evidence either way". */
const OONI_CLASSES = ['false', 'dns', 'tcp_ip', 'http-failure', 'http-diff', 'null'] as const;
type OoniClass = (typeof OONI_CLASSES)[number];
const OONI_CLASS_LABEL: Record<OoniClass, string> = {
  false: 'accessible (blocking: false)',
  dns: 'dns',
  tcp_ip: 'tcp_ip',
  'http-failure': 'http-failure',
  'http-diff': 'http-diff',
  null: 'no evidence (blocking: null)',
};
const ooniClassOf = (o: Outcome): OoniClass => String(OONI_BLOCKING[o]) as OoniClass;

const COLOURS: Record<Outcome, string> = {
  ok: '#2e7d32',
  dns: '#6a1b9a',
  tcp_reset: '#c62828',
  tcp_refused: '#ad1457',
  timeout: '#ef6c00',
  tls: '#4527a0',
  http_blockpage: '#283593',
  http_error: '#8d6e63',
  inconclusive: '#9e9e9e',
  other: '#607d8b',
};

export function bundledDataset(): Dataset {
  const path = fileURLToPath(new URL('../../utils/dataset/bans.json', import.meta.url));
  return Dataset.parse(JSON.parse(readFileSync(path, 'utf8')));
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function days(first: string, last: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= Date.parse(`${last}T00:00:00Z`); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

type Verdict = 'agree-blocked' | 'agree-open' | 'open-despite-record' | 'blocked-unrecorded' | 'no-evidence';
const VERDICT_LABEL: Record<Verdict, string> = {
  'agree-blocked': 'agrees: blocking observed, restriction recorded',
  'agree-open': 'agrees: reachable, no restriction recorded',
  'open-despite-record': 'disagrees: reachable although a restriction is recorded',
  'blocked-unrecorded': 'disagrees: blocking observed, no restriction recorded',
  'no-evidence': 'no evidence either way',
};

/** Most evidence (accessible vs blocked observations, OONI's null class left out) decides a day. */
function verdictOf(restricted: boolean, blocked: number, accessible: number): Verdict {
  if (blocked + accessible === 0) return 'no-evidence';
  const mostlyBlocked = blocked > accessible;
  if (restricted) return mostlyBlocked ? 'agree-blocked' : 'open-despite-record';
  return mostlyBlocked ? 'blocked-unrecorded' : 'agree-open';
}

export async function buildReport(engine: Engine, options: ReportOptions): Promise<Report> {
  const { region, minObservations: k } = options;
  const dataset = options.dataset ?? bundledDataset();
  const where = filterSql({ region, fromHour: options.fromHour, toHour: options.toHour });
  await engine.run(`CREATE OR REPLACE TEMP TABLE report_rows AS SELECT platform, strftime(hour, '%Y-%m-%d') AS day, outcome, sum(count)::BIGINT AS n FROM records WHERE ${where} GROUP BY ALL`);
  const cells = await engine.rows<{ platform: string; day: string; outcome: Outcome; n: bigint }>('SELECT * FROM report_rows ORDER BY platform, day, outcome');
  const spans = await engine.rows<{ platform: string | null; hours: bigint; hosts: bigint; n: bigint; first: Date | null; last: Date | null }>(
    `SELECT platform, count(DISTINCT hour) AS hours, count(DISTINCT host) AS hosts, sum(count)::BIGINT AS n, min(hour) AS first, max(hour) AS last
     FROM records WHERE ${where} GROUP BY GROUPING SETS ((platform), ()) ORDER BY platform NULLS FIRST`,
  );
  const overall = spans.find((s) => s.platform === null);
  const total = overall?.n ?? 0n;
  const firstDay = options.fromHour?.slice(0, 10) ?? overall?.first?.toISOString().slice(0, 10);
  const lastDay = options.toHour?.slice(0, 10) ?? overall?.last?.toISOString().slice(0, 10);
  const period = firstDay && lastDay ? days(firstDay, lastDay) : [];

  let suppressed = 0;
  /** A number backed by `backing` observations, or "—" when that is under the threshold. */
  const cell = (value: number | bigint | string, backing: number | bigint, extra = ''): string => {
    if (Number(backing) < k) {
      if (Number(backing) === 0) return `<td class="zero"${extra}>0</td>`;
      suppressed++;
      return `<td class="suppressed"${extra}>—</td>`;
    }
    return `<td data-backed-by="${backing}"${extra}>${escapeHtml(String(value))}</td>`;
  };

  const platforms = [...new Set(cells.map((c) => c.platform))].sort();
  const byPlatform = new Map<string, Map<string, Partial<Record<Outcome, number>>>>();
  for (const c of cells) {
    const daysOf = byPlatform.get(c.platform) ?? new Map();
    byPlatform.set(c.platform, daysOf);
    const counts = daysOf.get(c.day) ?? {};
    counts[c.outcome] = Number(c.n);
    daysOf.set(c.day, counts);
  }
  const restrictions = dataset.restrictions.filter((r) => appliesTo(r, [region]) && period.some((d) => isActiveAt(r, d)));
  const restrictedOn = (platform: string, day: string) => restrictions.some((r) => r.platform === platform && isActiveAt(r, day));

  // ── Per platform: spans and OONI classes ──
  const spanRows = platforms.map((p) => {
    const s = spans.find((x) => x.platform === p)!;
    const byClass = new Map<OoniClass, number>();
    for (const counts of byPlatform.get(p)!.values()) for (const o of OUTCOMES) if (counts[o]) byClass.set(ooniClassOf(o), (byClass.get(ooniClassOf(o)) ?? 0) + counts[o]!);
    return `<tr><th scope="row">${escapeHtml(p)}</th>${cell(s.n, s.n)}${cell(s.hours, s.n)}${cell(s.hosts, s.n)}${OONI_CLASSES.map((c) => cell(byClass.get(c) ?? 0, byClass.get(c) ?? 0)).join('')}</tr>`;
  });
  const totalRow = overall ? `<tr class="total"><th scope="row">all platforms</th>${cell(overall.n, overall.n)}${cell(overall.hours, overall.n)}${cell(overall.hosts, overall.n)}${OONI_CLASSES.map(() => '<td></td>').join('')}</tr>` : '';

  // ── Per platform: outcomes over time, and agreement with the dataset ──
  const charts: string[] = [];
  const agreementRows: string[] = [];
  for (const p of platforms) {
    const daysOf = byPlatform.get(p)!;
    charts.push(chart(p, period, daysOf, k, () => suppressed++));
    const tally = new Map<Verdict, number>();
    const disagreements: string[] = [];
    for (const day of period) {
      const counts = daysOf.get(day) ?? {};
      let blocked = 0;
      let accessible = 0;
      for (const o of OUTCOMES) {
        const n = counts[o] ?? 0;
        if (OONI_BLOCKING[o] === false) accessible += n;
        else if (OONI_BLOCKING[o] !== null) blocked += n;
      }
      const evidence = blocked + accessible;
      if (evidence === 0) continue;
      if (evidence < k) {
        suppressed++;
        continue;
      }
      const verdict = verdictOf(restrictedOn(p, day), blocked, accessible);
      tally.set(verdict, (tally.get(verdict) ?? 0) + 1);
      if (verdict === 'open-despite-record' || verdict === 'blocked-unrecorded') disagreements.push(`${day} (${VERDICT_LABEL[verdict].split(': ')[1]})`);
    }
    const recorded = restrictions.filter((r) => r.platform === p);
    agreementRows.push(
      `<tr><th scope="row">${escapeHtml(p)}</th><td>${recorded.length ? recorded.map(restrictionText).join('<br>') : 'none in the period'}</td>` +
        `<td data-verdict-days="agree">${(tally.get('agree-blocked') ?? 0) + (tally.get('agree-open') ?? 0)}</td>` +
        `<td data-verdict-days="disagree">${(tally.get('open-despite-record') ?? 0) + (tally.get('blocked-unrecorded') ?? 0)}</td>` +
        `<td>${disagreements.length ? escapeHtml(disagreements.join(', ')) : '—'}</td></tr>`,
    );
  }

  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>BanLens reachability report: ${escapeHtml(region)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:right}th[scope=row],td:first-child{text-align:left}
td.suppressed{color:#888}.note{background:#fff8e1;border-left:4px solid #f9a825;padding:.5rem 1rem}
.legend span{display:inline-block;margin-right:1rem}.legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle}
figure{margin:1rem 0}figcaption{font-weight:600}
</style></head><body>
<h1>BanLens reachability report: ${escapeHtml(region)}</h1>
<p>Period: ${firstDay ? `${escapeHtml(firstDay)} to ${escapeHtml(lastDay!)} (UTC)` : 'no observations'}. Observations: <span data-figure="observations">${total >= BigInt(k) ? total : '—'}</span>.
Distinct hours: <span data-figure="hours">${total >= BigInt(k) ? (overall?.hours ?? 0) : '—'}</span>. Distinct hosts: <span data-figure="hosts">${total >= BigInt(k) ? (overall?.hosts ?? 0) : '—'}</span>.
Dataset: ${escapeHtml(dataset.version)}.</p>

<section class="note" aria-labelledby="limits-h"><h2 id="limits-h">What this evidence is, and is not</h2><ul>
<li><strong>Passive observations.</strong> Most records are requests the volunteers' browsers made anyway, classified by the browser's error; there is no control measurement from an unfiltered network, so a failure can also be a local network fault or a platform outage. Records with vantage "probe" are opt-in checks of the same kind.</li>
<li><strong>Self-selected volunteers.</strong> The people who installed BanLens and shared their log are not a sample of the region's users, networks or providers. Counts measure where volunteers looked, not how many people are affected.</li>
<li><strong>Region as the volunteers' own inference.</strong> Each record's region is what the volunteer's extension inferred or was told; it is not verified.</li>
<li><strong>Hour and host only.</strong> Records keep the UTC hour and the host; no page, address or user. Identical observations are merged, so counts are observations, not people.</li>
<li><strong>Small numbers suppressed.</strong> Any cell backed by fewer than <span data-figure="threshold">${k}</span> observations is shown as "—". <span data-figure="suppressed">${suppressed}</span> cells were suppressed in this report.</li>
</ul></section>

<h2>Platforms: span and OONI-equivalent blocking class</h2>
<p>Observations per OONI web_connectivity <code>blocking</code> class (the one map in utils/reach/outcome.ts): tcp_reset, tcp_refused and timeout are tcp_ip; tls is http-failure; a block page is http-diff; HTTP errors, inconclusive and other results are null.</p>
<table><thead><tr><th scope="col">platform</th><th scope="col">observations</th><th scope="col">distinct hours</th><th scope="col">distinct hosts</th>${OONI_CLASSES.map((c) => `<th scope="col">${escapeHtml(OONI_CLASS_LABEL[c])}</th>`).join('')}</tr></thead>
<tbody>${spanRows.join('\n')}${totalRow}</tbody></table>

<h2>Agreement with the dataset's recorded restrictions</h2>
<p>Each day with at least ${k} observations of evidence (accessible or a blocking class) is compared with the restrictions the BanLens dataset records for ${escapeHtml(region)} that day. A day agrees when mostly blocked and a restriction is recorded, or mostly reachable and none is.</p>
<table><thead><tr><th scope="col">platform</th><th scope="col">recorded restrictions in the period</th><th scope="col">days agreeing</th><th scope="col">days disagreeing</th><th scope="col">days that disagree</th></tr></thead>
<tbody>${agreementRows.join('\n')}</tbody></table>

<h2>Outcomes over time, per platform</h2>
<p class="legend">${OUTCOMES.map((o) => `<span><i style="background:${COLOURS[o]}"></i>${o}</span>`).join('')}</p>
${charts.join('\n')}
</body></html>
`;
  return { html, observations: total, suppressed };
}

function restrictionText(r: Restriction): string {
  return escapeHtml(`${r.kind} ${r.start} – ${r.end ?? 'ongoing'} (${r.confidence}, ${r.id})`);
}

/** Stacked daily bars of observations per outcome; segments under the threshold are left out and counted. */
function chart(platform: string, period: readonly string[], daysOf: ReadonlyMap<string, Partial<Record<Outcome, number>>>, k: number, onSuppressed: () => void): string {
  const width = 720;
  const height = 160;
  const barWidth = Math.max(1, Math.floor(width / Math.max(1, period.length)));
  let max = 1;
  for (const day of period) {
    const counts = daysOf.get(day) ?? {};
    max = Math.max(max, OUTCOMES.reduce((sum, o) => sum + ((counts[o] ?? 0) >= k ? counts[o]! : 0), 0));
  }
  const bars: string[] = [];
  period.forEach((day, i) => {
    const counts = daysOf.get(day) ?? {};
    let y = height;
    for (const o of OUTCOMES) {
      const n = counts[o] ?? 0;
      if (n === 0) continue;
      if (n < k) {
        onSuppressed();
        continue;
      }
      const h = Math.max(1, Math.round((n / max) * (height - 10)));
      y -= h;
      bars.push(`<rect x="${i * barWidth}" y="${y}" width="${Math.max(1, barWidth - 1)}" height="${h}" fill="${COLOURS[o]}" data-backed-by="${n}"><title>${day} ${o}: ${n}</title></rect>`);
    }
  });
  const label = `${platform}: observations per day and outcome, ${period[0] ?? ''} to ${period.at(-1) ?? ''}; the tallest bar is ${max}`;
  return `<figure><figcaption>${escapeHtml(platform)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(label)}" width="${width}" height="${height + 20}" viewBox="0 0 ${width} ${height + 20}">
<line x1="0" y1="${height}" x2="${width}" y2="${height}" stroke="#999"/>${bars.join('')}
<text x="0" y="${height + 15}" font-size="11">${escapeHtml(period[0] ?? '')}</text><text x="${width}" y="${height + 15}" font-size="11" text-anchor="end">${escapeHtml(period.at(-1) ?? '')}</text></svg></figure>`;
}
