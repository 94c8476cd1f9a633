import type { ByteBuffer } from './byte-buffer.js';

/**
 * Bit-packed runs hold at most 63 groups of 8, so their header is one byte (patched once the
 * run ends); parquet-mr and Arrow cap them the same way.
 */
const MAX_GROUPS_PER_BIT_PACKED_RUN = 63;

/** Widest value this encoder packs: Parquet levels and dictionary indices stay far below it. */
export const MAX_RLE_BIT_WIDTH = 24;

/**
 * Number of bits needed to store every integer in `[0, maxValue]`, at least 1 (some readers
 * mishandle width 0).
 */
export function bitWidthOf(maxValue: number): number {
  return Math.max(1, 32 - Math.clz32(maxValue));
}

/**
 * Appends `values[start, end)` to `out` in Parquet's RLE/bit-packed hybrid encoding (without the
 * 4-byte length prefix some callers need). Values go in groups of 8: a group of 8 equal values
 * starts an RLE run that extends as far as the value repeats; other groups are bit-packed. A
 * last partial group is an RLE run if its values are equal, otherwise bit-packed with zero
 * padding (readers stop at the value count they know).
 *
 * @param values - non-negative integers below `2^bitWidth`
 * @param bitWidth - 1 to {@link MAX_RLE_BIT_WIDTH}
 */
export function writeRleBitPackedHybrid(
  out: ByteBuffer,
  values: ArrayLike<number>,
  start: number,
  end: number,
  bitWidth: number,
): void {
  let i = start;
  let headerAt = -1;
  let groups = 0;
  while (end - i >= 8) {
    const v = values[i] as number;
    if (
      values[i + 1] === v &&
      values[i + 2] === v &&
      values[i + 3] === v &&
      values[i + 4] === v &&
      values[i + 5] === v &&
      values[i + 6] === v &&
      values[i + 7] === v
    ) {
      if (groups > 0) out.bytes[headerAt] = (groups << 1) | 1;
      groups = 0;
      let j = i + 8;
      while (j < end && values[j] === v) j++;
      writeRleRun(out, v, j - i, bitWidth);
      i = j;
      continue;
    }
    if (groups === MAX_GROUPS_PER_BIT_PACKED_RUN) {
      out.bytes[headerAt] = (groups << 1) | 1;
      groups = 0;
    }
    if (groups === 0) {
      out.ensure(1 + MAX_GROUPS_PER_BIT_PACKED_RUN * bitWidth);
      headerAt = out.length++;
    }
    packGroup(out, values, i, 8, bitWidth);
    groups++;
    i += 8;
  }
  if (i < end) {
    const v = values[i] as number;
    let j = i + 1;
    while (j < end && values[j] === v) j++;
    if (j === end) {
      if (groups > 0) out.bytes[headerAt] = (groups << 1) | 1;
      groups = 0;
      writeRleRun(out, v, end - i, bitWidth);
    } else {
      // The padded last group joins the open bit-packed run if there is room.
      if (groups === 0 || groups === MAX_GROUPS_PER_BIT_PACKED_RUN) {
        if (groups > 0) out.bytes[headerAt] = (groups << 1) | 1;
        out.ensure(1 + bitWidth);
        headerAt = out.length++;
        groups = 0;
      }
      out.ensure(bitWidth);
      packGroup(out, values, i, end - i, bitWidth);
      groups++;
    }
  }
  if (groups > 0) out.bytes[headerAt] = (groups << 1) | 1;
}

/** Appends one RLE run: header `count << 1`, then the value in ceil(bitWidth / 8) bytes. */
export function writeRleRun(out: ByteBuffer, value: number, count: number, bitWidth: number): void {
  out.writeVarint(count * 2);
  const bytes = (bitWidth + 7) >>> 3;
  for (let k = 0; k < bytes; k++) out.writeByte(value >>> (k * 8));
}

/**
 * Packs `count` (1 to 8) values LSB-first into exactly `bitWidth` bytes (one group of 8, missing
 * values as zeros). The caller has ensured the room.
 */
function packGroup(
  out: ByteBuffer,
  values: ArrayLike<number>,
  from: number,
  count: number,
  bitWidth: number,
): void {
  const bytes = out.bytes;
  let at = out.length;
  const groupEnd = at + bitWidth;
  if (bitWidth === 1) {
    let byte = 0;
    for (let k = 0; k < count; k++) byte |= (values[from + k] as number) << k;
    bytes[at] = byte;
  } else {
    // bits < 8 before each add and bitWidth <= 24, so the accumulator stays within 31 bits.
    let acc = 0;
    let bits = 0;
    for (let k = 0; k < count; k++) {
      acc |= (values[from + k] as number) << bits;
      bits += bitWidth;
      while (bits >= 8) {
        bytes[at++] = acc;
        acc >>>= 8;
        bits -= 8;
      }
    }
    if (bits > 0) bytes[at++] = acc;
    while (at < groupEnd) bytes[at++] = 0;
  }
  out.length = groupEnd;
}
