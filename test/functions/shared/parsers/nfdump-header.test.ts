import { describe, expect, it } from 'vitest';
import {
  CSV_FAST_HEADER,
  LEGACY_43_HEADER,
  LEGACY_48_HEADER,
  readNfdumpHeader,
} from '../../../../functions/shared/parsers/nfdump-header.js';

describe('Parser: nfdump CSV header', () => {
  it('maps the legacy 48-column layout by name', () => {
    // Act
    const header = readNfdumpHeader(LEGACY_48_HEADER);

    // Assess
    expect(header).toMatchObject({
      kind: 'columns',
      columns: {
        family: 'legacy',
        variant: 'nfdump-legacy-48',
        start: 0,
        end: 1,
        duration: 2,
        srcAddr: 3,
        dstAddr: 4,
        protocol: 7,
        flags: 8,
        packetsOut: 11,
        bytesOut: 12,
        packetsIn: 13,
        bytesIn: 14,
        icmpType: -1,
        ignored: [],
      },
    });
  });

  it('knows the 43-column layout of builds before 1.6.13', () => {
    expect(LEGACY_43_HEADER.split(',')).toHaveLength(43);
    expect(LEGACY_43_HEADER.endsWith(',mpls10,ra,eng')).toBe(true);
    expect(readNfdumpHeader(LEGACY_43_HEADER)).toMatchObject({
      columns: { variant: 'nfdump-legacy-43' },
    });
  });

  it('maps token names, preferring inBytes/inPackets and accepting nfdump\'s "icmpTYpe"', () => {
    // Act
    const header = readNfdumpHeader(
      'firstSeen,srcAddr,dstAddr,proto,bytes,inBytes,icmpTYpe,icmpCode',
    );

    // Assess
    expect(header).toMatchObject({
      columns: { family: 'tokens', bytesOut: 5, packetsOut: -1, icmpType: 6, icmpCode: 7, end: -1 },
    });
  });

  it('recognises csv-fast only by its exact layout', () => {
    expect(readNfdumpHeader(CSV_FAST_HEADER)).toMatchObject({ columns: { family: 'fast' } });
    expect(readNfdumpHeader(CSV_FAST_HEADER.replace('cnt,', ''))).toMatchObject({
      columns: { family: 'tokens' },
    });
  });

  it('does not claim a few generic names that happen to be legacy ones', () => {
    expect(readNfdumpHeader('ts,sa,da,pr')).toBeNull();
  });

  it('keeps names that are not nfdump columns as ignored', () => {
    expect(readNfdumpHeader(`${LEGACY_48_HEADER},Application,Sub/App`)).toMatchObject({
      columns: { variant: 'nfdump-legacy', ignored: ['Application', 'Sub/App'] },
    });
  });
});
