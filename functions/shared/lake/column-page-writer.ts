import { ByteBuffer } from './byte-buffer.js';
import type { CountingSink } from './byte-sink.js';
import type { PageCompressor } from './page-compression.js';
import {
  CompressionCodec,
  Encoding,
  type PageEncodingCount,
  PageType,
  writePageHeader,
} from './parquet-format.js';
import { writeRleBitPackedHybrid, writeRleRun } from './rle-bit-packed.js';
import { ThriftCompactWriter } from './thrift-compact-writer.js';

/** Where the pages of the current column chunk went and what they cost. */
export interface ColumnChunkLayout {
  /** The writer's codec, or UNCOMPRESSED when the chunk's first page did not compress enough. */
  readonly codec: CompressionCodec;
  readonly dataPageOffset: number;
  readonly dictionaryPageOffset: number | undefined;
  readonly totalUncompressedSize: number;
  readonly totalCompressedSize: number;
  readonly encodings: readonly Encoding[];
  readonly encodingStats: readonly PageEncodingCount[];
}

/** Bytes of a large first data page that decide whether its chunk is compressed at all. */
const SAMPLE_BYTES = 64 * 1024;

/**
 * Turns page bodies into pages of one column chunk at a time: the caller fills `body` (through
 * `writeDefinitionLevels` and its own value encoding), then `emitDataPage` compresses it, writes
 * header and data to the sink and resets `body` for the next page. Buffers are reused across
 * pages and chunks, so steady-state writing allocates only compressed output.
 *
 * The codec is chosen per column chunk, as Parquet allows: when the chunk's first data page (or
 * its first 64 KiB, for a larger page) shrinks by less than `minCompressionSavings`, the chunk
 * is stored UNCOMPRESSED. Random-looking data (community ids, bit-packed dictionary indices)
 * then costs little compression time for no gain. The dictionary page is held back until that
 * decision, as it precedes the data pages.
 */
export class ColumnPageWriter {
  /** The page body under construction. */
  public readonly body = new ByteBuffer(1 << 20);
  private readonly header = new ThriftCompactWriter();
  private chunkStart = 0;
  private dictionaryPageOffset: number | undefined;
  private dataPageOffset: number | undefined;
  private uncompressed = 0;
  private compressed = 0;
  private dataPages = 0;
  private dataEncoding = Encoding.PLAIN;
  private hasLevels = false;
  private compressing = true;
  private pendingDictionary: { readonly bytes: Uint8Array; readonly entries: number } | undefined;

  /** @param minCompressionSavings - fraction of the first data page compression must save, 0 to 1 */
  public constructor(
    private readonly out: CountingSink,
    private readonly compressor: PageCompressor,
    private readonly minCompressionSavings: number,
  ) {}

  /** Starts a new column chunk at the sink's current position. */
  public startChunk(hasDefinitionLevels: boolean): void {
    this.chunkStart = this.out.position;
    this.dictionaryPageOffset = undefined;
    this.dataPageOffset = undefined;
    this.uncompressed = 0;
    this.compressed = 0;
    this.dataPages = 0;
    this.dataEncoding = Encoding.PLAIN;
    this.hasLevels = hasDefinitionLevels;
    this.pendingDictionary = undefined;
    this.compressing = this.compressor.codec !== CompressionCodec.UNCOMPRESSED;
    this.body.reset();
  }

  /**
   * Takes `body` as the chunk's dictionary page (PLAIN-encoded entries); it is written with the
   * first data page, once the chunk's codec is known.
   */
  public emitDictionaryPage(entryCount: number): void {
    this.pendingDictionary = { bytes: new Uint8Array(this.body.view()), entries: entryCount };
    this.body.reset();
  }

