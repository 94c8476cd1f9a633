import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LocalTimeZone,
  readLocalDateTime,
  TimeZoneError,
} from '../../../../functions/shared/parsers/local-time.js';

/** Epoch ms of a local time text read in a zone. */
function epochOf(zone: LocalTimeZone, text: string): number {
  const wall = readLocalDateTime(text);
  if (wall === undefined) throw new Error(`not a local time: ${text}`);
  return zone.toEpochMs(wall);
}

const FORMATS = new Map<string, Intl.DateTimeFormat>();

/** The wall clock an instant shows in a zone, encoded as if UTC (what the parser reads). */
function wallClockOf(timeZone: string, epochMs: number): number {
  let format = FORMATS.get(timeZone);
  if (format === undefined) {
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
    FORMATS.set(timeZone, format);
  }
  const parts = format.formatToParts(epochMs);
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  const seconds = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return seconds + (((epochMs % 1000) + 1000) % 1000);
}

/** Instants (to the hour) where a zone's offset changed in 2023–2025, found by sampling. */
function offsetChanges(timeZone: string): number[] {
  const changes: number[] = [];
  const step = 3 * 3_600_000;
  let previous = wallClockOf(timeZone, Date.UTC(2023, 0, 1)) - Date.UTC(2023, 0, 1);
  for (let t = Date.UTC(2023, 0, 1) + step; t < Date.UTC(2026, 0, 1); t += step) {
    const offset = wallClockOf(timeZone, t) - t;
    if (offset !== previous) changes.push(t);
    previous = offset;
  }
  return changes;
}

describe('Parser: local date-time text', () => {
  it.each([
    ['2024-05-01 10:00:00', Date.UTC(2024, 4, 1, 10, 0, 0)],
    ['2024-05-01T10:00:00', Date.UTC(2024, 4, 1, 10, 0, 0)],
    ['2024-05-01 10:00:00.5', Date.UTC(2024, 4, 1, 10, 0, 0, 500)],
    ['2024-05-01 10:00:00.158', Date.UTC(2024, 4, 1, 10, 0, 0, 158)],
    ['2024-05-01 10:00:00.157626999', Date.UTC(2024, 4, 1, 10, 0, 0, 157)],
    ['2024-02-29 23:59:59', Date.UTC(2024, 1, 29, 23, 59, 59)],
    ['2000-02-29 00:00:00', Date.UTC(2000, 1, 29)],
    ['1970-01-01 00:00:00.000', 0],
  ])('reads %s', (text, expected) => {
    expect(readLocalDateTime(text)).toBe(expected);
  });

  it('reads years below 100 as themselves, not as 1900 + year like Date.UTC', () => {
    const date = new Date(readLocalDateTime('0099-12-31 00:00:00') as number);
    expect([date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()]).toEqual([99, 11, 31]);
  });

  it.each([
    '',
    '2024-05-01',
    '2024-05-01 10:00',
    '0000-00-00 00:00:00.000',
    '2023-02-29 00:00:00',
    '1900-02-29 00:00:00',
    '2024-04-31 00:00:00',
    '2024-13-01 00:00:00',
    '2024-05-01 24:00:00',
    '2024-05-01 10:60:00',
    '2024-05-01 10:00:60',
    '2024/05/01 10:00:00',
    '2024-05-01_10:00:00',
    '2024-05-01 10:00:00.',
    '2024-05-01 10:00:00Z',
    '2024-05-01 10:00:00.12a',
    ' 2024-05-01 10:00:00',
  ])('rejects %j', (text) => {
    expect(readLocalDateTime(text)).toBeUndefined();
  });

  it('reads a time inside a longer text without copying it', () => {
    const line = 'x,2024-05-01 10:00:00.250,y';
    expect(readLocalDateTime(line, 2, 25)).toBe(Date.UTC(2024, 4, 1, 10, 0, 0, 250));
  });
});

