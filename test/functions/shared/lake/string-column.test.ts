import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StringColumn } from '../../../../functions/shared/lake/string-column.js';

/** The column's entries as strings, and the entry of every value. */
function contents(column: StringColumn): { entries: string[]; ids: number[] } {
  const entries: string[] = [];
  for (let id = 0; id < column.entryCount; id++) {
    const start = column.entryStarts[id] as number;
    const length = Buffer.from(column.heap.buffer).readUInt32LE(start);
    expect((column.entryStarts[id + 1] as number) - start).toBe(4 + length);
    entries.push(Buffer.from(column.heap.subarray(start + 4, start + 4 + length)).toString());
  }
  return { entries, ids: [...column.ids.subarray(0, column.count)] };
}

function build(values: readonly string[], maxBytes = 1 << 20): StringColumn {
  const column = new StringColumn(false);
  column.reset(maxBytes);
  for (const value of values) column.appendString(value);
  return column;
}

const ascii = (text: string) => Buffer.from(text, 'latin1');

describe('Class: StringColumn', () => {
  it('keeps entries in first-seen order and an entry per value', () => {
    // Act
    const column = build(['b', 'a', 'b', 'b', 'é', 'a']);

    // Assess
    expect(contents(column)).toEqual({ entries: ['b', 'a', 'é'], ids: [0, 1, 0, 0, 2, 1] });
    expect(column.entryBytes).toBe(4 + 1 + 4 + 1 + 4 + 2);
    expect(column.utf16Length).toBe(6);
    expect(column.dictionary).toBe(true);
  });

  it('gives up the dictionary once the PLAIN entries exceed maxBytes, keeping every value', () => {
    // Act
    const column = build(['aaaa', 'bbbb', 'cccc', 'aaaa'], 16);

    // Assess
    expect(column.dictionary).toBe(false);
    const { entries, ids } = contents(column);
    expect(ids.map((id) => entries[id])).toEqual(['aaaa', 'bbbb', 'cccc', 'aaaa']);
  });

  it('gives up the dictionary when the first 8192 values are mostly distinct', () => {
    // Act
    const column = build(Array.from({ length: 10_000 }, (_, i) => (i < 8192 ? `u${i}` : 'x')));

    // Assess
    expect(column.dictionary).toBe(false);
  });

  it('keeps no dictionary when maxBytes is 0', () => {
    // Act & Assess
    expect(build(['a', 'a'], 0).dictionary).toBe(false);
  });

  it('keeps definition levels for nulls', () => {
    // Prepare
    const column = new StringColumn(true);
    column.reset(1 << 20);

    // Act
    column.appendString('x');
    column.appendNull();
    column.appendString('x');

    // Assess
    expect([column.rows, column.count]).toEqual([3, 2]);
    expect([...(column.levels ?? new Uint8Array(0)).subarray(0, 3)]).toEqual([1, 0, 1]);
  });

  it('gives the same entries whichever way the values arrive', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(40), fc.nat(3)), { maxLength: 300 }),
        fc.integer({ min: 0, max: 400 }),
        (values, maxBytes) => {
          // Prepare: value n is `10.0.0.<n>`; key n stands for it
          const texts = values.map(([n]) => `10.0.0.${n}`);
          const expected = build(texts, maxBytes);
          const column = new StringColumn(false);
          column.reset(maxBytes);

          // Act: by key, as bytes, as a string, or written in place
          values.forEach(([n, way], i) => {
            const bytes = ascii(texts[i] as string);
            if (way === 0) column.appendKeyed(n, bytes, 0, bytes.length, bytes.length);
            else if (way === 1) column.appendBytes(bytes, 0, bytes.length, bytes.length);
            else if (way === 2) column.appendString(texts[i] as string);
            else {
              const at = column.reserve(bytes.length);
              column.heap.set(bytes, at);
              column.commit(at + bytes.length);
            }
          });

          // Assess
          expect(column.dictionary).toBe(expected.dictionary);
          const got = contents(column);
          expect(got.ids.map((id) => got.entries[id])).toEqual(texts);
          if (expected.dictionary) expect(got).toEqual(contents(expected));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps values known to be distinct without looking them up', () => {
    // Prepare
    const column = new StringColumn(false);
    column.reset(1 << 20);

    // Act
    for (const text of ['f:1', 'f:2']) {
      const at = column.reserve(text.length);
      column.heap.set(ascii(text), at);
      column.commitDistinct(at + text.length, text.length);
    }
    column.appendString('f:1');

    // Assess: the later lookup finds the entry kept without one
    expect(contents(column)).toEqual({ entries: ['f:1', 'f:2'], ids: [0, 1, 0] });
  });

  it('empties on reset and is reused', () => {
    // Prepare
    const column = build(['a', 'b']);

    // Act
    column.reset(1 << 20);
    column.appendKeyedString(7, 'c');
    column.appendKeyedString(7, 'c');

    // Assess
    expect(contents(column)).toEqual({ entries: ['c'], ids: [0, 0] });
  });
});
