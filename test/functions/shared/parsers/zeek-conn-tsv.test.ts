import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParsedFlow } from '../../../../functions/shared/flow-record.js';
import type { ProbeResult } from '../../../../functions/shared/parsers/format-probe.js';
import type { LineParser, ParseContext } from '../../../../functions/shared/parsers/line-parser.js';
import { probeZeekConnJson } from '../../../../functions/shared/parsers/zeek-conn-json.js';
import { probeZeekConnTsv } from '../../../../functions/shared/parsers/zeek-conn-tsv.js';
import {
  createFromProbe,
  headOf,
  parseLines,
  readFixtureLines,
} from '../../../helpers/parser-fixtures.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/parsers/zeek/', import.meta.url));
const CONTEXT: ParseContext = {
  objectRef: 'test/conn.log',
  timezone: 'UTC',
  defaultSensor: 'site-a',
};
const CASES = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.log'))
  .map((name) => name.slice(0, -'.log'.length));

const HEADER = [
  '#separator \\x09',
  '#set_separator\t,',
  '#empty_field\t(empty)',
  '#unset_field\t-',
  '#path\tconn',
  '#open\t2026-03-02-10-00-00',
  '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents\tip_proto',
  '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]\tcount',
];
const RECORD =
  '1772445600.102345\tCa1hL7mEXsZr0Ykb2\t10.10.0.15\t49822\t10.20.1.30\t2575\ttcp\t-\t2.503117\t1480\t312\tSF\tT\tT\t0\tShADadFf\t12\t2112\t9\t792\t(empty)\t6';

/** The parser a `flows` verdict creates, with this suite's context. */
function createParser(result: ProbeResult | null): LineParser {
  return createFromProbe(result, CONTEXT);
}

function parseWithHeader(records: readonly string[], header: readonly string[] = HEADER) {
  const lines = [...header, ...records];
  return parseLines(createParser(probeZeekConnTsv(headOf(lines))), lines);
}

describe('Parser: zeek-conn-tsv fixtures', () => {
  it.each(CASES)('parses %s.log as its expected file says', (name) => {
    // Prepare
    const lines = readFixtureLines(`${FIXTURES}${name}.log`);
    const expected = JSON.parse(readFileSync(`${FIXTURES}${name}.expected.json`, 'utf8'));

    // Act
    const verdict = probeZeekConnTsv(headOf(lines));
    const { skippedReasons: _reasons, ...summary } = parseLines(createParser(verdict), lines);

    // Assess
    expect(verdict).toMatchObject({ kind: 'flows', sourceType: expected.source_type });
    expect(verdict?.kind === 'flows' && verdict.variant).toBe(expected.variant);
    expect(summary).toEqual({
      records_in: expected.records_in,
      skipped: expected.skipped,
      quarantined: expected.quarantined,
      flows: expected.flows,
    });
    expect(summary.records_in).toBe(
      summary.flows.length + summary.skipped + summary.quarantined.length,
    );
  });

  it.each(CASES)('leaves %s.log to the TSV probe (the JSON probe declines it)', (name) => {
    // Prepare
    const head = headOf(readFixtureLines(`${FIXTURES}${name}.log`));

    // Act
    const verdict = probeZeekConnJson(head);

    // Assess
    expect(verdict).toBeNull();
  });
});

describe('Probe: probeZeekConnTsv', () => {
  it('returns not-flows for a dns log', () => {
    // Prepare
    const head = [...HEADER.slice(0, 4), '#path\tdns', '#fields\tts\tuid\tid.orig_h\tquery'];

    // Act
    const verdict = probeZeekConnTsv(head);

    // Assess
    expect(verdict).toEqual({ kind: 'not-flows', reason: 'Zeek dns log, not a conn log' });
  });

  it('returns not-flows for an open_conn log, saying it would double count', () => {
    // Prepare
    const head = HEADER.map((line) => (line === '#path\tconn' ? '#path\topen_conn' : line));

    // Act
    const verdict = probeZeekConnTsv(head);

    // Assess
    expect(verdict).toEqual({
      kind: 'not-flows',
      reason:
        'Zeek open_conn log, not a conn log: it re-emits long-lived connections hourly, which would double count them',
    });
  });

  it('returns not-flows for a conn log whose #fields lack the addresses', () => {
    // Prepare
    const head = [...HEADER.slice(0, 5), '#fields\tts\tuid\tproto\tconn_state'];

    // Act
    const verdict = probeZeekConnTsv(head);

    // Assess
    expect(verdict).toEqual({
      kind: 'not-flows',
      reason: 'Zeek conn log without id.orig_h/id.resp_h columns, not a flow log',
    });
  });

  it('recognises a conn log without #path from its #fields', () => {
    // Prepare
    const head = [HEADER[6] ?? '', RECORD];

    // Act
    const verdict = probeZeekConnTsv(head);

    // Assess
    expect(verdict).toMatchObject({ kind: 'flows', sourceType: 'zeek', variant: 'zeek-tsv' });
  });

  it('returns not-flows for a dns schema without #path', () => {
    // Prepare
    const head = ['#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tquery'];

    // Act
    const verdict = probeZeekConnTsv(head);

    // Assess
    expect(verdict).toEqual({ kind: 'not-flows', reason: 'Zeek dns log, not a conn log' });
  });

  it('returns not-flows when no #fields line is among the first lines', () => {
    // Prepare
    const head = HEADER.slice(0, 6);

    // Act
    const verdict = probeZeekConnTsv(head);

    // Assess
    expect(verdict).toMatchObject({ kind: 'not-flows' });
  });

  it.each([
    [
      'Zeek JSON',
      '{"ts":1772445600.1,"id.orig_h":"10.0.0.1","id.resp_h":"10.0.0.2","proto":"tcp"}',
    ],
    ['a VPC header', 'version account-id interface-id srcaddr dstaddr srcport dstport protocol'],
    ['an nfdump CSV header', 'ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt'],
    ['a comment that is not a Zeek directive', '# exported by some tool'],
  ])('returns null for %s', (_name, line) => {
    // Act
    const verdict = probeZeekConnTsv([line]);

    // Assess
    expect(verdict).toBeNull();
  });
});

