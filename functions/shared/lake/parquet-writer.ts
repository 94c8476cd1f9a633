import { LakeWriteError } from '../errors.js';
import { type ByteSink, CountingSink } from './byte-sink.js';
import { analyzeColumn } from './column-analysis.js';
import { type ColumnChunkSettings, writeColumnChunk } from './column-chunk-writer.js';
import { ColumnPageWriter } from './column-page-writer.js';
import { EncodingScratch } from './encoding-scratch.js';
import {
  PARQUET_COMPRESSIONS,
  PageCompressor,
  type ParquetCompression,
} from './page-compression.js';
import { ParquetEncodeError } from './parquet-encode-error.js';
import {
  type ColumnChunkMetaData,
  type RowGroupMetaData,
  writeFileMetaData,
} from './parquet-format.js';
import { assertParquetColumns, toSchemaColumn } from './parquet-schema.js';
import { ThriftCompactWriter } from './thrift-compact-writer.js';

export type { ByteSink } from './byte-sink.js';
export type { ParquetCompression } from './page-compression.js';

/** One column of a flat Parquet schema (`FLOW_COLUMNS` entries are `ParquetColumnSpec`s). */
export interface ParquetColumnSpec {
  /** Column name as stored in the file. */
  readonly name: string;
  /**
   * Value type: `TIMESTAMP_MILLIS` (INT64, epoch milliseconds, UTC), `STRING` (UTF-8 BYTE_ARRAY),
   * `INT32` or `INT64`.
   */
  readonly type: 'TIMESTAMP_MILLIS' | 'STRING' | 'INT32' | 'INT64';
  /** Whether the column may hold nulls (OPTIONAL) or not (REQUIRED). */
  readonly nullable: boolean;
}

/** Tuning of {@link ParquetFileWriter}. */
export interface ParquetWriterOptions {
  /**
   * Page compression codec.
   * @default 'SNAPPY'
   */
  readonly compression?: ParquetCompression;
  /**
   * zlib level for `GZIP`, 1 (fastest) to 9 (smallest).
   * @default 1
   */
  readonly gzipLevel?: number;
  /**
   * Fraction of its size the codec must save on the first data page of a column chunk (on its
   * first 64 KiB, and then on the whole page, when the page is larger) for the chunk to be
   * compressed; otherwise the chunk is stored UNCOMPRESSED (Parquet records the codec per column
   * chunk, and readers honour it). Saves compressing random-looking data, such as community ids
   * or bit-packed dictionary indices, for a few percent. 0 compresses every chunk.
   * @default 0.2
   */
  readonly minCompressionSavings?: number;
  /**
   * Target uncompressed size of a data page.
   * @default 1048576 (1 MiB)
   */
  readonly pageSizeBytes?: number;
  /**
   * Largest dictionary page of a column chunk; a chunk whose distinct values need more is
   * written PLAIN. 0 turns dictionary encoding off.
   * @default 1048576 (1 MiB, parquet-mr's default)
   */
  readonly maxDictionaryBytes?: number;
}

/** The `created_by` of every file; fixed so output is reproducible. */
export const PARQUET_CREATED_BY = 'wardflow';

const MAGIC = new Uint8Array([0x50, 0x41, 0x52, 0x31]); // "PAR1"

/**
 * Streams a Parquet file with a flat schema to a {@link ByteSink}, one row group per
 * `writeRowGroup` call; each row group is encoded and written at once, and only the footer
 * metadata stays in memory. Output uses data page v1, PLAIN and RLE_DICTIONARY values, RLE
 * definition levels and column statistics, so DuckDB, Trino/Athena and hyparquet read it; the
 * same input always gives the same bytes.
 *
 * @example
 * const sink = openFileSink('/tmp/flows.parquet');
 * const writer = new ParquetFileWriter(sink, FLOW_COLUMNS);
 * writer.writeRowGroup(columns); // one array per column
 * writer.finish();
 * sink.close();
 */
export class ParquetFileWriter {
  private readonly columns: readonly ParquetColumnSpec[];
  private readonly out: CountingSink;
  private readonly pages: ColumnPageWriter;
  private readonly settings: ColumnChunkSettings;
  private readonly maxDictionaryBytes: number;
  /**
   * Per column, so that every column of a row group is analysed before any is written; about
   * 180 bytes per row of the largest row group for FLOW_COLUMNS, released by `finish()`.
   */
  private scratch: readonly EncodingScratch[];
  private readonly rowGroups: RowGroupMetaData[] = [];
  private rows = 0;
  private state: 'open' | 'finished' | 'failed' = 'open';

