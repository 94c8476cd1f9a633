import { readCount } from './field-values.js';

/**
 * Readers for the nfdump CSV values that are not plain counts: TCP flag strings, epoch
 * `seconds.mmm` times and durations, and ICMP type/code. Each returns `undefined` when the text is
 * not acceptable so the caller can name the column in the quarantine reason.
 */

/** Bits of nfdump's 8-character flag string `CEUAPRSF` (since 1.6.18), left to right. */
const FLAG_BITS_8 = [128, 64, 32, 16, 8, 4, 2, 1];
const FLAG_LETTERS_8 = 'CEUAPRSF';
/** Bits of the 6-character `UAPRSF` string of nfdump 1.6.17 and older. */
const FLAG_BITS_6 = [32, 16, 8, 4, 2, 1];
const FLAG_LETTERS_6 = 'UAPRSF';
const DOT = 46;

/**
 * Reads nfdump's TCP flags: `CEUAPRSF` or `UAPRSF` with `.` for unset flags (`...A..S.`,
 * `.AP.SF`), each letter only in its own position; a decimal value 0–255 is accepted too.
 *
 * @returns the OR of the flag bits (FIN 1 … CWR 128), or `undefined`.
 */
export function readTcpFlagString(text: string): number | undefined {
  const letters = text.length === 8 ? FLAG_LETTERS_8 : text.length === 6 ? FLAG_LETTERS_6 : null;
  const first = text.charCodeAt(0);
  if (letters === null || (first >= 48 && first <= 57)) {
    const n = readCount(text);
    return n !== undefined && n <= 255 ? n : undefined;
  }
  const bits = text.length === 8 ? FLAG_BITS_8 : FLAG_BITS_6;
  let flags = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === letters.charCodeAt(i)) flags |= bits[i] as number;
    else if (c !== DOT) return undefined;
  }
  return flags;
}

/**
 * Reads non-negative seconds with an optional fraction (`2.000`, `1714557600.123`) as whole
 * milliseconds, exactly (no floating-point rounding); digits past milliseconds are truncated.
 */
export function readSecondsAsMillis(text: string): number | undefined {
  const len = text.length;
  let seconds = 0;
  let i = 0;
  for (; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c === DOT) break;
    if (c < 48 || c > 57 || i >= 15) return undefined;
    seconds = seconds * 10 + (c - 48);
  }
  if (i === 0) return undefined;
  let millis = 0;
  if (i < len) {
    if (i + 1 === len) return undefined;
    let scale = 100;
    for (let j = i + 1; j < len; j++) {
      const c = text.charCodeAt(j) - 48;
      if (c < 0 || c > 9) return undefined;
      millis += c * scale;
      scale = scale >= 10 ? scale / 10 : 0;
    }
  }
  return seconds * 1000 + millis;
}

/**
 * Reads an ICMP type and code as nfdump writes them in the destination-port column: `type.code`
 * (1.7.5+ CSV: `3.3`) or NetFlow's packed `type × 256 + code` (legacy CSV and csv-fast: `771`).
 *
 * @returns `type × 256 + code`, or `undefined`.
 */
export function readIcmpTypeCode(text: string): number | undefined {
  const dot = text.indexOf('.');
  if (dot < 0) {
    const packed = readCount(text);
    return packed !== undefined && packed <= 0xffff ? packed : undefined;
  }
  const type = readCount(text.slice(0, dot));
  const code = readCount(text.slice(dot + 1));
  if (type === undefined || code === undefined || type > 255 || code > 255) return undefined;
  return type * 256 + code;
}