describe('Parser: ZeekConnTsvParser', () => {
  it.each(['', ' ', '\t', '\u000b', '\u00a0', '\u2028', ' \t \ufeff'])(
    'treats %j as a blank line, as String#trim does',
    (line) => {
      // Prepare
      const parser = createParser(probeZeekConnTsv(HEADER));

      // Act
      const outcome = parser.parseLine(line, 1);

      // Assess
      expect(outcome).toEqual({ kind: 'meta' });
    },
  );

  it('reports columns outside the conn schema as ignored, but not _node_name or ip_proto', () => {
    // Prepare
    const header = [
      '#path\tconn',
      '#fields\t_node_name\tts\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tip_proto\tcommunity_id\tlabel\tdetailedlabel',
    ];
    const parser = createParser(probeZeekConnTsv(header));

    // Act
    for (const [index, line] of header.entries()) parser.parseLine(line, index + 1);

    // Assess
    expect(parser.ignoredFields).toEqual(['community_id', 'label', 'detailedlabel']);
  });

  it('skips the records of a dns block in a concatenated file, naming the log', () => {
    // Prepare
    const records = [
      RECORD,
      '#path\tdns',
      '#fields\tts\tuid\tid.orig_h\tquery',
      '1.0\tC1\t10.0.0.1\tx',
    ];

    // Act
    const summary = parseWithHeader(records);

    // Assess
    expect(summary.flows).toHaveLength(1);
    expect(summary.skippedReasons).toEqual(['Zeek dns record, not conn']);
  });

  it('quarantines records that come before any #fields line', () => {
    // Prepare
    const parser = createParser(probeZeekConnTsv(HEADER));

    // Act
    const outcome = parser.parseLine(RECORD, 1);

    // Assess
    expect(outcome).toEqual({
      kind: 'quarantined',
      reason: '#fields: expected a header line naming the columns, got none',
    });
  });

  it('quarantines every record of a conn schema without ts, naming the missing column', () => {
    // Prepare
    const header = ['#path\tconn', '#fields\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto'];

    // Act
    const summary = parseWithHeader(['10.0.0.1\t1\t10.0.0.2\t2\ttcp'], header);

    // Assess
    expect(summary.quarantined).toEqual([
      {
        line: 3,
        reason:
          '#fields: expected columns ts, id.orig_h, id.orig_p, id.resp_h, id.resp_p and proto or ip_proto, missing ts',
      },
    ]);
  });

  it('prefers ip_proto to proto', () => {
    // Prepare
    const record = RECORD.replace('\ttcp\t', '\tudp\t');

    // Act
    const summary = parseWithHeader([record]);

    // Assess
    expect(summary.flows[0]).toMatchObject({ protocol: 6, tcp_flags: 19 });
  });

  it('keeps relative timestamps as they are instead of rebasing them', () => {
    // Prepare
    const record = RECORD.replace('1772445600.102345', '928.943457');

    // Act
    const summary = parseWithHeader([record]);

    // Assess
    expect(summary.flows[0]).toMatchObject({ start_time: 928_943, end_time: 931_446 });
  });

  it('rounds sub-millisecond times half up, carrying into the second', () => {
    // Prepare
    const record = RECORD.replace('1772445600.102345', '1772445600.999500');

    // Act
    const summary = parseWithHeader([record]);

    // Assess
    expect(summary.flows[0]?.start_time).toBe(1_772_445_601_000);
  });

  it('falls back to payload bytes when IP-level bytes are unset', () => {
    // Prepare
    const fields = RECORD.split('\t');
    fields[17] = '-';
    fields[19] = '-';

    // Act
    const summary = parseWithHeader([fields.join('\t')]);

    // Assess
    expect(summary.flows[0]).toMatchObject({ bytes_out: 1480, bytes_in: 312 });
  });

  it('gives tcp_flags null for a TCP record whose history is unset', () => {
    // Prepare
    const record = RECORD.replace('\tShADadFf\t', '\t-\t');

    // Act
    const summary = parseWithHeader([record]);

    // Assess
    expect(summary.flows[0]?.tcp_flags).toBeNull();
  });
});

