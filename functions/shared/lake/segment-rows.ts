import { type Direction, FLOW_COLUMNS, type FlowRecord, type ParsedFlow } from '../flow-record.js';
import { hourBucket } from './partition.js';
import type { DetachedRowGroup, SharedRowGroupEncoder } from './shared-row-group-encoder.js';

type ColumnValue = number | string | null;

/** The rows one segment of an input puts in one partition, encoded as one row group. */
export interface PartitionRowGroup {
  /** The partition's hour (`hourBucket` of the rows' start time). */
  readonly bucket: number;
  readonly group: DetachedRowGroup;
}

/**
 * The rows of one input segment, in column buffers per hour partition. Holds at most one
 * segment's rows, then encodes each partition's rows as one detached row group, so a row
 * group's bounds depend only on the segment's bounds. Columns in FLOW_COLUMNS order (checked
 * at load by `flow-lake-writer.ts`).
 */
export class SegmentRows {
  private readonly partitions = new Map<number, ColumnValue[][]>();
  private lastBucket = Number.NaN;
  private last: ColumnValue[][] | undefined;

  /** Buffers one record. */
  public add(record: FlowRecord): void {
    const columns = this.columnsOf(record.start_time);
    for (let i = 0; i < FLOW_COLUMNS.length; i++) {
      (columns[i] as ColumnValue[]).push(
        record[(FLOW_COLUMNS[i] as (typeof FLOW_COLUMNS)[number]).name] as ColumnValue,
      );
    }
  }

  /** `add` for a parsed flow and its enrichment, with no record object in between. */
  public addFlow(
    flow: ParsedFlow,
    direction: Direction,
    srcZone: string,
    dstZone: string,
    communityId: string | null,
    rawRef: string,
  ): void {
    const c = this.columnsOf(flow.start_time);
    (c[0] as ColumnValue[]).push(flow.start_time);
    (c[1] as ColumnValue[]).push(flow.end_time);
    (c[2] as ColumnValue[]).push(flow.src_ip);
    (c[3] as ColumnValue[]).push(flow.dst_ip);
    (c[4] as ColumnValue[]).push(flow.src_port);
    (c[5] as ColumnValue[]).push(flow.dst_port);
    (c[6] as ColumnValue[]).push(flow.protocol);
    (c[7] as ColumnValue[]).push(flow.bytes_out);
    (c[8] as ColumnValue[]).push(flow.packets_out);
    (c[9] as ColumnValue[]).push(flow.bytes_in);
    (c[10] as ColumnValue[]).push(flow.packets_in);
    (c[11] as ColumnValue[]).push(flow.action);
    (c[12] as ColumnValue[]).push(flow.tcp_flags);
    (c[13] as ColumnValue[]).push(flow.conn_state);
    (c[14] as ColumnValue[]).push(direction);
    (c[15] as ColumnValue[]).push(srcZone);
    (c[16] as ColumnValue[]).push(dstZone);
    (c[17] as ColumnValue[]).push(flow.sensor);
    (c[18] as ColumnValue[]).push(communityId);
    (c[19] as ColumnValue[]).push(rawRef);
  }

  private columnsOf(startTime: number): ColumnValue[][] {
    const bucket = hourBucket(startTime);
    if (bucket === this.lastBucket && this.last !== undefined) return this.last;
    let columns = this.partitions.get(bucket);
    if (columns === undefined) {
      columns = FLOW_COLUMNS.map(() => []);
      this.partitions.set(bucket, columns);
    }
    this.lastBucket = bucket;
    this.last = columns;
    return columns;
  }

  /** Encodes every partition's rows (in order of first appearance) and empties the buffers. */
  public encode(encoder: SharedRowGroupEncoder): PartitionRowGroup[] {
    const out: PartitionRowGroup[] = [];
    for (const [bucket, columns] of this.partitions) {
      const group = encoder.encodeDetached(columns);
      if (group !== null) out.push({ bucket, group });
    }
    this.partitions.clear();
    this.last = undefined;
    this.lastBucket = Number.NaN;
    return out;
  }
}
