/**
 * DuckDB for the researcher's CLI (ARCHITECTURE.md "Pooling logs"). Node only: the extension never imports this folder, so
 * DuckDB's native binary stays out of the bundle.
 *
 * The database is in memory with a memory limit and a spill folder, so a pool larger than memory spills
 * to disk instead of failing. (A database file was several times slower: every table is written twice.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export interface Engine {
  db: DuckDBConnection;
  /** Runs statements that return nothing. */
  run(sql: string): Promise<void>;
  /** Rows as plain JS values (BIGINT as bigint, TIMESTAMP as Date). */
  rows<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  tempDir: string;
  close(): void;
}

/** DuckDB's default is 80 % of RAM; a bound keeps peak memory predictable on a shared machine. */
export const DEFAULT_MEMORY_LIMIT = process.env.BANLENS_DUCKDB_MEMORY ?? '1GB';

export async function openEngine(options: { memoryLimit?: string; threads?: number } = {}): Promise<Engine> {
  const tempDir = mkdtempSync(join(tmpdir(), 'banlens-duckdb-'));
  const instance = await DuckDBInstance.create(':memory:', {
    memory_limit: options.memoryLimit ?? DEFAULT_MEMORY_LIMIT,
    temp_directory: join(tempDir, 'spill'),
    ...(options.threads ? { threads: String(options.threads) } : {}),
    // Row order within a file is kept where it matters by explicit ORDER BY; not keeping it elsewhere lets DuckDB stream.
    preserve_insertion_order: 'false',
  });
  const db = await instance.connect();
  await db.run("SET TimeZone = 'UTC'");
  return {
    db,
    run: async (sql) => {
      await db.run(sql);
    },
    rows: async <T,>(sql: string) => (await db.runAndReadAll(sql)).getRowObjectsJS() as T[],
    tempDir,
    close: () => {
      db.closeSync();
      instance.closeSync();
      rmSync(tempDir, { recursive: true, force: true });
    },
  };
}

/** A SQL string literal. */
export function lit(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function listLit(values: readonly string[]): string {
  return `[${values.map(lit).join(', ')}]`;
}
