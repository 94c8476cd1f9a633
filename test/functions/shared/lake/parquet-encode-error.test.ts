import { describe, expect, it } from 'vitest';
import { WardflowError } from '../../../../functions/shared/errors.js';
import {
  describeValue,
  ParquetEncodeError,
} from '../../../../functions/shared/lake/parquet-encode-error.js';

describe('Class: ParquetEncodeError', () => {
  it('is a WardflowError carrying the column and row', () => {
    // Act
    const error = new ParquetEncodeError('bad', { column: 'dst_port', row: 3 });

    // Assess
    expect(error).toBeInstanceOf(WardflowError);
    expect(error).toMatchObject({ name: 'ParquetEncodeError', column: 'dst_port', row: 3 });
  });
});

describe('Function: describeValue', () => {
  it.each([
    ['x', '"x"'],
    ['a'.repeat(100), `"${'a'.repeat(80)}…"`],
    [1.5, '1.5'],
    [Number.NaN, 'NaN'],
    [null, 'null'],
    [undefined, 'undefined'],
    [12n, '12n'],
    [true, 'true'],
    [[1], 'an array'],
    [{ a: 1 }, 'an object'],
    [() => 1, 'a function'],
  ])('renders %o as %s', (value, text) => {
    // Act & Assess
    expect(describeValue(value)).toBe(text);
  });
});
