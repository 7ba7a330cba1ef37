/** `logs summary`: observations per region × platform × outcome, summed in SQL over the `records` view. */
import { OUTCOMES } from '../../utils/reach/outcome';
import type { Engine } from './engine';

export async function summaryTable(engine: Engine): Promise<string> {
  const rows = await engine.rows<{ region: string; platform: string; outcome: string; n: bigint }>(
    'SELECT region, platform, outcome, sum(count)::BIGINT AS n FROM records GROUP BY ALL',
  );
  const byRow = new Map<string, { region: string; platform: string; counts: Map<string, bigint> }>();
  const seen = new Set<string>();
  for (const r of rows) {
    const key = `${r.region}\u0000${r.platform}`;
    const row = byRow.get(key) ?? { region: r.region, platform: r.platform, counts: new Map<string, bigint>() };
    byRow.set(key, row);
    row.counts.set(r.outcome, r.n);
    seen.add(r.outcome);
  }
  const outcomes = OUTCOMES.filter((o) => seen.has(o)); // the design's order, present ones only
  const header = ['region', 'platform', ...outcomes, 'total'];
  const sorted = [...byRow.values()].sort((a, b) => a.region.localeCompare(b.region) || a.platform.localeCompare(b.platform));
  const sum = (values: bigint[]) => values.reduce((a, b) => a + b, 0n);
  const body = sorted.map((row) => {
    const cells = outcomes.map((o) => row.counts.get(o) ?? 0n);
    return [row.region, row.platform, ...cells.map(String), String(sum(cells))];
  });
  const totals = outcomes.map((o) => sum(sorted.map((row) => row.counts.get(o) ?? 0n)));
  const table = [header, ...body, ['all', '', ...totals.map(String), String(sum(totals))]];
  const widths = header.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  // Text columns are left-aligned, numbers right-aligned.
  return `${table.map((row) => row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd()).join('\n')}\n`;
}
