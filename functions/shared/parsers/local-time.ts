import { WardflowError } from '../errors.js';

/**
 * Zone-less local times (`2024-05-01 10:00:00`, as legacy nfdump CSV prints them) read in an IANA
 * time zone and turned into epoch milliseconds, with `Intl` as the only source of zone rules.
 *
 * Wall-clock times that a daylight-saving change makes ambiguous or impossible are resolved the
 * way JavaScript `Date`, `java.time` and Temporal's `'compatible'` option do:
 * - **ambiguous** (the repeated hour when clocks go back, e.g. 02:30 on 2024-10-27 in
 *   Europe/Prague happens at 00:30Z and again at 01:30Z): the **earlier** instant. An exporter
 *   that writes local time has already lost which one it was; the earlier one keeps the records
 *   of that hour in the order they were written.
 * - **nonexistent** (the hour skipped when clocks go forward, e.g. 02:30 on 2024-03-31 in
 *   Europe/Prague): read with the offset in force **before** the change, which moves it forward
 *   by the length of the gap (02:30 CET = 03:30 CEST = 01:30Z). Such a time can only come from a
 *   clock or zone misconfiguration, so the record is kept rather than guessed away.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Hour buckets remembered per zone before the cache starts over (a file spans a few hours). */
const MAX_CACHED_HOURS = 50_000;
/** Zone names whose offset is always zero: no `Intl` lookups at all. */
const UTC_NAMES = new Set([
  'UTC',
  'Etc/UTC',
  'Etc/UCT',
  'UCT',
  'GMT',
  'Etc/GMT',
  'Etc/Zulu',
  'Zulu',
]);

/** A time zone name is not one `Intl` knows. */
export class TimeZoneError extends WardflowError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TimeZoneError';
  }
}

/**
 * Converts wall-clock times without a zone to epoch milliseconds for one IANA time zone.
 * Offsets are looked up once per wall-clock hour and cached, so converting millions of records
 * costs a map lookup each; hours that contain an offset change are resolved record by record.
 *
 * @example
 * const prague = new LocalTimeZone('Europe/Prague');
 * prague.toEpochMs(Date.UTC(2024, 4, 1, 12, 0, 0)); // 2024-05-01T10:00:00Z
 */
export class LocalTimeZone {
  /** The IANA name the zone was created with. */
  public readonly timeZone: string;
  private readonly format: Intl.DateTimeFormat | null;
  /** Wall-clock hour → offset (local − UTC, ms) valid for the whole hour, or NaN when it changes. */
  private readonly hourOffsets = new Map<number, number>();

  /**
   * @param timeZone an IANA time zone name (`UTC`, `Europe/Prague`, `America/New_York`)
   * @throws TimeZoneError when `Intl` does not know the name
   */
  public constructor(timeZone: string) {
    this.timeZone = timeZone;
    let format: Intl.DateTimeFormat;
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch (error) {
      throw new TimeZoneError(
        `time zone: expected an IANA time zone name such as "Europe/Prague", got ${JSON.stringify(timeZone)}`,
        { cause: error },
      );
    }
    this.format = UTC_NAMES.has(format.resolvedOptions().timeZone) ? null : format;
  }

  /**
   * Converts a wall-clock time in this zone to epoch milliseconds (see the module notes for
   * ambiguous and nonexistent times).
   *
   * @param wallClockMs the wall-clock time encoded as if it were UTC, i.e. `Date.UTC(y, m, d, …)`
   *   or the result of {@link readLocalDateTime}
   * @returns epoch milliseconds (UTC)
   */
  public toEpochMs(wallClockMs: number): number {
    if (this.format === null) return wallClockMs;
    const hour = Math.floor(wallClockMs / HOUR_MS);
    let offset = this.hourOffsets.get(hour);
    if (offset === undefined) {
      offset = this.uniformOffset(hour);
      if (this.hourOffsets.size >= MAX_CACHED_HOURS) this.hourOffsets.clear();
      this.hourOffsets.set(hour, offset);
    }
    return Number.isNaN(offset) ? this.resolve(wallClockMs).epochMs : wallClockMs - offset;
  }

  /** The offset shared by every wall-clock time of one hour, or NaN when the hour holds a change. */
  private uniformOffset(hour: number): number {
    const first = this.resolve(hour * HOUR_MS);
    const last = this.resolve(hour * HOUR_MS + HOUR_MS - 1);
    return first.unique && last.unique && first.offset === last.offset ? first.offset : NaN;
  }

