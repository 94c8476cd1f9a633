import { TruncatedInputError } from './line-batches.js';

/** A run of whole lines of the decoded input, as bytes, numbered from `firstLine` (1-based). */
export interface Segment {
  /** Position in the input, from 0. */
  readonly index: number;
  readonly firstLine: number;
  /**
   * The lines' bytes, each ending in `\n` except possibly the input's last line. Owns its
   * buffer, so it can be transferred to a worker, unless it was cut with a
   * {@link SegmentBufferPool} (then it is valid until released).
   */
  readonly bytes: Uint8Array;
}

const NEWLINE = 0x0a;

/**
 * Segment buffers handed back by a consumer that is done with them, for the next segment: a
 * 4 MB array per segment otherwise, which the garbage collector must reclaim (array buffers are
 * external memory, which makes V8 run full collections over the whole heap).
 */
export class SegmentBufferPool {
  private spare: ArrayBuffer | undefined;

  /** Takes back a segment's bytes; the segment must not be used any more. */
  public release(bytes: Uint8Array): void {
    this.spare = bytes.buffer as ArrayBuffer;
  }

  /** An array of `size` bytes, on the released buffer if it is large enough. */
  public take(size: number): Uint8Array {
    const spare = this.spare;
    this.spare = undefined;
    if (spare !== undefined && spare.byteLength >= size) return new Uint8Array(spare, 0, size);
    // Room to spare, as the next segment's lines may be a little longer.
    return new Uint8Array(new ArrayBuffer(Math.ceil(size * 1.25)), 0, size);
  }
}

/**
 * Cuts decoded bytes into segments of `lines` lines (the last one may hold fewer), on buffers
 * from `pool` when given (see {@link SegmentBufferPool}). Cutting
 * bytes at `\n`, which is never part of a multi-byte UTF-8 sequence, leaves decoding to
 * whoever parses the segment. When the input breaks off (truncated gzip), the complete lines
 * before the break are yielded first, then a {@link TruncatedInputError} carries the cut-off
 * text, as `splitLines` does.
 */
export async function* cutSegments(
  chunks: AsyncIterable<Uint8Array>,
  lines: number,
  pool?: SegmentBufferPool,
): AsyncGenerator<Segment> {
  let parts: Uint8Array[] = [];
  let partBytes = 0;
  let partLines = 0;
  let index = 0;
  let firstLine = 1;
  const take = (): Segment => {
    const bytes = concat(parts, partBytes, pool);
    const segment = { index: index++, firstLine, bytes };
    firstLine += partLines;
    parts = [];
    partBytes = 0;
    partLines = 0;
    return segment;
  };
  try {
    for await (const chunk of chunks) {
      let from = 0;
      while (from < chunk.length) {
        // Find the end of this segment's last line in the chunk, or take the whole chunk.
        let at = from;
        let cut = -1;
        while (partLines < lines) {
          const nl = chunk.indexOf(NEWLINE, at);
          if (nl < 0) break;
          partLines++;
          at = nl + 1;
          if (partLines === lines) cut = at;
        }
        const end = cut >= 0 ? cut : chunk.length;
        if (end > from) {
          parts.push(chunk.subarray(from, end));
          partBytes += end - from;
        }
        from = end;
        if (cut >= 0) yield take();
      }
    }
  } catch (error) {
    if (!isZlibError(error)) throw error;
    const whole = concat(parts, partBytes);
    const lastNewline = whole.lastIndexOf(NEWLINE);
    const partial = Buffer.from(whole.buffer, lastNewline + 1).toString('utf8');
    if (lastNewline >= 0) {
      yield { index: index++, firstLine, bytes: whole.slice(0, lastNewline + 1) };
      firstLine += partLines;
    }
    throw new TruncatedInputError(partial, firstLine, { cause: error });
  }
  if (partBytes > 0) yield take();
}

/** The lines of a segment, without `\n` / `\r\n`, as `splitLines` delivers them. */
export function segmentLines(bytes: Uint8Array): string[] {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.charCodeAt(line.length - 1) === 13) lines[i] = line.slice(0, -1);
  }
  return lines;
}

function concat(parts: readonly Uint8Array[], size: number, pool?: SegmentBufferPool): Uint8Array {
  const out = pool === undefined ? new Uint8Array(size) : pool.take(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** zlib's errors: a truncated member (`Z_BUF_ERROR`, "unexpected end of file") or corrupt data. */
function isZlibError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}
