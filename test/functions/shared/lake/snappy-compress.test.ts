import fc from 'fast-check';
import { snappyUncompress } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import {
  snappyCompress,
  snappyMaxCompressedLength,
} from '../../../../functions/shared/lake/snappy-compress.js';

/** Compresses and decompresses `input`; as a Buffer, so comparisons are fast byte compares. */
function roundTrip(input: Uint8Array): Buffer {
  const output = Buffer.alloc(input.length);
  snappyUncompress(snappyCompress(input), output);
  return output;
}

describe('Function: snappyCompress', () => {
  it('round-trips repetitive text and shrinks it', () => {
    // Prepare
    const text = Array.from({ length: 5000 }, (_, i) => `AWSLogs/123456789012/x.log.gz:${i}`).join(
      '',
    );
    const input = new TextEncoder().encode(text);

    // Act
    const compressed = snappyCompress(input);

    // Assess
    expect(roundTrip(input).equals(input)).toBe(true);
    expect(compressed.length).toBeLessThan(input.length / 4);
  });

  it('round-trips input larger than one 64 KiB fragment, long matches included', () => {
    // Prepare
    const input = new Uint8Array(300_000);
    for (let i = 0; i < input.length; i++) input[i] = i < 100_000 ? (i * 31) % 251 : 7;

    // Act & Assess
    expect(roundTrip(input).equals(input)).toBe(true);
  });

  it('round-trips empty and tiny inputs', () => {
    for (const input of [Buffer.alloc(0), Buffer.from([1]), Buffer.alloc(14, 3)]) {
      // Act & Assess
      expect(roundTrip(input).equals(input)).toBe(true);
    }
  });

  it('writes into a given output and refuses one that may be too small', () => {
    // Prepare
    const input = new Uint8Array(1000).fill(1);
    const output = new Uint8Array(snappyMaxCompressedLength(input.length));

    // Act
    const compressed = snappyCompress(input, output);

    // Assess
    expect(compressed.buffer).toBe(output.buffer);
    expect(() => snappyCompress(input, new Uint8Array(10))).toThrow(
      'snappyCompress: expected an output of at least 1198 bytes, got 10',
    );
  });

  it('round-trips random bytes and random runs', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.uint8Array({ maxLength: 300 }),
            fc
              .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 5000 }))
              .map(([value, count]) => new Uint8Array(count).fill(value)),
          ),
          { maxLength: 30 },
        ),
        (parts) => {
          // Prepare
          const input = Buffer.concat(parts);

          // Act & Assess
          expect(roundTrip(input).equals(input)).toBe(true);
          expect(Buffer.from(snappyCompress(input)).equals(snappyCompress(input))).toBe(true);
        },
      ),
    );
  });
});