  /**
   * Validates the schema and options and writes the file's leading magic bytes.
   *
   * @throws {ParquetEncodeError} if a column or an option is invalid
   */
  public constructor(
    sink: ByteSink,
    columns: readonly ParquetColumnSpec[],
    options: ParquetWriterOptions = {},
  ) {
    assertParquetColumns(columns);
    const compression = options.compression ?? 'SNAPPY';
    if (!PARQUET_COMPRESSIONS.includes(compression)) {
      throw new ParquetEncodeError(
        `compression: expected 'UNCOMPRESSED', 'SNAPPY' or 'GZIP', got ${JSON.stringify(compression)}`,
      );
    }
    const gzipLevel = checkedInteger('gzipLevel', options.gzipLevel ?? 1, 1, 9);
    const compressor = new PageCompressor(compression, gzipLevel);
    const minCompressionSavings = options.minCompressionSavings ?? 0.2;
    if (!(minCompressionSavings >= 0 && minCompressionSavings <= 1)) {
      throw new ParquetEncodeError(
        `minCompressionSavings: expected a fraction in [0, 1], got ${minCompressionSavings}`,
      );
    }
    this.settings = {
      pageSizeBytes: checkedInteger('pageSizeBytes', options.pageSizeBytes ?? 1 << 20, 1, 2 ** 30),
    };
    this.maxDictionaryBytes = checkedInteger(
      'maxDictionaryBytes',
      options.maxDictionaryBytes ?? 1 << 20,
      0,
      2 ** 30,
    );
    this.scratch = columns.map(() => new EncodingScratch());
    this.columns = columns.map((column) => ({ ...column }));
    this.out = new CountingSink(sink);
    this.pages = new ColumnPageWriter(this.out, compressor, minCompressionSavings);
    this.out.write(MAGIC);
  }

  /** Rows written so far. */
  public get rowCount(): number {
    return this.rows;
  }

  /**
   * Encodes and writes one row group. `columnValues[i]` holds the values of column `i`: numbers
   * (safe integers; 32-bit for INT32) or strings, `null` where the column is nullable. A row
   * group of 0 rows writes nothing.
   *
   * @throws {ParquetEncodeError} before writing anything, if the values do not fit the schema
   * @throws {LakeWriteError} if the sink failed; the writer is then unusable
   */
  public writeRowGroup(columnValues: readonly (readonly (number | string | null)[])[]): void {
    this.assertOpen('writeRowGroup');
    if (columnValues.length !== this.columns.length) {
      throw new ParquetEncodeError(
        `row group: expected ${this.columns.length} column arrays (one per column), got ${columnValues.length}`,
      );
    }
    const rowCount = columnValues[0]?.length ?? 0;
    // Analyse (and so validate) every column before writing any: a bad value must not leave a
    // half-written row group in the sink.
    const analyses = this.columns.map((column, i) =>
      analyzeColumn(
        column,
        columnValues[i] ?? [],
        rowCount,
        this.maxDictionaryBytes,
        this.scratch[i] as EncodingScratch,
      ),
    );
    if (rowCount === 0) return;
    try {
      const chunks: ColumnChunkMetaData[] = analyses.map((analysis) =>
        writeColumnChunk(this.pages, analysis, this.settings),
      );
      this.rowGroups.push({ columns: chunks, numRows: rowCount, ordinal: this.rowGroups.length });
      this.rows += rowCount;
    } catch (error) {
      this.state = 'failed';
      throw new LakeWriteError(`row group ${this.rowGroups.length}: writing failed`, {
        cause: error,
      });
    }
  }

  /**
   * Writes the footer. The sink is not closed: that is the caller's (see `FileSink.close`).
   *
   * @returns the number of rows in the file
   */
  public finish(): number {
    this.assertOpen('finish');
    const footer = new ThriftCompactWriter();
    writeFileMetaData(footer, {
      columns: this.columns.map(toSchemaColumn),
      numRows: this.rows,
      rowGroups: this.rowGroups,
      createdBy: PARQUET_CREATED_BY,
    });
    const length = footer.buffer.length;
    footer.buffer.writeInt32LE(length);
    footer.buffer.writeBytes(MAGIC);
    try {
      this.out.write(footer.buffer.view());
    } catch (error) {
      this.state = 'failed';
      throw new LakeWriteError('footer: writing failed', { cause: error });
    }
    this.state = 'finished';
    this.scratch = [];
    return this.rows;
  }

  private assertOpen(operation: string): void {
    if (this.state !== 'open') {
      throw new ParquetEncodeError(
        `${operation}: expected an open writer, got one that is ${this.state}`,
      );
    }
  }
}

function checkedInteger(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ParquetEncodeError(`${name}: expected an integer in [${min}, ${max}], got ${value}`);
  }
  return value;
}
