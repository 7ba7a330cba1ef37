/**
 * A researcher's tool for exported reachability logs (JSONL, schema banlens.reachability/1).
 *
 *   npx tsx scripts/logs.ts merge A.jsonl B.jsonl [-o out.jsonl]
 *       Validates every line, sums the counts of identical records (same hour, host, outcome, …)
 *       and writes the merged JSONL, oldest hour first, to stdout or to out.jsonl.
 *   npx tsx scripts/logs.ts summary A.jsonl [B.jsonl …]
 *       Prints summed counts per region × platform × outcome.
 *
 * A bad line is reported on stderr as `file:line: reason` and skipped; every valid line is still
 * used and the output still written. Exit status: 0 all good, 1 some line or file was bad,
 * 2 usage error.
 */
import { createReadStream, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseRecordLine, toJsonlLine } from '../utils/log/export';
import { mergeObservations, type LogRecord } from '../utils/log/record';
import { OUTCOMES } from '../utils/reach/outcome';

const USAGE = `usage: tsx scripts/logs.ts merge FILE.jsonl… [-o OUT.jsonl]
       tsx scripts/logs.ts summary FILE.jsonl…
FILE may be - for standard input.`;

interface ReadResult {
  records: LogRecord[];
  problems: number;
}

/** Streams each file line by line, so a large log never has to fit in memory as one string. */
async function readRecords(files: readonly string[]): Promise<ReadResult> {
  const result: ReadResult = { records: [], problems: 0 };
  for (const file of files) {
    try {
      const input = file === '-' ? process.stdin : createReadStream(file, 'utf8');
      const lines = createInterface({ input, crlfDelay: Infinity });
      let lineNumber = 0;
      for await (const line of lines) {
        lineNumber++;
        if (line.trim() === '') continue; // blank lines, such as a trailing one, are not records
        const parsed = parseRecordLine(line);
        if (parsed.ok) result.records.push(parsed.record);
        else {
          result.problems++;
          process.stderr.write(`${file}:${lineNumber}: ${parsed.error}\n`);
        }
      }
    } catch (error) {
      result.problems++;
      process.stderr.write(`${file}: cannot read (${(error as Error).message})\n`);
    }
  }
  return result;
}

/** Identical records become one whose count is the sum, oldest hour first, then by merge key. */
function mergeRecords(records: readonly LogRecord[]): LogRecord[] {
  // Sorted so that the same inputs, in any order, give the same file (apart from which id is kept).
  const byKey = [...mergeObservations(records)].sort(([keyA, a], [keyB, b]) => compare(a.hour, b.hour) || compare(keyA, keyB));
  return byKey.map(([, record]) => record);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function formatSummary(records: readonly LogRecord[]): string {
  const rows = new Map<string, { region: string; platform: string; counts: Map<string, number> }>();
  const seenOutcomes = new Set<string>();
  for (const r of records) {
    const key = `${r.region}\u0000${r.platform}`;
    const row = rows.get(key) ?? { region: r.region, platform: r.platform, counts: new Map<string, number>() };
    rows.set(key, row);
    row.counts.set(r.outcome, (row.counts.get(r.outcome) ?? 0) + r.count);
    seenOutcomes.add(r.outcome);
  }
  const outcomes = OUTCOMES.filter((o) => seenOutcomes.has(o)); // the design's order, present ones only
  const header = ['region', 'platform', ...outcomes, 'total'];
  const sorted = [...rows.values()].sort((a, b) => a.region.localeCompare(b.region) || a.platform.localeCompare(b.platform));
  const body = sorted.map((row) => {
    const cells = outcomes.map((o) => row.counts.get(o) ?? 0);
    return [row.region, row.platform, ...cells.map(String), String(cells.reduce((a, b) => a + b, 0))];
  });
  const totals = outcomes.map((o) => sorted.reduce((sum, row) => sum + (row.counts.get(o) ?? 0), 0));
  const table = [header, ...body, ['all', '', ...totals.map(String), String(totals.reduce((a, b) => a + b, 0))]];
  const widths = header.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  // Text columns are left-aligned, numbers right-aligned.
  return table.map((row) => row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd()).join('\n') + '\n';
}

function parseArgs(args: readonly string[]): { files: string[]; output?: string } | string {
  const files: string[] = [];
  let output: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-o' || arg === '--output') {
      const next = args[++i];
      if (next === undefined) return `${arg} needs a file name`;
      output = next;
    } else if (arg.startsWith('-') && arg !== '-') return `unknown option ${arg}`;
    else files.push(arg);
  }
  if (files.length === 0) return 'no input files';
  return { files, output };
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '-h' || command === '--help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (command !== 'merge' && command !== 'summary') {
    process.stderr.write(`${command === undefined ? 'no command' : `unknown command ${command}`}\n${USAGE}\n`);
    return 2;
  }
  const args = parseArgs(rest);
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n${USAGE}\n`);
    return 2;
  }
  if (command === 'summary' && args.output !== undefined) {
    process.stderr.write(`summary prints to stdout; -o is for merge\n${USAGE}\n`);
    return 2;
  }
  const { records, problems } = await readRecords(args.files);
  if (command === 'merge') {
    const merged = mergeRecords(records);
    const text = merged.map((r) => `${toJsonlLine(r)}\n`).join('');
    // Inputs are fully read before writing, so -o may name one of them.
    if (args.output === undefined) process.stdout.write(text);
    else writeFileSync(args.output, text);
    process.stderr.write(`${records.length} records read, ${merged.length} written${problems ? `, ${problems} bad lines or files skipped` : ''}\n`);
  } else {
    process.stdout.write(formatSummary(records));
  }
  return problems > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 2;
  },
);
