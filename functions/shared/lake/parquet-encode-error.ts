import { WardflowError } from '../errors.js';

/** Where in a row group an encoding error was found. */
export interface ParquetEncodeErrorLocation {
  /** Name of the offending column, when the error concerns one. */
  readonly column?: string;
  /** Zero-based row index within the row group, when the error concerns one value. */
  readonly row?: number;
}

/**
 * Values handed to the Parquet writer do not fit the declared columns (wrong type, null in a
 * required column, arrays of different lengths), or the writer was misused. Nothing of the
 * offending row group has been written when this is thrown.
 */
export class ParquetEncodeError extends WardflowError {
  /** Name of the offending column, if any. */
  public readonly column: string | undefined;
  /** Zero-based row index within the row group, if any. */
  public readonly row: number | undefined;

  public constructor(
    message: string,
    location: ParquetEncodeErrorLocation = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ParquetEncodeError';
    this.column = location.column;
    this.row = location.row;
  }
}

/** Renders a value for an error message: strings quoted (and cut at 80 characters), others as-is. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  }
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}
