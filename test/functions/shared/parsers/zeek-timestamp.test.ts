import { describe, expect, it } from 'vitest';
import {
  zeekJsonSecondsToMillis,
  zeekJsonTimeToMillis,
  zeekSecondsToMillis,
} from '../../../../functions/shared/parsers/zeek-timestamp.js';

describe('Function: zeekSecondsToMillis', () => {
  it.each([
    ['1655071198.444458', 1_655_071_198_444],
    ['1677024003.714845', 1_677_024_003_715],
    ['1772445600.999500', 1_772_445_601_000],
    ['1.0005', 1001],
    ['1.0004999', 1000],
    ['928.943457', 928_943],
    ['0.000000', 0],
    ['0', 0],
    ['12', 12_000],
    ['5.', 5000],
  ])('reads %s as %i ms, rounding half up', (text, millis) => {
    // Act
    const result = zeekSecondsToMillis(text);

    // Assess
    expect(result).toBe(millis);
  });

  it.each(['', '-', '-1.5', '.5', '1e9', '1.2.3', '12a', ' 12', '1234567890123.5', '(empty)'])(
    'rejects %j',
    (text) => {
      // Act
      const result = zeekSecondsToMillis(text);

      // Assess
      expect(result).toBeUndefined();
    },
  );
});

describe('Function: zeekJsonTimeToMillis', () => {
  it.each([
    ['epoch seconds', 1700828217.314165, 1_700_828_217_314],
    ['epoch seconds ending in .xxx5', 1772445600.1025, 1_772_445_600_103],
    ['TS_MILLIS', 1700828217314, 1_700_828_217_314],
    ['a relative time', 12.4, 12_400],
    ['a tiny float', 1e-7, 0],
    ['an ISO string without zone', '2021-11-17T13:32:46.565337', 1_637_155_966_565],
    ['an ISO string in Zulu', '2021-11-17T13:32:46.565337Z', 1_637_155_966_565],
    ['a quoted number', '1700828217.314165', 1_700_828_217_314],
    ['a quoted millisecond number', '1700828217314', 1_700_828_217_314],
  ])('reads %s', (_name, value, millis) => {
    // Act
    const result = zeekJsonTimeToMillis(value);

    // Assess
    expect(result).toBe(millis);
  });

  it.each([
    ['a negative number', -1],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a word', 'yesterday'],
    ['a boolean', true],
    ['null', null],
    ['an object', { sec: 1 }],
    ['a malformed date', '2021-13-17T13:32:46'],
    ['milliseconds beyond the year 5138', 1e15],
    ['a huge float', 1e300],
  ])('rejects %s', (_name, value) => {
    // Act
    const result = zeekJsonTimeToMillis(value);

    // Assess
    expect(result).toBeUndefined();
  });
});

describe('Function: zeekJsonSecondsToMillis', () => {
  it.each([
    [0.20696377754211426, 207],
    [450.657534, 450_658],
    ['0.75', 750],
    [0, 0],
    [0.0025, 3],
    [1e-7, 0],
  ])('reads %j as %i ms', (value, millis) => {
    // Act
    const result = zeekJsonSecondsToMillis(value);

    // Assess
    expect(result).toBe(millis);
  });

  it.each([[-0.5], ['-'], [null], [Number.NaN], [1e300], [Number.POSITIVE_INFINITY]])(
    'rejects %j',
    (value) => {
      // Act
      const result = zeekJsonSecondsToMillis(value);

      // Assess
      expect(result).toBeUndefined();
    },
  );
});
