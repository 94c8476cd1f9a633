import { ByteBuffer } from './byte-buffer.js';
import type { ColumnAnalysis } from './column-analysis.js';
import type { ColumnPageWriter } from './column-page-writer.js';
import {
  type ColumnChunkMetaData,
  type ColumnStatistics,
  Encoding,
  PhysicalType,
} from './parquet-format.js';
import type { ParquetColumnSpec } from './parquet-writer.js';
import { bitWidthOf, writeRleBitPackedHybrid } from './rle-bit-packed.js';
import type { ValueDictionary } from './value-dictionary.js';

/** Longest string min/max kept in statistics; longer ones are left out (as Arrow does). */
const MAX_STRING_STATISTIC_BYTES = 4096;

/** How column chunks are laid out and encoded. */
export interface ColumnChunkSettings {
  /** Target uncompressed size of a data page. */
  readonly pageSizeBytes: number;
}

/** The physical type of each column type. */
export function physicalTypeOf(type: ParquetColumnSpec['type']): PhysicalType {
  if (type === 'STRING') return PhysicalType.BYTE_ARRAY;
  return type === 'INT32' ? PhysicalType.INT32 : PhysicalType.INT64;
}

/**
 * Encodes one analysed column chunk into pages on `pages`' sink: a dictionary page and
 * RLE_DICTIONARY data pages when the analysis kept a dictionary, otherwise PLAIN data pages.
 *
 * @returns the chunk's footer metadata
 */
export function writeColumnChunk(
  pages: ColumnPageWriter,
  analysis: ColumnAnalysis,
  settings: ColumnChunkSettings,
): ColumnChunkMetaData {
  const { column, dictionary } = analysis;
  pages.startChunk(column.nullable);
  let statistics: ColumnStatistics;
  if (column.type === 'STRING') {
    statistics =
      dictionary === undefined
        ? writePlainStringPages(pages, analysis, settings.pageSizeBytes)
        : writeStringDictionaryPage(pages, analysis, dictionary as ValueDictionary<string>);
  } else {
    const width = column.type === 'INT32' ? 4 : 8;
    const numbers = analysis.numbers ?? new Float64Array(0);
    if (dictionary === undefined) {
      const perPage = Math.max(1, Math.floor(settings.pageSizeBytes / width));
      forEachPage(analysis, perPage, pages, (first, count) => {
        writePlainNumbers(pages.body, numbers, first, count, width);
        return Encoding.PLAIN;
      });
    } else {
      const entries = Float64Array.from(dictionary.entries as readonly number[]);
      writePlainNumbers(pages.body, entries, 0, entries.length, width);
      pages.emitDictionaryPage(entries.length);
    }
    statistics = numberStatistics(analysis, width);
  }
  if (dictionary !== undefined) writeDictionaryDataPages(pages, analysis, dictionary, settings);
  return {
    type: physicalTypeOf(column.type),
    path: column.name,
    numValues: analysis.values.length,
    statistics,
    ...pages.finishChunk(),
  };
}

function numberStatistics(analysis: ColumnAnalysis, width: number): ColumnStatistics {
  const { nullCount } = analysis;
  if (nullCount === analysis.values.length) return { nullCount, writeLegacyMinMax: true };
  const bounds = new ByteBuffer(16);
  writePlainNumbers(bounds, Float64Array.of(analysis.min, analysis.max), 0, 2, width);
  const bytes = new Uint8Array(bounds.view());
  return {
    nullCount,
    min: bytes.subarray(0, width),
    max: bytes.subarray(width),
    writeLegacyMinMax: true,
  };
}

/** Writes the dictionary page of a STRING chunk; its entries give the chunk's min and max. */
function writeStringDictionaryPage(
  pages: ColumnPageWriter,
  analysis: ColumnAnalysis,
  dictionary: ValueDictionary<string>,
): ColumnStatistics {
  const body = pages.body;
  let minAt = -1;
  let maxAt = -1;
  for (const entry of dictionary.entries) {
    const at = body.length;
    body.writeLengthPrefixedUtf8(entry);
    if (minAt < 0 || compareEntries(body, at, minAt) < 0) minAt = at;
    if (maxAt < 0 || compareEntries(body, at, maxAt) > 0) maxAt = at;
  }
  const min = minAt < 0 ? undefined : entryBytes(body, minAt);
  const max = maxAt < 0 ? undefined : entryBytes(body, maxAt);
  pages.emitDictionaryPage(dictionary.entries.length);
  const { nullCount } = analysis;
  if (min === undefined || max === undefined) return { nullCount, writeLegacyMinMax: false };
  if (Math.max(min.length, max.length) > MAX_STRING_STATISTIC_BYTES) {
    return { nullCount, writeLegacyMinMax: false };
  }
  return { nullCount, min, max, writeLegacyMinMax: false };
}

