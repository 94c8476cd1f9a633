/**
 * Typed arrays of one column, reused from one row group to the next and grown on demand.
 * Allocating them per row group costs little CPU but a lot of garbage collection: large array
 * buffers count as external memory and make V8 run full collections over the whole
 * (string-heavy) heap.
 */
export class EncodingScratch {
  private indexArray = new Int32Array(0);
  private numberArray = new Float64Array(0);
  private levelArray = new Uint8Array(0);

  /** An Int32Array of exactly `length` entries (a view; contents unspecified). */
  public indices(length: number): Int32Array {
    if (this.indexArray.length < length) this.indexArray = new Int32Array(grow(length));
    return this.indexArray.subarray(0, length);
  }

  /** A Float64Array of exactly `length` entries (a view; contents unspecified). */
  public numbers(length: number): Float64Array {
    if (this.numberArray.length < length) this.numberArray = new Float64Array(grow(length));
    return this.numberArray.subarray(0, length);
  }

  /** A Uint8Array of exactly `length` entries (a view; contents unspecified). */
  public levels(length: number): Uint8Array {
    if (this.levelArray.length < length) this.levelArray = new Uint8Array(grow(length));
    return this.levelArray.subarray(0, length);
  }
}

function grow(length: number): number {
  return Math.max(1024, 2 ** Math.ceil(Math.log2(length)));
}
