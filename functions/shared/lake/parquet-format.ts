/**
 * The subset of the Parquet format's Thrift structures (parquet.thrift) that wardflow writes: page
 * headers and the file footer. Field ids are the ones of parquet-format; the TypeScript shapes
 * are camelCase and only carry what a flat schema needs.
 */
import { type ThriftCompactWriter, ThriftType } from './thrift-compact-writer.js';

/** Physical types (parquet.thrift `Type`). */
export enum PhysicalType {
  INT32 = 1,
  INT64 = 2,
  BYTE_ARRAY = 6,
}

/** Value and level encodings (parquet.thrift `Encoding`). */
export enum Encoding {
  PLAIN = 0,
  RLE = 3,
  RLE_DICTIONARY = 8,
}

/** Page compression codecs (parquet.thrift `CompressionCodec`). */
export enum CompressionCodec {
  UNCOMPRESSED = 0,
  SNAPPY = 1,
  GZIP = 2,
}

/** Page kinds (parquet.thrift `PageType`). */
export enum PageType {
  DATA_PAGE = 0,
  DICTIONARY_PAGE = 2,
}

/** Legacy logical annotations, still read by Hive-era readers (parquet.thrift `ConvertedType`). */
export enum ConvertedType {
  UTF8 = 0,
  TIMESTAMP_MILLIS = 9,
}

/** Whether a column may hold nulls (parquet.thrift `FieldRepetitionType`). */
export enum Repetition {
  REQUIRED = 0,
  OPTIONAL = 1,
}

/** The logical types wardflow uses (parquet.thrift `LogicalType` union members). */
export type LogicalType = { readonly kind: 'STRING' } | { readonly kind: 'TIMESTAMP_MILLIS_UTC' };

/** A data page (v1) or dictionary page header. */
export interface PageHeader {
  readonly type: PageType;
  readonly uncompressedPageSize: number;
  readonly compressedPageSize: number;
  /** Values in the page, nulls included (data pages) or dictionary entries (dictionary pages). */
  readonly numValues: number;
  /** Encoding of the values. */
  readonly encoding: Encoding;
}

/** min/max are the PLAIN encoding of the value (strings without the length prefix). */
export interface ColumnStatistics {
  readonly nullCount: number;
  readonly min?: Uint8Array;
  readonly max?: Uint8Array;
  /**
   * Also fill the deprecated `min`/`max` fields, which old readers use. Only correct for types
   * whose legacy order is the type order, i.e. signed integers.
   */
  readonly writeLegacyMinMax: boolean;
}

/** How many pages of a kind used an encoding (lets readers see a chunk is all dictionary). */
export interface PageEncodingCount {
  readonly pageType: PageType;
  readonly encoding: Encoding;
  readonly count: number;
}

/** ColumnMetaData of one column chunk. */
export interface ColumnChunkMetaData {
  readonly type: PhysicalType;
  readonly encodings: readonly Encoding[];
  readonly path: string;
  readonly codec: CompressionCodec;
  readonly numValues: number;
  readonly totalUncompressedSize: number;
  readonly totalCompressedSize: number;
  readonly dataPageOffset: number;
  readonly dictionaryPageOffset?: number;
  readonly statistics: ColumnStatistics;
  readonly encodingStats: readonly PageEncodingCount[];
}

/** One row group of the footer. */
export interface RowGroupMetaData {
  readonly columns: readonly ColumnChunkMetaData[];
  readonly numRows: number;
  readonly ordinal: number;
}

/** One leaf column of a flat schema. */
export interface SchemaColumn {
  readonly name: string;
  readonly type: PhysicalType;
  readonly repetition: Repetition;
  readonly convertedType?: ConvertedType;
  readonly logicalType?: LogicalType;
}

/** The file footer. */
export interface FileMetaData {
  readonly columns: readonly SchemaColumn[];
  readonly numRows: number;
  readonly rowGroups: readonly RowGroupMetaData[];
  readonly createdBy: string;
}

/** Encodes a page header (data page v1 or dictionary page). */
export function writePageHeader(w: ThriftCompactWriter, header: PageHeader): void {
  w.i32Field(1, header.type);
  w.i32Field(2, header.uncompressedPageSize);
  w.i32Field(3, header.compressedPageSize);
  if (header.type === PageType.DATA_PAGE) {
    w.structField(5);
    w.i32Field(1, header.numValues);
    w.i32Field(2, header.encoding);
    w.i32Field(3, Encoding.RLE); // definition levels
    w.i32Field(4, Encoding.RLE); // repetition levels (none in a flat schema)
    w.structEnd();
  } else {
    w.structField(7);
    w.i32Field(1, header.numValues);
    w.i32Field(2, header.encoding);
    w.structEnd();
  }
  w.structEnd();
}