  /**
   * Finds the instant(s) a wall-clock time denotes. The offsets a day before and a day after
   * bracket any single offset change; each is a candidate if the zone really has that offset at
   * the instant it gives.
   */
  private resolve(wall: number): { epochMs: number; offset: number; unique: boolean } {
    const before = this.offsetAt(wall - DAY_MS);
    const after = this.offsetAt(wall + DAY_MS);
    const early = wall - before;
    const earlyValid = this.offsetAt(early) === before;
    if (before === after) return { epochMs: early, offset: before, unique: earlyValid };
    const late = wall - after;
    const lateValid = this.offsetAt(late) === after;
    if (earlyValid) return { epochMs: early, offset: before, unique: !lateValid };
    if (lateValid) return { epochMs: late, offset: after, unique: true };
    // In the gap: the offset before the change moves the time forward by the gap.
    return { epochMs: early, offset: before, unique: false };
  }

  /** The zone's offset (local − UTC, ms, whole seconds) at an instant. */
  private offsetAt(epochMs: number): number {
    const seconds = Math.floor(epochMs / 1000) * 1000;
    let year = 0;
    let month = 0;
    let day = 0;
    let hour = 0;
    let minute = 0;
    let second = 0;
    for (const part of (this.format as Intl.DateTimeFormat).formatToParts(seconds)) {
      const value = Number(part.value);
      if (part.type === 'year') year = value;
      else if (part.type === 'month') month = value;
      else if (part.type === 'day') day = value;
      else if (part.type === 'hour') hour = value;
      else if (part.type === 'minute') minute = value;
      else if (part.type === 'second') second = value;
    }
    return utcMillis(year, month, day, hour, minute, second, 0) - seconds;
  }
}

/**
 * Epoch milliseconds of a proleptic-Gregorian UTC date-time: plain integer arithmetic (days from
 * civil, H. Hinnant), faster than `Date.UTC` and without its two-digit-year quirk.
 */
function utcMillis(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number) {
  const year = mo <= 2 ? y - 1 : y;
  const era = Math.floor(year / 400);
  const yearOfEra = year - era * 400;
  const dayOfYear = Math.floor((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  const days = era * 146097 + dayOfEra - 719468;
  return ((days * 24 + h) * 60 + mi) * 60_000 + s * 1000 + ms;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Reads `YYYY-MM-DD HH:MM:SS` with an optional fraction (`.5`, `.123`; digits past milliseconds
 * are truncated) and a space or `T` between date and time, without allocating.
 *
 * @param text the text holding the time
 * @param start index of the first character (default 0)
 * @param end index after the last character (default `text.length`)
 * @returns the wall-clock time encoded as if it were UTC (feed it to
 *   {@link LocalTimeZone.toEpochMs}), or `undefined` when the text is not such a time or names a
 *   day that does not exist (`0000-00-00 00:00:00`, `2023-02-29 …`).
 */
export function readLocalDateTime(text: string, start = 0, end = text.length): number | undefined {
  if (end - start < 19) return undefined;
  const year = digitsAt(text, start, 4);
  const month = digitsAt(text, start + 5, 2);
  const day = digitsAt(text, start + 8, 2);
  const hour = digitsAt(text, start + 11, 2);
  const minute = digitsAt(text, start + 14, 2);
  const second = digitsAt(text, start + 17, 2);
  const sep = text.charCodeAt(start + 10);
  if (
    year < 0 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 59 ||
    text.charCodeAt(start + 4) !== 45 ||
    text.charCodeAt(start + 7) !== 45 ||
    (sep !== 32 && sep !== 84) ||
    text.charCodeAt(start + 13) !== 58 ||
    text.charCodeAt(start + 16) !== 58
  ) {
    return undefined;
  }
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (DAYS_IN_MONTH[month - 1] as number) + (leap ? 1 : 0)) return undefined;
  let millis = 0;
  const fraction = start + 19;
  if (fraction < end) {
    if (text.charCodeAt(fraction) !== 46 || fraction + 1 === end) return undefined;
    let scale = 100;
    for (let i = fraction + 1; i < end; i++) {
      const c = text.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return undefined;
      millis += c * scale;
      scale = scale >= 10 ? scale / 10 : 0;
    }
  }
  return utcMillis(year, month, day, hour, minute, second, millis);
}

/** Reads `count` decimal digits at `at`; -1 when any is not a digit. */
function digitsAt(text: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}
