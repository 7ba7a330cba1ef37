/**
 * A researcher's tool for volunteers' reachability logs (schema banlens.reachability/1). Reads the
 * dashboard's three export formats (JSONL, CSV, OONI JSONL), told apart by content. `pool`, `summary`
 * and `report` run on DuckDB (scripts/research/), out of core; `merge` is a small in-memory tool for a
 * few exports. See USAGE, and docs/research.md.
 *
 * A bad line is reported on stderr as `file:line: reason` and skipped; every valid line is still used.
 * A file in no known format gets one message. Exit status: 0 all good, 1 some line or file was bad,
 * 2 usage error.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { toJsonlLine } from '../utils/log/export';
import { parseLogText, UNKNOWN_FORMAT_MESSAGE } from '../utils/log/formats';
import { mergeObservations, type LogRecord } from '../utils/log/record';
import { openEngine } from './research/engine';
import { FILTER_OPTIONS, recordMatches, setFilter, type RecordFilter } from './research/filters';
import { expandInputs, poolFiles, writeParquet, type Problem } from './research/pool';
import { buildReport, DEFAULT_MIN_OBSERVATIONS } from './research/report';
import { openRecords } from './research/source';
import { summaryTable } from './research/summary';

const USAGE = `usage:
  npm run logs -- pool FILE|FOLDER… -o POOL.parquet [--partition] [FILTERS]
      Validates every record of every export (JSONL, CSV or OONI JSONL, in any mix), drops records
      whose id was already seen (a file submitted twice), merges identical observations by summing
      their counts, and writes Parquet. --partition writes a folder partitioned by region and month.
  npm run logs -- summary POOL.parquet|FOLDER|FILE… [FILTERS]
      Prints summed observations per region × platform × outcome.
  npm run logs -- report POOL.parquet|FOLDER|FILE… --region CC -o REPORT.html [--from … --to …]
                         [--min-observations N]
      Writes one self-contained HTML report for one region. Cells backed by fewer than N
      observations (default ${DEFAULT_MIN_OBSERVATIONS}) are suppressed.
  npm run logs -- merge FILE… [-o OUT.jsonl] [FILTERS]
      Merges a few exports into one JSONL file, oldest hour first (in memory; use pool for many).
FILTERS: --from DATE|HOUR  --to DATE|HOUR  --region CC  --platform ID  --outcome OUTCOME  --vantage passive|probe
      Dates and hours are UTC: 2026-11-22 or 2026-11-22T16; --to includes the day or hour given.
FILE may be - for standard input (merge only).`;

const COMMANDS = ['pool', 'summary', 'report', 'merge'] as const;
type Command = (typeof COMMANDS)[number];

interface Args {
  command: Command;
  inputs: string[];
  output?: string;
  partition: boolean;
  minObservations: number;
  filter: RecordFilter;
}

function parseArgs(argv: readonly string[]): Args | string {
  const [command, ...rest] = argv;
  if (command === undefined) return 'no command';
  if (!(COMMANDS as readonly string[]).includes(command)) return `unknown command ${command}`;
  const args: Args = { command: command as Command, inputs: [], partition: false, minObservations: DEFAULT_MIN_OBSERVATIONS, filter: {} };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const value = () => rest[++i];
    if (arg === '-o' || arg === '--output') {
      const next = value();
      if (next === undefined) return `${arg} needs a file name`;
      args.output = next;
    } else if (arg === '--partition') args.partition = true;
    else if (arg === '--min-observations') {
      const next = value();
      if (next === undefined || !/^\d+$/.test(next) || Number(next) < 1) return '--min-observations needs a whole number of at least 1';
      args.minObservations = Number(next);
    } else if ((FILTER_OPTIONS as readonly string[]).includes(arg)) {
      const next = value();
      if (next === undefined) return `${arg} needs a value`;
      const error = setFilter(args.filter, arg, next);
      if (error) return error;
    } else if (arg.startsWith('-') && arg !== '-') return `unknown option ${arg}`;
    else args.inputs.push(arg);
  }
  if (args.inputs.length === 0) return 'no input files';
  if (args.command === 'summary' && args.output !== undefined) return 'summary prints to stdout; -o is for pool, report and merge';
  if ((args.command === 'pool' || args.command === 'report') && args.output === undefined) return `${args.command} needs -o`;
  if (args.command === 'report' && !args.filter.region) return 'report needs --region';
  if (args.partition && args.command !== 'pool') return '--partition is for pool';
  if (args.inputs.includes('-') && args.command !== 'merge') return `${args.command} reads files and folders, not standard input`;
  return args;
}

/** Prints problems as they come; past a few per file, only a count, so one broken file cannot flood the screen. */
function problemPrinter() {
  const perFile = new Map<string, number>();
  const MAX_PER_FILE = 20;
  let count = 0;
  return {
    print(p: Problem) {
      count++;
      const n = (perFile.get(p.file) ?? 0) + 1;
      perFile.set(p.file, n);
      if (n <= MAX_PER_FILE) process.stderr.write(`${p.file}${p.line === undefined ? '' : `:${p.line}`}: ${p.error}\n`);
    },
    finish() {
      for (const [file, n] of perFile) if (n > MAX_PER_FILE) process.stderr.write(`${file}: ${n - MAX_PER_FILE} more bad lines not shown\n`);
    },
    get count() {
      return count;
    },
  };
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

async function merge(args: Args, problems: ReturnType<typeof problemPrinter>): Promise<void> {
  const records: LogRecord[] = [];
  const { files, problems: missing } = args.inputs.includes('-') ? { files: args.inputs, problems: [] } : expandInputs(args.inputs);
  for (const p of missing) problems.print(p);
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file === '-' ? 0 : file, 'utf8');
    } catch (error) {
      problems.print({ file, error: `cannot read (${(error as Error).message})` });
      continue;
    }
    const parsed = parseLogText(text);
    if (parsed.format === null && text.trim() !== '') problems.print({ file, error: UNKNOWN_FORMAT_MESSAGE });
    for (const p of parsed.problems) problems.print({ file, ...p });
    for (const r of parsed.records) if (recordMatches(args.filter, r)) records.push(r);
  }
  problems.finish();
  const merged = mergeRecords(records);
  const text = merged.map((r) => `${toJsonlLine(r)}\n`).join('');
  // Inputs are fully read before writing, so -o may name one of them.
  if (args.output === undefined) process.stdout.write(text);
  else writeFileSync(args.output, text);
  process.stderr.write(`${records.length} records read, ${merged.length} written${problems.count ? `, ${problems.count} bad lines or files skipped` : ''}\n`);
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === '-h' || argv[0] === '--help' || argv[0] === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n${USAGE}\n`);
    return 2;
  }
  const problems = problemPrinter();
  if (args.command === 'merge') await merge(args, problems);
  else {
    const engine = await openEngine();
    try {
      if (args.command === 'pool') {
        const { files, problems: missing } = expandInputs(args.inputs);
        for (const p of missing) problems.print(p);
        const stats = await poolFiles(engine, files, { filter: args.filter, onProblem: (p) => problems.print(p) });
        await writeParquet(engine, args.output!, args.partition);
        problems.finish();
        process.stderr.write(
          `${stats.files} files, ${stats.read} valid records read, ${stats.badLines} bad lines skipped, ${stats.duplicates} duplicate ids dropped; ` +
            `${stats.pooled} pooled records (${stats.observations} observations) written to ${args.output}\n`,
        );
      } else {
        await openRecords(engine, args.inputs, args.filter, (p) => problems.print(p));
        problems.finish();
        if (args.command === 'summary') process.stdout.write(await summaryTable(engine));
        else {
          const report = await buildReport(engine, { region: args.filter.region!, fromHour: args.filter.fromHour, toHour: args.filter.toHour, minObservations: args.minObservations });
          writeFileSync(args.output!, report.html);
          process.stderr.write(`report for ${args.filter.region}: ${report.observations} observations; ${report.suppressed} cells under ${args.minObservations} observations suppressed; written to ${args.output}\n`);
        }
      }
    } finally {
      engine.close();
    }
  }
  return problems.count > 0 ? 1 : 0;
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
