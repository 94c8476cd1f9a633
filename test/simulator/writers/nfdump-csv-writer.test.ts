import { beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../../simulator/connection.js';
import { useTempDirs } from '../../helpers/temp-dir.js';
import {
  loadConnections,
  type ParsedOutput,
  recordAndParse,
  withHeaders,
} from './recorded-flows.js';

const tempDir = useTempDirs();
const DEFAULT_175 = 'onprem/main-campus/nfdump/dist-rtr1';
const LEGACY_48 = 'onprem/main-campus/nfdump/dist-rtr2';

describe('Writer: nfdump CSV (1.7.5 default and legacy 48 columns with Summary)', () => {
  let outputs: Map<string, ParsedOutput>;
  let connections: Connection[];

  beforeAll(async () => {
    const loaded = loadConnections();
    connections = loaded.connections;
    outputs = await recordAndParse(loaded.network, connections, tempDir());
  });

  it('parses both exporters with 0 quarantined', () => {
    expect(outputs.get(DEFAULT_175)?.variant).toMatch(/1\.7\.5|default/);
    expect(outputs.get(LEGACY_48)?.variant).toMatch(/legacy/);
    expect(outputs.get(DEFAULT_175)?.quarantined).toEqual([]);
    expect(outputs.get(LEGACY_48)?.quarantined).toEqual([]);
  });

  it('exports a 12-minute connection as one record per direction per 300 s active timeout', () => {
    // Prepare
    const c = connections.find((x) => x.dst === '203.0.113.45') as Connection;

    // Act
    const flows = outputs.get(DEFAULT_175)?.flows ?? [];
    const out = flows.filter((f) => f.src_ip === c.src && f.src_port === c.srcPort);
    const back = flows.filter((f) => f.src_ip === c.dst && f.dst_port === c.srcPort);

    // Assess
    expect(out).toHaveLength(3);
    expect(back).toHaveLength(3);
    const sorted = [...out].sort((a, b) => a.start_time - b.start_time);
    expect(sorted[0]?.start_time).toBe(c.start);
    expect(sorted.at(-1)?.end_time).toBe(c.start + c.duration);
    for (const f of sorted) expect(f.end_time - f.start_time).toBeLessThanOrEqual(300_000);
    expect(out.map((f) => [f.dst_ip, f.dst_port, f.protocol])).toEqual(
      Array(3).fill([c.dst, 443, 6]),
    );
    expect(out.reduce((n, f) => n + (f.packets_out ?? 0), 0)).toBe(c.origPkts);
    expect(out.reduce((n, f) => n + (f.bytes_out ?? 0), 0)).toBe(
      withHeaders(c.origBytes, c.origPkts, 6),
    );
    expect(back.reduce((n, f) => n + (f.packets_out ?? 0), 0)).toBe(c.respPkts);
    expect(back.reduce((n, f) => n + (f.bytes_out ?? 0), 0)).toBe(
      withHeaders(c.respBytes, c.respPkts, 6),
    );
  });

  it('writes legacy records with whole-second times, protocol names and flags (UDP has none)', () => {
    // Prepare
    const c = connections.find((x) => x.dstPort === 24105) as Connection;

    // Act
    const flows = outputs.get(LEGACY_48)?.flows ?? [];
    const out = flows.find((f) => f.src_ip === c.src && f.dst_port === 24105);
    const back = flows.find((f) => f.src_ip === c.dst && f.dst_port === c.srcPort);

    // Assess
    expect(out).toMatchObject({
      start_time: Math.floor(c.start / 1000) * 1000,
      end_time: Math.floor((c.start + c.duration) / 1000) * 1000,
      dst_ip: c.dst,
      src_port: c.srcPort,
      protocol: 17,
      packets_out: c.origPkts,
      bytes_out: withHeaders(c.origBytes, c.origPkts, 17),
      tcp_flags: null,
    });
    expect(back).toMatchObject({
      packets_out: c.respPkts,
      bytes_out: withHeaders(c.respBytes, c.respPkts, 17),
    });
  });

  it('writes an unanswered TCP connection as one legacy record with only SYN set', () => {
    // Prepare
    const c = connections.find((x) => x.dstPort === 3306) as Connection;

    // Act
    const records = (outputs.get(LEGACY_48)?.flows ?? []).filter((f) => f.src_port === c.srcPort);

    // Assess: no reply, so no reverse record.
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      src_ip: c.src,
      dst_ip: c.dst,
      dst_port: 3306,
      protocol: 6,
      packets_out: 3,
      bytes_out: withHeaders(0, 3, 6),
      tcp_flags: 2,
    });
  });
});
