import type { EncodingScratch } from './encoding-scratch.js';
import type { NumberColumn } from './number-column.js';
import { describeValue, ParquetEncodeError } from './parquet-encode-error.js';
import type { ParquetColumnSpec } from './parquet-writer.js';
import { bitWidthOf } from './rle-bit-packed.js';
import type { ColumnBuffer } from './row-group-columns.js';
import { StringColumn } from './string-column.js';
import {
  buildNumberDictionary,
  type NumberDictionary,
  type ValueDictionary,
} from './value-dictionary.js';

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;
/** Epoch milliseconds a JavaScript Date can hold (±100,000,000 days). */
const MAX_TIMESTAMP_MILLIS = 8.64e15;

/** One column of a row group, validated and ready to encode. */
export interface ColumnAnalysis {
  readonly column: ParquetColumnSpec;
  /** Rows, nulls included. */
  readonly rowCount: number;
  readonly nullCount: number;
  /** Per row, 1 if a value is present and 0 if null; only for nullable columns. */
  readonly definitionLevels: Uint8Array | undefined;
  /** The non-null values in row order (numeric columns only). */
  readonly numbers: Float64Array | undefined;
  /** The values as UTF-8 bytes (STRING columns only). */
  readonly strings: StringColumn | undefined;
  /** Smallest and largest value (numeric columns with a non-null value only). */
  readonly min: number;
  readonly max: number;
  /**
   * Set when dictionary encoding is smaller than PLAIN: a {@link NumberDictionary} for numeric
   * columns; for STRING columns the entries are those of `strings`.
   */
  readonly dictionary: ValueDictionary | NumberDictionary | undefined;
}

/**
 * Validates `values` against `column` and gathers what encoding needs: definition levels, the
 * non-null values in typed form, min/max and the dictionary. Checks: `rowCount` entries, nulls
 * only where the column is nullable, strings in STRING columns, integers elsewhere (INT32:
 * 32-bit signed; INT64: safe integers, as JavaScript numbers cannot carry more;
 * TIMESTAMP_MILLIS: within the range of a JavaScript Date, so readers can convert).
 *
 * @param maxDictionaryBytes - dictionary size limit; 0 turns dictionaries off
 * @throws {ParquetEncodeError} naming the column, the row and the value seen
 */
export function analyzeColumn(
  column: ParquetColumnSpec,
  values: readonly unknown[],
  rowCount: number,
  maxDictionaryBytes: number,
  scratch: EncodingScratch,
): ColumnAnalysis {
  if (values.length !== rowCount) throw wrongLength(column, rowCount, values.length);
  if (column.type === 'STRING') {
    const strings = scratch.strings(column.nullable, maxDictionaryBytes);
    for (let row = 0; row < values.length; row++) appendValue(column, strings, values[row]);
    return analyzeBuffer(column, strings, rowCount, maxDictionaryBytes, scratch);
  }
  const numbers = scratch.numberColumn(column.nullable);
  for (let row = 0; row < values.length; row++) appendValue(column, numbers, values[row]);
  return analyzeBuffer(column, numbers, rowCount, maxDictionaryBytes, scratch);
}

/**
 * Appends one JavaScript value to a column buffer, with the checks of {@link analyzeColumn};
 * the row is the buffer's next.
 *
 * @throws {ParquetEncodeError} naming the column, the row and the value seen
 */
export function appendValue(column: ParquetColumnSpec, buffer: ColumnBuffer, value: unknown): void {
  if (buffer instanceof StringColumn) {
    if (typeof value === 'string') buffer.appendString(value);
    else if (value === null && column.nullable) buffer.appendNull();
    else {
      throw invalid(column, buffer.rows, value, column.nullable ? 'a string or null' : 'a string');
    }
  } else if (typeof value === 'number') {
    if (!fits(column, value)) throw invalid(column, buffer.rows, value, integerExpectation(column));
    buffer.append(value);
  } else if (value === null && column.nullable) {
    buffer.appendNull();
  } else {
    throw invalid(column, buffer.rows, value, integerExpectation(column));
  }
}

/**
 * {@link analyzeColumn} for values already in a column buffer (filled with `appendValue`, or
 * by code that writes typed values directly); numbers are validated here.
 *
 * @param maxDictionaryBytes - numeric dictionary size limit (string dictionaries are decided
 *   while the values arrive)
 * @throws {ParquetEncodeError} naming the column, the row and the value seen
 */
export function analyzeBuffer(
  column: ParquetColumnSpec,
  buffer: ColumnBuffer,
  rowCount: number,
  maxDictionaryBytes: number,
  scratch: EncodingScratch,
): ColumnAnalysis {
  if (buffer.rows !== rowCount) throw wrongLength(column, rowCount, buffer.rows);
  const levels = column.nullable ? buffer.levels?.subarray(0, rowCount) : undefined;
  if (buffer instanceof StringColumn) return analyzeStrings(column, buffer, levels);
  return analyzeNumbers(column, buffer, levels, maxDictionaryBytes, scratch);
}

