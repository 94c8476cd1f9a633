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
  objectRef: 'test/conn.json',
  timezone: 'UTC',
  defaultSensor: 'site-a',
};
const CASES = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.jsonl'))
  .map((name) => name.slice(0, -'.jsonl'.length));

const CONN = {
  ts: 1772445600.102345,
  uid: 'Ca1hL7mEXsZr0Ykb2',
  'id.orig_h': '10.10.0.15',
  'id.orig_p': 49822,
  'id.resp_h': '10.20.1.30',
  'id.resp_p': 2575,
  proto: 'tcp',
  duration: 2.503117,
  orig_bytes: 1480,
  resp_bytes: 312,
  conn_state: 'SF',
  history: 'ShADadFf',
  orig_pkts: 12,
  orig_ip_bytes: 2112,
  resp_pkts: 9,
  resp_ip_bytes: 792,
};
const EXPECTED_FLOW: ParsedFlow = {
  start_time: 1_772_445_600_102,
  end_time: 1_772_445_602_605,
  src_ip: '10.10.0.15',
  dst_ip: '10.20.1.30',
  src_port: 49822,
  dst_port: 2575,
  protocol: 6,
  bytes_out: 2112,
  packets_out: 12,
  bytes_in: 792,
  packets_in: 9,
  action: null,
  tcp_flags: 19,
  conn_state: 'SF',
  sensor: 'site-a',
};
const DNS = {
  ts: 1772445600.2,
  uid: 'Cb2kQ9pLm4TnW8xy1',
  'id.orig_h': '10.30.4.21',
  'id.orig_p': 53011,
  'id.resp_h': '10.0.0.53',
  'id.resp_p': 53,
  proto: 'udp',
  query: 'pacs.example.org',
  qtype_name: 'A',
};
/** The README sample of GoFlow2 (flow-formats.md §5). */
const GOFLOW2 =
  '{"type":"SFLOW_5","time_received_ns":1681583295157626000,"sequence_num":2999,"sampling_rate":100,"sampler_address":"192.168.0.1","time_flow_start_ns":1681583295157626000,"time_flow_end_ns":1681583295157626000,"bytes":1500,"packets":1,"src_addr":"fd01::1","dst_addr":"fd01::2","etype":"IPv6","proto":"TCP","src_port":443,"dst_port":50001}';

/** The parser a `flows` verdict creates, with this suite's context. */
function createParser(result: ProbeResult | null): LineParser {
  return createFromProbe(result, CONTEXT);
}

function parseRecords(records: readonly object[]) {
  const lines = records.map((record) => JSON.stringify(record));
  return parseLines(createParser(probeZeekConnJson(headOf(lines))), lines);
}

