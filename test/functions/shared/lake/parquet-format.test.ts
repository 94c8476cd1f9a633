import { parquetHeader } from 'hyparquet/src/column.js';
import { describe, expect, it } from 'vitest';
import {
  Encoding,
  PageType,
  writePageHeader,
} from '../../../../functions/shared/lake/parquet-format.js';
import { ThriftCompactWriter } from '../../../../functions/shared/lake/thrift-compact-writer.js';

function readHeader(writer: ThriftCompactWriter) {
  const bytes = writer.buffer.view();
  return parquetHeader({
    view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    offset: 0,
  });
}

describe('Function: writePageHeader', () => {
  it('writes a data page v1 header with RLE levels', () => {
    // Prepare
    const w = new ThriftCompactWriter();

    // Act
    writePageHeader(w, {
      type: PageType.DATA_PAGE,
      uncompressedPageSize: 1000,
      compressedPageSize: 300,
      numValues: 42,
      encoding: Encoding.RLE_DICTIONARY,
    });

    // Assess
    expect(readHeader(w)).toMatchObject({
      type: 'DATA_PAGE',
      uncompressed_page_size: 1000,
      compressed_page_size: 300,
      data_page_header: {
        num_values: 42,
        encoding: 'RLE_DICTIONARY',
        definition_level_encoding: 'RLE',
        repetition_level_encoding: 'RLE',
      },
    });
  });

  it('writes a PLAIN dictionary page header', () => {
    // Prepare
    const w = new ThriftCompactWriter();

    // Act
    writePageHeader(w, {
      type: PageType.DICTIONARY_PAGE,
      uncompressedPageSize: 10,
      compressedPageSize: 10,
      numValues: 2,
      encoding: Encoding.PLAIN,
    });

    // Assess
    expect(readHeader(w)).toMatchObject({
      type: 'DICTIONARY_PAGE',
      dictionary_page_header: { num_values: 2, encoding: 'PLAIN' },
    });
  });
});