function analyzeStrings(
  column: ParquetColumnSpec,
  strings: StringColumn,
  levels: Uint8Array | undefined,
): ColumnAnalysis {
  const dictionary: ValueDictionary | undefined = strings.dictionary
    ? {
        size: strings.entryCount,
        indices: strings.ids.subarray(0, strings.count),
        entryBytes: strings.entryBytes,
      }
    : undefined;
  return {
    column,
    rowCount: strings.rows,
    nullCount: strings.rows - strings.count,
    definitionLevels: levels,
    numbers: undefined,
    strings,
    min: Number.NaN,
    max: Number.NaN,
    // PLAIN size as readers estimate it: a 4-byte length and the UTF-16 length per value.
    dictionary: worthwhile(dictionary, 4 * strings.count + strings.utf16Length),
  };
}

function analyzeNumbers(
  column: ParquetColumnSpec,
  buffer: NumberColumn,
  levels: Uint8Array | undefined,
  maxDictionaryBytes: number,
  scratch: EncodingScratch,
): ColumnAnalysis {
  const count = buffer.count;
  const numbers = buffer.values.subarray(0, count);
  const isInt32 = column.type === 'INT32';
  const high = maxOf(column);
  const low = isInt32 ? INT32_MIN : -high;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < count; k++) {
    const value = numbers[k] as number;
    // Plain double comparisons only (NaN fails them): no `| 0`, whose int32 fast path V8 would
    // deoptimise on the first timestamp, every row group anew.
    if (!(value >= low && value <= high && Math.floor(value) === value)) {
      throw invalid(column, rowOfValue(levels, k), value, integerExpectation(column));
    }
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const width = isInt32 ? 4 : 8;
  const dictionary =
    maxDictionaryBytes > 0
      ? buildNumberDictionary(numbers, width, maxDictionaryBytes, scratch, min, max)
      : undefined;
  return {
    column,
    rowCount: buffer.rows,
    nullCount: buffer.rows - count,
    definitionLevels: levels,
    numbers,
    strings: undefined,
    min,
    max,
    dictionary: worthwhile(dictionary, count * width),
  };
}

/** The row of the `k`-th non-null value. */
function rowOfValue(levels: Uint8Array | undefined, k: number): number {
  if (levels === undefined) return k;
  let seen = -1;
  for (let row = 0; row < levels.length; row++) {
    seen += levels[row] as number;
    if (seen === k) return row;
  }
  return k;
}

/** A dictionary pays when its page plus the packed indices are smaller than PLAIN. */
function worthwhile<D extends ValueDictionary>(
  dictionary: D | undefined,
  plainBytes: number,
): D | undefined {
  if (dictionary === undefined) return undefined;
  const bitWidth = bitWidthOf(dictionary.size - 1);
  const indexBytes = Math.ceil((dictionary.indices.length * bitWidth) / 8);
  return dictionary.entryBytes + indexBytes < plainBytes ? dictionary : undefined;
}

/** Whether a number fits the column's integer type. */
function fits(column: ParquetColumnSpec, value: number): boolean {
  const high = maxOf(column);
  const low = column.type === 'INT32' ? INT32_MIN : -high;
  return value >= low && value <= high && Math.floor(value) === value;
}

/** The largest value of a numeric column's type. */
function maxOf(column: ParquetColumnSpec): number {
  if (column.type === 'INT32') return INT32_MAX;
  return column.type === 'TIMESTAMP_MILLIS' ? MAX_TIMESTAMP_MILLIS : Number.MAX_SAFE_INTEGER;
}

function integerExpectation(column: ParquetColumnSpec): string {
  const ranges = {
    INT32: `an integer in [${INT32_MIN}, ${INT32_MAX}]`,
    INT64: 'a safe integer (|n| < 2^53)',
    TIMESTAMP_MILLIS: 'integer epoch milliseconds within ±8.64e15 (the Date range)',
    STRING: '',
  };
  const range = ranges[column.type];
  return column.nullable ? `${range} or null` : range;
}

function wrongLength(column: ParquetColumnSpec, rowCount: number, got: number): ParquetEncodeError {
  return new ParquetEncodeError(
    `column '${column.name}': expected ${rowCount} values (the length of the first column), got ${got}`,
    { column: column.name },
  );
}

function invalid(
  column: ParquetColumnSpec,
  row: number,
  value: unknown,
  expectedValue: string,
): ParquetEncodeError {
  const expected = value === null ? 'a value (the column is not nullable)' : expectedValue;
  return new ParquetEncodeError(
    `column '${column.name}' (${column.type}) row ${row}: expected ${expected}, got ${describeValue(value)}`,
    { column: column.name, row },
  );
}