describe('Parser: zeek-conn-json fixtures', () => {
  it.each(CASES)('parses %s.jsonl as its expected file says', (name) => {
    // Prepare
    const lines = readFixtureLines(`${FIXTURES}${name}.jsonl`);
    const expected = JSON.parse(readFileSync(`${FIXTURES}${name}.expected.json`, 'utf8'));

    // Act
    const verdict = probeZeekConnJson(headOf(lines));
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

  it.each(CASES)('leaves %s.jsonl to the JSON probe (the TSV probe declines it)', (name) => {
    // Prepare
    const head = headOf(readFixtureLines(`${FIXTURES}${name}.jsonl`));

    // Act
    const verdict = probeZeekConnTsv(head);

    // Assess
    expect(verdict).toBeNull();
  });
});

describe('Probe: probeZeekConnJson', () => {
  it.each([
    ['dotted', CONN, 'zeek-json-dotted'],
    [
      'underscore',
      { ts: 1.5, id_orig_h: '10.0.0.1', id_resp_h: '10.0.0.2', proto: 'tcp', conn_state: 'S0' },
      'zeek-json-underscore',
    ],
    [
      'nested',
      { ts: 1.5, id: { orig_h: '10.0.0.1', resp_h: '10.0.0.2' }, proto: 'tcp', conn_state: 'S0' },
      'zeek-json-nested',
    ],
  ])('recognises %s id keys', (_style, record, variant) => {
    // Act
    const verdict = probeZeekConnJson([JSON.stringify(record)]);

    // Assess
    expect(verdict).toMatchObject({ kind: 'flows', sourceType: 'zeek', variant });
  });

  it('returns null for GoFlow2 JSON', () => {
    // Act
    const verdict = probeZeekConnJson([GOFLOW2, GOFLOW2]);

    // Assess
    expect(verdict).toBeNull();
  });

  it.each([
    [
      'JSON without Zeek keys',
      '{"timestamp":"2026-03-02T10:00:00Z","src_ip":"10.0.0.1","event_type":"flow"}',
    ],
    ['a Zeek TSV header', '#separator \\x09'],
    ['CSV', 'ts,te,td,sa,da'],
    ['a JSON array', '[{"ts":1.5,"id.orig_h":"10.0.0.1"}]'],
  ])('returns null for %s', (_name, line) => {
    // Act
    const verdict = probeZeekConnJson([line]);

    // Assess
    expect(verdict).toBeNull();
  });

  it('returns not-flows for a dns log told by _path', () => {
    // Prepare
    const head = [JSON.stringify({ _path: 'dns', ...DNS })];

    // Act
    const verdict = probeZeekConnJson(head);

    // Assess
    expect(verdict).toEqual({ kind: 'not-flows', reason: 'Zeek dns log, not a conn log' });
  });

  it('returns not-flows for a dns log told by its keys', () => {
    // Prepare
    const head = [JSON.stringify(DNS), JSON.stringify({ ...DNS, query: 'ehr.example.org' })];

    // Act
    const verdict = probeZeekConnJson(head);

    // Assess
    expect(verdict).toEqual({ kind: 'not-flows', reason: 'Zeek dns log, not a conn log' });
  });

  it('returns not-flows for an open_conn log, saying it would double count', () => {
    // Prepare
    const head = [JSON.stringify({ _path: 'open_conn', ...CONN })];

    // Act
    const verdict = probeZeekConnJson(head);

    // Assess
    expect(verdict).toEqual({
      kind: 'not-flows',
      reason:
        'Zeek open_conn log, not a conn log: it re-emits long-lived connections hourly, which would double count them',
    });
  });

  it('claims a multiplexed stream of several logs even before its first conn record', () => {
    // Prepare
    const head = [
      JSON.stringify({ '@stream': 'dns', ...DNS }),
      JSON.stringify({ '@stream': 'http', ...DNS, query: undefined, method: 'GET' }),
    ];

    // Act
    const verdict = probeZeekConnJson(head);

    // Assess
    expect(verdict).toMatchObject({ kind: 'flows', variant: 'zeek-json-dotted' });
  });

  it('looks past a broken line among the first lines', () => {
    // Prepare
    const head = [JSON.stringify(CONN), '{"ts":', JSON.stringify(CONN)];

    // Act
    const verdict = probeZeekConnJson(head);

    // Assess
    expect(verdict).toMatchObject({ kind: 'flows' });
  });
});

describe('Parser: ZeekConnJsonParser', () => {
  it.each(['', ' ', '\t', '\u000b', '\u00a0', '\u2028', ' \t \ufeff'])(
    'treats %j as a blank line, as String#trim does',
    (line) => {
      // Prepare
      const parser = createParser(probeZeekConnJson([JSON.stringify(CONN)]));

      // Act
      const outcome = parser.parseLine(line, 1);

      // Assess
      expect(outcome).toEqual({ kind: 'meta' });
    },
  );

  it.each([
    ['dotted', CONN],
    [
      'underscore',
      (({ 'id.orig_h': h, 'id.orig_p': p, 'id.resp_h': rh, 'id.resp_p': rp, ...rest }) => ({
        ...rest,
        id_orig_h: h,
        id_orig_p: p,
        id_resp_h: rh,
        id_resp_p: rp,
      }))(CONN),
    ],
    [
      'nested',
      (({ 'id.orig_h': h, 'id.orig_p': p, 'id.resp_h': rh, 'id.resp_p': rp, ...rest }) => ({
        ...rest,
        id: { orig_h: h, orig_p: p, resp_h: rh, resp_p: rp },
      }))(CONN),
    ],
  ])('reads %s id keys into the same flow', (_style, record) => {
    // Act
    const summary = parseRecords([record]);

    // Assess
    expect(summary.flows).toEqual([{ line: 1, ...EXPECTED_FLOW }]);
  });

  it.each([
    ['epoch seconds', 1772445600.102345, 1_772_445_600_102],
    ['epoch milliseconds (TS_MILLIS)', 1772445600102, 1_772_445_600_102],
    ['ISO-8601 without a zone, read as UTC', '2026-03-02T10:00:00.102345', 1_772_445_600_102],
    ['ISO-8601 with an offset', '2026-03-02T11:00:00.1025+01:00', 1_772_445_600_103],
    ['a relative time, kept as it is', 928.943457, 928_943],
  ])('reads ts given as %s', (_style, ts, startTime) => {
    // Act
    const summary = parseRecords([{ ...CONN, ts }]);

    // Assess
    expect(summary.flows[0]?.start_time).toBe(startTime);
  });

  it('skips the non-conn records of a mixed stream, naming their log', () => {
    // Prepare
    const records = [
      { '@stream': 'conn', ...CONN },
      { '@stream': 'dns', ...DNS },
      { _path: 'ssl', ...DNS, query: undefined, server_name: 'ehr.example.org' },
      DNS,
    ];

    // Act
    const summary = parseRecords(records);

    // Assess
    expect(summary.flows).toHaveLength(1);
    expect(summary.skippedReasons).toEqual([
      'Zeek dns record, not conn',
      'Zeek ssl record, not conn',
      'Zeek dns record, not conn',
    ]);
  });

  it('takes the sensor from _node_name', () => {
    // Act
    const summary = parseRecords([{ _node_name: 'worker-eth0-1', ...CONN }]);

    // Assess
    expect(summary.flows[0]?.sensor).toBe('worker-eth0-1');
  });

  it('reports keys outside the conn schema as ignored, including nested id keys', () => {
    // Act
    const parser = createParser(probeZeekConnJson([JSON.stringify(CONN)]));
    parser.parseLine(JSON.stringify({ ...CONN, community_id: '1:x', '@system': 'ward-b' }), 1);
    parser.parseLine(
      JSON.stringify({ ts: 2, id: { orig_h: '10.0.0.1', vlan: 30 }, proto: 'tcp' }),
      2,
    );

    // Assess
    expect(parser.ignoredFields).toEqual(['community_id', '@system', 'id.vlan']);
  });

  it('gives ICMP over IPv6 protocol 58 and keeps type and code as the ports', () => {
    // Prepare
    const record = {
      ...CONN,
      'id.orig_h': '2001:db8::5',
      'id.orig_p': 135,
      'id.resp_h': '2001:db8::1',
      'id.resp_p': 136,
      proto: 'icmp',
    };

    // Act
    const summary = parseRecords([record]);

    // Assess
    expect(summary.flows[0]).toMatchObject({
      protocol: 58,
      src_port: 135,
      dst_port: 136,
      tcp_flags: null,
    });
  });

  it('quarantines a duration too large for exact millisecond times', () => {
    // Act
    const summary = parseRecords([CONN, { ...CONN, duration: 1e300 }]);

    // Assess
    expect(summary.quarantined).toEqual([
      { line: 2, reason: 'duration: expected non-negative seconds, got "1e+300"' },
    ]);
  });

  it('quarantines a record without ts, saying the key is missing', () => {
    // Prepare
    const { ts: _ts, ...record } = CONN;

    // Act
    const summary = parseRecords([CONN, record]);

    // Assess
    expect(summary.quarantined).toEqual([
      {
        line: 2,
        reason:
          'ts: expected epoch seconds, epoch milliseconds or an ISO-8601 time, got no such key',
      },
    ]);
  });
});

/** One way of damaging a JSON record. */
type Mutation =
  | { readonly kind: 'drop-key'; readonly key: number }
  | { readonly kind: 'set-value'; readonly key: number; readonly value: unknown }
  | { readonly kind: 'swap-values'; readonly a: number; readonly b: number }
  | { readonly kind: 'truncate' | 'insert-comma'; readonly at: number }
  | { readonly kind: 'replace'; readonly at: number; readonly char: string };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('drop-key' as const), key: fc.nat() }),
  fc.record({
    kind: fc.constant('set-value' as const),
    key: fc.nat(),
    value: fc.oneof(
      fc.jsonValue(),
      fc.double(),
      fc.integer({ min: -1e15, max: 1e15 }),
      fc.constantFrom(1e300, -0, 1e11 + 0.5, 65536, 256, '', '-', '1e3', '::', '10.0.0.1'),
    ),
  }),
  fc.record({ kind: fc.constant('swap-values' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constantFrom('truncate' as const, 'insert-comma' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('replace' as const),
    at: fc.nat(),
    char: fc.constantFrom('"', '{', '}', ',', ':', '-', '.', 'e', '9', ' ', '\\', 'é'),
  }),
);

function mutate(line: string, mutation: Mutation): string {
  switch (mutation.kind) {
    case 'truncate':
      return line.slice(0, mutation.at % (line.length + 1));
    case 'insert-comma': {
      const at = mutation.at % (line.length + 1);
      return `${line.slice(0, at)},${line.slice(at)}`;
    }
    case 'replace': {
      const at = mutation.at % Math.max(line.length, 1);
      return `${line.slice(0, at)}${mutation.char}${line.slice(at + 1)}`;
    }
  }
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line);
  } catch {
    return line;
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return line;
  const keys = Object.keys(record);
  if (keys.length === 0) return line;
  const keyAt = (i: number): string => keys[i % keys.length] ?? '';
  switch (mutation.kind) {
    case 'drop-key':
      delete record[keyAt(mutation.key)];
      break;
    case 'set-value':
      record[keyAt(mutation.key)] = mutation.value;
      break;
    case 'swap-values': {
      const a = keyAt(mutation.a);
      const b = keyAt(mutation.b);
      [record[a], record[b]] = [record[b], record[a]];
      break;
    }
  }
  return JSON.stringify(record);
}

