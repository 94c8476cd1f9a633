import { grownArray } from './grown-array.js';

const INITIAL_VALUES = 1024;

/**
 * The values of one numeric column of a row group (INT32, INT64 or TIMESTAMP_MILLIS) in typed
 * arrays: the non-null values densely, and definition levels for nullable columns. Values are
 * validated when the row group is encoded (`analyzeColumn`). Reused from one row group to the
 * next (`reset`).
 */
export class NumberColumn {
  /** The non-null values, in row order. */
  public values = new Float64Array(INITIAL_VALUES);
  /** Number of non-null values. */
  public count = 0;
  /** Per row, 1 for a value and 0 for null; only kept for nullable columns. */
  public levels: Uint8Array | undefined;
  /** Rows, nulls included. */
  public rows = 0;

  /** @param nullable - whether the column keeps definition levels */
  public constructor(public readonly nullable: boolean) {
    if (nullable) this.levels = new Uint8Array(INITIAL_VALUES);
  }

  /** Empties the column for a new row group, keeping its buffers. */
  public reset(): void {
    this.count = 0;
    this.rows = 0;
  }

  /** Adds a value. */
  public append(value: number): void {
    const k = this.count++;
    if (k === this.values.length) this.values = grownArray(this.values, k + 1);
    this.values[k] = value;
    const levels = this.levels;
    if (levels !== undefined) {
      const row = this.rows;
      if (row === levels.length) this.levels = grownArray(levels, row + 1);
      (this.levels as Uint8Array)[row] = 1;
    }
    this.rows++;
  }

  /** Adds a null; nullable columns only (the caller checks). */
  public appendNull(): void {
    const row = this.rows++;
    let levels = this.levels as Uint8Array;
    if (row === levels.length) levels = this.levels = grownArray(levels, row + 1);
    levels[row] = 0;
  }
}
