import { describe, expect, it } from 'vitest';
import { analyzeBuffer, analyzeColumn } from '../../../../functions/shared/lake/column-analysis.js';
import { EncodingScratch } from '../../../../functions/shared/lake/encoding-scratch.js';
import type { ParquetColumnSpec } from '../../../../functions/shared/lake/parquet-writer.js';

const PORT: ParquetColumnSpec = { name: 'dst_port', type: 'INT32', nullable: true };
const ZONE: ParquetColumnSpec = { name: 'src_zone', type: 'STRING', nullable: false };
const TIME: ParquetColumnSpec = { name: 'start_time', type: 'TIMESTAMP_MILLIS', nullable: false };

describe('Function: analyzeColumn', () => {
  it('gathers levels, the non-null numbers, min and max of a numeric column', () => {
    // Act
    const analysis = analyzeColumn(PORT, [443, null, 53, 443], 4, 1 << 20, new EncodingScratch());

    // Assess
    expect(analysis.nullCount).toBe(1);
    expect([...(analysis.definitionLevels ?? [])]).toEqual([1, 0, 1, 1]);
    expect([...(analysis.numbers ?? [])]).toEqual([443, 53, 443]);
    expect([analysis.min, analysis.max]).toEqual([53, 443]);
  });

  it('keeps a dictionary only when it is smaller than PLAIN', () => {
    // Prepare
    const repeated = Array.from({ length: 100 }, (_, i) => ['ward-a', 'lab'][i % 2] as string);
    const unique = Array.from({ length: 100 }, (_, i) => `host-${i}`);

    // Act
    const kept = analyzeColumn(ZONE, repeated, 100, 1 << 20, new EncodingScratch());
    const dropped = analyzeColumn(ZONE, unique, 100, 1 << 20, new EncodingScratch());

    // Assess
    expect(kept.dictionary?.size).toBe(2);
    expect([...(kept.dictionary?.indices ?? [])].slice(0, 4)).toEqual([0, 1, 0, 1]);
    expect(kept.definitionLevels).toBeUndefined();
    expect(dropped.dictionary).toBeUndefined();
  });

  it('names the column, the row and the value it rejects', () => {
    // Act & Assess
    expect(() => analyzeColumn(PORT, [1, null, 'x'], 3, 0, new EncodingScratch())).toThrow(
      'column \'dst_port\' (INT32) row 2: expected an integer in [-2147483648, 2147483647] or null, got "x"',
    );
    expect(() => analyzeColumn(ZONE, ['a', null], 2, 0, new EncodingScratch())).toThrow(
      "column 'src_zone' (STRING) row 1: expected a value (the column is not nullable), got null",
    );
  });

  it('checks numbers appended to a buffer directly, naming their row', () => {
    // Prepare
    const scratch = new EncodingScratch();
    const buffer = scratch.numberColumn(true);
    buffer.appendNull();
    buffer.append(80);
    buffer.append(2 ** 40);

    // Act & Assess
    expect(() => analyzeBuffer(PORT, buffer, 3, 0, scratch)).toThrow(/row 2: expected an integer/);
  });

  it('writes no dictionary when maxDictionaryBytes is 0', () => {
    // Act
    const analysis = analyzeColumn(TIME, [1, 1, 1, 1], 4, 0, new EncodingScratch());

    // Assess
    expect(analysis.dictionary).toBeUndefined();
  });

  it('accepts TIMESTAMP_MILLIS values up to the Date range and INT64 up to 2^53 - 1', () => {
    // Prepare
    const int64: ParquetColumnSpec = { name: 'bytes_out', type: 'INT64', nullable: false };

    // Act & Assess
    expect(() =>
      analyzeColumn(TIME, [8.64e15, -8.64e15], 2, 0, new EncodingScratch()),
    ).not.toThrow();
    expect(() =>
      analyzeColumn(int64, [2 ** 53 - 1, -(2 ** 53 - 1)], 2, 0, new EncodingScratch()),
    ).not.toThrow();
  });
});