function isWellFormed(flow: ParsedFlow): boolean {
  const isCount = (n: number | null) => n === null || (Number.isSafeInteger(n) && n >= 0);
  const isPort = (n: number | null) => n === null || (Number.isInteger(n) && n >= 0 && n <= 65535);
  return (
    Number.isSafeInteger(flow.start_time) &&
    flow.start_time >= 0 &&
    Number.isSafeInteger(flow.end_time) &&
    flow.end_time >= flow.start_time &&
    typeof flow.src_ip === 'string' &&
    typeof flow.dst_ip === 'string' &&
    isPort(flow.src_port) &&
    isPort(flow.dst_port) &&
    Number.isInteger(flow.protocol) &&
    flow.protocol >= 0 &&
    flow.protocol <= 255 &&
    [flow.bytes_out, flow.packets_out, flow.bytes_in, flow.packets_in].every(isCount) &&
    (flow.tcp_flags === null || (flow.tcp_flags >= 0 && flow.tcp_flags <= 255)) &&
    (flow.conn_state === null || typeof flow.conn_state === 'string') &&
    typeof flow.sensor === 'string'
  );
}

describe('Property: zeek-conn-json on damaged records', () => {
  const validRecords = CASES.flatMap((name) =>
    readFixtureLines(`${FIXTURES}${name}.jsonl`).filter((line) => line.trim() !== ''),
  );

  it('never throws, and classifies every record as exactly one flow, skip or quarantine', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...validRecords),
        fc.array(mutationArb, { minLength: 1, maxLength: 4 }),
        (record, mutations) => {
          // Prepare
          const damaged = mutations.reduce(mutate, record);
          const parser = createParser(probeZeekConnJson([JSON.stringify(CONN)]));

          // Act
          const outcome = parser.parseLine(damaged, 1);

          // Assess
          expect(outcome.kind === 'meta').toBe(damaged.trim() === '');
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
          const lines = [JSON.stringify(CONN), ...junk.map((text) => text.replace(/[\r\n]/g, ''))];

          // Act
          const summary = parseLines(createParser(probeZeekConnJson(lines.slice(0, 1))), lines);

          // Assess
          expect(summary.records_in).toBe(lines.filter((line) => line.trim() !== '').length);
          expect(summary.flows.length + summary.skipped + summary.quarantined.length).toBe(
            summary.records_in,
          );
        },
      ),
    );
  });
});
