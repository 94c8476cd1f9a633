import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { probeGoflow2Json } from '../../../../functions/shared/parsers/goflow2-json.js';
import type { LineParser } from '../../../../functions/shared/parsers/line-parser.js';
import {
  listFixtureCases,
  readExpected,
  runParserFixture,
} from '../../../helpers/parser-fixtures.js';

const FIXTURES = join(import.meta.dirname, '../../../fixtures/parsers/goflow2');

/** A NetFlow v9 record of an HL7 MLLP session from the lab to the EHR interface engine. */
const MEMBERS: readonly string[] = [
  '"type":"NETFLOW_V9"',
  '"time_received_ns":1714557660000000000',
  '"sequence_num":4411',
  '"sampling_rate":0',
  '"sampler_address":"10.0.0.1"',
  '"time_flow_start_ns":1714557600158000000',
  '"time_flow_end_ns":1714557659999000000',
  '"bytes":9620',
  '"packets":18',
  '"src_addr":"10.20.1.7"',
  '"dst_addr":"10.10.0.5"',
  '"etype":"IPv4"',
  '"proto":"TCP"',
  '"src_port":51514',
  '"dst_port":2575',
  '"tcp_flags":27',
  '"as_path":[]',
  '"icmp_type":0',
  '"icmp_code":0',
];

/** The record with some members replaced (by key) or added. */
function record(changes: Record<string, string | number> = {}, members = MEMBERS): string {
  const replaced = members.map((member) => {
    const key = member.slice(1, member.indexOf('"', 1));
    return key in changes ? `"${key}":${JSON.stringify(changes[key])}` : member;
  });
  const added = Object.entries(changes)
    .filter(([key]) => !members.some((member) => member.startsWith(`"${key}":`)))
    .map(([key, value]) => `"${key}":${JSON.stringify(value)}`);
  return `{${[...replaced, ...added].join(',')}}`;
}

function create(first = record()): LineParser {
  const verdict = probeGoflow2Json([first]);
  if (verdict?.kind !== 'flows') throw new Error(`probe rejected ${first}`);
  return verdict.create({
    objectRef: 'onprem/site-a/goflow2/x.log',
    timezone: 'UTC',
    defaultSensor: 'site-a',
  });
}

describe('Parser: GoFlow2 JSON fixtures', () => {
  it.each(listFixtureCases(FIXTURES))(
    'parses $name as its golden file says',
    ({ input, expected }) => {
      // Act
      const result = runParserFixture(probeGoflow2Json, input);

      // Assess
      expect(result).toEqual(readExpected(expected));
    },
  );
});

describe('Parser: GoFlow2 JSON probe', () => {
  it('recognises GoFlow2 2.x records', () => {
    expect(probeGoflow2Json([record()])).toMatchObject({
      kind: 'flows',
      sourceType: 'goflow2',
      variant: 'goflow2-v2',
    });
  });

  it('recognises GoFlow2 1.x CamelCase records', () => {
    // Prepare
    const line =
      '{"Type":"SFLOW_5","TimeReceived":1714557662,"SamplingRate":2048,"SamplerAddress":"192.0.2.253","Bytes":64,"Packets":1,"SrcAddr":"10.0.0.1","DstAddr":"10.0.0.2","Proto":6}';

    // Act & Assess
    expect(probeGoflow2Json([line])).toMatchObject({ kind: 'flows', variant: 'goflow2-v1' });
  });

  it('looks past lines that are not JSON objects to the first one', () => {
    expect(probeGoflow2Json(['truncated tail of a rotated file', record()])).toMatchObject({
      kind: 'flows',
    });
  });

  it.each([
    [
      'Zeek JSON',
      '{"ts":1714557600.1,"uid":"C1","id.orig_h":"10.0.0.5","id.orig_p":1,"id.resp_h":"192.0.2.80","proto":"tcp"}',
    ],
    [
      'nfdump ndjson',
      '{"type":"FLOW","first":"2024-05-01T10:00:03.000","src4_addr":"10.20.1.7","dst4_addr":"10.0.0.53"}',
    ],
    ['nfdump 1.7.1 JSON array', ['[', '{', '\t"type" : "FLOW",', '\t"src4_addr" : "10.20.1.7",']],
    [
      'NetObserv flows',
      '{"AgentIP":"10.9.8.7","SrcAddr":"10.0.0.1","DstAddr":"10.0.0.2","TimeFlowStartMs":1}',
    ],
    ['a record without addresses', '{"type":"IPFIX","time_received_ns":1714557660000000000}'],
    ['nfdump CSV', 'firstSeen,duration,proto,srcAddr,srcPort,dstAddr,dstPort,packets,bytes,flows'],
  ])('does not claim %s', (_what, head) => {
    expect(probeGoflow2Json(typeof head === 'string' ? [head] : head)).toBeNull();
  });
});