/** One way of damaging a TSV record. */
type Mutation =
  | { readonly kind: 'truncate' | 'insert-separator'; readonly at: number }
  | { readonly kind: 'delete' | 'duplicate'; readonly field: number }
  | { readonly kind: 'swap'; readonly a: number; readonly b: number }
  | { readonly kind: 'replace'; readonly at: number; readonly char: string };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('truncate' as const, 'insert-separator' as const),
    at: fc.nat(),
  }),
  fc.record({ kind: fc.constantFrom('delete' as const, 'duplicate' as const), field: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({
    kind: fc.constant('replace' as const),
    at: fc.nat(),
    char: fc.constantFrom('-', '.', ':', 'x', '9', '\t', ' ', '#', '(', 'é', '\u0000'),
  }),
);

function mutate(line: string, mutation: Mutation): string {
  const fields = line.split('\t');
  const n = fields.length;
  switch (mutation.kind) {
    case 'truncate':
      return line.slice(0, mutation.at % (line.length + 1));
    case 'insert-separator': {
      const at = mutation.at % (line.length + 1);
      return `${line.slice(0, at)}\t${line.slice(at)}`;
    }
    case 'delete':
      fields.splice(mutation.field % n, 1);
      return fields.join('\t');
    case 'duplicate': {
      const at = mutation.field % n;
      fields.splice(at, 0, fields[at] ?? '');
      return fields.join('\t');
    }
    case 'swap': {
      const a = mutation.a % n;
      const b = mutation.b % n;
      [fields[a], fields[b]] = [fields[b] ?? '', fields[a] ?? ''];
      return fields.join('\t');
    }
    case 'replace': {
      const at = mutation.at % Math.max(line.length, 1);
      return `${line.slice(0, at)}${mutation.char}${line.slice(at + 1)}`;
    }
  }
}

function isWellFormed(flow: ParsedFlow): boolean {
  const isCount = (n: number | null) => n === null || (Number.isSafeInteger(n) && n >= 0);
  const isPort = (n: number | null) => n === null || (Number.isInteger(n) && n >= 0 && n <= 65535);
  return (
    Number.isSafeInteger(flow.start_time) &&
    flow.start_time >= 0 &&
    flow.end_time >= flow.start_time &&
    isPort(flow.src_port) &&
    isPort(flow.dst_port) &&
    Number.isInteger(flow.protocol) &&
    flow.protocol >= 0 &&
    flow.protocol <= 255 &&
    [flow.bytes_out, flow.packets_out, flow.bytes_in, flow.packets_in].every(isCount) &&
    (flow.tcp_flags === null || (flow.tcp_flags >= 0 && flow.tcp_flags <= 255))
  );
}

describe('Property: zeek-conn-tsv on damaged records', () => {
  const validRecords = CASES.flatMap((name) => {
    const lines = readFixtureLines(`${FIXTURES}${name}.log`);
    const header = lines.filter((line) => line.startsWith('#'));
    return lines
      .filter((line) => line.trim() !== '' && !line.startsWith('#'))
      .map((record) => ({ header: header.slice(0, 8), record }));
  });

  it('never throws, and classifies every record as exactly one flow, skip or quarantine', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...validRecords),
        fc.array(mutationArb, { minLength: 1, maxLength: 4 }),
        ({ header, record }, mutations) => {
          // Prepare
          const damaged = mutations.reduce(mutate, record);
          const parser = createParser(probeZeekConnTsv(header));
          for (const [index, line] of header.entries()) parser.parseLine(line, index + 1);

          // Act
          const outcome = parser.parseLine(damaged, header.length + 1);

          // Assess
          const isRecord = damaged.trim() !== '' && !damaged.startsWith('#');
          expect(outcome.kind === 'meta').toBe(!isRecord);
          if (outcome.kind === 'flow') expect(isWellFormed(outcome.flow)).toBe(true);
          if (outcome.kind === 'quarantined') expect(outcome.reason.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps records_in = flows + skipped + quarantined over arbitrary text', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary', maxLength: 200 }), { maxLength: 30 }),
        (junk) => {
          // Prepare
          const lines = [...HEADER, ...junk.map((text) => text.replace(/[\r\n]/g, ''))];

          // Act
          const summary = parseLines(createParser(probeZeekConnTsv(HEADER)), lines);

          // Assess
          const records = lines.filter((line) => line.trim() !== '' && !line.startsWith('#'));
          expect(summary.records_in).toBe(records.length);
          expect(summary.flows.length + summary.skipped + summary.quarantined.length).toBe(
            summary.records_in,
          );
        },
      ),
    );
  });
});
