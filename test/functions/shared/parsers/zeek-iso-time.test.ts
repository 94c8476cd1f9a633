import { describe, expect, it } from 'vitest';
import { isoTimeToMillis } from '../../../../functions/shared/parsers/zeek-iso-time.js';

describe('Function: isoTimeToMillis', () => {
  it.each([
    ['2021-11-17T13:32:46.565337', 1_637_155_966_565, 'no zone means UTC'],
    ['2021-11-17T13:32:46Z', 1_637_155_966_000, 'Zulu, no fraction'],
    ['2021-11-17 13:32:46.5z', 1_637_155_966_500, 'space separator, lower-case z'],
    ['2021-11-17T14:32:46.565+01:00', 1_637_155_966_565, 'offset with colon'],
    ['2021-11-17T08:32:46.565-0500', 1_637_155_966_565, 'offset without colon'],
    ['2021-11-17T14:32:46.565+01', 1_637_155_966_565, 'offset in hours'],
    ['2021-11-17T13:32:46.9999', 1_637_155_967_000, 'rounding carries into the second'],
    ['2024-02-29T00:00:00', 1_709_164_800_000, 'a leap day'],
  ])('reads %s (%s)', (text, millis) => {
    // Act
    const result = isoTimeToMillis(text);

    // Assess
    expect(result).toBe(millis);
  });

  it.each([
    '2023-02-29T00:00:00',
    '2021-11-31T00:00:00',
    '2021-00-17T13:32:46',
    '2021-11-17T24:00:00',
    '2021-11-17T13:60:00',
    '2021-11-17T13:32:60',
    '2021-11-17',
    '2021-11-17T13:32:46.',
    '2021-11-17T13:32:46+1',
    '2021-11-17T13:32:46Zulu',
    '2021-11-17X13:32:46',
    '0050-01-01T00:00:00',
    '1969-12-31T23:59:59',
  ])('rejects %s', (text) => {
    // Act
    const result = isoTimeToMillis(text);

    // Assess
    expect(result).toBeUndefined();
  });
});
