import { readDecimal } from './field-values.js';
import { isoTimeToMillis } from './zeek-iso-time.js';

/**
 * Zeek time and interval values → epoch milliseconds.
 *
 * Zeek prints `time` and `interval` as decimal seconds with microseconds (`1655071198.444458`).
 * Converting through a float (`x * 1000`) can land just below a half and round the wrong way, so
 * the text is read digit by digit and rounded half-up on the fourth fraction digit: exact.
 */

/** 12 integer digits keep `seconds * 1000` an exact integer (year 33658, far past any capture). */
const MAX_SECOND_DIGITS = 12;

/**
 * Above this a JSON time is TS_MILLIS (`LogAscii::json_timestamps`): 1e11 ms is 1973, while 1e11
 * seconds is the year 5138. It is also the largest number of seconds accepted.
 */
const MILLIS_THRESHOLD = 1e11;

/** The largest TS_MILLIS value accepted (year 5138), so that sums stay exact integers. */
const MAX_MILLIS = 1e14;

/**
 * Reads non-negative decimal seconds (`928.943457`, `0`, `5.`) as milliseconds rounded half-up.
 * Relative capture times (seconds since capture start) are returned as they are, never rebased.
 *
 * @returns the milliseconds, or undefined when the text is not plain decimal seconds.
 */
export function zeekSecondsToMillis(text: string): number | undefined {
  const len = text.length;
  let i = 0;
  let whole = 0;
  while (i < len) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) break;
    whole = whole * 10 + digit;
    i++;
  }
  if (i === 0 || i > MAX_SECOND_DIGITS) return undefined;
  if (i === len) return whole * 1000;
  if (text.charCodeAt(i) !== 46) return undefined;
  let millis = 0;
  let scale = 100;
  let roundUp = false;
  for (let k = 0, j = i + 1; j < len; j++, k++) {
    const digit = text.charCodeAt(j) - 48;
    if (digit < 0 || digit > 9) return undefined;
    if (k < 3) {
      millis += digit * scale;
      scale /= 10;
    } else if (k === 3) {
      roundUp = digit >= 5;
    }
  }
  return whole * 1000 + millis + (roundUp ? 1 : 0);
}

/**
 * Reads a Zeek JSON `ts` in any of the styles writers use.
 *
 * - number ≤ 1e11: epoch seconds (`TS_EPOCH`, the default), or relative seconds;
 * - number > 1e11: epoch milliseconds (`TS_MILLIS`, `TS_MILLIS_UNSIGNED`);
 * - string with a date (`2021-11-17T13:32:46.565337`, `…Z`, `…+01:00`): ISO-8601, UTC when it
 *   carries no zone (`TS_ISO8601` and other shippers);
 * - numeric string: as the number it spells (some shippers quote every value).
 *
 * @returns epoch milliseconds rounded to the millisecond, or undefined for anything else.
 */
export function zeekJsonTimeToMillis(value: unknown): number | undefined {
  if (typeof value === 'number') {
    if (!(value >= 0 && value <= MAX_MILLIS)) return undefined;
    return value > MILLIS_THRESHOLD ? Math.round(value) : secondsNumberToMillis(value);
  }
  if (typeof value === 'string') {
    if (value.length > 4 && value.charCodeAt(4) === 45) return isoTimeToMillis(value);
    const n = readDecimal(value);
    return n === undefined ? undefined : zeekJsonTimeToMillis(n);
  }
  return undefined;
}

/**
 * Reads a Zeek JSON `duration` (interval seconds, a number or a numeric string).
 *
 * @returns milliseconds rounded half-up, or undefined when the value is not non-negative seconds.
 */
export function zeekJsonSecondsToMillis(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return value >= 0 && value <= MILLIS_THRESHOLD ? secondsNumberToMillis(value) : undefined;
  }
  return typeof value === 'string' ? zeekSecondsToMillis(value) : undefined;
}

/**
 * Seconds as a JSON number (0 ≤ value ≤ 1e11) → milliseconds rounded half-up, as for the text.
 * Away from a half the float product rounds the way the decimal does (its error is below 1e-3 ms
 * at these magnitudes). Near a half, the shortest round-trip text of the double is the decimal
 * Zeek wrote, so that text is rounded exactly; exponent forms only occur for tiny values.
 */
function secondsNumberToMillis(value: number): number | undefined {
  const scaled = value * 1000;
  if (Math.abs(scaled - Math.floor(scaled) - 0.5) > 1e-3) return Math.round(scaled);
  const text = String(value);
  return text.includes('e') ? Math.round(scaled) : zeekSecondsToMillis(text);
}
