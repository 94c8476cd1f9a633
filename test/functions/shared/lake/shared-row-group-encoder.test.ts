import { describe, expect, it } from 'vitest';
import { FLOW_COLUMNS } from '../../../../functions/shared/flow-record.js';
import { MemorySink } from '../../../../functions/shared/lake/byte-sink.js';
import { ParquetFileWriter } from '../../../../functions/shared/lake/parquet-writer.js';
import { SharedRowGroupEncoder } from '../../../../functions/shared/lake/shared-row-group-encoder.js';

type Value = number | string | null;

/** A row group of FLOW_COLUMNS with `rows` rows, varied enough to use dictionaries and PLAIN. */
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

describe('Lake: SharedRowGroupEncoder', () => {
  it('writes the bytes of a ParquetFileWriter per file, with files interleaved', () => {
    // Prepare
    const groups = [rowGroup(50, 1), rowGroup(3000, 2), rowGroup(1, 3), rowGroup(700, 4)];
    const expected = [new MemorySink(), new MemorySink()];
    const writers = expected.map((sink) => new ParquetFileWriter(sink, FLOW_COLUMNS));
    const actual = [new MemorySink(), new MemorySink()];
    const encoder = new SharedRowGroupEncoder(FLOW_COLUMNS);

    // Act
    const files = actual.map((sink) => encoder.open(sink));
    groups.forEach((group, i) => {
      writers[i % 2]?.writeRowGroup(group);
      encoder.writeRowGroup(files[i % 2] as (typeof files)[number], group);
    });
    for (const writer of writers) writer.finish();
    for (const file of files) encoder.finish(file);

    // Assess
    expect(actual[0]?.toBytes()).toEqual(expected[0]?.toBytes());
    expect(actual[1]?.toBytes()).toEqual(expected[1]?.toBytes());
  });
});
