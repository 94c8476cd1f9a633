import { describe, expect, it } from 'vitest';
import { EncodingScratch } from '../../../../functions/shared/lake/encoding-scratch.js';

describe('Class: EncodingScratch', () => {
  it('returns views of the requested length and reuses the storage', () => {
    // Prepare
    const scratch = new EncodingScratch();

    // Act
    const first = scratch.numbers(3000);
    const second = scratch.numbers(10);
    const indices = scratch.indices(5);
    const levels = scratch.levels(7);

    // Assess
    expect([first.length, second.length, indices.length, levels.length]).toEqual([3000, 10, 5, 7]);
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
});
