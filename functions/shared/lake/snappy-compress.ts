/**
 * Snappy block compression (the raw format Parquet's SNAPPY codec uses, not the framed one),
 * following the reference compressor: 64 KiB fragments, a 4-byte hash table with a skip
 * heuristic that speeds through incompressible input. Written against a preallocated output so
 * each byte costs a typed-array store and not a method call.
 */

/** Snappy compresses independent fragments of this size; copy offsets then fit in 16 bits. */
const FRAGMENT_SIZE = 1 << 16;
const MAX_HASH_BITS = 14;
/** The reference implementation stops looking for matches this close to a fragment's end. */
const INPUT_MARGIN = 15;

/** Hash table reused across calls (positions relative to the fragment start). */
const table = new Uint16Array(1 << MAX_HASH_BITS);

/** Upper bound of the compressed size of `length` input bytes (from the reference code). */
export function snappyMaxCompressedLength(length: number): number {
  return 32 + length + Math.floor(length / 6);
}

/**
 * Compresses `input` to a Snappy block. Deterministic: the same input gives the same bytes.
 *
 * @param output - where to write, at least {@link snappyMaxCompressedLength} bytes
 * @default output - a new array
 * @returns a view of `output` holding the compressed block
 */
export function snappyCompress(
  input: Uint8Array,
  output: Uint8Array = new Uint8Array(snappyMaxCompressedLength(input.length)),
): Uint8Array {
  const out = output;
  if (out.length < snappyMaxCompressedLength(input.length)) {
    throw new RangeError(
      `snappyCompress: expected an output of at least ${snappyMaxCompressedLength(input.length)} bytes, got ${out.length}`,
    );
  }
  let op = 0;
  let rest = input.length;
  while (rest >= 0x80) {
    out[op++] = (rest & 0x7f) | 0x80;
    rest >>>= 7;
  }
  out[op++] = rest;
  for (let start = 0; start < input.length; start += FRAGMENT_SIZE) {
    op = compressFragment(input, start, Math.min(input.length, start + FRAGMENT_SIZE), out, op);
  }
  return out.subarray(0, op);
}

function compressFragment(
  input: Uint8Array,
  base: number,
  end: number,
  out: Uint8Array,
  opStart: number,
): number {
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  let op = opStart;
  let hashBits = 8;
  while (hashBits < MAX_HASH_BITS && 1 << hashBits < end - base) hashBits++;
  const shift = 32 - hashBits;
  table.fill(0, 0, 1 << hashBits);
  let nextEmit = base;
  if (end - base >= INPUT_MARGIN) {
    const ipLimit = end - INPUT_MARGIN;
    let ip = base + 1;
    let nextBytes = view.getInt32(ip, true);
    search: for (;;) {
      let skip = 32;
      let nextIp = ip;
      let candidate: number;
      let bytes: number;
      do {
        // The 4 bytes at ip are loaded once, for both the hash and the match test.
        ip = nextIp;
        bytes = nextBytes;
        const step = skip >>> 5;
        nextIp = ip + step;
        skip += step;
        if (nextIp > ipLimit) break search;
        nextBytes = view.getInt32(nextIp, true);
        const hash = Math.imul(bytes, 0x1e35a7bd) >>> shift;
        candidate = base + (table[hash] as number);
        table[hash] = ip - base;
      } while (bytes !== view.getInt32(candidate, true));
      op = emitLiteral(input, nextEmit, ip - nextEmit, out, op);
      let current: number;
      do {
        const matchStart = ip;
        let matched = 4;
        while (
          ip + matched + 4 <= end &&
          view.getInt32(ip + matched, true) === view.getInt32(candidate + matched, true)
        )
          matched += 4;
        while (ip + matched < end && input[ip + matched] === input[candidate + matched]) matched++;
        ip += matched;
        op = emitCopy(out, op, matchStart - candidate, matched);
        nextEmit = ip;
        if (ip >= ipLimit) break search;
        table[Math.imul(view.getInt32(ip - 1, true), 0x1e35a7bd) >>> shift] = ip - 1 - base;
        const hash = Math.imul(view.getInt32(ip, true), 0x1e35a7bd) >>> shift;
        candidate = base + (table[hash] as number);
        table[hash] = ip - base;
        current = view.getInt32(ip, true);
      } while (current === view.getInt32(candidate, true));
      ip++;
      nextBytes = view.getInt32(ip, true);
    }
  }
  if (nextEmit < end) op = emitLiteral(input, nextEmit, end - nextEmit, out, op);
  return op;
}

function emitLiteral(
  input: Uint8Array,
  from: number,
  length: number,
  out: Uint8Array,
  opStart: number,
): number {
  let op = opStart;
  const n = length - 1;
  if (n < 60) {
    out[op++] = n << 2;
  } else if (n < 0x100) {
    out[op++] = 60 << 2;
    out[op++] = n;
  } else {
    out[op++] = 61 << 2;
    out[op++] = n;
    out[op++] = n >>> 8;
  }
  if (length < 32) {
    for (let k = 0; k < length; k++) out[op + k] = input[from + k] as number;
  } else {
    out.set(input.subarray(from, from + length), op);
  }
  return op + length;
}

function emitCopy(out: Uint8Array, opStart: number, offset: number, length: number): number {
  let op = opStart;
  let rest = length;
  while (rest >= 68) {
    op = emitCopyUpTo64(out, op, offset, 64);
    rest -= 64;
  }
  if (rest > 64) {
    op = emitCopyUpTo64(out, op, offset, 60);
    rest -= 60;
  }
  return emitCopyUpTo64(out, op, offset, rest);
}

function emitCopyUpTo64(out: Uint8Array, opStart: number, offset: number, length: number): number {
  let op = opStart;
  if (length < 12 && offset < 2048) {
    out[op++] = 1 | ((length - 4) << 2) | ((offset >>> 8) << 5);
    out[op++] = offset;
  } else {
    out[op++] = 2 | ((length - 1) << 2);
    out[op++] = offset;
    out[op++] = offset >>> 8;
  }
  return op;
}
