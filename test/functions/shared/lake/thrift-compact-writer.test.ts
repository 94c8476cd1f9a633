import { deserializeTCompactProtocol } from 'hyparquet/src/thrift.js';
import { describe, expect, it } from 'vitest';
import {
  ThriftCompactWriter,
  ThriftType,
} from '../../../../functions/shared/lake/thrift-compact-writer.js';

function decode(writer: ThriftCompactWriter): Record<string, unknown> {
  const bytes = writer.buffer.view();
  return deserializeTCompactProtocol({
    view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    offset: 0,
  });
}

describe('Class: ThriftCompactWriter', () => {
  it('writes scalar fields that the hyparquet Thrift reader decodes', () => {
    // Prepare
    const w = new ThriftCompactWriter();

    // Act
    w.boolField(1, true);
    w.boolField(2, false);
    w.byteField(3, -7);
    w.i16Field(4, -300);
    w.i32Field(5, -2147483648);
    w.i64Field(6, 2 ** 53 - 1);
    w.i64Field(7, -(2 ** 40));
    w.stringField(8, 'größe');
    w.binaryField(9, new Uint8Array([0, 255]));
    w.structEnd();

    // Assess
    expect(decode(w)).toEqual({
      field_1: true,
      field_2: false,
      field_3: -7,
      field_4: -300,
      field_5: -2147483648,
      field_6: 2n ** 53n - 1n,
      field_7: -(2n ** 40n),
      field_8: new TextEncoder().encode('größe'),
      field_9: new Uint8Array([0, 255]),
    });
  });

  it('uses the long field header when ids jump by more than 15 or go backwards', () => {
    // Prepare
    const w = new ThriftCompactWriter();

    // Act
    w.i32Field(1, 1);
    w.i32Field(40, 2);
    w.i32Field(3, 3);
    w.structEnd();

    // Assess
    expect(decode(w)).toEqual({ field_1: 1, field_40: 2, field_3: 3 });
  });

  it('writes nested structs and lists, short and long', () => {
    // Prepare
    const w = new ThriftCompactWriter();
    const many = Array.from({ length: 20 }, (_, i) => i - 10);

    // Act
    w.structField(2);
    w.i32Field(1, 42);
    w.structEnd();
    w.listField(3, ThriftType.I32, many.length);
    for (const value of many) w.i32(value);
    w.listField(4, ThriftType.BINARY, 2);
    w.string('a');
    w.string('');
    w.listField(5, ThriftType.STRUCT, 1);
    w.structBegin();
    w.i32Field(1, 7);
    w.structEnd();
    w.i32Field(6, 9);
    w.structEnd();

    // Assess
    expect(decode(w)).toEqual({
      field_2: { field_1: 42 },
      field_3: many,
      field_4: [new Uint8Array([97]), new Uint8Array([])],
      field_5: [{ field_1: 7 }],
      field_6: 9,
    });
  });

  it('starts over after reset()', () => {
    // Prepare
    const w = new ThriftCompactWriter();
    w.structField(1);

    // Act
    w.reset();
    w.i32Field(2, 5);
    w.structEnd();

    // Assess
    expect(decode(w)).toEqual({ field_2: 5 });
  });
});
