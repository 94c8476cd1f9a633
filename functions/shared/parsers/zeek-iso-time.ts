/**
 * ISO-8601 timestamps as Zeek's `TS_ISO8601` and log shippers write them, read without `Date.parse`:
 * ECMAScript reads a date-time without a zone as *local* time and drops sub-millisecond digits,
 * where wardflow wants UTC and half-up rounding.
 */

/** Reads `n` decimal digits at `at`; -1 when any is not a digit. */
function digitsAt(text: string, at: number, n: number): number {
  if (at + n > text.length) return -1;
  let value = 0;
  for (let i = at; i < at + n; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Reads `YYYY-MM-DD[T| ]HH:MM:SS[.fraction][Z|±HH[:]MM|±HH]` as epoch milliseconds.
 * A missing zone means UTC; the fraction is rounded half-up to the millisecond.
 *
 * @returns epoch milliseconds, or undefined when the text is not such a timestamp.
 * @example isoTimeToMillis('2021-11-17T13:32:46.565337') // 1637155966565
 */
export function isoTimeToMillis(text: string): number | undefined {
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  const t = text.charCodeAt(10);
  if (
    year < 0 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 59 ||
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    (t !== 84 && t !== 116 && t !== 32) ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58
  ) {
    return undefined;
  }
  let i = 19;
  let millis = 0;
  if (text.charCodeAt(i) === 46) {
    let scale = 100;
    let roundUp = false;
    let k = 0;
    for (i++; i < text.length; i++, k++) {
      const digit = text.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) break;
      if (k < 3) {
        millis += digit * scale;
        scale /= 10;
      } else if (k === 3) {
        roundUp = digit >= 5;
      }
    }
    if (k === 0) return undefined;
    if (roundUp) millis++;
  }
  const offset = readZoneOffsetMinutes(text, i);
  if (offset === undefined) return undefined;
  const epoch = Date.UTC(year, month - 1, day, hour, minute, second) + millis - offset * 60_000;
  // Date.UTC maps years 0–99 to 1900–1999, and flow times before 1970 are garbage anyway.
  return year < 1970 || epoch < 0 ? undefined : epoch;
}

/** Reads the zone suffix at `at` as minutes east of UTC; undefined when malformed. */
function readZoneOffsetMinutes(text: string, at: number): number | undefined {
  const rest = text.length - at;
  if (rest === 0) return 0;
  const c = text.charCodeAt(at);
  if (c === 90 || c === 122) return rest === 1 ? 0 : undefined;
  if (c !== 43 && c !== 45) return undefined;
  const hours = digitsAt(text, at + 1, 2);
  let minutes = 0;
  if (rest === 6 && text.charCodeAt(at + 3) === 58) minutes = digitsAt(text, at + 4, 2);
  else if (rest === 5) minutes = digitsAt(text, at + 3, 2);
  else if (rest !== 3) return undefined;
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return undefined;
  const total = hours * 60 + minutes;
  return c === 45 ? -total : total;
}