describe('Parser: local time zone', () => {
  it('leaves UTC wall clocks as they are', () => {
    expect(new LocalTimeZone('UTC').toEpochMs(1714557600158)).toBe(1714557600158);
    expect(new LocalTimeZone('Etc/UTC').toEpochMs(1714557600158)).toBe(1714557600158);
  });

  it('applies summer and winter offsets', () => {
    const prague = new LocalTimeZone('Europe/Prague');
    expect(epochOf(prague, '2024-05-01 12:00:00')).toBe(Date.UTC(2024, 4, 1, 10));
    expect(epochOf(prague, '2024-01-15 12:00:00.500')).toBe(Date.UTC(2024, 0, 15, 11, 0, 0, 500));
  });

  it.each([
    // Clocks go back: the repeated hour is read as its first (summer-time) occurrence.
    ['Europe/Prague', '2024-10-27 02:30:00', Date.UTC(2024, 9, 27, 0, 30)],
    ['America/New_York', '2024-11-03 01:30:00', Date.UTC(2024, 10, 3, 5, 30)],
    // Lord Howe Island goes back by 30 minutes.
    ['Australia/Lord_Howe', '2024-04-07 01:45:00', Date.UTC(2024, 3, 6, 14, 45)],
  ])('reads the ambiguous %s time %s as the earlier instant', (zone, text, expected) => {
    expect(epochOf(new LocalTimeZone(zone), text)).toBe(expected);
  });

  it.each([
    // Clocks go forward: the skipped time is read with the offset before the change.
    ['Europe/Prague', '2024-03-31 02:30:00', Date.UTC(2024, 2, 31, 1, 30)],
    ['America/New_York', '2024-03-10 02:30:00', Date.UTC(2024, 2, 10, 7, 30)],
    ['Australia/Lord_Howe', '2024-10-06 02:15:00', Date.UTC(2024, 9, 5, 15, 45)],
  ])('moves the nonexistent %s time %s forward by the gap', (zone, text, expected) => {
    expect(epochOf(new LocalTimeZone(zone), text)).toBe(expected);
  });

  it('gets the edges of a change right, not just its middle', () => {
    // Prepare: Europe/Prague entered summer time at 2024-03-31 01:00:00Z (02:00 → 03:00 local).
    const prague = new LocalTimeZone('Europe/Prague');

    // Act & Assess
    expect(epochOf(prague, '2024-03-31 01:59:59.999')).toBe(Date.UTC(2024, 2, 31, 0, 59, 59, 999));
    expect(epochOf(prague, '2024-03-31 03:00:00')).toBe(Date.UTC(2024, 2, 31, 1));
    expect(epochOf(prague, '2024-10-27 01:59:59')).toBe(Date.UTC(2024, 9, 26, 23, 59, 59));
    expect(epochOf(prague, '2024-10-27 03:00:00')).toBe(Date.UTC(2024, 9, 27, 2));
  });

  it('rejects a name Intl does not know, saying what it expected', () => {
    expect(() => new LocalTimeZone('Mars/Olympus')).toThrow(TimeZoneError);
    expect(() => new LocalTimeZone('Mars/Olympus')).toThrow(
      /time zone: expected an IANA time zone name such as "Europe\/Prague", got "Mars\/Olympus"/,
    );
  });

  it.each([
    'Europe/Prague',
    'America/New_York',
    'America/Sao_Paulo',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
    'Asia/Kolkata',
  ])('turns any wall clock of %s back into the instant that showed it', (timeZone) => {
    // Prepare: one zone object for the whole run, so cached and uncached hours are mixed.
    const zone = new LocalTimeZone(timeZone);
    const changes = offsetChanges(timeZone);
    const anywhere = fc.integer({ min: Date.UTC(1995, 0, 1), max: Date.UTC(2035, 0, 1) });
    const nearChanges =
      changes.length === 0
        ? anywhere
        : fc
            .tuple(
              fc.constantFrom(...changes),
              fc.integer({ min: -4 * 3_600_000, max: 4 * 3_600_000 }),
            )
            .map(([change, delta]) => change + delta);
    const instants = fc.oneof(anywhere, nearChanges);

    fc.assert(
      fc.property(instants, (instant) => {
        // Act
        const wall = wallClockOf(timeZone, instant);
        const result = zone.toEpochMs(wall);

        // Assess: the same instant, or, when the wall clock showed twice, the earlier one.
        if (result !== instant) {
          expect(result).toBeLessThan(instant);
          expect(wallClockOf(timeZone, result)).toBe(wall);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
