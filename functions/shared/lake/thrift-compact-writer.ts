import { ByteBuffer } from './byte-buffer.js';

/** Thrift compact protocol type ids (the low nibble of a field header). */
export enum ThriftType {
  BOOLEAN_TRUE = 1,
  BOOLEAN_FALSE = 2,
  BYTE = 3,
  I16 = 4,
  I32 = 5,
  I64 = 6,
  DOUBLE = 7,
  BINARY = 8,
  LIST = 9,
  SET = 10,
  MAP = 11,
  STRUCT = 12,
}

const textEncoder = new TextEncoder();

/**
 * Zigzag-encodes a signed integer of magnitude below 2^52 without 32-bit shifts, so that i64
 * fields (file offsets, row counts) keep their full range.
 */
function zigzag(value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1;
}

/**
 * Writes Thrift structs in the compact protocol, the encoding of every Parquet footer and page
 * header. Only what Parquet needs: structs, lists, booleans, integers and binaries.
 *
 * Fields are written in ascending id order by the caller; the writer tracks the previous id of
 * each open struct to emit the short delta form.
 *
 * @example
 * const w = new ThriftCompactWriter();
 * w.i32Field(1, 0); // PageHeader.type = DATA_PAGE
 * w.structEnd();
 * sink.write(w.buffer.view());
 */
export class ThriftCompactWriter {
  /** The encoded bytes. */
  public readonly buffer: ByteBuffer;
  private lastFieldId = 0;
  private readonly openStructs: number[] = [];

  public constructor(buffer: ByteBuffer = new ByteBuffer(4096)) {
    this.buffer = buffer;
  }

  /** Starts over with an empty buffer and no open struct. */
  public reset(): void {
    this.buffer.reset();
    this.lastFieldId = 0;
    this.openStructs.length = 0;
  }

  /** Writes a field header: the id delta and type in one byte when the delta is 1..15. */
  public fieldHeader(id: number, type: ThriftType): void {
    const delta = id - this.lastFieldId;
    if (delta > 0 && delta <= 15) {
      this.buffer.writeByte((delta << 4) | type);
    } else {
      this.buffer.writeByte(type);
      this.buffer.writeVarint(zigzag(id));
    }
    this.lastFieldId = id;
  }

  /** Writes a boolean field; compact Thrift stores the value in the type nibble. */
  public boolField(id: number, value: boolean): void {
    this.fieldHeader(id, value ? ThriftType.BOOLEAN_TRUE : ThriftType.BOOLEAN_FALSE);
  }

  /** Writes an i8 field. */
  public byteField(id: number, value: number): void {
    this.fieldHeader(id, ThriftType.BYTE);
    this.buffer.writeByte(value);
  }

  /** Writes an i16 field. */
  public i16Field(id: number, value: number): void {
    this.fieldHeader(id, ThriftType.I16);
    this.buffer.writeVarint(zigzag(value));
  }

  /** Writes an i32 field (also used for enums). */
  public i32Field(id: number, value: number): void {
    this.fieldHeader(id, ThriftType.I32);
    this.buffer.writeVarint(zigzag(value));
  }

  /** Writes an i64 field; `value` must be a safe integer. */
  public i64Field(id: number, value: number): void {
    this.fieldHeader(id, ThriftType.I64);
    this.buffer.writeVarint(zigzag(value));
  }

  /** Writes a binary field. */
  public binaryField(id: number, value: Uint8Array): void {
    this.fieldHeader(id, ThriftType.BINARY);
    this.binary(value);
  }

  /** Writes a string field as UTF-8 binary. */
  public stringField(id: number, value: string): void {
    this.binaryField(id, textEncoder.encode(value));
  }

  /** Opens a struct-typed field; close it with `structEnd()`. */
  public structField(id: number): void {
    this.fieldHeader(id, ThriftType.STRUCT);
    this.structBegin();
  }

  /** Opens a struct that is a list element (no field header); close it with `structEnd()`. */
  public structBegin(): void {
    this.openStructs.push(this.lastFieldId);
    this.lastFieldId = 0;
  }

  /** Writes the STOP byte of the current struct and returns to the enclosing one. */
  public structEnd(): void {
    this.buffer.writeByte(0);
    this.lastFieldId = this.openStructs.pop() ?? 0;
  }

  /** Writes a list field header; the caller then writes `size` elements of `elementType`. */
  public listField(id: number, elementType: ThriftType, size: number): void {
    this.fieldHeader(id, ThriftType.LIST);
    if (size < 15) {
      this.buffer.writeByte((size << 4) | elementType);
    } else {
      this.buffer.writeByte(0xf0 | elementType);
      this.buffer.writeVarint(size);
    }
  }

  /** Writes an i32 list element. */
  public i32(value: number): void {
    this.buffer.writeVarint(zigzag(value));
  }

  /** Writes a binary list element. */
  public binary(value: Uint8Array): void {
    this.buffer.writeVarint(value.length);
    this.buffer.writeBytes(value);
  }

  /** Writes a string list element as UTF-8 binary. */
  public string(value: string): void {
    this.binary(textEncoder.encode(value));
  }
}
