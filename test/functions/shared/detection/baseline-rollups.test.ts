import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../functions/shared/config.js';
import {
  athenaBaselineInsert,
  BASELINE_COLUMNS,
  baselinePartitionPrefix,
  dayBounds,
  loadBaselineRollups,
  rollupSelect,
} from '../../../../functions/shared/detection/baseline-rollups.js';
import { QUERIES_DIR } from '../../../../functions/shared/detection/detection-catalog.js';

/** Column names and Athena types of a CREATE EXTERNAL TABLE, partition columns excluded. */
function ddlColumns(ddl: string): [string, string][] {
  const body = /CREATE EXTERNAL TABLE[^(]*\(([\s\S]*?)\)\s*PARTITIONED BY/.exec(ddl)?.[1] ?? '';
  return body
    .split(',')
    .map((line) => line.trim().split(/\s+/))
    .filter((parts) => parts.length === 2)
    .map(([name, type]) => [name as string, type as string]);
}

const ATHENA_TO_DUCKDB: Record<string, string> = {
  string: 'VARCHAR',
  boolean: 'BOOLEAN',
  int: 'INTEGER',
  bigint: 'BIGINT',
  timestamp: 'TIMESTAMP',
};

describe('Baseline rollups', () => {
  const config = parseConfig({});

  it('declares the columns of queries/tables/baselines.sql, in table order', () => {
    const ddl = readFileSync(join(QUERIES_DIR, 'tables', 'baselines.sql'), 'utf8');
    const expected = ddlColumns(ddl).map(([name, type]) => [name, ATHENA_TO_DUCKDB[type]]);
    expect(expected.length).toBeGreaterThan(10);
    expect(BASELINE_COLUMNS.map(([n, t]) => [n, t])).toEqual(expected);
  });

  it('materializes exactly the files marked materialize: daily', () => {
    expect(loadBaselineRollups().map((r) => r.header.id)).toEqual([
      'device-profile',
      'host-peer-set',
    ]);
  });

  it('lists every materialized rollup in the table projection of baseline_id', () => {
    const ddl = readFileSync(join(QUERIES_DIR, 'tables', 'baselines.sql'), 'utf8');
    const values = /'projection\.baseline_id\.values' = '([^']*)'/.exec(ddl)?.[1]?.split(',');
    for (const rollup of loadBaselineRollups()) expect(values).toContain(rollup.header.id);
  });

  it('binds one UTC day as the period', () => {
    const rollup = loadBaselineRollups().find((r) => r.header.id === 'host-peer-set');
    const sql = rollupSelect(rollup as never, '2026-11-23', config);
    expect(sql).toContain("start_time >= TIMESTAMP '2026-11-23 00:00:00.000'");
    expect(sql).toContain("start_time < TIMESTAMP '2026-11-24 00:00:00.000'");
    expect(sql).toContain("dt BETWEEN '2026-11-23' AND '2026-11-23'");
    expect(sql).not.toMatch(/:[a-z_]+/);
  });

  it('inserts the columns by position with the partition values last', () => {
    const rollup = loadBaselineRollups().find((r) => r.header.id === 'host-peer-set');
    const sql = athenaBaselineInsert(rollup as never, '2026-11-23', config);
    const names = BASELINE_COLUMNS.map(([n]) => n).join(', ');
    expect(
      sql.startsWith(
        `INSERT INTO baselines\nSELECT ${names}, 'host-peer-set' AS baseline_id, '2026-11-23' AS dt\nFROM (`,
      ),
    ).toBe(true);
  });

  it('names the partition prefix the way Athena writes Hive partitions', () => {
    expect(baselinePartitionPrefix('host-peer-set', '2026-11-23')).toBe(
      'baselines/baseline_id=host-peer-set/dt=2026-11-23/',
    );
  });

  it('refuses a day that is not YYYY-MM-DD', () => {
    expect(() => dayBounds('2026-11-23T00:00')).toThrow(/expected a day as YYYY-MM-DD/);
    expect(() => baselinePartitionPrefix('x', '../../etc')).toThrow(/YYYY-MM-DD/);
  });
});
