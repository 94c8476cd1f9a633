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
import type { StringColumn } from './string-column.js';
import type { NumberDictionary, ValueDictionary } from './value-dictionary.js';

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
        : writeStringDictionaryPage(pages, analysis);
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
      const entries = Float64Array.from((dictionary as NumberDictionary).entries);
      writePlainNumbers(pages.body, entries, 0, entries.length, width);
      pages.emitDictionaryPage(entries.length);
    }
    statistics = numberStatistics(analysis, width);
  }
  if (dictionary !== undefined) writeDictionaryDataPages(pages, analysis, dictionary, settings);
  return {
    type: physicalTypeOf(column.type),
    path: column.name,
    numValues: analysis.rowCount,
    statistics,
    ...pages.finishChunk(),
  };
}

function numberStatistics(analysis: ColumnAnalysis, width: number): ColumnStatistics {
  const { nullCount } = analysis;
  if (nullCount === analysis.rowCount) return { nullCount, writeLegacyMinMax: true };
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

/**
 * Writes the dictionary page of a STRING chunk, the column's heap as it is (its entries are
 * laid out as PLAIN values); the entries give the chunk's min and max.
 */
function writeStringDictionaryPage(
  pages: ColumnPageWriter,
  analysis: ColumnAnalysis,
): ColumnStatistics {
  const strings = analysis.strings as StringColumn;
  const { heap, entryStarts, entryCount } = strings;
  let minAt = -1;
  let maxAt = -1;
  for (let id = 0; id < entryCount; id++) {
    const at = entryStarts[id] as number;
    if (minAt < 0 || compareEntries(heap, at, minAt) < 0) minAt = at;
    if (maxAt < 0 || compareEntries(heap, at, maxAt) > 0) maxAt = at;
  }
  const min = minAt < 0 ? undefined : entryBytes(heap, minAt);
  const max = maxAt < 0 ? undefined : entryBytes(heap, maxAt);
  pages.body.writeBytes(heap.subarray(0, strings.heapLength));
  pages.emitDictionaryPage(entryCount);
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
  dictionary: ValueDictionary,
  settings: ColumnChunkSettings,
): void {
  const bitWidth = bitWidthOf(dictionary.size - 1);
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
  const rows = analysis.rowCount;
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

/**
 * PLAIN string pages are cut by size, since lengths vary; the estimate is a value's UTF-16
 * length, as for JavaScript strings, so the cut does not depend on how the values arrived.
 */
function writePlainStringPages(
  pages: ColumnPageWriter,
  analysis: ColumnAnalysis,
  pageSizeBytes: number,
): ColumnStatistics {
  const strings = analysis.strings as StringColumn;
  const { ids, entryUtf16 } = strings;
  const rows = analysis.rowCount;
  const levels = analysis.definitionLevels;
  let row = 0;
  let k = 0;
  do {
    const start = row;
    const firstValue = k;
    let size = 0;
    let nulls = 0;
    while (row < rows && size < pageSizeBytes) {
      if (levels !== undefined && levels[row] === 0) nulls++;
      else size += 4 + (entryUtf16[ids[k++] as number] as number);
      row++;
    }
    if (levels !== undefined) pages.writeDefinitionLevels(levels, start, row, nulls);
    writePlainValues(pages.body, strings, firstValue, k);
    pages.emitDataPage(Encoding.PLAIN, row - start);
  } while (row < rows);
  return { nullCount: analysis.nullCount, writeLegacyMinMax: false };
}

/**
 * Appends values `[first, end)` of a string column as PLAIN BYTE_ARRAY. Entries are stored in
 * that layout, so each run of values whose entries follow each other in the heap (every value of
 * a column without repeats) is one copy.
 */
function writePlainValues(
  body: ByteBuffer,
  strings: StringColumn,
  first: number,
  end: number,
): void {
  const { heap, entryStarts, ids } = strings;
  let v = first;
  while (v < end) {
    const runStart = ids[v] as number;
    let runEnd = runStart + 1;
    v++;
    while (v < end && ids[v] === runEnd) {
      runEnd++;
      v++;
    }
    body.writeBytes(heap.subarray(entryStarts[runStart] as number, entryStarts[runEnd] as number));
  }
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

/** Compares two length-prefixed strings in `bytes` by their UTF-8 bytes (Parquet's order). */
function compareEntries(bytes: Uint8Array, a: number, b: number): number {
  const aLength = readLength(bytes, a);
  const bLength = readLength(bytes, b);
  const common = Math.min(aLength, bLength);
  for (let i = 4; i < common + 4; i++) {
    const d = (bytes[a + i] as number) - (bytes[b + i] as number);
    if (d !== 0) return d;
  }
  return aLength - bLength;
}

/** A copy of the UTF-8 bytes of the length-prefixed string at `at` in `bytes`. */
function entryBytes(bytes: Uint8Array, at: number): Uint8Array {
  return bytes.slice(at + 4, at + 4 + readLength(bytes, at));
}

function readLength(bytes: Uint8Array, at: number): number {
  return (
    ((bytes[at] as number) |
      ((bytes[at + 1] as number) << 8) |
      ((bytes[at + 2] as number) << 16) |
      ((bytes[at + 3] as number) << 24)) >>>
    0
  );
}
