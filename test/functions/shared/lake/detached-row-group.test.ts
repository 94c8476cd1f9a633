import { describe, expect, it } from 'vitest';
import { FLOW_COLUMNS } from '../../../../functions/shared/flow-record.js';
import { MemorySink } from '../../../../functions/shared/lake/byte-sink.js';
import { appendValue } from '../../../../functions/shared/lake/column-analysis.js';
import type { RowGroupColumns } from '../../../../functions/shared/lake/row-group-columns.js';
import { SharedRowGroupEncoder } from '../../../../functions/shared/lake/shared-row-group-encoder.js';

type Value = number | string | null;

function rowGroup(rows: number, seed: number): Value[][] {
  return FLOW_COLUMNS.map((column, c) =>
    Array.from({ length: rows }, (_, r): Value => {
      const n = (r * 2654435761 + seed * 97 + c) >>> 0;
      if (column.nullable && n % 7 === 0) return null;
      if (column.type === 'STRING') return c % 2 === 0 ? `v${n % 13}` : `unique-${seed}-${r}-${n}`;
      if (column.type === 'INT32') return n % 65536;
      return 1_795_946_400_000 + (n % 3_600_000);
    }),
  );
}

/** The values of a row group in the encoder's column buffers. */
function buffered(encoder: SharedRowGroupEncoder, group: Value[][]): RowGroupColumns {
  const columns = encoder.createColumns();
  FLOW_COLUMNS.forEach((column, i) => {
    for (const value of group[i] ?? []) {
      appendValue(column, columns.columns[i] as RowGroupColumns['columns'][number], value);
    }
  });
  return columns;
}

describe('Lake: SharedRowGroupEncoder detached row groups', () => {
  it('appends row groups of column buffers encoded on their own as writeRowGroup writes them', () => {
    // Prepare
    const groups = [rowGroup(50, 1), rowGroup(3000, 2), rowGroup(1, 3)];
    const encoder = new SharedRowGroupEncoder(FLOW_COLUMNS);
    const expected = new MemorySink();
    const actual = new MemorySink();

    // Act
    const direct = encoder.open(expected);
    for (const group of groups) encoder.writeRowGroup(direct, group);
    encoder.finish(direct);
    const detached = groups.map((group) => encoder.encodeDetachedColumns(buffered(encoder, group)));
    const relocated = encoder.open(actual);
    for (const group of detached) if (group !== null) encoder.append(relocated, group);
    encoder.finish(relocated);

    // Assess
    expect(Buffer.from(actual.toBytes()).equals(Buffer.from(expected.toBytes()))).toBe(true);
  });

  it('encodes nothing for a row group of 0 rows', () => {
    // Prepare
    const encoder = new SharedRowGroupEncoder(FLOW_COLUMNS);

    // Act
    const group = encoder.encodeDetachedColumns(encoder.createColumns());

    // Assess
    expect(group).toBeNull();
  });
});