/** Encodes the footer (FileMetaData), without the trailing length and magic. */
export function writeFileMetaData(w: ThriftCompactWriter, meta: FileMetaData): void {
  w.i32Field(1, 1); // version
  w.listField(2, ThriftType.STRUCT, meta.columns.length + 1);
  w.structBegin();
  w.stringField(4, 'schema');
  w.i32Field(5, meta.columns.length);
  w.structEnd();
  for (const column of meta.columns) writeSchemaColumn(w, column);
  w.i64Field(3, meta.numRows);
  w.listField(4, ThriftType.STRUCT, meta.rowGroups.length);
  for (const rowGroup of meta.rowGroups) writeRowGroup(w, rowGroup);
  w.stringField(6, meta.createdBy);
  // TypeDefinedOrder for every column: readers then trust min_value/max_value of strings.
  w.listField(7, ThriftType.STRUCT, meta.columns.length);
  for (let i = 0; i < meta.columns.length; i++) {
    w.structBegin();
    w.structField(1);
    w.structEnd();
    w.structEnd();
  }
  w.structEnd();
}

function writeSchemaColumn(w: ThriftCompactWriter, column: SchemaColumn): void {
  w.structBegin();
  w.i32Field(1, column.type);
  w.i32Field(3, column.repetition);
  w.stringField(4, column.name);
  if (column.convertedType !== undefined) w.i32Field(6, column.convertedType);
  if (column.logicalType !== undefined) {
    w.structField(10);
    if (column.logicalType.kind === 'STRING') {
      w.structField(1); // StringType
      w.structEnd();
    } else {
      w.structField(8); // TimestampType
      w.boolField(1, true); // isAdjustedToUTC
      w.structField(2); // unit: TimeUnit
      w.structField(1); // MILLIS
      w.structEnd();
      w.structEnd();
      w.structEnd();
    }
    w.structEnd();
  }
  w.structEnd();
}

function writeRowGroup(w: ThriftCompactWriter, rowGroup: RowGroupMetaData): void {
  let uncompressed = 0;
  let compressed = 0;
  for (const column of rowGroup.columns) {
    uncompressed += column.totalUncompressedSize;
    compressed += column.totalCompressedSize;
  }
  w.structBegin();
  w.listField(1, ThriftType.STRUCT, rowGroup.columns.length);
  for (const column of rowGroup.columns) writeColumnChunk(w, column);
  w.i64Field(2, uncompressed);
  w.i64Field(3, rowGroup.numRows);
  const first = rowGroup.columns[0];
  if (first !== undefined) w.i64Field(5, chunkStart(first));
  w.i64Field(6, compressed);
  if (rowGroup.ordinal < 0x8000) w.i16Field(7, rowGroup.ordinal);
  w.structEnd();
}

function chunkStart(column: ColumnChunkMetaData): number {
  return column.dictionaryPageOffset ?? column.dataPageOffset;
}

function writeColumnChunk(w: ThriftCompactWriter, column: ColumnChunkMetaData): void {
  w.structBegin();
  w.i64Field(2, chunkStart(column)); // file_offset: deprecated, writers put the chunk start
  w.structField(3);
  w.i32Field(1, column.type);
  w.listField(2, ThriftType.I32, column.encodings.length);
  for (const encoding of column.encodings) w.i32(encoding);
  w.listField(3, ThriftType.BINARY, 1);
  w.string(column.path);
  w.i32Field(4, column.codec);
  w.i64Field(5, column.numValues);
  w.i64Field(6, column.totalUncompressedSize);
  w.i64Field(7, column.totalCompressedSize);
  w.i64Field(9, column.dataPageOffset);
  if (column.dictionaryPageOffset !== undefined) w.i64Field(11, column.dictionaryPageOffset);
  writeStatistics(w, column.statistics);
  w.listField(13, ThriftType.STRUCT, column.encodingStats.length);
  for (const stat of column.encodingStats) {
    w.structBegin();
    w.i32Field(1, stat.pageType);
    w.i32Field(2, stat.encoding);
    w.i32Field(3, stat.count);
    w.structEnd();
  }
  w.structEnd();
  w.structEnd();
}

function writeStatistics(w: ThriftCompactWriter, stats: ColumnStatistics): void {
  w.structField(12);
  const { min, max } = stats;
  if (stats.writeLegacyMinMax && min !== undefined && max !== undefined) {
    w.binaryField(1, max);
    w.binaryField(2, min);
  }
  w.i64Field(3, stats.nullCount);
  if (min !== undefined && max !== undefined) {
    w.binaryField(5, max);
    w.binaryField(6, min);
  }
  w.structEnd();
}
