import { describe, expect, it } from 'vitest';
import { ByteBuffer } from '../../../../functions/shared/lake/byte-buffer.js';

describe('Class: ByteBuffer', () => {
  it('grows past its initial capacity and keeps what was written', () => {
    // Prepare
    const buffer = new ByteBuffer(16);

    // Act
    for (let i = 0; i < 1000; i++) buffer.writeByte(i);

    // Assess
    expect(buffer.length).toBe(1000);
    expect(buffer.view()[999]).toBe(999 & 0xff);
    expect(buffer.view()[0]).toBe(0);
  });

  it.each([
    [0, [0]],
    [127, [0x7f]],
    [128, [0x80, 0x01]],
    [2 ** 31, [0x80, 0x80, 0x80, 0x80, 0x08]],
    [2 ** 53 - 1, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]],
  ])('writes %d as an unsigned LEB128 varint', (value, bytes) => {
    // Prepare
    const buffer = new ByteBuffer(16);

    // Act
    buffer.writeVarint(value);

    // Assess
    expect([...buffer.view()]).toEqual(bytes);
  });

  it('writes length-prefixed UTF-8 and 32-bit little-endian integers', () => {
    // Prepare
    const buffer = new ByteBuffer(16);

    // Act
    buffer.writeLengthPrefixedUtf8('é😀');
    buffer.writeLengthPrefixedUtf8('');
    buffer.writeInt32LE(-2);

    // Assess
    expect([...buffer.view()]).toEqual([
      6, 0, 0, 0, 0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80, 0, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff,
    ]);
  });

  it('keeps its allocation on reset()', () => {
    // Prepare
    const buffer = new ByteBuffer(16);
    buffer.writeBytes(new Uint8Array(100));
    const bytes = buffer.bytes;

    // Act
    buffer.reset();

    // Assess
    expect(buffer.length).toBe(0);
    expect(buffer.bytes).toBe(bytes);
  });
});
