import { parquetHeader } from 'hyparquet/src/column.js';
import { describe, expect, it } from 'vitest';
import { CountingSink, MemorySink } from '../../../../functions/shared/lake/byte-sink.js';
import { analyzeColumn } from '../../../../functions/shared/lake/column-analysis.js';
import {
  physicalTypeOf,
  writeColumnChunk,
} from '../../../../functions/shared/lake/column-chunk-writer.js';
import { ColumnPageWriter } from '../../../../functions/shared/lake/column-page-writer.js';
import { EncodingScratch } from '../../../../functions/shared/lake/encoding-scratch.js';
import { PageCompressor } from '../../../../functions/shared/lake/page-compression.js';
import { PhysicalType } from '../../../../functions/shared/lake/parquet-format.js';
import type { ParquetColumnSpec } from '../../../../functions/shared/lake/parquet-writer.js';

function writeChunk(column: ParquetColumnSpec, values: unknown[], pageSizeBytes: number) {
  const target = new MemorySink();
  const pages = new ColumnPageWriter(
    new CountingSink(target),
    new PageCompressor('UNCOMPRESSED', 1),
    0,
  );
  const analysis = analyzeColumn(column, values, values.length, 1 << 20, new EncodingScratch());
  const meta = writeColumnChunk(pages, analysis, { pageSizeBytes });
  const bytes = target.toBytes();
  const reader = { view: new DataView(bytes.buffer), offset: 0 };
  const headers = [];
  while (reader.offset < bytes.length) {
    const header = parquetHeader(reader);
    headers.push(header);
    reader.offset += header.compressed_page_size;
  }
  return { meta, headers };
}

describe('Function: writeColumnChunk', () => {
  it('cuts PLAIN numbers into pages of pageSizeBytes, nulls counted in their page', () => {
    // Prepare
    const column: ParquetColumnSpec = { name: 't', type: 'TIMESTAMP_MILLIS', nullable: true };
    const values = Array.from({ length: 100 }, (_, i) =>
      i % 10 === 9 ? null : i * 1000 + 2 ** 40,
    );

    // Act
    const { meta, headers } = writeChunk(column, values, 80);

    // Assess: 10 values of 8 bytes per page, 90 values in 9 pages; trailing nulls join a page
    expect(headers.map((h) => h.data_page_header?.num_values)).toEqual([
      11, 11, 11, 11, 11, 11, 11, 11, 12,
    ]);
    expect(meta).toMatchObject({ numValues: 100, statistics: { nullCount: 10 } });
  });

  it('writes a dictionary page before RLE_DICTIONARY data pages', () => {
    // Prepare
    const column: ParquetColumnSpec = { name: 'zone', type: 'STRING', nullable: false };
    const values = Array.from({ length: 1000 }, (_, i) => ['lab', 'dmz', 'ward-a'][i % 3]);

    // Act
    const { meta, headers } = writeChunk(column, values, 100);

    // Assess
    expect(headers[0]).toMatchObject({
      type: 'DICTIONARY_PAGE',
      dictionary_page_header: { num_values: 3 },
    });
    expect(new Set(headers.slice(1).map((h) => h.data_page_header?.encoding))).toEqual(
      new Set(['RLE_DICTIONARY']),
    );
    expect(
      headers.slice(1).reduce((sum, h) => sum + (h.data_page_header?.num_values ?? 0), 0),
    ).toBe(1000);
    expect(Buffer.from(meta.statistics.min ?? []).toString()).toBe('dmz');
    expect(Buffer.from(meta.statistics.max ?? []).toString()).toBe('ward-a');
  });

  it('leaves string min/max out when they exceed 4 KiB', () => {
    // Prepare
    const column: ParquetColumnSpec = { name: 'big', type: 'STRING', nullable: false };
    const values = new Array(10).fill('x'.repeat(5000));

    // Act
    const { meta } = writeChunk(column, values, 1 << 20);

    // Assess
    expect(meta.statistics).toEqual({ nullCount: 0, writeLegacyMinMax: false });
  });

  it.each([
    ['STRING', PhysicalType.BYTE_ARRAY],
    ['INT32', PhysicalType.INT32],
    ['INT64', PhysicalType.INT64],
    ['TIMESTAMP_MILLIS', PhysicalType.INT64],
  ] as const)('maps %s to physical type %i', (type, physical) => {
    // Act & Assess
    expect(physicalTypeOf(type)).toBe(physical);
  });
});