describe('Parser: GoFlow2 JSON records', () => {
  it('maps a NetFlow v9 record', () => {
    expect(create().parseLine(record(), 1)).toEqual({
      kind: 'flow',
      flow: {
        start_time: 1714557600158,
        end_time: 1714557659999,
        src_ip: '10.20.1.7',
        dst_ip: '10.10.0.5',
        src_port: 51514,
        dst_port: 2575,
        protocol: 6,
        bytes_out: 9620,
        packets_out: 18,
        bytes_in: null,
        packets_in: null,
        action: null,
        tcp_flags: 27,
        conn_state: null,
        sensor: '10.0.0.1',
      },
    });
  });

  it.each([
    [0, 9620, 18],
    [1, 9620, 18],
    [100, 962000, 1800],
  ])('scales counters by sampling_rate %i', (rate, bytes, packets) => {
    expect(create().parseLine(record({ sampling_rate: rate }), 1)).toMatchObject({
      flow: { bytes_out: bytes, packets_out: packets },
    });
  });

  it('truncates nanoseconds to milliseconds on the digits, where floating point would round up', () => {
    // Prepare: 1714557663999999999 ns is 1714557664000 ms once parsed as a double.
    const line = record({
      time_flow_start_ns: 0,
      time_flow_end_ns: 0,
      time_received_ns: 0,
    }).replace('"time_received_ns":0', '"time_received_ns":1714557663999999999');

    // Act & Assess
    expect(create().parseLine(line, 1)).toMatchObject({ flow: { start_time: 1714557663999 } });
  });

  it('uses the receive time when both flow times are 0, and the other flow time when one is', () => {
    const parser = create();
    expect(
      parser.parseLine(record({ time_flow_start_ns: 0, time_flow_end_ns: 0 }), 1),
    ).toMatchObject({
      flow: { start_time: 1714557660000, end_time: 1714557660000 },
    });
    expect(parser.parseLine(record({ time_flow_end_ns: 0 }), 2)).toMatchObject({
      flow: { start_time: 1714557600158, end_time: 1714557600158 },
    });
  });

  it('puts the ICMP type in src_port and the code in dst_port', () => {
    const parser = create();
    const icmp = { proto: 'ICMP', src_port: 0, dst_port: 0, icmp_type: 3, icmp_code: 13 };
    expect(parser.parseLine(record(icmp), 1)).toMatchObject({
      flow: { protocol: 1, src_port: 3, dst_port: 13, tcp_flags: null },
    });
    // NetFlow v5 has no ICMP fields: the type and code come packed in the destination port.
    expect(
      parser.parseLine(record({ ...icmp, icmp_type: 0, icmp_code: 0, dst_port: 2816 }), 2),
    ).toMatchObject({
      flow: { src_port: 11, dst_port: 0 },
    });
  });

  it('gives null ports to protocols without them', () => {
    expect(create().parseLine(record({ proto: 47, src_port: 0, dst_port: 0 }), 1)).toMatchObject({
      flow: { protocol: 47, src_port: null, dst_port: null },
    });
  });

  it('falls back to the default sensor when sampler_address is empty', () => {
    expect(create().parseLine(record({ sampler_address: '' }), 1)).toMatchObject({
      flow: { sensor: 'site-a' },
    });
  });

  it('reads keys in any order, skips nested values and lets a repeated key win', () => {
    // Prepare
    const members = [...MEMBERS].reverse();
    members.push('"layer_stack":["IPv4",{"note":"a \\"quoted\\" } brace"}]', '"bytes":100');
    const line = ` ${record({}, members)}\t`;

    // Act & Assess
    expect(create().parseLine(line, 1)).toMatchObject({
      kind: 'flow',
      flow: { bytes_out: 100, dst_port: 2575 },
    });
  });

  it('skips non-IP samples and names their ethertype', () => {
    const line = record({ src_addr: '', dst_addr: '', etype: 'ARP', proto: '' });
    expect(create().parseLine(line, 1)).toEqual({
      kind: 'skipped',
      reason: 'not an IP flow (etype "ARP")',
    });
  });

  it('quarantines the protocols GoFlow2 renders as an empty name', () => {
    expect(create().parseLine(record({ proto: '' }), 1)).toEqual({
      kind: 'quarantined',
      reason: 'proto: expected a protocol name or number, got ""',
    });
  });

  it('never throws and classifies every record, whatever the mutation', () => {
    const valid = record();
    const members = MEMBERS;
    const join = (parts: readonly string[]) => `{${parts.join(',')}}`;
    const mutation = fc.oneof(
      fc.nat({ max: valid.length }).map((n) => valid.slice(0, n)),
      fc.nat({ max: members.length - 1 }).map((i) => join(members.filter((_, j) => j !== i))),
      fc
        .nat({ max: members.length - 1 })
        .map((i) => join([...members.slice(0, i + 1), ...members.slice(i)])),
      fc
        .tuple(fc.nat({ max: members.length - 1 }), fc.nat({ max: members.length - 1 }))
        .map(([i, j]) =>
          join(members.map((m, k) => (k === i ? members[j] : k === j ? members[i] : m) as string)),
        ),
      fc
        .tuple(fc.nat({ max: valid.length - 1 }), fc.string({ minLength: 1, maxLength: 3 }))
        .map(([i, s]) => valid.slice(0, i) + s + valid.slice(i + 1)),
      fc
        .tuple(
          fc.nat({ max: valid.length }),
          fc.constantFrom(',', ':', '"', '{', '}', '[', ']', '\\', ' '),
        )
        .map(([i, s]) => valid.slice(0, i) + s + valid.slice(i)),
      fc.nat({ max: members.length - 1 }).chain((i) =>
        fc.jsonValue().map((value) => {
          const member = members[i] as string;
          return join(
            members.map((m, k) =>
              k === i ? `${member.slice(0, member.indexOf(':'))}:${JSON.stringify(value)}` : m,
            ),
          );
        }),
      ),
    );
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 8 }), (lines) => {
        const parser = create();
        let records = 0;
        let classified = 0;
        lines.forEach((line, index) => {
          const outcome = parser.parseLine(line, index + 1);
          if (outcome.kind === 'meta') {
            expect(line.trim()).toBe('');
            return;
          }
          records++;
          if (outcome.kind === 'flow') {
            const { flow } = outcome;
            expect(flow.end_time).toBeGreaterThanOrEqual(flow.start_time);
            expect(flow.bytes_out === null || Number.isSafeInteger(flow.bytes_out)).toBe(true);
          }
          if (['flow', 'skipped', 'quarantined'].includes(outcome.kind)) classified++;
        });
        expect(classified).toBe(records);
      }),
    );
  });
});
