import { FLOW_COLUMNS, type FlowRecord } from '../flow-record.js';
import { appendValue } from './column-analysis.js';
import { NumberColumn } from './number-column.js';
import { hourBucket } from './partition.js';
import type { RowGroupColumns } from './row-group-columns.js';
import type { DetachedRowGroup, SharedRowGroupEncoder } from './shared-row-group-encoder.js';
import { StringColumn } from './string-column.js';

/** Where {@link SegmentRows.writeTo} writes each partition's rows (`FlowLakeWriter`). */
export interface RowGroupTarget {
  writeColumns(bucket: number, columns: RowGroupColumns): void;
}

/** The rows one segment of an input puts in one partition, encoded as one row group. */
export interface PartitionRowGroup {
  /** The partition's hour (`hourBucket` of the rows' start time). */
  readonly bucket: number;
  readonly group: DetachedRowGroup;
}

/**
 * The column buffers of one partition's rows, by column name, for code that appends typed
 * values directly (the ingest fast path). Every append must be matched by one on each other
 * column, so that all columns hold the same number of rows.
 */
export class FlowColumns {
  public readonly startTime: NumberColumn;
  public readonly endTime: NumberColumn;
  public readonly srcIp: StringColumn;
  public readonly dstIp: StringColumn;
  public readonly srcPort: NumberColumn;
  public readonly dstPort: NumberColumn;
  public readonly protocol: NumberColumn;
  public readonly bytesOut: NumberColumn;
  public readonly packetsOut: NumberColumn;
  public readonly bytesIn: NumberColumn;
  public readonly packetsIn: NumberColumn;
  public readonly action: StringColumn;
  public readonly tcpFlags: NumberColumn;
  public readonly connState: StringColumn;
  public readonly direction: StringColumn;
  public readonly srcZone: StringColumn;
  public readonly dstZone: StringColumn;
  public readonly sensor: StringColumn;
  public readonly communityId: StringColumn;
  public readonly rawRef: StringColumn;

  /** @param buffers - buffers for FLOW_COLUMNS, from `SharedRowGroupEncoder.createColumns` */
  public constructor(public readonly buffers: RowGroupColumns) {
    const numbers = (name: keyof FlowRecord) => columnOf(buffers, name, NumberColumn);
    const strings = (name: keyof FlowRecord) => columnOf(buffers, name, StringColumn);
    this.startTime = numbers('start_time');
    this.endTime = numbers('end_time');
    this.srcIp = strings('src_ip');
    this.dstIp = strings('dst_ip');
    this.srcPort = numbers('src_port');
    this.dstPort = numbers('dst_port');
    this.protocol = numbers('protocol');
    this.bytesOut = numbers('bytes_out');
    this.packetsOut = numbers('packets_out');
    this.bytesIn = numbers('bytes_in');
    this.packetsIn = numbers('packets_in');
    this.action = strings('action');
    this.tcpFlags = numbers('tcp_flags');
    this.connState = strings('conn_state');
    this.direction = strings('direction');
    this.srcZone = strings('src_zone');
    this.dstZone = strings('dst_zone');
    this.sensor = strings('sensor');
    this.communityId = strings('community_id');
    this.rawRef = strings('raw_ref');
  }

  /**
   * Appends one record, checking every value against its column.
   *
   * @throws {ParquetEncodeError} naming the column, the row and the value seen
   */
  public add(record: FlowRecord): void {
    const columns = this.buffers.columns;
    for (let i = 0; i < FLOW_COLUMNS.length; i++) {
      const column = FLOW_COLUMNS[i] as (typeof FLOW_COLUMNS)[number];
      appendValue(column, columns[i] as RowGroupColumns['columns'][number], record[column.name]);
    }
  }
}

/** The buffer of column `name`, which must be of `kind` (a schema change must update this). */
function columnOf<T extends NumberColumn | StringColumn>(
  buffers: RowGroupColumns,
  name: keyof FlowRecord,
  kind: new (nullable: boolean) => T,
): T {
  const index = FLOW_COLUMNS.findIndex((column) => column.name === name);
  const column = buffers.columns[index];
  if (!(column instanceof kind)) {
    throw new TypeError(`FlowColumns: expected column '${name}' to be a ${kind.name}`);
  }
  return column;
}

/**
 * The rows of one input segment, in column buffers per hour partition. Holds at most one
 * segment's rows, then encodes each partition's rows as one detached row group, so a row
 * group's bounds depend only on the segment's bounds. The buffers are kept for the next
 * segment.
 */
export class SegmentRows {
  private readonly partitions = new Map<number, FlowColumns>();
  private readonly spare: FlowColumns[] = [];
  private lastBucket = Number.NaN;
  private last: FlowColumns | undefined;

  public constructor(private readonly encoder: SharedRowGroupEncoder) {}

  /** The buffers of the partition of a row starting at `startTime` (epoch ms). */
  public columnsFor(startTime: number): FlowColumns {
    const bucket = hourBucket(startTime);
    if (bucket === this.lastBucket && this.last !== undefined) return this.last;
    let columns = this.partitions.get(bucket);
    if (columns === undefined) {
      columns = this.spare.pop() ?? new FlowColumns(this.encoder.createColumns());
      this.partitions.set(bucket, columns);
    }
    this.lastBucket = bucket;
    this.last = columns;
    return columns;
  }

  /**
   * Buffers one record.
   *
   * @throws {ParquetEncodeError} if a value does not fit its column
   */
  public add(record: FlowRecord): void {
    this.columnsFor(record.start_time).add(record);
  }

  /** Encodes every partition's rows (in order of first appearance) and empties the buffers. */
  public encode(): PartitionRowGroup[] {
    const out: PartitionRowGroup[] = [];
    try {
      for (const [bucket, columns] of this.partitions) {
        const group = this.encoder.encodeDetachedColumns(columns.buffers);
        if (group !== null) out.push({ bucket, group });
      }
    } finally {
      this.discard();
    }
    return out;
  }

  /**
   * Writes every partition's rows (in order of first appearance) as one row group each, straight
   * into the files of `target`, and empties the buffers: `encode` without the detached copy, for
   * the thread that writes the files.
   */
  public writeTo(target: RowGroupTarget): void {
    try {
      for (const [bucket, columns] of this.partitions) target.writeColumns(bucket, columns.buffers);
    } finally {
      this.discard();
    }
  }

  /** Drops the rows buffered so far (after a failure mid-segment), keeping the buffers. */
  public discard(): void {
    for (const columns of this.partitions.values()) {
      columns.buffers.reset();
      this.spare.push(columns);
    }
    this.partitions.clear();
    this.last = undefined;
    this.lastBucket = Number.NaN;
  }
}
