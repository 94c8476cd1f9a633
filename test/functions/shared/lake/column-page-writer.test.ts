import { gunzipSync } from 'node:zlib';
import { parquetHeader } from 'hyparquet/src/column.js';
import { readRleBitPackedHybrid } from 'hyparquet/src/encoding.js';
import { describe, expect, it } from 'vitest';
import { CountingSink, MemorySink } from '../../../../functions/shared/lake/byte-sink.js';
import { ColumnPageWriter } from '../../../../functions/shared/lake/column-page-writer.js';
import { PageCompressor } from '../../../../functions/shared/lake/page-compression.js';
import { CompressionCodec, Encoding } from '../../../../functions/shared/lake/parquet-format.js';

function setup(minCompressionSavings = 0) {
  const target = new MemorySink();
  const out = new CountingSink(target);
  const pages = new ColumnPageWriter(out, new PageCompressor('GZIP', 1), minCompressionSavings);
  return { target, out, pages };
}

function readPages(bytes: Uint8Array) {
  const reader = {
    view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    offset: 0,
  };
  const pages = [];
  while (reader.offset < bytes.length) {
    const header = parquetHeader(reader);
    pages.push({
      header,
      data: bytes.subarray(reader.offset, reader.offset + header.compressed_page_size),
    });
    reader.offset += header.compressed_page_size;
  }
  return pages;
}

describe('Class: ColumnPageWriter', () => {
  it('writes definition levels with a length prefix, as one run when no value is null', () => {
    // Prepare
    const { pages } = setup();

    // Act
    pages.startChunk(true);
    pages.writeDefinitionLevels(new Uint8Array(100).fill(1), 0, 100, 0);

    // Assess: length 2, then RLE run header (100 << 1) and value 1
    expect([...pages.body.view()]).toEqual([3, 0, 0, 0, 200, 1, 1]);
  });

  it('bit-packs mixed definition levels', () => {
    // Prepare
    const { pages } = setup();
    const levels = Uint8Array.from({ length: 20 }, (_, i) => (i % 3 === 0 ? 0 : 1));

    // Act
    pages.startChunk(true);
    pages.writeDefinitionLevels(levels, 2, 18, 5);

    // Assess
    const body = pages.body.view();
    const decoded = new Array<number>(16);
    readRleBitPackedHybrid(
      { view: new DataView(body.buffer, body.byteOffset, body.byteLength), offset: 0 },
      1,
      decoded,
    );
    expect(decoded).toEqual([...levels.subarray(2, 18)]);
  });

  it('writes compressed pages and reports the chunk layout', () => {
    // Prepare
    const { target, out, pages } = setup();
    out.write(new Uint8Array(4)); // a preceding "PAR1"

    // Act
    pages.startChunk(false);
    pages.body.writeBytes(new Uint8Array(1000).fill(7));
    pages.emitDictionaryPage(250);
    pages.body.writeBytes(new Uint8Array(1000).fill(1));
    pages.emitDataPage(Encoding.RLE_DICTIONARY, 1000);
    const layout = pages.finishChunk();

    // Assess
    const written = readPages(target.toBytes().subarray(4));
    expect(written.map((page) => page.header.type)).toEqual(['DICTIONARY_PAGE', 'DATA_PAGE']);
    expect(new Uint8Array(gunzipSync(written[0]?.data ?? new Uint8Array()))).toEqual(
      new Uint8Array(1000).fill(7),
    );
    expect(layout).toMatchObject({
      codec: CompressionCodec.GZIP,
      dictionaryPageOffset: 4,
      encodings: [Encoding.PLAIN, Encoding.RLE_DICTIONARY],
      totalCompressedSize: out.position - 4,
    });
    expect(layout.dataPageOffset).toBeGreaterThan(4);
  });

  it('stores the chunk UNCOMPRESSED when its first page does not shrink enough', () => {
    // Prepare
    const { target, pages } = setup(0.5);
    const random = Uint8Array.from({ length: 2000 }, (_, i) => (i * 2654435761) >>> 24);

    // Act
    pages.startChunk(false);
    pages.body.writeBytes(random);
    pages.emitDataPage(Encoding.PLAIN, 2000);
    pages.body.writeBytes(new Uint8Array(2000));
    pages.emitDataPage(Encoding.PLAIN, 2000);
    const layout = pages.finishChunk();

    // Assess
    const written = readPages(target.toBytes());
    expect(layout.codec).toBe(CompressionCodec.UNCOMPRESSED);
    expect(written.map((page) => page.header.compressed_page_size)).toEqual([2000, 2000]);
    expect(layout.totalCompressedSize).toBe(layout.totalUncompressedSize);
  });

  it('decides the codec on the first data page, not on a small dictionary page', () => {
    // Prepare
    const { target, pages } = setup(0.5);

    // Act
    pages.startChunk(false);
    pages.body.writeBytes(new Uint8Array([3, 1, 4])); // too small to compress
    pages.emitDictionaryPage(3);
    pages.body.writeBytes(new Uint8Array(4000).fill(2));
    pages.emitDataPage(Encoding.RLE_DICTIONARY, 4000);
    const layout = pages.finishChunk();

    // Assess
    const written = readPages(target.toBytes());
    expect(layout.codec).toBe(CompressionCodec.GZIP);
    expect(written.map((page) => page.header.type)).toEqual(['DICTIONARY_PAGE', 'DATA_PAGE']);
    expect(new Uint8Array(gunzipSync(written[0]?.data ?? new Uint8Array()))).toEqual(
      new Uint8Array([3, 1, 4]),
    );
    expect(written[1]?.header.compressed_page_size).toBeLessThan(100);
  });

  it('judges a first data page over 64 KiB on its first 64 KiB', () => {
    // Prepare: random bytes first, then a long compressible run
    const { target, pages } = setup(0.2);
    const body = new Uint8Array(256 * 1024);
    let seed = 7;
    for (let i = 0; i < 64 * 1024; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      body[i] = seed >>> 24;
    }

    // Act
    pages.startChunk(false);
    pages.body.writeBytes(body);
    pages.emitDataPage(Encoding.PLAIN, body.length);
    const layout = pages.finishChunk();

    // Assess: the whole page would shrink by 75 %, its sample does not
    expect(layout.codec).toBe(CompressionCodec.UNCOMPRESSED);
    expect(readPages(target.toBytes())[0]?.header.compressed_page_size).toBe(body.length);
  });
});
