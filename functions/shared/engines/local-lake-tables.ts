import { join } from 'node:path';
import { lakeHasFlows } from './duckdb-engine.js';
import type { QueryEngine } from './query-engine.js';

/**
 * The `flows` table's columns with the types of `queries/tables/flows.sql` (Athena), in DuckDB
 * spelling. Local views cast to exactly these, so a query sees the same types on both engines.
 */
export const FLOWS_COLUMNS_DUCKDB: readonly (readonly [string, string])[] = [
  ['start_time', 'TIMESTAMP'],
  ['end_time', 'TIMESTAMP'],
  ['src_ip', 'VARCHAR'],
  ['dst_ip', 'VARCHAR'],
  ['src_port', 'INTEGER'],
  ['dst_port', 'INTEGER'],
  ['protocol', 'INTEGER'],
  ['bytes_out', 'BIGINT'],
  ['packets_out', 'BIGINT'],
  ['bytes_in', 'BIGINT'],
  ['packets_in', 'BIGINT'],
  ['action', 'VARCHAR'],
  ['tcp_flags', 'INTEGER'],
  ['conn_state', 'VARCHAR'],
  ['direction', 'VARCHAR'],
  ['src_zone', 'VARCHAR'],
  ['dst_zone', 'VARCHAR'],
  ['sensor', 'VARCHAR'],
  ['community_id', 'VARCHAR'],
  ['raw_ref', 'VARCHAR'],
  ['source_type', 'VARCHAR'],
  ['dt', 'VARCHAR'],
  ['hr', 'VARCHAR'],
];

function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * Makes a local lake folder queryable as the table `flows`: a view over its Parquet files with
 * partition keys from the paths (as Athena's partition projection does), or an empty table of the
 * same shape when the lake holds no flows yet.
 */
export async function attachLocalFlows(engine: QueryEngine, lake: string): Promise<void> {
  if (!lakeHasFlows(lake)) {
    const columns = FLOWS_COLUMNS_DUCKDB.map(([name, type]) => `${name} ${type}`).join(', ');
    await engine.execute(`CREATE OR REPLACE TABLE flows (${columns})`);
    return;
  }
  const glob = join(lake, 'flows', '*', '*', '*', '*.parquet');
  const select = FLOWS_COLUMNS_DUCKDB.map(
    ([name, type]) => `CAST(${name} AS ${type}) AS ${name}`,
  ).join(', ');
  await engine.execute(
    `CREATE OR REPLACE VIEW flows AS SELECT ${select} FROM read_parquet(${sqlString(glob)}, hive_partitioning = true, hive_types = {'source_type': VARCHAR, 'dt': VARCHAR, 'hr': VARCHAR})`,
  );
}
