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
const TSV = 'onprem/main-campus/zeek/core';
const JSON_LOG = 'onprem/main-campus/zeek/dmz';

describe('Writer: Zeek conn.log (TSV and JSON)', () => {
  let outputs: Map<string, ParsedOutput>;
  let connections: Connection[];

  beforeAll(async () => {
    const loaded = loadConnections();
    connections = loaded.connections;
    outputs = await recordAndParse(loaded.network, connections, tempDir());
  });

  const expected = (c: Connection) => ({
    start_time: c.start,
    end_time: c.start + c.duration,
    src_ip: c.src,
    src_port: c.srcPort,
    dst_ip: c.dst,
    dst_port: c.dstPort,
    protocol: c.proto,
    packets_out: c.origPkts,
    bytes_out: withHeaders(c.origBytes, c.origPkts, c.proto),
    packets_in: c.respPkts,
    bytes_in: withHeaders(c.respBytes, c.respPkts, c.proto),
    conn_state: c.state,
  });

  it('parses both logs with 0 quarantined', () => {
    expect(outputs.get(TSV)?.variant).toMatch(/tsv/);
    expect(outputs.get(JSON_LOG)?.variant).toMatch(/json/);
    expect(outputs.get(TSV)?.quarantined).toEqual([]);
    expect(outputs.get(JSON_LOG)?.quarantined).toEqual([]);
  });

  it.each([
    ['a completed TSV connection', TSV, 1433],
    ['a rejected TSV connection', TSV, 23],
    ['a reset JSON connection', JSON_LOG, 22],
  ])('writes %s with its times, counts and conn_state', (_, log, port) => {
    // Prepare
    const c = connections.find((x) => x.dstPort === port) as Connection;

    // Act
    const records = (outputs.get(log)?.flows ?? []).filter((f) => f.dst_port === port);

    // Assess: Zeek logs one record per connection, whatever its length.
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject(expected(c));
  });
});