  /** Writes `body` as a data page (v1) of `rowCount` rows, nulls included. */
  public emitDataPage(encoding: Encoding, rowCount: number): void {
    const raw = this.body.view();
    let data = raw;
    if (this.compressing && this.dataPages === 0 && raw.length > SAMPLE_BYTES) {
      // A large first page is judged on its first 64 KiB (one Snappy fragment) before it is
      // compressed whole: random-looking pages are then not compressed just to be discarded.
      this.compressing = this.saves(raw.subarray(0, SAMPLE_BYTES));
    }
    if (this.compressing) {
      data = this.compressor.compress(raw);
      if (this.dataPages === 0 && !this.saves(raw, data)) {
        this.compressing = false;
        data = raw;
      }
    }
    const dictionary = this.pendingDictionary;
    if (dictionary !== undefined) {
      this.pendingDictionary = undefined;
      // The compressor reuses its output buffer: keep this page's bytes apart first.
      if (data !== raw) data = new Uint8Array(data);
      this.dictionaryPageOffset = this.out.position;
      const dictionaryData = this.compressing
        ? this.compressor.compress(dictionary.bytes)
        : dictionary.bytes;
      this.writePage(
        PageType.DICTIONARY_PAGE,
        Encoding.PLAIN,
        dictionary.entries,
        dictionary.bytes,
        dictionaryData,
      );
    }
    this.dataPageOffset ??= this.out.position;
    this.dataEncoding = encoding;
    this.dataPages++;
    this.writePage(PageType.DATA_PAGE, encoding, rowCount, raw, data);
    this.body.reset();
  }

  /**
   * Appends the definition levels of rows `[start, end)` to `body` (4-byte length, then
   * RLE/bit-packed hybrid at width 1: 1 = value present, 0 = null).
   *
   * @param nullCount - nulls in the range; none or all make the levels a single run
   */
  public writeDefinitionLevels(
    levels: Uint8Array,
    start: number,
    end: number,
    nullCount: number,
  ): void {
    const body = this.body;
    const lengthAt = body.length;
    body.writeInt32LE(0);
    const count = end - start;
    if (nullCount === 0 || nullCount === count) {
      writeRleRun(body, nullCount === 0 ? 1 : 0, count, 1);
    } else {
      writeRleBitPackedHybrid(body, levels, start, end, 1);
    }
    const length = body.length - lengthAt - 4;
    const bytes = body.bytes;
    bytes[lengthAt] = length;
    bytes[lengthAt + 1] = length >>> 8;
    bytes[lengthAt + 2] = length >>> 16;
    bytes[lengthAt + 3] = length >>> 24;
  }

  /** Whether compression saves `minCompressionSavings` of `raw` (compressed: `data`). */
  private saves(raw: Uint8Array, data = this.compressor.compress(raw)): boolean {
    return data.length <= raw.length * (1 - this.minCompressionSavings);
  }

  /** Where the chunk's pages are and how big they are; call after the last data page. */
  public finishChunk(): ColumnChunkLayout {
    const encodings = new Set<Encoding>([Encoding.PLAIN, this.dataEncoding]);
    if (this.hasLevels) encodings.add(Encoding.RLE);
    const encodingStats: PageEncodingCount[] = [];
    if (this.dictionaryPageOffset !== undefined) {
      encodingStats.push({
        pageType: PageType.DICTIONARY_PAGE,
        encoding: Encoding.PLAIN,
        count: 1,
      });
    }
    encodingStats.push({
      pageType: PageType.DATA_PAGE,
      encoding: this.dataEncoding,
      count: this.dataPages,
    });
    return {
      codec: this.compressing ? this.compressor.codec : CompressionCodec.UNCOMPRESSED,
      dataPageOffset: this.dataPageOffset ?? this.chunkStart,
      dictionaryPageOffset: this.dictionaryPageOffset,
      totalUncompressedSize: this.uncompressed,
      totalCompressedSize: this.compressed,
      encodings: [...encodings].sort((a, b) => a - b),
      encodingStats,
    };
  }

  private writePage(
    type: PageType,
    encoding: Encoding,
    numValues: number,
    raw: Uint8Array,
    data: Uint8Array,
  ): void {
    this.header.reset();
    writePageHeader(this.header, {
      type,
      uncompressedPageSize: raw.length,
      compressedPageSize: data.length,
      numValues,
      encoding,
    });
    const header = this.header.buffer.view();
    this.out.write(header);
    this.out.write(data);
    this.uncompressed += header.length + raw.length;
    this.compressed += header.length + data.length;
  }
}
