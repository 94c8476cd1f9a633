import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../../../functions/shared/config-file.js';
import { ZoneResolver } from '../../../../functions/shared/enrich/zones.js';
import { ingestObject } from '../../../../functions/shared/ingest/ingest-object.js';
import { LocalLakeStore } from '../../../../functions/shared/lake/local-lake-store.js';
import { useTempDirs } from '../../../helpers/temp-dir.js';

/**
 * End-to-end golden files: each input under `test/fixtures/ingest/` is ingested with the folder's
 * `wardflow.yaml`, the lake is read back with DuckDB, and the normalized rows, the quarantine and
 * the counts must equal `<input>.expected.json`. Set WARDFLOW_WRITE_GOLDEN=1 to write a missing
 * expected file for a new input (then review it by hand before committing it).
 */
const FOLDER = join(import.meta.dirname, '../../../fixtures/ingest');
const tempDir = useTempDirs();
const inputs = readdirSync(FOLDER)
  .filter((f) => !f.endsWith('.expected.json') && f !== 'wardflow.yaml')
  .sort();

async function readLake(lake: string): Promise<unknown[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const glob = join(lake, 'flows/**/*.parquet');
  if (readdirSync(lake).includes('flows') === false) return [];
  const reader = await connection.runAndReadAll(
    `SELECT source_type, dt::VARCHAR AS dt, hr,
       epoch_ms(start_time) AS start_time, epoch_ms(end_time) AS end_time, * EXCLUDE (start_time, end_time, source_type, dt, hr)
     FROM read_parquet('${glob}', hive_partitioning = true) ORDER BY start_time, raw_ref`,
  );
  const rows = reader.getRowObjectsJson();
  connection.closeSync();
  return rows;
}

function readQuarantine(lake: string): unknown[] {
  const folder = join(lake, 'quarantine');
  if (!existsSync(folder)) return [];
  const entries: unknown[] = [];
  for (const type of readdirSync(folder)) {
    for (const file of readdirSync(join(folder, type))) {
      for (const line of readFileSync(join(folder, type, file), 'utf8')
        .trim()
        .split('\n')) {
        entries.push({ file: type, ...JSON.parse(line) });
      }
    }
  }
  return entries;
}

describe('Ingest: golden files, parse to Parquet and back', () => {
  it.each(inputs)('ingests %s as its golden file says', async (input) => {
    // Prepare
    const config = await loadConfigFile(join(FOLDER, 'wardflow.yaml'));
    const lake = tempDir();
    const path = join(FOLDER, input);
    const bytes = readFileSync(path);

    // Act
    const outcome = await ingestObject(
      {
        ref: input,
        identity: input,
        defaultSensor: 'golden-site',
        open: async function* () {
          yield bytes;
        },
      },
      {
        store: new LocalLakeStore(lake),
        zones: new ZoneResolver(config),
        timezone: config.timezone,
      },
    );
    const { lake_files: _files, ...counts } = outcome as typeof outcome & { lake_files?: unknown };
    const actual = {
      outcome: counts,
      rows: await readLake(lake),
      quarantine: readQuarantine(lake),
    };

    // Assess
    const expectedPath = `${path}.expected.json`;
    if (!existsSync(expectedPath) && process.env.WARDFLOW_WRITE_GOLDEN === '1') {
      writeFileSync(expectedPath, `${JSON.stringify(actual, null, 2)}\n`);
    }
    expect(actual).toEqual(JSON.parse(readFileSync(expectedPath, 'utf8')));
  });
});
