/** Bytes a new buffer starts with; it doubles from there. */
const INITIAL_CAPACITY = 64 * 1024;

/**
 * A growable little-endian byte buffer: the scratch space every Parquet encoding stage writes into.
 * It is reused between pages, so `reset()` keeps the allocation. Backed by a Node `Buffer` because
 * `Buffer#write` is the fastest way to put a JavaScript string into bytes as UTF-8.
 */
export class ByteBuffer {
  /** The backing store; only `bytes[0, length)` is meaningful. Replaced when the buffer grows. */
  public bytes: Buffer;
  /** Number of bytes written so far. */
  public length = 0;

  public constructor(initialCapacity = INITIAL_CAPACITY) {
    this.bytes = Buffer.alloc(Math.max(16, initialCapacity));
  }

  /** Forgets the content but keeps the allocation. */
  public reset(): void {
    this.length = 0;
  }

  /** Makes room for `extra` more bytes. */
  public ensure(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.bytes.length) return;
    let capacity = this.bytes.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = Buffer.alloc(capacity);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  /** The written bytes, as a view that is only valid until the next write or reset. */
  public view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  /** Appends one byte (the low 8 bits of `value`). */
  public writeByte(value: number): void {
    this.ensure(1);
    this.bytes[this.length++] = value;
  }

  /** Appends raw bytes. */
  public writeBytes(value: Uint8Array): void {
    this.ensure(value.length);
    this.bytes.set(value, this.length);
    this.length += value.length;
  }

  /** Appends a 32-bit little-endian integer (signed or unsigned; the low 32 bits are kept). */
  public writeInt32LE(value: number): void {
    this.ensure(4);
    const b = this.bytes;
    const at = this.length;
    b[at] = value;
    b[at + 1] = value >>> 8;
    b[at + 2] = value >>> 16;
    b[at + 3] = value >>> 24;
    this.length = at + 4;
  }

  /**
   * Appends an unsigned LEB128 varint. Works for any non-negative integer below 2^53, which is
   * why it divides instead of shifting once the value leaves the 32-bit range.
   */
  public writeVarint(value: number): void {
    this.ensure(8);
    const b = this.bytes;
    let at = this.length;
    let rest = value;
    while (rest >= 0x80000000) {
      b[at++] = (rest % 128) | 0x80;
      rest = Math.floor(rest / 128);
    }
    while (rest > 0x7f) {
      b[at++] = (rest & 0x7f) | 0x80;
      rest >>>= 7;
    }
    b[at++] = rest;
    this.length = at;
  }

  /**
   * Appends `value` as Parquet PLAIN BYTE_ARRAY: a 4-byte little-endian length, then the UTF-8
   * bytes.
   */
  public writeLengthPrefixedUtf8(value: string): void {
    this.ensure(4 + value.length * 3);
    const b = this.bytes;
    const at = this.length;
    const written = b.write(value, at + 4);
    b[at] = written;
    b[at + 1] = written >>> 8;
    b[at + 2] = written >>> 16;
    b[at + 3] = written >>> 24;
    this.length = at + 4 + written;
  }
}
