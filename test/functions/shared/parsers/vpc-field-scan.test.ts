import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../../../../functions/shared/enrich/ip-address.js';
import type { ParsedFlow } from '../../../../functions/shared/flow-record.js';
import { ScannedFlow } from '../../../../functions/shared/parsers/line-parser.js';
import { probeVpcFlowLog } from '../../../../functions/shared/parsers/vpc-flow-log.js';

const FIXTURES = join(import.meta.dirname, '../../../fixtures/parsers/vpc');
const KEY = 'AWSLogs/123456789010/vpcflowlogs/us-east-1/2026/11/29/flows.log';

/**
 * Runs both entry points of two parsers over the same lines, as ingest does: `scanLine` over the
 * lines' bytes, falling back to `parseLine` on the decoded line; returns what each produced.
 */
function bothWays(lines: readonly string[]): { slow: unknown[]; fast: unknown[] } {
  const create = () => {
    const verdict = probeVpcFlowLog(lines.filter((l) => l.trim() !== '').slice(0, 1));
    if (verdict?.kind !== 'flows') throw new Error('probe rejected the header');
    return verdict.create({ objectRef: KEY, timezone: 'UTC', defaultSensor: 'fallback' });
  };
  const slowParser = create();
  const fastParser = create();
  const slow = lines.map((line, i) => slowParser.parseLine(line, i + 1));
  const bytes = Buffer.from(lines.join('\n'), 'utf8');
  const flow = new ScannedFlow();
  const fast: unknown[] = [];
  for (let start = 0, n = 1; start < bytes.length || n <= lines.length; n++) {
    if (fastParser.scanLine?.(bytes, start, bytes.length, flow)) {
      fast.push({ kind: 'flow', flow: parsedFrom(flow, bytes) });
    } else {
      fast.push(fastParser.parseLine(bytes.toString('utf8', start, flow.lineEnd), n));
    }
    start = flow.lineEnd + 1;
  }
  return { slow, fast };
}

/** The `ParsedFlow` a scanned flow stands for, checking its IPv4 numbers on the way. */
function parsedFrom(flow: ScannedFlow, bytes: Buffer): ParsedFlow {
  const src = bytes.toString('latin1', flow.srcStart, flow.srcEnd);
  const dst = bytes.toString('latin1', flow.dstStart, flow.dstEnd);
  expect([flow.srcIpv4, flow.dstIpv4]).toEqual([parseIpv4(src), parseIpv4(dst)]);
  const orNull = (n: number) => (n < 0 ? null : n);
  const sensor = Buffer.from(flow.sensor.subarray(0, flow.sensorLength)).toString('utf8');
  expect(flow.sensorUtf16).toBe(sensor.length);
  return {
    start_time: flow.startTime,
    end_time: flow.endTime,
    src_ip: src,
    dst_ip: dst,
    src_port: orNull(flow.srcPort),
    dst_port: orNull(flow.dstPort),
    protocol: flow.protocol,
    bytes_out: orNull(flow.bytesOut),
    packets_out: orNull(flow.packetsOut),
    bytes_in: orNull(flow.bytesIn),
    packets_in: orNull(flow.packetsIn),
    action: flow.action,
    tcp_flags: orNull(flow.tcpFlags),
    conn_state: flow.connState,
    sensor,
  };
}

function fixtureLines(file: string): string[] {
  const bytes = readFileSync(join(FIXTURES, file));
  const text = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  return text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

describe('Parser: VPC scanLine, the path from bytes', () => {
  it.each(readdirSync(FIXTURES).filter((f) => !f.endsWith('.json')))(
    'gives the outcomes of parseLine on fixture %s',
    (file) => {
      // Prepare
      const lines = fixtureLines(file);

      // Act
      const { slow, fast } = bothWays(lines);

      // Assess
      expect(fast).toEqual(slow);
    },
  );

  it('gives the outcomes of parseLine on mutated records', () => {
    const header =
      'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id pkt-srcaddr tcp-flags region';
    const record =
      '2 123456789012 eni-0abc 10.0.0.1 203.0.113.9 40000 443 6 10 840 1795946400 1795946460 ACCEPT OK vpc-1 - 19 us-east-1';
    const pieces = [
      ' ',
      '  ',
      '\t',
      '-',
      'unknown',
      'OK',
      'NODATA',
      '99999',
      '256',
      '65536',
      '01.2.3.4',
      '::1',
      'é',
      '\u00a0',
      '\r',
      '1',
      '17',
      '58',
      'REJECT',
      '',
    ];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(record.length), fc.nat(6), fc.constantFrom(...pieces)), {
          maxLength: 4,
        }),
        (edits) => {
          let line = record;
          for (const [at, cut, piece] of edits) {
            const i = Math.min(at, line.length);
            line = line.slice(0, i) + piece + line.slice(i + cut);
          }
          const { slow, fast } = bothWays([header, line]);
          expect(fast).toEqual(slow);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
