import { parseConfig } from '../../functions/shared/config.js';
import type { DetectionDefinition } from '../../functions/shared/detection/detection-definition.js';
import type { Finding } from '../../functions/shared/detection/finding.js';
import { dataSpan, runDetections } from '../../functions/shared/detection/runner.js';
import { DuckDbEngine } from '../../functions/shared/engines/duckdb-engine.js';
import { prepareLocalBaselines } from '../../functions/shared/engines/local-baselines.js';
import { attachLocalFlows } from '../../functions/shared/engines/local-lake-tables.js';
import type { FlowRecord } from '../../functions/shared/flow-record.js';
import { FlowLakeWriter } from '../../functions/shared/lake/flow-lake-writer.js';
import { LocalLakeStore } from '../../functions/shared/lake/local-lake-store.js';
import type { DetectionFixture } from './flow-fixtures.js';

/** Writes records into a fresh lake folder, one Parquet file per source type and hour. */
export async function writeLake(lake: string, records: readonly FlowRecord[]): Promise<void> {
  const store = new LocalLakeStore(lake);
  const writers = new Map<string, FlowLakeWriter>();
  for (const record of records) {
    let writer = writers.get(record.source_type);
    if (writer === undefined) {
      writer = new FlowLakeWriter(store, record.source_type, 'fixture');
      writers.set(record.source_type, writer);
    }
    writer.add(record);
  }
  for (const writer of writers.values()) await writer.finish();
}

/** Runs detections on DuckDB over a lake holding exactly these records. */
export async function detectOn(
  lake: string,
  records: readonly FlowRecord[],
  detections: readonly DetectionDefinition[],
  fixture: Pick<DetectionFixture, 'config' | 'from' | 'to'> = {},
): Promise<Finding[]> {
  await writeLake(lake, records);
  const engine = await DuckDbEngine.open({ threads: 1 });
  try {
    await attachLocalFlows(engine, lake);
    const span = await dataSpan(engine);
    if (span === null) return [];
    const config = parseConfig(fixture.config ?? {});
    await prepareLocalBaselines(engine, lake, config);
    const result = await runDetections({
      engine,
      detections,
      config,
      from: fixture.from ? new Date(fixture.from) : span.start,
      to: fixture.to ? new Date(fixture.to) : span.end,
    });
    return [...result.findings];
  } finally {
    await engine.close();
  }
}
