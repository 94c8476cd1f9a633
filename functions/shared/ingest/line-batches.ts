import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { FlowParseError } from '../errors.js';

/** Size of the decompressed chunks gunzip hands over. */
const GUNZIP_CHUNK_BYTES = 4 * 1024 * 1024;

/** Decompressed bytes queued for the consumer before the compressed input waits. */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

/** The first bytes of a gzip member. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** True when the bytes start with Parquet's magic number `PAR1`. */
export function isParquet(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 &&
    bytes[0] === 0x50 &&
    bytes[1] === 0x41 &&
    bytes[2] === 0x52 &&
    bytes[3] === 0x31
  );
}

/** A run of complete lines, numbered from `firstLine` (1-based). */
export interface LineBatch {
  readonly firstLine: number;
  readonly lines: readonly string[];
}

/**
 * Thrown after the last complete line when a gzip input breaks off (truncated or corrupt). Every
 * line before the break has been delivered; `partialLine` is the cut-off text after the last
 * newline (empty when the break fell on a line boundary).
 */
export class TruncatedInputError extends FlowParseError {
  public readonly partialLine: string;
  public readonly partialLineNumber: number;

  public constructor(partialLine: string, partialLineNumber: number, options?: ErrorOptions) {
    super(`gzip input breaks off after line ${partialLineNumber - 1}`, options);
    this.name = 'TruncatedInputError';
    this.partialLine = partialLine;
    this.partialLineNumber = partialLineNumber;
  }
}

/** Replays an already-read first chunk in front of the rest of an iterator. */
async function* prepend(
  head: Uint8Array,
  rest: AsyncIterator<Uint8Array>,
  onBytes?: (bytes: number) => void,
): AsyncGenerator<Uint8Array> {
  onBytes?.(head.length);
  yield head;
  for (let r = await rest.next(); !r.done; r = await rest.next()) {
    onBytes?.(r.value.length);
    yield r.value;
  }
}

/** An input's decompressed bytes, with the first chunk available for sniffing. */
export interface DecodedInput {
  /** The first decompressed chunk (empty for an empty input). */
  readonly head: Uint8Array;
  /** All decompressed bytes, `head` included. */
  readonly chunks: AsyncIterable<Uint8Array>;
}

/**
 * Gunzips an input when its first bytes are a gzip header (also for concatenated members),
 * otherwise passes it through. `onBytes` counts raw (compressed) bytes read, for progress.
 */
export async function decodeInput(
  raw: AsyncIterable<Uint8Array>,
  onBytes?: (bytes: number) => void,
): Promise<DecodedInput> {
  const iterator = raw[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return { head: new Uint8Array(0), chunks: (async function* () {})() };
  const all = prepend(first.value, iterator, onBytes);
  if (!isGzip(first.value)) return { head: first.value, chunks: all };
  // 4 MiB output chunks instead of zlib's 16 KiB: zlib fills one chunk per thread-pool job and
  // needs this thread between jobs, so a chunk the size of a segment (32,768 VPC lines are
  // ~4 MB) is decompressed while this thread works on the previous one. With 256 KiB chunks
  // ingest waited ~0.1 s per million records for its input.
  const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES });
  // Output is taken as it comes ('data' events, never paused) and queued here, and backpressure
  // applies to the compressed input instead: a stream that fails drops what it still buffers,
  // so a truncated input would lose the lines decompressed before the break whenever the
  // consumer is behind (as when segments wait for workers).
  const queue: Uint8Array[] = [];
  let queuedBytes = 0;
  let ended = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  let drained: (() => void) | undefined;
  const signal = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  gunzip.on('data', (chunk: Uint8Array) => {
    queue.push(chunk);
    queuedBytes += chunk.length;
    signal();
  });
  gunzip.on('end', () => {
    ended = true;
    signal();
  });
  gunzip.on('error', (error) => {
    failure = error;
    signal();
  });
  // Pipe by hand so that a source error reaches the consumer instead of stalling gunzip.
  (async () => {
    try {
      for await (const chunk of all) {
        while (queuedBytes > MAX_QUEUED_BYTES && failure === undefined) {
          await new Promise<void>((resolve) => {
            drained = resolve;
          });
        }
        if (failure !== undefined) return;
        if (!gunzip.write(chunk)) await new Promise((resolve) => gunzip.once('drain', resolve));
      }
      gunzip.end();
    } catch (error) {
      gunzip.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  })();
  async function* output(): AsyncGenerator<Uint8Array> {
    for (;;) {
      const chunk = queue.shift();
      if (chunk !== undefined) {
        queuedBytes -= chunk.length;
        if (queuedBytes <= MAX_QUEUED_BYTES) {
          const d = drained;
          drained = undefined;
          d?.();
        }
        yield chunk;
        continue;
      }
      if (failure !== undefined) throw failure;
      if (ended) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  }
  const inner = output();
  try {
    const firstOut = await inner.next();
    if (firstOut.done) return { head: new Uint8Array(0), chunks: (async function* () {})() };
    return { head: firstOut.value, chunks: prepend(firstOut.value, inner) };
  } catch (error) {
    // Broken before the first byte: nothing to keep, but the caller still learns why.
    const chunks: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(error) }),
    };
    return { head: new Uint8Array(0), chunks };
  }
}

/** Splits decoded bytes into batches of lines (without `\n` / `\r\n`). */
export async function* splitLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<LineBatch> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let nextLine = 1;
  try {
    for await (const chunk of chunks) {
      const lines = (pending + decoder.write(chunk as Buffer)).split('\n');
      pending = lines.pop() ?? '';
      if (lines.length === 0) continue;
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i] as string;
        if (line.endsWith('\r')) lines[i] = line.slice(0, -1);
      }
      yield { firstLine: nextLine, lines };
      nextLine += lines.length;
    }
  } catch (error) {
    if (isZlibError(error)) {
      throw new TruncatedInputError(pending + decoder.end(), nextLine, { cause: error });
    }
    throw error;
  }
  const last = pending + decoder.end();
  if (last !== '') {
    yield { firstLine: nextLine, lines: [last.endsWith('\r') ? last.slice(0, -1) : last] };
  }
}

/** zlib's errors: a truncated member (`Z_BUF_ERROR`, "unexpected end of file") or corrupt data. */
function isZlibError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}