function writeDictionaryDataPages(
  pages: ColumnPageWriter,
  analysis: ColumnAnalysis,
  dictionary: ValueDictionary<unknown>,
  settings: ColumnChunkSettings,
): void {
  const bitWidth = bitWidthOf(dictionary.entries.length - 1);
  const perPage = Math.max(8, Math.floor((settings.pageSizeBytes * 8) / bitWidth));
  forEachPage(analysis, perPage, pages, (first, count) => {
    pages.body.writeByte(bitWidth);
    writeRleBitPackedHybrid(pages.body, dictionary.indices, first, first + count, bitWidth);
    return Encoding.RLE_DICTIONARY;
  });
}

/**
 * Cuts the chunk into pages of at most `valuesPerPage` non-null values, writes each page's
 * definition levels, lets `encode` append the values (non-null values numbered densely from 0)
 * and emits the page.
 */
function forEachPage(
  analysis: ColumnAnalysis,
  valuesPerPage: number,
  pages: ColumnPageWriter,
  encode: (firstValue: number, valueCount: number) => Encoding,
): void {
  const rows = analysis.values.length;
  const levels = analysis.definitionLevels;
  let row = 0;
  let firstValue = 0;
  do {
    const start = row;
    let valueCount: number;
    if (levels === undefined || analysis.nullCount === 0) {
      row = Math.min(rows, start + valuesPerPage);
      valueCount = row - start;
    } else {
      valueCount = 0;
      while (row < rows && valueCount < valuesPerPage) valueCount += levels[row++] as number;
      // Trailing nulls join this page rather than starting one of their own.
      while (row < rows && levels[row] === 0) row++;
    }
    if (levels !== undefined) {
      pages.writeDefinitionLevels(levels, start, row, row - start - valueCount);
    }
    const encoding = encode(firstValue, valueCount);
    pages.emitDataPage(encoding, row - start);
    firstValue += valueCount;
  } while (row < rows);
}

/** PLAIN string pages are cut by size (UTF-16 length as the estimate), since lengths vary. */
function writePlainStringPages(
  pages: ColumnPageWriter,
  analysis: ColumnAnalysis,
  pageSizeBytes: number,
): ColumnStatistics {
  const values = analysis.values as readonly (string | null)[];
  const levels = analysis.definitionLevels;
  const body = pages.body;
  let row = 0;
  do {
    const start = row;
    let size = 0;
    let nulls = 0;
    while (row < values.length && size < pageSizeBytes) {
      const value = values[row++];
      if (value === null || value === undefined) nulls++;
      else size += 4 + value.length;
    }
    if (levels !== undefined) pages.writeDefinitionLevels(levels, start, row, nulls);
    for (let r = start; r < row; r++) {
      const value = values[r];
      if (value !== null && value !== undefined) body.writeLengthPrefixedUtf8(value);
    }
    pages.emitDataPage(Encoding.PLAIN, row - start);
  } while (row < values.length);
  return { nullCount: analysis.nullCount, writeLegacyMinMax: false };
}

/**
 * Appends `values[first, first + count)` PLAIN-encoded: little-endian INT32 (width 4) or INT64
 * (width 8, two's complement; values are safe integers, so the high word is exact).
 */
function writePlainNumbers(
  out: ByteBuffer,
  values: Float64Array,
  first: number,
  count: number,
  width: number,
): void {
  out.ensure(count * width);
  const bytes = out.bytes;
  let at = out.length;
  for (let k = first; k < first + count; k++) {
    const value = values[k] as number;
    // Typed-array stores keep the low 8 bits (modulo 2^8), negative values included.
    bytes[at] = value;
    bytes[at + 1] = value >>> 8;
    bytes[at + 2] = value >>> 16;
    bytes[at + 3] = value >>> 24;
    if (width === 8) {
      const high = Math.floor(value / 4294967296);
      bytes[at + 4] = high;
      bytes[at + 5] = high >>> 8;
      bytes[at + 6] = high >>> 16;
      bytes[at + 7] = high >>> 24;
    }
    at += width;
  }
  out.length = at;
}

/** Compares two length-prefixed strings in `body` by their UTF-8 bytes (Parquet's order). */
function compareEntries(body: ByteBuffer, a: number, b: number): number {
  const bytes = body.bytes;
  const aEnd = a + 4 + bytes.readUInt32LE(a);
  const bEnd = b + 4 + bytes.readUInt32LE(b);
  return bytes.compare(bytes, b + 4, bEnd, a + 4, aEnd);
}

/** A copy of the UTF-8 bytes of the length-prefixed string at `at` in `body`. */
function entryBytes(body: ByteBuffer, at: number): Uint8Array {
  const bytes = body.bytes;
  return new Uint8Array(bytes.subarray(at + 4, at + 4 + bytes.readUInt32LE(at)));
}
