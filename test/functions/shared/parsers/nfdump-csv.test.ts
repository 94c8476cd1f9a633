import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LineParser } from '../../../../functions/shared/parsers/line-parser.js';
import { TimeZoneError } from '../../../../functions/shared/parsers/local-time.js';
import { probeNfdumpCsv } from '../../../../functions/shared/parsers/nfdump-csv.js';
import {
  CSV_FAST_HEADER,
  DEFAULT_CSV_HEADER,
  LEGACY_43_HEADER,
  LEGACY_48_HEADER,
} from '../../../../functions/shared/parsers/nfdump-header.js';
import {
  listFixtureCases,
  readExpected,
  runParserFixture,
} from '../../../helpers/parser-fixtures.js';

/**
 * `legacy-48-nfpcapd.csv` is real nfdump 1.7.1 output (Debian 12: `nfpcapd -r` over a pcap crafted
 * with documentation addresses, then `TZ=UTC nfdump -o csv`); the 1.7.5+ files are written by hand
 * after nfdump's `output_csv.c` / `output_csv_fast.c`, which that Debian build cannot produce.
 */
const FIXTURES = join(import.meta.dirname, '../../../fixtures/parsers/nfdump');
const LEGACY_COLUMNS = LEGACY_48_HEADER.split(',');

/** A legacy 48-column record: an unanswered SYN from guest Wi-Fi to an EHR host, with overrides. */
function legacyLine(overrides: Record<string, string> = {}): string {
  const values: Record<string, string> = {
    ts: '2024-05-01 10:00:00',
    te: '2024-05-01 10:00:00',
    td: '0.000',
    sa: '10.99.0.23',
    da: '10.10.0.5',
    sp: '49700',
    dp: '445',
    pr: 'TCP',
    flg: '......S.',
    ipkt: '1',
    ibyt: '60',
    cl: '    0.000',
    sl: '    0.000',
    al: '    0.000',
    ra: '0.0.0.0',
    eng: '17/1',
    tr: '2024-05-01 10:05:00.000',
    ...overrides,
  };
  return LEGACY_COLUMNS.map(
    (name) => values[name] ?? (name.startsWith('mpls') ? '0-0-0' : '0'),
  ).join(',');
}

function create(header: string, timezone = 'UTC'): LineParser {
  const verdict = probeNfdumpCsv([header]);
  if (verdict?.kind !== 'flows') throw new Error(`probe rejected ${header}`);
  const parser = verdict.create({
    objectRef: 'onprem/site-a/nfdump/x.csv',
    timezone,
    defaultSensor: 'site-a',
  });
  expect(parser.parseLine(header, 1)).toEqual({ kind: 'meta' });
  return parser;
}

describe('Parser: nfdump CSV fixtures', () => {
  it.each(listFixtureCases(FIXTURES))(
    'parses $name as its golden file says',
    ({ input, expected }) => {
      // Act
      const result = runParserFixture(probeNfdumpCsv, input);

      // Assess
      expect(result).toEqual(readExpected(expected));
    },
  );
});

describe('Parser: nfdump CSV probe', () => {
  it.each([
    [LEGACY_48_HEADER, 'nfdump-legacy-48'],
    [LEGACY_43_HEADER, 'nfdump-legacy-43'],
    [DEFAULT_CSV_HEADER, 'nfdump-csv-default'],
    [CSV_FAST_HEADER, 'nfdump-csv-fast'],
    [
      'firstSeen,lastSeen,proto,srcAddr,srcPort,dstAddr,dstPort,flags,inPackets,inBytes',
      'nfdump-csv-tokens',
    ],
    ['sa,da,sp,dp,pr,ts,te,ibyt', 'nfdump-legacy'],
  ])('recognises %s as %s', (header, variant) => {
    expect(probeNfdumpCsv([header])).toMatchObject({
      kind: 'flows',
      sourceType: 'nfdump',
      variant,
    });
  });

  it('says why a header without a protocol column cannot be used', () => {
    // Act
    const verdict = probeNfdumpCsv(['firstSeen,srcAddr,dstAddr,packets,bytes']);

    // Assess
    expect(verdict).toEqual({
      kind: 'not-flows',
      reason: 'nfdump CSV without a proto column: its records cannot be placed as flows',
    });
  });

  it.each([
    ['a header lacking the start time', 'lastSeen,proto,srcAddr,dstAddr,packets'],
    ['a header lacking the destination', 'ts,te,td,sa,sp,dp,pr,flg'],
    ['a legacy record without its header (nfdump -q)', legacyLine()],
    [
      'a VPC flow log header',
      'version account-id interface-id srcaddr dstaddr srcport dstport protocol',
    ],
    ['Zeek TSV', '#separator \\x09'],
    ['Zeek JSON', '{"ts":1714557600.1,"uid":"C1","id.orig_h":"10.0.0.5","id.resp_h":"192.0.2.80"}'],
    ['a generic CSV', 'time,source,destination,port'],
  ])('does not claim %s', (_what, line) => {
    expect(probeNfdumpCsv([line])).toBeNull();
  });
});

