import { describe, expect, it } from 'vitest';
import { EncodingScratch } from '../../../../functions/shared/lake/encoding-scratch.js';

describe('Class: EncodingScratch', () => {
  it('returns index views of the requested length and reuses the storage', () => {
    // Prepare
    const scratch = new EncodingScratch();

    // Act
    const first = scratch.indices(3000);
    const second = scratch.indices(10);

    // Assess
    expect([first.length, second.length]).toEqual([3000, 10]);
    expect(second.buffer).toBe(first.buffer);
  });

  it('grows when asked for more than it holds', () => {
    // Prepare
    const scratch = new EncodingScratch();
    const small = scratch.indices(10);

    // Act
    const large = scratch.indices(5000);

    // Assess
    expect(large.length).toBe(5000);
    expect(large.buffer).not.toBe(small.buffer);
  });

  it('hands out one emptied column buffer per kind', () => {
    // Prepare
    const scratch = new EncodingScratch();
    const strings = scratch.strings(true, 1 << 20);
    strings.appendString('x');
    const numbers = scratch.numberColumn(false);
    numbers.append(1);

    // Act
    const stringsAgain = scratch.strings(true, 1 << 20);
    const numbersAgain = scratch.numberColumn(false);

    // Assess
    expect(stringsAgain).toBe(strings);
    expect([stringsAgain.rows, numbersAgain.rows]).toEqual([0, 0]);
    expect(scratch.strings(false, 1 << 20).nullable).toBe(false);
  });
});
