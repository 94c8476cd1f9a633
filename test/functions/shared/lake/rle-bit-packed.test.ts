import fc from 'fast-check';
import { readRleBitPackedHybrid } from 'hyparquet/src/encoding.js';
import { describe, expect, it } from 'vitest';
import { ByteBuffer } from '../../../../functions/shared/lake/byte-buffer.js';
import {
  bitWidthOf,
  MAX_RLE_BIT_WIDTH,
  writeRleBitPackedHybrid,
  writeRleRun,
} from '../../../../functions/shared/lake/rle-bit-packed.js';

function encode(values: readonly number[], bitWidth: number, start = 0, end = values.length) {
  const out = new ByteBuffer(16);
  writeRleBitPackedHybrid(out, values, start, end, bitWidth);
  return new Uint8Array(out.view());
}

function decode(bytes: Uint8Array, bitWidth: number, count: number): number[] {
  const output = new Array<number>(count).fill(-1);
  const reader = {
    view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    offset: 0,
  };
  readRleBitPackedHybrid(reader, bitWidth, output, bytes.length);
  return output;
}

describe('Function: writeRleBitPackedHybrid', () => {
  it('writes a run of 8 or more equal values as one RLE run', () => {
    // Act
    const bytes = encode(new Array(1000).fill(5), 3);

    // Assess: header varint(1000 << 1), then the value in one byte
    expect([...bytes]).toEqual([0xd0, 0x0f, 5]);
  });

  it('bit-packs values that do not repeat, LSB first, padding the last group', () => {
    // Act
    const bytes = encode([1, 0, 1, 1, 0, 0, 0, 1, 1, 0], 1);

    // Assess: one run of two groups (header 2 << 1 | 1), 0b10001101 then 0b00000001
    expect([...bytes]).toEqual([5, 0b10001101, 0b00000001]);
  });

  it('writes a partial last group of equal values as an RLE run', () => {
    // Act
    const bytes = encode([0, 1, 2, 3, 4, 5, 6, 7, 9, 9, 9], 4);

    // Assess
    expect(decode(bytes, 4, 11)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 9, 9, 9]);
    expect([...bytes.subarray(-2)]).toEqual([3 << 1, 9]);
  });

  it('splits bit-packed runs after 63 groups', () => {
    // Prepare
    const values = Array.from({ length: 64 * 8 }, (_, i) => i % 2);

    // Act
    const bytes = encode(values, 1);

    // Assess
    expect(bytes[0]).toBe((63 << 1) | 1);
    expect(bytes[64]).toBe((1 << 1) | 1);
    expect(decode(bytes, 1, values.length)).toEqual(values);
  });

  it('encodes only values[start, end)', () => {
    // Act
    const bytes = encode([7, 7, 1, 2, 3, 7], 3, 2, 5);

    // Assess
    expect(decode(bytes, 3, 3)).toEqual([1, 2, 3]);
  });

  it('round-trips random runs and widths through the hyparquet decoder', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: MAX_RLE_BIT_WIDTH })
          .chain((bitWidth) =>
            fc.tuple(
              fc.constant(bitWidth),
              fc.array(
                fc.tuple(
                  fc.integer({ min: 0, max: 2 ** bitWidth - 1 }),
                  fc.integer({ min: 1, max: 20 }),
                ),
                { maxLength: 40 },
              ),
            ),
          ),
        ([bitWidth, runs]) => {
          // Prepare
          const values = runs.flatMap(([value, count]) => new Array<number>(count).fill(value));

          // Act
          const decoded = decode(encode(values, bitWidth), bitWidth, values.length);

          // Assess
          expect(decoded).toEqual(values);
        },
      ),
    );
  });
});

describe('Function: writeRleRun', () => {
  it('writes the value in ceil(bitWidth / 8) little-endian bytes', () => {
    // Prepare
    const out = new ByteBuffer(16);

    // Act
    writeRleRun(out, 0x10203, 17, 17);

    // Assess
    expect([...out.view()]).toEqual([34, 0x03, 0x02, 0x01]);
  });
});

describe('Function: bitWidthOf', () => {
  it.each([
    [0, 1],
    [1, 1],
    [2, 2],
    [255, 8],
    [256, 9],
    [2 ** 20 - 1, 20],
  ])('needs %i -> %i bits', (maxValue, bits) => {
    // Act & Assess
    expect(bitWidthOf(maxValue)).toBe(bits);
  });
});
