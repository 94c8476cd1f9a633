import type { EncodingScratch } from './encoding-scratch.js';
import { describeValue, ParquetEncodeError } from './parquet-encode-error.js';
import type { ParquetColumnSpec } from './parquet-writer.js';
import { bitWidthOf } from './rle-bit-packed.js';
import {
  buildNumberDictionary,
  StringDictionaryBuilder,
  type ValueDictionary,
} from './value-dictionary.js';

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;
/** Epoch milliseconds a JavaScript Date can hold (±100,000,000 days). */
const MAX_TIMESTAMP_MILLIS = 8.64e15;

/** One column of a row group, validated and ready to encode. */
export interface ColumnAnalysis {
  readonly column: ParquetColumnSpec;
  readonly values: readonly unknown[];
  readonly nullCount: number;
  /** Per row, 1 if a value is present and 0 if null; only for nullable columns. */
  readonly definitionLevels: Uint8Array | undefined;
  /** The non-null values in row order (numeric columns only). */
  readonly numbers: Float64Array | undefined;
  /** Smallest and largest value (numeric columns with a non-null value only). */
  readonly min: number;
  readonly max: number;
  /** Set when dictionary encoding is smaller than PLAIN. */
  readonly dictionary: ValueDictionary<string> | ValueDictionary<number> | undefined;
}

/**
 * Validates `values` against `column` and gathers what encoding needs, in a single pass over the
 * JavaScript array: definition levels, the non-null numbers, min/max and the dictionary. Checks:
 * `rowCount` entries, nulls only where the column is nullable, strings in STRING columns,
 * integers elsewhere (INT32: 32-bit signed; INT64: safe integers, as JavaScript numbers cannot
 * carry more; TIMESTAMP_MILLIS: within the range of a JavaScript Date, so readers can convert).
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
  if (values.length !== rowCount) {
    throw new ParquetEncodeError(
      `column '${column.name}': expected ${rowCount} values (the length of the first column), got ${values.length}`,
      { column: column.name },
    );
  }
  return column.type === 'STRING'
    ? analyzeStrings(column, values, maxDictionaryBytes, scratch)
    : analyzeNumbers(column, values, maxDictionaryBytes, scratch);
}

function analyzeStrings(
  column: ParquetColumnSpec,
  values: readonly unknown[],
  maxDictionaryBytes: number,
  scratch: EncodingScratch,
): ColumnAnalysis {
  const rows = values.length;
  const levels = column.nullable ? scratch.levels(rows) : undefined;
  const dictionary = new StringDictionaryBuilder(maxDictionaryBytes, rows, scratch);
  let nullCount = 0;
  let plainBytes = 0;
  for (let row = 0; row < rows; row++) {
    const value = values[row];
    if (typeof value === 'string') {
      if (levels !== undefined) levels[row] = 1;
      plainBytes += 4 + value.length;
      dictionary.add(value);
    } else if (value === null && levels !== undefined) {
      levels[row] = 0;
      nullCount++;
    } else {
      throw invalid(column, row, value, column.nullable ? 'a string or null' : 'a string');
    }
  }
  return {
    column,
    values,
    nullCount,
    definitionLevels: levels,
    numbers: undefined,
    min: Number.NaN,
    max: Number.NaN,
    dictionary: worthwhile(dictionary.finish(), plainBytes),
  };
}

function analyzeNumbers(
  column: ParquetColumnSpec,
  values: readonly unknown[],
  maxDictionaryBytes: number,
  scratch: EncodingScratch,
): ColumnAnalysis {
  const rows = values.length;
  const levels = column.nullable ? scratch.levels(rows) : undefined;
  const dense = scratch.numbers(rows);
  const isInt32 = column.type === 'INT32';
  const limit = column.type === 'TIMESTAMP_MILLIS' ? MAX_TIMESTAMP_MILLIS : Number.MAX_SAFE_INTEGER;
  let count = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let row = 0; row < rows; row++) {
    const value = values[row];
    if (typeof value === 'number') {
      // (v | 0) === v is the cheap test for a 32-bit integer; wider values take the slow path.
      if (
        (value | 0) !== value &&
        (isInt32 || !Number.isInteger(value) || value > limit || value < -limit)
      ) {
        throw invalid(column, row, value, integerExpectation(column));
      }
      if (levels !== undefined) levels[row] = 1;
      dense[count++] = value;
      if (value < min) min = value;
      if (value > max) max = value;
    } else if (value === null && levels !== undefined) {
      levels[row] = 0;
    } else {
      throw invalid(column, row, value, integerExpectation(column));
    }
  }
  const width = isInt32 ? 4 : 8;
  const numbers = dense.subarray(0, count);
  const dictionary =
    maxDictionaryBytes > 0
      ? buildNumberDictionary(numbers, width, maxDictionaryBytes, scratch)
      : undefined;
  return {
    column,
    values,
    nullCount: rows - count,
    definitionLevels: levels,
    numbers,
    min,
    max,
    dictionary: worthwhile(dictionary, count * width),
  };
}

/** A dictionary pays when its page plus the packed indices are smaller than PLAIN. */
function worthwhile<T>(
  dictionary: ValueDictionary<T> | undefined,
  plainBytes: number,
): ValueDictionary<T> | undefined {
  if (dictionary === undefined) return undefined;
  const bitWidth = bitWidthOf(dictionary.entries.length - 1);
  const indexBytes = Math.ceil((dictionary.indices.length * bitWidth) / 8);
  return dictionary.entryBytes + indexBytes < plainBytes ? dictionary : undefined;
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
