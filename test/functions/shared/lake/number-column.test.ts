import { describe, expect, it } from 'vitest';
import { NumberColumn } from '../../../../functions/shared/lake/number-column.js';

describe('Class: NumberColumn', () => {
  it('keeps the non-null values densely and a level per row, growing as needed', () => {
    // Prepare
    const column = new NumberColumn(true);

    // Act
    for (let i = 0; i < 3000; i++) {
      if (i % 3 === 0) column.appendNull();
      else column.append(i);
    }

    // Assess
    expect([column.rows, column.count]).toEqual([3000, 2000]);
    expect([...column.values.subarray(0, 3)]).toEqual([1, 2, 4]);
    expect([...(column.levels ?? new Uint8Array(0)).subarray(0, 4)]).toEqual([0, 1, 1, 0]);
  });

  it('keeps no levels for a required column and empties on reset', () => {
    // Prepare
    const column = new NumberColumn(false);
    column.append(2 ** 40);

    // Act
    column.reset();

    // Assess
    expect(column.levels).toBeUndefined();
    expect([column.rows, column.count]).toEqual([0, 0]);
  });
});
