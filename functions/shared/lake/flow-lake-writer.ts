import { FLOW_COLUMNS, type FlowRecord, type SourceType } from '../flow-record.js';
import type { LakeStore, StagedObject } from './lake-store.js';
import { ParquetFileWriter } from './parquet-writer.js';
import { hourBucket, partitionOfHour, partitionPath } from './partition.js';

/** Options of {@link FlowLakeWriter}. */
export interface FlowLakeWriterOptions {
  /**
   * Rows buffered per partition before they are encoded as one Parquet row group. Bounds memory:
   * at most this many rows per open partition are held as JS values.
   * @default 131072
   */
  readonly rowGroupRows?: number;
}

type ColumnValue = number | string | null;

/** One partition's open Parquet file and the rows not yet encoded. */
interface OpenPartition {
  readonly path: string;
  readonly columns: ColumnValue[][];
  staged: StagedObject | undefined;
  writer: ParquetFileWriter | undefined;
  rows: number;
}

/**
 * Writes the flows of one input object into the lake, one Parquet file per
 * `source_type/dt/hr` partition the object's flows fall in. Every file is named after the
 * object's identity (`<stem>.parquet`), so ingesting the same object again replaces its files
 * instead of adding new ones. Rows keep input order, so the same input gives the same bytes.
 */
export class FlowLakeWriter {
  private readonly partitions = new Map<number, OpenPartition>();
  private readonly rowGroupRows: number;

  public constructor(
    private readonly store: LakeStore,
    private readonly sourceType: SourceType,
    private readonly stem: string,
    options: FlowLakeWriterOptions = {},
  ) {
    this.rowGroupRows = options.rowGroupRows ?? 131_072;
  }

  /** Buffers one record; encodes a row group when its partition's buffer is full. */
  public add(record: FlowRecord): void {
    const bucket = hourBucket(record.start_time);
    let partition = this.partitions.get(bucket);
    if (partition === undefined) {
      partition = {
        path: `${partitionPath(partitionOfHour(this.sourceType, bucket))}/${this.stem}.parquet`,
        columns: FLOW_COLUMNS.map(() => []),
        staged: undefined,
        writer: undefined,
        rows: 0,
      };
      this.partitions.set(bucket, partition);
    }
    const columns = partition.columns;
    for (let i = 0; i < FLOW_COLUMNS.length; i++) {
      (columns[i] as ColumnValue[]).push(
        record[(FLOW_COLUMNS[i] as (typeof FLOW_COLUMNS)[number]).name] as ColumnValue,
      );
    }
    if (++partition.rows >= this.rowGroupRows) this.flush(partition);
  }

  /** Encodes the buffered rows of a partition as a row group. */
  private flush(partition: OpenPartition): void {
    if (partition.rows === 0) return;
    if (partition.writer === undefined) {
      partition.staged = this.store.stage(partition.path);
      partition.writer = new ParquetFileWriter(partition.staged.sink, FLOW_COLUMNS);
    }
    partition.writer.writeRowGroup(partition.columns);
    for (const column of partition.columns) column.length = 0;
    partition.rows = 0;
  }

  /** Finishes and commits every partition file; returns their lake paths, sorted. */
  public async finish(): Promise<string[]> {
    const paths: string[] = [];
    for (const partition of this.partitions.values()) {
      this.flush(partition);
      partition.writer?.finish();
      await partition.staged?.commit();
      paths.push(partition.path);
    }
    this.partitions.clear();
    return paths.sort();
  }

  /** Discards every file not yet committed. */
  public async abort(): Promise<void> {
    for (const partition of this.partitions.values()) await partition.staged?.abort();
    this.partitions.clear();
  }
}
