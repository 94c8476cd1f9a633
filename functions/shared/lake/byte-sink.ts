import { closeSync, openSync, writeSync } from 'node:fs';
import { LakeWriteError } from '../errors.js';

/**
 * Where the Parquet writer puts its bytes: a synchronous, append-only destination. The bytes
 * passed to `write` may be reused by the caller once it returns, so a sink that keeps them must
 * copy them.
 */
export interface ByteSink {
  /** Appends `bytes`. */
  write(bytes: Uint8Array): void;
}

/** Collects everything written in memory; for tests, small files and S3 `PutObject` bodies. */
export class MemorySink implements ByteSink {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;

  /** Bytes written so far. */
  public get byteLength(): number {
    return this.size;
  }

  public write(bytes: Uint8Array): void {
    // `new Uint8Array(view)` copies; `Buffer#slice` would not.
    this.chunks.push(new Uint8Array(bytes));
    this.size += bytes.length;
  }

  /** Everything written so far, as one contiguous array. */
  public toBytes(): Uint8Array {
    const all = new Uint8Array(this.size);
    let at = 0;
    for (const chunk of this.chunks) {
      all.set(chunk, at);
      at += chunk.length;
    }
    return all;
  }
}

/** Default buffer of a {@link FileSink}: big enough that writes are few, small enough for Lambda. */
export const DEFAULT_FILE_SINK_BUFFER_BYTES = 1024 * 1024;

/**
 * Appends to a local file through a buffer, so the many small writes of page headers do not each
 * become a system call. Call `close()` to flush and release the descriptor.
 */
export class FileSink implements ByteSink {
  private readonly fd: number;
  private readonly buffer: Uint8Array;
  private used = 0;
  private closed = false;

  /**
   * Opens (creating or truncating) `path` for writing.
   *
   * @param bufferBytes - size of the write buffer
   * @default bufferBytes - {@link DEFAULT_FILE_SINK_BUFFER_BYTES}
   */
  public constructor(path: string, bufferBytes = DEFAULT_FILE_SINK_BUFFER_BYTES) {
    this.fd = openSync(path, 'w');
    this.buffer = new Uint8Array(bufferBytes);
  }

  public write(bytes: Uint8Array): void {
    if (this.closed)
      throw new LakeWriteError('file sink: expected an open file, got a write after close()');
    if (this.used + bytes.length > this.buffer.length) this.flush();
    if (bytes.length >= this.buffer.length) {
      writeFully(this.fd, bytes);
      return;
    }
    this.buffer.set(bytes, this.used);
    this.used += bytes.length;
  }

  /** Writes the buffered bytes to the file. */
  public flush(): void {
    if (this.used === 0) return;
    writeFully(this.fd, this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  /** Flushes and closes the file; further writes throw. Closing twice is a no-op. */
  public close(): void {
    if (this.closed) return;
    try {
      this.flush();
    } finally {
      this.closed = true;
      closeSync(this.fd);
    }
  }
}

/** Opens a buffered {@link FileSink} on `path` (created or truncated). */
export function openFileSink(path: string, bufferBytes?: number): FileSink {
  return new FileSink(path, bufferBytes);
}

/** Counts the bytes passed through, so the writer knows the file offset of every page. */
export class CountingSink implements ByteSink {
  /** Bytes written so far, i.e. the offset of the next byte in the file. */
  public position = 0;

  public constructor(private readonly target: ByteSink) {}

  public write(bytes: Uint8Array): void {
    this.target.write(bytes);
    this.position += bytes.length;
  }
}

function writeFully(fd: number, bytes: Uint8Array): void {
  let written = 0;
  while (written < bytes.length) {
    written += writeSync(fd, bytes, written, bytes.length - written);
  }
}
