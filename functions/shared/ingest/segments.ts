import { TruncatedInputError } from './line-batches.js';

/** A run of whole lines of the decoded input, as bytes, numbered from `firstLine` (1-based). */
export interface Segment {
  /** Position in the input, from 0. */
  readonly index: number;
  readonly firstLine: number;
  /**
   * The lines' bytes, each ending in `\n` except possibly the input's last line. Owns its
   * buffer, so it can be transferred to a worker.
   */
  readonly bytes: Uint8Array;
}

const NEWLINE = 0x0a;

/**
 * Cuts decoded bytes into segments of `lines` lines (the last one may hold fewer). Cutting
 * bytes at `\n`, which is never part of a multi-byte UTF-8 sequence, leaves decoding to
 * whoever parses the segment. When the input breaks off (truncated gzip), the complete lines
 * before the break are yielded first, then a {@link TruncatedInputError} carries the cut-off
 * text, as `splitLines` does.
 */
export async function* cutSegments(
  chunks: AsyncIterable<Uint8Array>,
  lines: number,
): AsyncGenerator<Segment> {
  let parts: Uint8Array[] = [];
  let partBytes = 0;
  let partLines = 0;
  let index = 0;
  let firstLine = 1;
  const take = (): Segment => {
    const bytes = concat(parts, partBytes);
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

function concat(parts: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
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
