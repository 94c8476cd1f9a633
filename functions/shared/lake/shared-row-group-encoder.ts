import { LakeWriteError } from '../errors.js';
import { type ByteSink, CountingSink, MemorySink } from './byte-sink.js';
import { analyzeBuffer, analyzeColumn, type ColumnAnalysis } from './column-analysis.js';
import { writeColumnChunk } from './column-chunk-writer.js';
import { ColumnPageWriter } from './column-page-writer.js';
import { EncodingScratch } from './encoding-scratch.js';
import { PageCompressor } from './page-compression.js';
import { ParquetEncodeError } from './parquet-encode-error.js';
import type { ColumnChunkMetaData, RowGroupMetaData } from './parquet-format.js';
import { writeFileMetaData } from './parquet-format.js';
import { assertParquetColumns, toSchemaColumn } from './parquet-schema.js';
import { PARQUET_CREATED_BY, type ParquetColumnSpec } from './parquet-writer.js';
import { RowGroupColumns } from './row-group-columns.js';
import { ThriftCompactWriter } from './thrift-compact-writer.js';

const MAGIC = new Uint8Array([0x50, 0x41, 0x52, 0x31]); // "PAR1"

/** `ParquetFileWriter`'s defaults, which this encoder reproduces byte for byte. */
const MIN_COMPRESSION_SAVINGS = 0.2;
const PAGE_SIZE_BYTES = 1 << 20;
const MAX_DICTIONARY_BYTES = 1 << 20;

/** One Parquet file being written through a {@link SharedRowGroupEncoder}. */
export class EncodedParquetFile {
  /** Offset of the next byte in the file. */
  public position = 0;
  public readonly rowGroups: RowGroupMetaData[] = [];
  public rows = 0;

  public constructor(public readonly sink: ByteSink) {}
}

/**
 * One row group encoded on its own, as if it started at byte 0 of a file: its bytes and its
 * footer metadata. {@link SharedRowGroupEncoder.append} places it in a file, shifting its
 * offsets, so row groups can be encoded anywhere (a worker thread) and appended in order later.
 * Structured-cloneable; `bytes` owns its buffer, so it can be transferred.
 */
export interface DetachedRowGroup {
  readonly bytes: Uint8Array;
  readonly rowGroup: RowGroupMetaData;
}

/** Forwards writes to whichever file is being encoded. */
class SwitchSink implements ByteSink {
  public target: ByteSink | undefined;

  public write(bytes: Uint8Array): void {
    (this.target as ByteSink).write(bytes);
  }
}

/**
 * Encodes row groups for many Parquet files (one per lake partition) with one set of encoding
 * buffers. A `ParquetFileWriter` per partition keeps its own scratch (about 180 bytes per row of
 * its largest row group, for FLOW_COLUMNS) until the file is finished, so an object spread over
 * 20 hours held ~470 MB of scratch; sharing it bounds that by one row group. Files are byte for
 * byte those of `ParquetFileWriter` with its default options (SNAPPY, 1 MiB pages and
 * dictionaries, 20 % minimum compression savings), built from the same page and footer writers.
 */
export class SharedRowGroupEncoder {
  private readonly columns: readonly ParquetColumnSpec[];
  private readonly scratch: readonly EncodingScratch[];
  private readonly target = new SwitchSink();
  private readonly out = new CountingSink(this.target);
  private readonly pages = new ColumnPageWriter(
    this.out,
    new PageCompressor('SNAPPY', 1),
    MIN_COMPRESSION_SAVINGS,
  );

  /** @throws {ParquetEncodeError} if a column is invalid */
  public constructor(columns: readonly ParquetColumnSpec[]) {
    assertParquetColumns(columns);
    this.columns = columns.map((column) => ({ ...column }));
    this.scratch = columns.map(() => new EncodingScratch());
  }

  /** Starts a file on `sink`: writes the leading magic bytes. */
  public open(sink: ByteSink): EncodedParquetFile {
    const file = new EncodedParquetFile(sink);
    this.write(file, MAGIC, 'header');
    return file;
  }

  /**
   * Empty column buffers for this encoder's columns, to fill and pass to `writeColumns` or
   * `encodeDetachedColumns`; reusable after `reset()`.
   */
  public createColumns(): RowGroupColumns {
    return new RowGroupColumns(this.columns, MAX_DICTIONARY_BYTES);
  }

  /**
   * Encodes one row group into `file` (`ParquetFileWriter.writeRowGroup`). A row group of 0 rows
   * writes nothing.
   *
   * @throws {ParquetEncodeError} before writing anything, if the values do not fit the schema
   * @throws {LakeWriteError} if the sink failed
   */
  public writeRowGroup(
    file: EncodedParquetFile,
    columnValues: readonly (readonly (number | string | null)[])[],
  ): void {
    const rowCount = columnValues[0]?.length ?? 0;
    const analyses = this.columns.map((column, i) =>
      analyzeColumn(
        column,
        columnValues[i] ?? [],
        rowCount,
        MAX_DICTIONARY_BYTES,
        this.scratch[i] as EncodingScratch,
      ),
    );
    this.writeAnalyses(file, analyses, rowCount);
  }

