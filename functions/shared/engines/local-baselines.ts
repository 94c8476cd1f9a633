import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WardflowConfig } from '../config.js';
import {
  BASELINE_COLUMNS,
  baselinePartitionPrefix,
  loadBaselineRollups,
  rollupSelect,
} from '../detection/baseline-rollups.js';
import type { QueryFile } from '../detection/query-file.js';
import type { QueryEngine } from './query-engine.js';

/** What a local refresh did, for the run summary. */
export interface BaselineRefreshSummary {
  /** Rollup days computed (new, or their flows changed since the last refresh). */
  readonly refreshed: number;
  /** Rollup days whose flows had not changed: kept as they were. */
  readonly current: number;
}

/** Marker beside a day's rollup: the fingerprint of the flow files it was computed from. */
const SOURCE_FILE = '_source.json';
const ROLLUP_FILE = 'part-0.parquet';

function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** The days (`YYYY-MM-DD`) holding flow files, from the lake's partition folders. */
export function lakeDays(lake: string): string[] {
  const days = new Set<string>();
  const flows = join(lake, 'flows');
  if (!existsSync(flows)) return [];
  for (const sourceType of readdirSync(flows, { withFileTypes: true })) {
    if (!sourceType.isDirectory()) continue;
    for (const day of readdirSync(join(flows, sourceType.name), { withFileTypes: true })) {
      const match = /^dt=(\d{4}-\d{2}-\d{2})$/.exec(day.name);
      if (day.isDirectory() && match !== null) days.add(match[1] as string);
    }
  }
  return [...days].sort();
}

/**
 * Identifies the flow files of one day by path, size and modification time: re-ingesting an
 * object rewrites its files, so a changed day gets a new fingerprint and its rollups are computed
 * again, while an unchanged day is not read at all.
 */
function dayFingerprint(lake: string, day: string): string {
  const hash = createHash('sha256');
  const flows = join(lake, 'flows');
  for (const sourceType of readdirSync(flows).sort()) {
    const dayDir = join(flows, sourceType, `dt=${day}`);
    if (!existsSync(dayDir)) continue;
    for (const hour of readdirSync(dayDir).sort()) {
      const hourDir = join(dayDir, hour);
      for (const name of readdirSync(hourDir).sort()) {
        if (!name.endsWith('.parquet')) continue;
        const stat = statSync(join(hourDir, name));
        hash.update(`${sourceType}/${hour}/${name}\t${stat.size}\t${stat.mtimeMs}\n`);
      }
    }
  }
  return hash.digest('hex');
}

/**
 * Materializes the baseline rollups of a local lake, day by day, with the same SELECT the cloud
 * runs in INSERT INTO (DuckDB's COPY writes it as Parquet under `baselines/`), and only for days
 * whose flows changed since the last refresh. Needs the `flows` table attached.
 */
export async function refreshLocalBaselines(
  engine: QueryEngine,
  lake: string,
  rollups: readonly QueryFile[],
  config: WardflowConfig,
): Promise<BaselineRefreshSummary> {
  let refreshed = 0;
  let current = 0;
  const days = lakeDays(lake);
  for (const rollup of rollups) {
    for (const day of days) {
      const folder = join(lake, baselinePartitionPrefix(rollup.header.id, day));
      const marker = join(folder, SOURCE_FILE);
      const select = rollupSelect(rollup, day, config);
      // The bound SELECT carries the configuration it depends on (zone tags): a changed zone
      // definition recomputes the rollups as surely as changed flows do.
      const fingerprint = JSON.stringify({
        flows: dayFingerprint(lake, day),
        sql: createHash('sha256').update(select).digest('hex'),
      });
      if (existsSync(marker) && (await readFile(marker, 'utf8')) === fingerprint) {
        current++;
        continue;
      }
      await mkdir(folder, { recursive: true });
      await rm(marker, { force: true });
      // Written beside the final name and renamed: a reader never sees half a file.
      const temporary = join(folder, `${ROLLUP_FILE}.tmp`);
      await engine.execute(
        `COPY (${select}) TO ${sqlString(temporary)} (FORMAT PARQUET, COMPRESSION SNAPPY)`,
      );
      await rename(temporary, join(folder, ROLLUP_FILE));
      await writeFile(marker, fingerprint);
      refreshed++;
    }
  }
  await removeStaleDays(lake, rollups, new Set(days));
  return { refreshed, current };
}

/** Rollup days whose flows are gone from the lake would otherwise haunt every lookback. */
async function removeStaleDays(
  lake: string,
  rollups: readonly QueryFile[],
  days: ReadonlySet<string>,
): Promise<void> {
  for (const rollup of rollups) {
    const root = join(lake, 'baselines', `baseline_id=${rollup.header.id}`);
    if (!existsSync(root)) continue;
    for (const entry of readdirSync(root)) {
      const match = /^dt=(.*)$/.exec(entry);
      if (match !== null && !days.has(match[1] as string))
        await rm(join(root, entry), { recursive: true, force: true });
    }
  }
}

/**
 * Makes the lake's `baselines/` queryable as the table `baselines`, typed as in
 * queries/tables/baselines.sql, or an empty table of that shape when nothing is materialized.
 */
export async function attachLocalBaselines(engine: QueryEngine, lake: string): Promise<void> {
  const partitions = 'baseline_id VARCHAR, dt VARCHAR';
  const hasRollups = lakeRollupFiles(lake);
  if (!hasRollups) {
    const columns = BASELINE_COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ');
    await engine.execute(`CREATE OR REPLACE TABLE baselines (${columns}, ${partitions})`);
    return;
  }
  const glob = join(lake, 'baselines', '*', '*', '*.parquet');
  const select = BASELINE_COLUMNS.map(([name, type]) => `CAST(${name} AS ${type}) AS ${name}`);
  await engine.execute(
    `CREATE OR REPLACE VIEW baselines AS SELECT ${select.join(', ')}, baseline_id, dt FROM read_parquet(${sqlString(glob)}, hive_partitioning = true, hive_types = {'baseline_id': VARCHAR, 'dt': VARCHAR})`,
  );
}

function lakeRollupFiles(lake: string): boolean {
  const root = join(lake, 'baselines');
  if (!existsSync(root)) return false;
  for (const id of readdirSync(root)) {
    for (const day of readdirSync(join(root, id))) {
      if (existsSync(join(root, id, day, ROLLUP_FILE))) return true;
    }
  }
  return false;
}

/**
 * Brings a local lake's baselines up to date and attaches them: what every local detection run
 * does after attaching `flows`, so the lookback of a detection always reflects the lake.
 */
export async function prepareLocalBaselines(
  engine: QueryEngine,
  lake: string,
  config: WardflowConfig,
  rollups: readonly QueryFile[] = loadBaselineRollups(),
): Promise<BaselineRefreshSummary> {
  const summary = await refreshLocalBaselines(engine, lake, rollups, config);
  await attachLocalBaselines(engine, lake);
  return summary;
}
