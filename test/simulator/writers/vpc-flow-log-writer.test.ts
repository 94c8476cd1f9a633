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
const CUSTOM = 'fl-0c1e5a7b9d2f4e6a8';
const DEFAULT = 'fl-0a1b2c3d4e5f6a7b8';

describe('Writer: VpcFlowLogWriter', () => {
  let outputs: Map<string, ParsedOutput>;
  let connections: Connection[];

  beforeAll(async () => {
    const loaded = loadConnections();
    connections = loaded.connections;
    outputs = await recordAndParse(loaded.network, connections, tempDir());
  });

  const byPort = (flowLog: string, port: number) =>
    (outputs.get(flowLog)?.flows ?? []).filter((f) => f.dst_port === port || f.src_port === port);

  it('writes both flow logs that parse with 0 quarantined, with NODATA for idle ENIs', () => {
    expect(outputs.get(CUSTOM)?.variant).toMatch(/custom/);
    expect(outputs.get(DEFAULT)?.variant).toMatch(/v2/);
    expect(outputs.get(CUSTOM)?.quarantined).toEqual([]);
    expect(outputs.get(DEFAULT)?.quarantined).toEqual([]);
    expect(outputs.get(CUSTOM)?.skipped).toBeGreaterThan(0);
  });

  it('splits a connection across 600 s aggregation windows, keeping every packet and byte', () => {
    // Prepare
    const c = connections.find((x) => x.dstPort === 443 && x.dst === '10.200.10.10') as Connection;

    // Act
    const out = byPort(CUSTOM, 54000).filter((f) => f.src_ip === c.src);
    const back = byPort(CUSTOM, 54000).filter((f) => f.src_ip === c.dst);

    // Assess: 10:07–10:22 spans the 10:00, 10:10 and 10:20 windows, each way.
    expect(out).toHaveLength(3);
    expect(back).toHaveLength(3);
    const windows = out.map((f) => Math.floor(f.start_time / 600_000));
    expect(new Set(windows).size).toBe(3);
    for (const f of out)
      expect(Math.floor(f.end_time / 600_000)).toBe(Math.floor(f.start_time / 600_000));
    expect(Math.min(...out.map((f) => f.start_time))).toBe(Math.floor(c.start / 1000) * 1000);
    expect(Math.max(...out.map((f) => f.end_time))).toBe(
      Math.floor((c.start + c.duration) / 1000) * 1000,
    );
    expect(out.reduce((n, f) => n + (f.packets_out ?? 0), 0)).toBe(c.origPkts);
    expect(out.reduce((n, f) => n + (f.bytes_out ?? 0), 0)).toBe(
      withHeaders(c.origBytes, c.origPkts, 6),
    );
    expect(back.reduce((n, f) => n + (f.bytes_out ?? 0), 0)).toBe(
      withHeaders(c.respBytes, c.respPkts, 6),
    );
    expect(out.map((f) => [f.dst_ip, f.dst_port, f.protocol, f.action])).toEqual(
      Array(3).fill(['10.200.10.10', 443, 6, 'accept']),
    );
    // SYN in the first window, FIN in the last, nothing but ACKs (0) in between.
    const flags = [...out].sort((a, b) => a.start_time - b.start_time).map((f) => f.tcp_flags);
    expect(flags).toEqual([2, 0, 1]);
  });

  it('writes a blocked connection as one REJECT record with no reverse record', () => {
    // Prepare
    const c = connections.find((x) => x.dstPort === 22 && x.dst === '10.200.10.10') as Connection;

    // Act
    const records = byPort(CUSTOM, 22);

    // Assess
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      src_ip: c.src,
      src_port: c.srcPort,
      dst_ip: c.dst,
      dst_port: 22,
      protocol: 6,
      packets_out: 3,
      bytes_out: withHeaders(0, 3, 6),
      action: 'reject',
      tcp_flags: 2,
      start_time: Math.floor(c.start / 1000) * 1000,
      end_time: Math.floor((c.start + c.duration) / 1000) * 1000,
    });
  });

  it('writes the default v2 format, both directions, with whole-second times and no flags', () => {
    // Prepare
    const c = connections.find((x) => x.dst === '10.200.20.10') as Connection;

    // Act
    const records = byPort(DEFAULT, 55000);

    // Assess
    expect(records).toHaveLength(2);
    expect(records.find((f) => f.src_ip === c.src)).toMatchObject({
      dst_ip: c.dst,
      src_port: c.srcPort,
      dst_port: 443,
      protocol: 6,
      packets_out: c.origPkts,
      bytes_out: withHeaders(c.origBytes, c.origPkts, 6),
      action: 'accept',
      tcp_flags: null,
      start_time: Math.floor(c.start / 1000) * 1000,
      end_time: Math.floor((c.start + c.duration) / 1000) * 1000,
    });
    expect(records.find((f) => f.src_ip === c.dst)).toMatchObject({
      packets_out: c.respPkts,
      bytes_out: withHeaders(c.respBytes, c.respPkts, 6),
    });
  });
});
