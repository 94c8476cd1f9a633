import { FLOW_COLUMNS, type FlowRecord, type SourceType } from '../flow-record.js';
import type { LakeStore, StagedObject } from './lake-store.js';
import { hourBucket, partitionOfHour, partitionPath } from './partition.js';
import type { RowGroupColumns } from './row-group-columns.js';
import {
  type DetachedRowGroup,
  type EncodedParquetFile,
  SharedRowGroupEncoder,
} from './shared-row-group-encoder.js';

/** Options of {@link FlowLakeWriter}. */
export interface FlowLakeWriterOptions {
  /**
   * Rows buffered per partition before they are encoded as one Parquet row group. Bounds memory:
   * at most this many rows per open partition are held as JS values.
   * @default 131072
   */
  readonly rowGroupRows?: number;
  /**
   * Rows buffered across all partitions. When an object's flows spread over many hours, each
   * partition keeps a partial row group until `finish()`; past this total, the partition holding
   * the most rows is encoded early (a smaller row group), so memory stays bounded by this
   * number, not by the number of partitions. Deterministic: it depends only on the input order.
   * @default 2 × rowGroupRows
   */
  readonly maxBufferedRows?: number;
}

type ColumnValue = number | string | null;

/** One partition's open Parquet file and the rows not yet encoded. */
interface OpenPartition {
  readonly path: string;
  readonly columns: ColumnValue[][];
  staged: StagedObject | undefined;
  file: EncodedParquetFile | undefined;
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
  private readonly maxBufferedRows: number;
  /** One set of encoding buffers for every partition file (see SharedRowGroupEncoder). */
  private readonly encoder = new SharedRowGroupEncoder(FLOW_COLUMNS);
  private bufferedRows = 0;
  // The partition of the previous record: consecutive records mostly share their hour.
  private lastBucket = Number.NaN;
  private lastPartition: OpenPartition | undefined;

  public constructor(
    private readonly store: LakeStore,
    private readonly sourceType: SourceType,
    private readonly stem: string,
    options: FlowLakeWriterOptions = {},
  ) {
    this.rowGroupRows = options.rowGroupRows ?? 131_072;
    this.maxBufferedRows = options.maxBufferedRows ?? 2 * this.rowGroupRows;
  }

  /** Buffers one record; encodes a row group when its partition's buffer is full. */
  public add(record: FlowRecord): void {
    const partition = this.partitionOf(record.start_time);
    const columns = partition.columns;
    for (let i = 0; i < FLOW_COLUMNS.length; i++) {
      (columns[i] as ColumnValue[]).push(
        record[(FLOW_COLUMNS[i] as (typeof FLOW_COLUMNS)[number]).name] as ColumnValue,
      );
    }
    this.counted(partition);
  }

  /**
   * Appends a row group encoded elsewhere (`SegmentRows`) to the file of the partition of hour
   * `bucket`, after that partition's buffered rows, if any.
   */
  public appendRowGroup(bucket: number, group: DetachedRowGroup): void {
    this.encoder.append(this.fileOf(bucket), group);
  }

  /**
   * Encodes rows in column buffers (`SegmentRows`) as one row group of the file of the partition
   * of hour `bucket`, after that partition's buffered rows, if any: the bytes `appendRowGroup`
   * of the same rows encoded detached would write, without the copy.
   *
   * @throws {ParquetEncodeError} if a value does not fit its column
   */
  public writeColumns(bucket: number, columns: RowGroupColumns): void {
    this.encoder.writeColumns(this.fileOf(bucket), columns);
  }

  /** The open file of a partition, its buffered rows written first. */
  private fileOf(bucket: number): EncodedParquetFile {
    const partition = this.partitionOfBucket(bucket);
    this.flush(partition);
    if (partition.file === undefined) {
      partition.staged = this.store.stage(partition.path);
      partition.file = this.encoder.open(partition.staged.sink);
    }
    return partition.file;
  }

  private partitionOf(startTime: number): OpenPartition {
    return this.partitionOfBucket(hourBucket(startTime));
  }

  private partitionOfBucket(bucket: number): OpenPartition {
    if (bucket === this.lastBucket && this.lastPartition !== undefined) return this.lastPartition;
    let partition = this.partitions.get(bucket);
    if (partition === undefined) {
      partition = {
        path: `${partitionPath(partitionOfHour(this.sourceType, bucket))}/${this.stem}.parquet`,
        columns: FLOW_COLUMNS.map(() => []),
        staged: undefined,
        file: undefined,
        rows: 0,
      };
      this.partitions.set(bucket, partition);
    }
    this.lastBucket = bucket;
    this.lastPartition = partition;
    return partition;
  }

  /** Counts the row just added and encodes what the limits say must be encoded. */
  private counted(partition: OpenPartition): void {
    this.bufferedRows++;
    if (++partition.rows >= this.rowGroupRows) this.flush(partition);
    else if (this.bufferedRows > this.maxBufferedRows) {
      // The largest partition other than the one being filled, which is likely to fill up.
      let largest: OpenPartition | undefined;
      for (const candidate of this.partitions.values()) {
        if (candidate !== partition && candidate.rows > (largest?.rows ?? 0)) largest = candidate;
      }
      this.flush(largest ?? partition);
    }
  }

  /** Encodes the buffered rows of a partition as a row group. */
  private flush(partition: OpenPartition): void {
    if (partition.rows === 0) return;
    this.bufferedRows -= partition.rows;
    if (partition.file === undefined) {
      partition.staged = this.store.stage(partition.path);
      partition.file = this.encoder.open(partition.staged.sink);
    }
    this.encoder.writeRowGroup(partition.file, partition.columns);
    for (const column of partition.columns) column.length = 0;
    partition.rows = 0;
  }

  /** Finishes and commits every partition file; returns their lake paths, sorted. */
  public async finish(): Promise<string[]> {
    const paths: string[] = [];
    for (const partition of this.partitions.values()) {
      this.flush(partition);
      if (partition.file !== undefined) this.encoder.finish(partition.file);
      await partition.staged?.commit();
      paths.push(partition.path);
    }
    this.partitions.clear();
    this.lastPartition = undefined;
    return paths.sort();
  }

  /** Discards every file not yet committed. */
  public async abort(): Promise<void> {
    for (const partition of this.partitions.values()) await partition.staged?.abort();
    this.partitions.clear();
    this.lastPartition = undefined;
  }
}
