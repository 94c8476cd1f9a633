import { describe, expect, it } from 'vitest';
import { EncodingScratch } from '../../../../functions/shared/lake/encoding-scratch.js';
import { buildNumberDictionary } from '../../../../functions/shared/lake/value-dictionary.js';

describe('Function: buildNumberDictionary', () => {
  it('maps integers beyond 2^32 and negatives to entries in first-seen order', () => {
    // Prepare
    const values = Float64Array.of(2 ** 40, -1, 2 ** 40, 0, -1, 2 ** 40 + 1);

    // Act
    const dictionary = buildNumberDictionary(values, 8, 1 << 20, new EncodingScratch());

    // Assess
    expect(dictionary?.entries).toEqual([2 ** 40, -1, 0, 2 ** 40 + 1]);
    expect([...(dictionary?.indices ?? [])]).toEqual([0, 1, 0, 2, 1, 3]);
    expect(dictionary?.entryBytes).toBe(32);
  });

  it('keeps every entry while the table grows', () => {
    // Prepare
    const values = Float64Array.from({ length: 6000 }, (_, i) => (i * 7919) % 3000);

    // Act
    const dictionary = buildNumberDictionary(values, 4, 1 << 20, new EncodingScratch());

    // Assess
    expect(dictionary?.entries.length).toBe(3000);
    const indices = dictionary?.indices ?? new Int32Array(0);
    expect(Array.from(values, (_, k) => dictionary?.entries[indices[k] as number])).toEqual([
      ...values,
    ]);
  });

  it('gives up once the entries exceed maxBytes, or when the start is mostly distinct', () => {
    // Prepare
    const scratch = new EncodingScratch();
    const distinct = Float64Array.from({ length: 9000 }, (_, i) => i);

    // Act & Assess
    expect(buildNumberDictionary(Float64Array.of(1, 2, 3), 8, 16, scratch)).toBeUndefined();
    expect(buildNumberDictionary(distinct, 4, 1 << 20, scratch)).toBeUndefined();
  });

  it('gives the same dictionary indexing small values directly, and leaves its table clean', () => {
    // Prepare
    const scratch = new EncodingScratch();
    const values = Float64Array.from({ length: 9000 }, (_, i) => (i * 7919) % 700);
    const hashed = buildNumberDictionary(values, 4, 1 << 20, new EncodingScratch());

    // Act
    const direct = buildNumberDictionary(values, 4, 1 << 20, scratch, 0, 699);
    const abandoned = buildNumberDictionary(Float64Array.of(1, 2, 3), 4, 8, scratch, 1, 3);

    // Assess
    expect(direct?.entries).toEqual(hashed?.entries);
    expect([...(direct?.indices ?? [])]).toEqual([...(hashed?.indices ?? [])]);
    expect(abandoned).toBeUndefined();
    expect(scratch.directIds(1 << 16).every((id) => id === 0)).toBe(true);
  });
});
