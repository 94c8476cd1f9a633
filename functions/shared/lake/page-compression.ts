import { gzipSync } from 'node:zlib';
import { CompressionCodec } from './parquet-format.js';
import { snappyCompress, snappyMaxCompressedLength } from './snappy-compress.js';

/** Page compression codecs the writer offers; all three are read by DuckDB, Trino and Athena. */
export type ParquetCompression = 'UNCOMPRESSED' | 'SNAPPY' | 'GZIP';

/** The codecs accepted by {@link PageCompressor}. */
export const PARQUET_COMPRESSIONS: readonly ParquetCompression[] = [
  'UNCOMPRESSED',
  'SNAPPY',
  'GZIP',
];

/** Compresses page bodies with one codec, reusing its output buffer between pages. */
export class PageCompressor {
  /** The footer enum value of the codec. */
  public readonly codec: CompressionCodec;
  private output = new Uint8Array(0);

  /**
   * @param gzipLevel - zlib level 1 (fastest) to 9 (smallest), used by GZIP only
   */
  public constructor(
    private readonly compression: ParquetCompression,
    private readonly gzipLevel: number,
  ) {
    this.codec = CompressionCodec[compression];
  }

  /**
   * Compresses one page body.
   *
   * @returns `body` itself when UNCOMPRESSED, otherwise bytes valid until the next call
   */
  public compress(body: Uint8Array): Uint8Array {
    switch (this.compression) {
      case 'UNCOMPRESSED':
        return body;
      case 'SNAPPY': {
        const needed = snappyMaxCompressedLength(body.length);
        if (this.output.length < needed) this.output = new Uint8Array(needed + (needed >>> 2));
        return snappyCompress(body, this.output);
      }
      case 'GZIP':
        // zlib writes a fixed gzip header (no file name, mtime 0), so the output is deterministic.
        return gzipSync(body, { level: this.gzipLevel });
    }
  }
}
