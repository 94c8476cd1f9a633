import { describe, expect, it } from 'vitest';
import { alignedWindows, windowHasData } from '../../../../functions/shared/detection/windows.js';

const HOUR = 3_600_000;

describe('Function: alignedWindows', () => {
  it('aligns windows to multiples of their length, whatever the start', () => {
    const windows = alignedWindows(
      new Date('2026-11-23T10:20:00Z'),
      new Date('2026-11-23T12:05:00Z'),
      HOUR,
    );
    expect(windows.map((w) => w.start.toISOString())).toEqual([
      '2026-11-23T10:00:00.000Z',
      '2026-11-23T11:00:00.000Z',
      '2026-11-23T12:00:00.000Z',
    ]);
    expect(windows.at(-1)?.end.toISOString()).toBe('2026-11-23T13:00:00.000Z');
  });

  it('covers relative-timestamp captures near the epoch', () => {
    const windows = alignedWindows(new Date(928_900), new Date(961_000), HOUR);
    expect(windows).toEqual([{ start: new Date(0), end: new Date(HOUR) }]);
  });

  it('gives two overlapping runs the same windows where they overlap', () => {
    const a = alignedWindows(
      new Date('2026-11-23T00:00:00Z'),
      new Date('2026-11-23T06:00:00Z'),
      HOUR,
    );
    const b = alignedWindows(
      new Date('2026-11-23T03:30:00Z'),
      new Date('2026-11-23T09:00:00Z'),
      HOUR,
    );
    expect(b.slice(0, 3).map((w) => w.start.getTime())).toEqual(
      a.slice(3).map((w) => w.start.getTime()),
    );
  });
});

describe('Function: windowHasData', () => {
  it('is true only when an hour with data falls in the window', () => {
    const hours = new Set([Math.floor(Date.parse('2026-11-23T10:30:00Z') / HOUR)]);
    const day = { start: new Date('2026-11-23T00:00:00Z'), end: new Date('2026-11-24T00:00:00Z') };
    const other = {
      start: new Date('2026-11-23T11:00:00Z'),
      end: new Date('2026-11-23T12:00:00Z'),
    };
    expect(windowHasData(day, hours)).toBe(true);
    expect(windowHasData(other, hours)).toBe(false);
  });
});
