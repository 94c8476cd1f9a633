import { NumberColumn } from './number-column.js';
import { StringColumn } from './string-column.js';

/**
 * Buffers of one column, reused from one row group to the next and grown on demand.
 * Allocating them per row group costs little CPU but a lot of garbage collection: large array
 * buffers count as external memory and make V8 run full collections over the whole heap.
 */
export class EncodingScratch {
  private indexArray = new Int32Array(0);
  private directArray = new Int32Array(0);
  private tableKeyArray = new Float64Array(0);
  private tableIdArray = new Int32Array(0);
  private stringColumns: StringColumn[] = [];
  private numberColumns: NumberColumn[] = [];

  /** An Int32Array of exactly `length` entries (a view; contents unspecified). */
  public indices(length: number): Int32Array {
    if (this.indexArray.length < length) this.indexArray = new Int32Array(grow(length));
    return this.indexArray.subarray(0, length);
  }

  /** A Float64Array of exactly `length` entries for hash table keys (contents unspecified). */
  public tableKeys(length: number): Float64Array {
    if (this.tableKeyArray.length < length) this.tableKeyArray = new Float64Array(grow(length));
    return this.tableKeyArray.subarray(0, length);
  }

  /** An Int32Array of exactly `length` entries for hash table ids (contents unspecified). */
  public tableIds(length: number): Int32Array {
    if (this.tableIdArray.length < length) this.tableIdArray = new Int32Array(grow(length));
    return this.tableIdArray.subarray(0, length);
  }

  /**
   * An Int32Array of `length` entries that the caller leaves all zero again after use (a direct
   * index of small values).
   */
  public directIds(length: number): Int32Array {
    if (this.directArray.length < length) this.directArray = new Int32Array(length);
    return this.directArray;
  }

  /** An empty string column buffer (the same one each time for a given `nullable`). */
  public strings(nullable: boolean, maxDictionaryBytes: number): StringColumn {
    const slot = nullable ? 1 : 0;
    const column = this.stringColumns[slot] ?? new StringColumn(nullable);
    this.stringColumns[slot] = column;
    column.reset(maxDictionaryBytes);
    return column;
  }

  /** An empty numeric column buffer (the same one each time for a given `nullable`). */
  public numberColumn(nullable: boolean): NumberColumn {
    const slot = nullable ? 1 : 0;
    const column = this.numberColumns[slot] ?? new NumberColumn(nullable);
    this.numberColumns[slot] = column;
    column.reset();
    return column;
  }
}

function grow(length: number): number {
  return Math.max(1024, 2 ** Math.ceil(Math.log2(length)));
}