  /**
   * {@link writeRowGroup} for rows in column buffers from {@link createColumns}: the same bytes
   * for the same values.
   *
   * @throws {ParquetEncodeError} before writing anything, if the values do not fit the schema
   * @throws {LakeWriteError} if the sink failed
   */
  public writeColumns(file: EncodedParquetFile, columns: RowGroupColumns): void {
    if (columns.maxDictionaryBytes !== MAX_DICTIONARY_BYTES) {
      throw new ParquetEncodeError(
        `row group: expected column buffers with a ${MAX_DICTIONARY_BYTES}-byte dictionary limit (from createColumns), got ${columns.maxDictionaryBytes}`,
      );
    }
    const rowCount = columns.rows;
    const analyses = this.columns.map((column, i) =>
      analyzeBuffer(
        column,
        columns.columns[i] as RowGroupColumns['columns'][number],
        rowCount,
        MAX_DICTIONARY_BYTES,
        this.scratch[i] as EncodingScratch,
      ),
    );
    this.writeAnalyses(file, analyses, rowCount);
  }

  private writeAnalyses(
    file: EncodedParquetFile,
    analyses: readonly ColumnAnalysis[],
    rowCount: number,
  ): void {
    if (rowCount === 0) return;
    this.target.target = file.sink;
    this.out.position = file.position;
    try {
      const chunks = analyses.map((analysis) =>
        writeColumnChunk(this.pages, analysis, { pageSizeBytes: PAGE_SIZE_BYTES }),
      );
      file.rowGroups.push({ columns: chunks, numRows: rowCount, ordinal: file.rowGroups.length });
      file.rows += rowCount;
    } catch (error) {
      throw new LakeWriteError(`row group ${file.rowGroups.length}: writing failed`, {
        cause: error,
      });
    } finally {
      file.position = this.out.position;
      this.target.target = undefined;
    }
  }

  /**
   * Encodes the rows in column buffers from {@link createColumns} as one row group in a buffer of
   * its own, with offsets counted from 0; `append` puts it into a file. `encodeDetachedColumns`
   * then `append` writes the bytes `writeColumns` (or `writeRowGroup`, for the same values) would.
   *
   * @returns null for a row group of 0 rows
   * @throws {ParquetEncodeError} if the values do not fit the schema
   */
  public encodeDetachedColumns(columns: RowGroupColumns): DetachedRowGroup | null {
    const sink = new MemorySink();
    const file = new EncodedParquetFile(sink);
    this.writeColumns(file, columns);
    const rowGroup = file.rowGroups[0];
    if (rowGroup === undefined) return null;
    return { bytes: sink.toBytes(), rowGroup };
  }

  /**
   * Appends a row group from `encodeDetachedColumns` to `file`, relocating its column chunk
   * offsets.
   */
  public append(file: EncodedParquetFile, group: DetachedRowGroup): void {
    const shift = file.position;
    const columns = group.rowGroup.columns.map(
      (column): ColumnChunkMetaData => ({
        ...column,
        dataPageOffset: column.dataPageOffset + shift,
        ...(column.dictionaryPageOffset === undefined
          ? {}
          : { dictionaryPageOffset: column.dictionaryPageOffset + shift }),
      }),
    );
    this.write(file, group.bytes, `row group ${file.rowGroups.length}`);
    file.rowGroups.push({
      columns,
      numRows: group.rowGroup.numRows,
      ordinal: file.rowGroups.length,
    });
    file.rows += group.rowGroup.numRows;
  }

  /** Writes the footer of `file` (`ParquetFileWriter.finish`); the sink is not closed. */
  public finish(file: EncodedParquetFile): number {
    const footer = new ThriftCompactWriter();
    writeFileMetaData(footer, {
      columns: this.columns.map(toSchemaColumn),
      numRows: file.rows,
      rowGroups: file.rowGroups,
      createdBy: PARQUET_CREATED_BY,
    });
    footer.buffer.writeInt32LE(footer.buffer.length);
    footer.buffer.writeBytes(MAGIC);
    this.write(file, footer.buffer.view(), 'footer');
    return file.rows;
  }

  private write(file: EncodedParquetFile, bytes: Uint8Array, what: string): void {
    try {
      file.sink.write(bytes);
    } catch (error) {
      throw new LakeWriteError(`${what}: writing failed`, { cause: error });
    }
    file.position += bytes.length;
  }
}
