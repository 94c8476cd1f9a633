import { describe, expect, it } from 'vitest';
import { EncodingScratch } from '../../../../functions/shared/lake/encoding-scratch.js';
import {
  buildNumberDictionary,
  StringDictionaryBuilder,
} from '../../../../functions/shared/lake/value-dictionary.js';

function buildStrings(values: readonly string[], maxBytes = 1 << 20) {
  const builder = new StringDictionaryBuilder(maxBytes, values.length, new EncodingScratch());
  for (const value of values) builder.add(value);
  return builder.finish();
}

describe('Class: StringDictionaryBuilder', () => {
  it('keeps entries in first-seen order and an index per value', () => {
    // Act
    const dictionary = buildStrings(['b', 'a', 'b', 'b', 'é', 'a']);

    // Assess
    expect(dictionary?.entries).toEqual(['b', 'a', 'é']);
    expect([...(dictionary?.indices ?? [])]).toEqual([0, 1, 0, 0, 2, 1]);
    expect(dictionary?.entryBytes).toBe(4 + 1 + 4 + 1 + 4 + 2);
  });

  it('gives up once the PLAIN entries exceed maxBytes', () => {
    // Act
    const dictionary = buildStrings(['aaaa', 'bbbb', 'cccc'], 16);

    // Assess
    expect(dictionary).toBeUndefined();
  });

  it('gives up when the first 8192 values are mostly distinct', () => {
    // Prepare
    const values = Array.from({ length: 10_000 }, (_, i) => (i < 8192 ? `u${i}` : 'x'));

    // Act & Assess
    expect(buildStrings(values)).toBeUndefined();
  });

  it('is off when maxBytes is 0', () => {
    // Act & Assess
    expect(buildStrings(['a'], 0)).toBeUndefined();
  });
});

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
});
