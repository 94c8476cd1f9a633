import { join } from 'node:path';
import type { WardflowConfig } from '../config.js';
import { bindParameters } from '../engines/sql-parameters.js';
import { auditParameters, loadAuditQueries } from './audit-queries.js';
import { QUERIES_DIR } from './detection-catalog.js';
import { type QueryFile, QueryFileError } from './query-file.js';

/**
 * Columns of the `baselines` table (queries/tables/baselines.sql) in table order, partition
 * columns excluded: a rollup's SELECT yields exactly these, so Athena's INSERT INTO (which maps
 * columns by position) and the local Parquet files agree. A test checks them against the DDL.
 */
export const BASELINE_COLUMNS: readonly (readonly [string, string])[] = [
  ['host', 'VARCHAR'],
  ['host_zone', 'VARCHAR'],
  ['peer', 'VARCHAR'],
  ['peer_zone', 'VARCHAR'],
  ['direction', 'VARCHAR'],
  ['role', 'VARCHAR'],
  ['initiation', 'BOOLEAN'],
  ['dst_port', 'INTEGER'],
  ['protocol', 'INTEGER'],
  ['source_type', 'VARCHAR'],
  ['sensor', 'VARCHAR'],
  ['hour', 'TIMESTAMP'],
  ['flows', 'BIGINT'],
  ['bytes', 'BIGINT'],
  ['first_seen', 'TIMESTAMP'],
  ['last_seen', 'TIMESTAMP'],
];

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The baseline files that are materialized (`-- materialize: daily`): SELECTs over `flows` for
 * one day, `[:period_start, :period_end)`, whose rows are stored in `baselines` under their id.
 * The other files in queries/baselines/ compute statistics from those rows when read.
 */
export function loadBaselineRollups(folder = join(QUERIES_DIR, 'baselines')): QueryFile[] {
  const rollups = loadAuditQueries(folder).filter((f) => f.header.fields.materialize === 'daily');
  for (const rollup of rollups) {
    // The id becomes a partition value and a path segment.
    if (!/^[a-z0-9][a-z0-9-]*$/.test(rollup.header.id))
      throw new QueryFileError(
        rollup.path,
        `expected an id of a-z, 0-9 and -, got ${rollup.header.id}`,
      );
  }
  return rollups;
}

/** The UTC day `[day, day + 1)` as Dates; `day` is `YYYY-MM-DD`. */
export function dayBounds(day: string): { readonly start: Date; readonly end: Date } {
  if (!DAY.test(day))
    throw new RangeError(`expected a day as YYYY-MM-DD, got ${JSON.stringify(day)}`);
  const start = new Date(`${day}T00:00:00.000Z`);
  return { start, end: new Date(start.getTime() + 86_400_000) };
}

/** A rollup's SELECT for one day, parameters bound: the same text on every engine. */
export function rollupSelect(rollup: QueryFile, day: string, config: WardflowConfig): string {
  const { start, end } = dayBounds(day);
  return bindParameters(rollup.sql, auditParameters(config, start, end));
}

/**
 * The Athena statement that materializes one rollup for one day. INSERT INTO appends, so the
 * caller empties the partition's prefix ({@link baselinePartitionPrefix}) first: a refresh of a
 * day replaces it instead of doubling it.
 */
export function athenaBaselineInsert(
  rollup: QueryFile,
  day: string,
  config: WardflowConfig,
): string {
  const columns = BASELINE_COLUMNS.map(([name]) => name).join(', ');
  return `INSERT INTO baselines\nSELECT ${columns}, '${rollup.header.id}' AS baseline_id, '${day}' AS dt\nFROM (\n${rollupSelect(rollup, day, config)}\n) AS rollup_rows`;
}

/** Where one rollup's day lives, relative to the lake root (Hive-style, as Athena writes it). */
export function baselinePartitionPrefix(baselineId: string, day: string): string {
  dayBounds(day);
  return `baselines/baseline_id=${baselineId}/dt=${day}/`;
}
