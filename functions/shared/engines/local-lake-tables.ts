import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
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
  if (!hasFiles(lake, 'flows', '.parquet')) {
    const columns = FLOWS_COLUMNS_DUCKDB.map(([name, type]) => `${name} ${type}`).join(', ');
    await engine.execute(`CREATE OR REPLACE TABLE flows (${columns})`);
    return;
  }
  const glob = join(lake, 'flows', '*', '*', '*', '*.parquet');
  // The files store UTC instants (isAdjustedToUTC), which DuckDB reads as TIMESTAMPTZ; a plain
  // CAST converts every row through the time-zone library (about 6 s per 10M rows). Rebuilding the
  // naive UTC timestamp from the epoch is exact and about four times faster.
  const select = FLOWS_COLUMNS_DUCKDB.map(([name, type]) =>
    type === 'TIMESTAMP'
      ? `make_timestamp(epoch_us(${name})) AS ${name}`
      : `CAST(${name} AS ${type}) AS ${name}`,
  ).join(', ');
  await engine.execute(
    `CREATE OR REPLACE VIEW flows AS SELECT ${select} FROM read_parquet(${sqlString(glob)}, hive_partitioning = true, hive_types = {'source_type': VARCHAR, 'dt': VARCHAR, 'hr': VARCHAR})`,
  );
}

/** True when the lake holds files below `folder/`. */
function hasFiles(lake: string, folder: string, suffix: string): boolean {
  const root = join(lake, folder);
  if (!existsSync(root)) return false;
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop() as string;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith(suffix)) return true;
      if (entry.isDirectory()) stack.push(join(dir, entry.name));
    }
  }
  return false;
}

/** Columns of the `findings` table (queries/tables/findings.sql) in DuckDB spelling. */
const FINDINGS_COLUMNS: readonly (readonly [string, string])[] = [
  ['finding_id', 'VARCHAR'],
  ['title', 'VARCHAR'],
  ['severity', 'VARCHAR'],
  ['window_start', 'VARCHAR'],
  ['window_end', 'VARCHAR'],
  ['first_seen', 'VARCHAR'],
  ['last_seen', 'VARCHAR'],
  ['src_ip', 'VARCHAR'],
  ['dst_ip', 'VARCHAR'],
  ['dst_port', 'INTEGER'],
  ['protocol', 'INTEGER'],
  ['src_zone', 'VARCHAR'],
  ['dst_zone', 'VARCHAR'],
  ['metrics', 'JSON'],
  ['mitre', 'VARCHAR[]'],
  ['hipaa', 'VARCHAR[]'],
  ['evidence', 'STRUCT(flow_count BIGINT, raw_refs VARCHAR[])'],
  ['summary', 'VARCHAR'],
  ['status', 'VARCHAR'],
  ['suppression_reason', 'VARCHAR'],
];

const PARTITIONS: readonly (readonly [string, string])[] = [
  ['dt', 'VARCHAR'],
  ['detection_id', 'VARCHAR'],
];

async function attachJsonTable(
  engine: QueryEngine,
  lake: string,
  table: string,
  columns: readonly (readonly [string, string])[],
): Promise<void> {
  if (!hasFiles(lake, table, '.jsonl')) {
    const all = [...columns, ...PARTITIONS].map(([name, type]) => `${name} ${type}`).join(', ');
    await engine.execute(`CREATE OR REPLACE TABLE ${table} (${all})`);
    return;
  }
  const glob = join(lake, table, '*', '*', '*.jsonl');
  const spec = columns.map(([name, type]) => `${sqlString(name)}: ${sqlString(type)}`).join(', ');
  await engine.execute(
    `CREATE OR REPLACE VIEW ${table} AS SELECT * FROM read_json(${sqlString(glob)}, format = 'newline_delimited', columns = {${spec}}, hive_partitioning = true, hive_types = {'dt': VARCHAR, 'detection_id': VARCHAR})`,
  );
}

/** Makes the lake's `findings/` and `evidence/` queryable as the tables `findings` and `evidence`. */
export async function attachLocalFindings(engine: QueryEngine, lake: string): Promise<void> {
  await attachJsonTable(engine, lake, 'findings', FINDINGS_COLUMNS);
  await attachJsonTable(engine, lake, 'evidence', [
    ['finding_id', 'VARCHAR'],
    ['raw_ref', 'VARCHAR'],
  ]);
}
