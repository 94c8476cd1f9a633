import { NumberColumn } from './number-column.js';
import type { ParquetColumnSpec } from './parquet-writer.js';
import { StringColumn } from './string-column.js';

/** The buffer of one column: typed arrays for numbers, UTF-8 bytes for strings. */
export type ColumnBuffer = NumberColumn | StringColumn;

/**
 * The rows of one row group in typed column buffers, one per column of a schema, filled value by
 * value and encoded without ever holding a JavaScript value per cell. Reused: `reset` empties it
 * for the next row group and keeps the buffers.
 */
export class RowGroupColumns {
  public readonly columns: readonly ColumnBuffer[];

  /**
   * @param maxDictionaryBytes - string dictionary size limit, applied while values arrive; the
   *   encoder checks that it is its own
   */
  public constructor(
    specs: readonly ParquetColumnSpec[],
    public readonly maxDictionaryBytes: number,
  ) {
    this.columns = specs.map((spec) =>
      spec.type === 'STRING' ? new StringColumn(spec.nullable) : new NumberColumn(spec.nullable),
    );
    this.reset();
  }

  /** Rows held (those of the first column). */
  public get rows(): number {
    return this.columns[0]?.rows ?? 0;
  }

  /** Empties every column. */
  public reset(): void {
    for (const column of this.columns) {
      if (column instanceof StringColumn) column.reset(this.maxDictionaryBytes);
      else column.reset();
    }
  }
}
