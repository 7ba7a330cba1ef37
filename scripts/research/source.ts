/**
 * What `summary` and `report` read: Parquet pools (files, or folders partitioned by region and month)
 * straight from disk, and exports in any of the three formats, pooled first. Either way the result is
 * one view, `records`, with the pooled columns, which DuckDB scans out of core.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { listLit, type Engine } from './engine';
import { filterSql, type RecordFilter } from './filters';
import { classifyFile, expandInputs, poolFiles, type PoolStats, type Problem } from './pool';

export const POOLED_COLUMNS = 'schema, id, hour, region, platform, host, resource, vantage, outcome, error, http_status, ms_bucket, count, restricted, browser, extension, dataset';

export interface Source {
  parquetFiles: number;
  exports: PoolStats | null;
}

export async function openRecords(engine: Engine, inputs: readonly string[], filter: RecordFilter, onProblem: (p: Problem) => void): Promise<Source> {
  const parquet: string[] = [];
  const others: string[] = [];
  for (const input of inputs) {
    // A folder of Parquet (a partitioned pool) is read as one dataset; anything else is expanded.
    if (existsSync(input) && statSync(input).isDirectory()) {
      const { files } = expandInputs([input]);
      const isPool = files.length > 0 && files.every((f) => f.endsWith('.parquet'));
      (isPool ? parquet : others).push(...files);
      continue;
    }
    const { files, problems } = expandInputs([input]);
    problems.forEach(onProblem);
    for (const file of files) {
      let kind = null;
      try {
        kind = classifyFile(file);
      } catch {
        // poolFiles reports the file as unreadable.
      }
      (kind === 'parquet' ? parquet : others).push(resolve(file));
    }
  }
  const parts: string[] = [];
  let exports: PoolStats | null = null;
  if (others.length > 0) {
    exports = await poolFiles(engine, others, { filter, onProblem });
    parts.push(`SELECT ${POOLED_COLUMNS} FROM pooled`);
  }
  if (parquet.length > 0) {
    parts.push(`SELECT ${POOLED_COLUMNS} FROM read_parquet(${listLit(parquet)}, hive_partitioning = true, union_by_name = true) WHERE ${filterSql(filter)}`);
  }
  if (parts.length === 0) parts.push(`SELECT ${POOLED_COLUMNS} FROM (SELECT NULL::VARCHAR AS schema, NULL::UUID AS id, NULL::TIMESTAMP AS hour, NULL::VARCHAR AS region, NULL::VARCHAR AS platform,
    NULL::VARCHAR AS host, NULL::VARCHAR AS resource, NULL::VARCHAR AS vantage, NULL::VARCHAR AS outcome, NULL::VARCHAR AS error, NULL::SMALLINT AS http_status,
    NULL::INTEGER AS ms_bucket, NULL::BIGINT AS count, NULL::BOOLEAN AS restricted, NULL::VARCHAR AS browser, NULL::VARCHAR AS extension, NULL::VARCHAR AS dataset) WHERE FALSE`);
  await engine.run(`CREATE VIEW records AS ${parts.join(' UNION ALL ')}`);
  return { parquetFiles: parquet.length, exports };
}