describe('Parser: nfdump CSV records', () => {
  it('reads legacy local times in the configured time zone', () => {
    // Prepare: the same flow as `TZ=Europe/Prague nfdump -o csv` prints it (CEST, UTC+2).
    const parser = create(LEGACY_48_HEADER, 'Europe/Prague');

    // Act
    const outcome = parser.parseLine(
      legacyLine({ ts: '2024-05-01 12:00:09', te: '2024-05-01 12:00:10' }),
      2,
    );

    // Assess
    expect(outcome).toMatchObject({
      kind: 'flow',
      flow: {
        start_time: Date.UTC(2024, 4, 1, 10, 0, 9),
        end_time: Date.UTC(2024, 4, 1, 10, 0, 10),
      },
    });
  });

  it('reads a repeated local hour as its first occurrence and a skipped one as shifted forward', () => {
    // Prepare: Europe/Prague leaves DST on 2024-10-27 at 03:00 and enters it on 2024-03-31 at 02:00.
    const parser = create(LEGACY_48_HEADER, 'Europe/Prague');

    // Act
    const repeated = parser.parseLine(
      legacyLine({ ts: '2024-10-27 02:30:00', te: '2024-10-27 02:30:00' }),
      2,
    );
    const skipped = parser.parseLine(
      legacyLine({ ts: '2024-03-31 02:30:00', te: '2024-03-31 02:30:00' }),
      3,
    );

    // Assess
    expect(repeated).toMatchObject({ flow: { start_time: Date.UTC(2024, 9, 27, 0, 30) } });
    expect(skipped).toMatchObject({ flow: { start_time: Date.UTC(2024, 2, 31, 1, 30) } });
  });

  it('fails fast on a time zone Intl does not know', () => {
    const verdict = probeNfdumpCsv([LEGACY_48_HEADER]);
    if (verdict?.kind !== 'flows') throw new Error('probe rejected the legacy header');
    expect(() =>
      verdict.create({ objectRef: 'x', timezone: 'Mars/Olympus', defaultSensor: 's' }),
    ).toThrow(TimeZoneError);
  });

  it('uses the default sensor, not the router address', () => {
    const parser = create(LEGACY_48_HEADER);
    expect(parser.parseLine(legacyLine({ ra: '192.0.2.254' }), 2)).toMatchObject({
      flow: { sensor: 'site-a' },
    });
  });

  it('keeps reverse counters when either is non-zero', () => {
    // Prepare: a biflow whose reply carried packets but (as an exporter may report) no bytes.
    const parser = create(LEGACY_48_HEADER);

    // Act
    const outcome = parser.parseLine(legacyLine({ opkt: '1', obyt: '0' }), 2);

    // Assess
    expect(outcome).toMatchObject({ flow: { packets_in: 1, bytes_in: 0 } });
  });

  it('maps columns by name whatever their order', () => {
    // Prepare
    const header = 'dstPort,dstAddr,proto,bytes,packets,srcPort,srcAddr,firstSeen';
    const parser = create(header);

    // Act
    const outcome = parser.parseLine('443,198.51.100.7,6,360,4,50123,192.0.2.10,1714557600.158', 2);

    // Assess
    expect(outcome).toEqual({
      kind: 'flow',
      flow: {
        start_time: 1714557600158,
        end_time: 1714557600158,
        src_ip: '192.0.2.10',
        dst_ip: '198.51.100.7',
        src_port: 50123,
        dst_port: 443,
        protocol: 6,
        bytes_out: 360,
        packets_out: 4,
        bytes_in: null,
        packets_in: null,
        action: null,
        tcp_flags: null,
        conn_state: null,
        sensor: 'site-a',
      },
    });
  });

  it('treats the three Summary lines as meta but not what follows them', () => {
    // Prepare
    const parser = create(LEGACY_48_HEADER);
    const lines = [
      'Summary',
      'flows,bytes,packets,avg_bps,avg_pps,avg_bpp',
      '1,60,1,480,1,60',
      '1,60,1,480,1,60',
    ];

    // Act
    const kinds = lines.map((line, index) => parser.parseLine(line, index + 2).kind);

    // Assess
    expect(kinds).toEqual(['meta', 'meta', 'meta', 'quarantined']);
  });

  it('switches to the columns of a header met inside the file', () => {
    // Prepare: a legacy export followed by a 1.7.5+ export, concatenated.
    const parser = create(LEGACY_48_HEADER);
    parser.parseLine(legacyLine(), 2);

    // Act
    const header = parser.parseLine(DEFAULT_CSV_HEADER, 3);
    const record = parser.parseLine(
      '2024-05-01 10:00:03.000,0.002,17,10.20.1.7,53001,10.0.0.53,53,1,58,1',
      4,
    );

    // Assess
    expect(header).toEqual({ kind: 'meta' });
    expect(record).toMatchObject({
      kind: 'flow',
      flow: { protocol: 17, dst_port: 53, end_time: 1714557603002 },
    });
  });

  it('lists columns that are not nfdump names as ignored', () => {
    expect(create(`${LEGACY_48_HEADER},label,detailedlabel`).ignoredFields).toEqual([
      'label',
      'detailedlabel',
    ]);
    expect(create(LEGACY_48_HEADER).ignoredFields).toEqual([]);
  });

  it('never throws and classifies every record, whatever the mutation', () => {
    const valid = legacyLine({ opkt: '2', obyt: '120' });
    const fields = valid.split(',');
    const mutation = fc.oneof(
      fc.nat({ max: valid.length }).map((n) => valid.slice(0, n)),
      fc.nat({ max: fields.length - 1 }).map((i) => fields.filter((_, j) => j !== i).join(',')),
      fc
        .nat({ max: fields.length - 1 })
        .map((i) => [...fields.slice(0, i + 1), ...fields.slice(i)].join(',')),
      fc
        .tuple(fc.nat({ max: fields.length - 1 }), fc.nat({ max: fields.length - 1 }))
        .map(([i, j]) =>
          fields.map((f, k) => (k === i ? fields[j] : k === j ? fields[i] : f)).join(','),
        ),
      fc
        .tuple(fc.nat({ max: valid.length - 1 }), fc.string({ minLength: 1, maxLength: 3 }))
        .map(([i, s]) => valid.slice(0, i) + s + valid.slice(i + 1)),
      fc
        .tuple(fc.nat({ max: valid.length }), fc.constantFrom(',', ',,', ' ', '.', '-', ':'))
        .map(([i, s]) => valid.slice(0, i) + s + valid.slice(i)),
      fc
        .nat({ max: fields.length - 1 })
        .chain((i) =>
          fc
            .string({ maxLength: 12 })
            .map((s) => fields.map((f, k) => (k === i ? s : f)).join(',')),
        ),
    );
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 8 }), (lines) => {
        const parser = create(LEGACY_48_HEADER, 'Europe/Prague');
        let records = 0;
        let classified = 0;
        lines.forEach((line, index) => {
          const outcome = parser.parseLine(line, index + 2);
          if (outcome.kind === 'meta') return;
          records++;
          if (outcome.kind === 'flow') {
            const { flow } = outcome;
            expect(Number.isSafeInteger(flow.start_time) && flow.end_time >= flow.start_time).toBe(
              true,
            );
            expect(flow.protocol).toBeLessThanOrEqual(255);
          }
          if (['flow', 'skipped', 'quarantined'].includes(outcome.kind)) classified++;
        });
        expect(classified).toBe(records);
      }),
    );
  });
});
