import { gunzipSync } from 'node:zlib';
import { snappyUncompress } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { PageCompressor } from '../../../../functions/shared/lake/page-compression.js';
import { CompressionCodec } from '../../../../functions/shared/lake/parquet-format.js';

const BODY = new TextEncoder().encode('flow,flow,flow,flow,flow,flow,flow,flow');

describe('Class: PageCompressor', () => {
  it('returns the body itself when UNCOMPRESSED', () => {
    // Prepare
    const compressor = new PageCompressor('UNCOMPRESSED', 1);

    // Act & Assess
    expect(compressor.compress(BODY)).toBe(BODY);
    expect(compressor.codec).toBe(CompressionCodec.UNCOMPRESSED);
  });

  it('writes Snappy blocks', () => {
    // Prepare
    const compressor = new PageCompressor('SNAPPY', 1);
    const output = new Uint8Array(BODY.length);

    // Act
    snappyUncompress(compressor.compress(BODY), output);

    // Assess
    expect(output).toEqual(BODY);
    expect(compressor.codec).toBe(CompressionCodec.SNAPPY);
  });

  it.each([1, 9])('writes gzip streams at level %i with a fixed header', (level) => {
    // Prepare
    const compressor = new PageCompressor('GZIP', level);

    // Act
    const compressed = compressor.compress(BODY);

    // Assess
    expect(new Uint8Array(gunzipSync(compressed))).toEqual(BODY);
    expect([...compressed.subarray(0, 8)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]);
    expect(compressor.codec).toBe(CompressionCodec.GZIP);
  });
});
