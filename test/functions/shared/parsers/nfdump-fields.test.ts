import { describe, expect, it } from 'vitest';
import {
  readIcmpTypeCode,
  readSecondsAsMillis,
  readTcpFlagString,
} from '../../../../functions/shared/parsers/nfdump-fields.js';

describe('Parser: nfdump TCP flags', () => {
  it.each([
    ['........', 0],
    ['......S.', 2],
    ['...A..S.', 18],
    ['...A.R..', 20],
    ['...AP.SF', 27],
    ['CEUAPRSF', 255],
    ['.AP.SF', 27],
    ['.A....', 16],
    ['UAPRSF', 63],
    ['24', 24],
  ])('reads %s as %i', (text, flags) => {
    expect(readTcpFlagString(text)).toBe(flags);
  });

  it.each(['', 'S', '......s.', '..S.....', 'SAPRSF', '.A.P.SF', '256', '0x12'])(
    'rejects %j',
    (text) => {
      expect(readTcpFlagString(text)).toBeUndefined();
    },
  );
});

describe('Parser: nfdump seconds', () => {
  it.each([
    ['0.000', 0],
    ['2', 2000],
    ['1.5', 1500],
    ['299.512', 299512],
    ['1714557600.158', 1714557600158],
    ['1714557600.1589', 1714557600158],
  ])('reads %s as %i ms, exactly', (text, ms) => {
    expect(readSecondsAsMillis(text)).toBe(ms);
  });

  it.each(['', '.5', '1.', '-1.000', '1e3', '1.2.3', ' 1.0', '1234567890123456.000'])(
    'rejects %j',
    (text) => {
      expect(readSecondsAsMillis(text)).toBeUndefined();
    },
  );
});

describe('Parser: nfdump ICMP type and code', () => {
  it.each([
    ['3.3', 771],
    ['8.0', 2048],
    ['128.0', 32768],
    ['771', 771],
    ['0', 0],
  ])('reads %s as type×256+code %i', (text, packed) => {
    expect(readIcmpTypeCode(text)).toBe(packed);
  });

  it.each(['', '3.', '.3', '256.0', '3.256', '65536', 'echo'])('rejects %j', (text) => {
    expect(readIcmpTypeCode(text)).toBeUndefined();
  });
});
