import type { SourceType } from '../flow-record.js';

/** A lake partition: `flows/source_type=<t>/dt=<YYYY-MM-DD>/hr=<HH>/`. */
export interface FlowPartition {
  readonly sourceType: SourceType;
  /** UTC date of the flows' start, `YYYY-MM-DD`. */
  readonly dt: string;
  /** UTC hour of the flows' start, `00`–`23`. */
  readonly hr: string;
}

const HOUR_MS = 3_600_000;

/** The UTC hour bucket (hours since the epoch) of an epoch-ms time; negative times floor too. */
export function hourBucket(epochMs: number): number {
  return Math.floor(epochMs / HOUR_MS);
}

/** `dt` and `hr` of an hour bucket. Relative-timestamp captures land in 1970-01-01. */
export function partitionOfHour(sourceType: SourceType, bucket: number): FlowPartition {
  const iso = new Date(bucket * HOUR_MS).toISOString();
  return { sourceType, dt: iso.slice(0, 10), hr: iso.slice(11, 13) };
}

/** The folder of a partition inside the lake, with `/` separators. */
export function partitionPath(partition: FlowPartition): string {
  return `flows/source_type=${partition.sourceType}/dt=${partition.dt}/hr=${partition.hr}`;
}
