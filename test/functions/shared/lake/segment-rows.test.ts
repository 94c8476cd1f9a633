import { describe, expect, it } from 'vitest';
import { FLOW_COLUMNS, type FlowRecord } from '../../../../functions/shared/flow-record.js';
import { MemorySink } from '../../../../functions/shared/lake/byte-sink.js';
import { FlowLakeWriter } from '../../../../functions/shared/lake/flow-lake-writer.js';
import type { LakeStore } from '../../../../functions/shared/lake/lake-store.js';
import { SegmentRows } from '../../../../functions/shared/lake/segment-rows.js';
import { SharedRowGroupEncoder } from '../../../../functions/shared/lake/shared-row-group-encoder.js';

const HOUR = 3_600_000;
const T = 1_795_946_400_000;

function record(i: number): FlowRecord {
  return {
    start_time: T + (i % 3) * HOUR,
    end_time: T + (i % 3) * HOUR + 60_000,
    src_ip: `10.0.0.${i % 50}`,
    dst_ip: '203.0.113.9',
    src_port: i % 7 === 0 ? null : 40000 + i,
    dst_port: 443,
    protocol: 6,
    bytes_out: i * 100,
    packets_out: i,
    bytes_in: null,
    packets_in: null,
    action: i % 5 === 0 ? 'reject' : 'accept',
    tcp_flags: null,
    conn_state: null,
    direction: 'outbound',
    src_zone: 'lab',
    dst_zone: 'external',
    source_type: 'vpc',
    sensor: 'vpc-1/eni-1',
    community_id: i % 11 === 0 ? null : `1:${i}`,
    raw_ref: `f.log:${i + 2}`,
  };
}

/** A store whose staged objects land in memory sinks, by path. */
function memoryStore(): { store: LakeStore; files: Map<string, MemorySink> } {
  const files = new Map<string, MemorySink>();
  const store: LakeStore = {
    stage: (path) => {
      const sink = new MemorySink();
      files.set(path, sink);
      return { sink, commit: async () => {}, abort: async () => {} };
    },
    readText: async () => null,
    writeText: async () => {},
    remove: async () => {},
  };
  return { store, files };
}

async function lakeBytes(
  write: (rows: SegmentRows, lake: FlowLakeWriter) => void,
): Promise<Record<string, Uint8Array>> {
  const { store, files } = memoryStore();
  const lake = new FlowLakeWriter(store, 'vpc', 'stem');
  const rows = new SegmentRows(new SharedRowGroupEncoder(FLOW_COLUMNS));
  for (let segment = 0; segment < 3; segment++) {
    for (let i = 0; i < 500; i++) rows.add(record(segment * 500 + i));
    write(rows, lake);
  }
  await lake.finish();
  return Object.fromEntries([...files].map(([path, sink]) => [path, sink.toBytes()]));
}

describe('Class: SegmentRows', () => {
  it('writes into the lake files the bytes its detached row groups give', async () => {
    // Act
    const direct = await lakeBytes((rows, lake) => rows.writeTo(lake));
    const detached = await lakeBytes((rows, lake) => {
      for (const { bucket, group } of rows.encode()) lake.appendRowGroup(bucket, group);
    });

    // Assess
    expect(Object.keys(direct)).toHaveLength(3);
    expect(direct).toEqual(detached);
  });

  it('checks every value of a record it buffers', () => {
    // Prepare
    const rows = new SegmentRows(new SharedRowGroupEncoder(FLOW_COLUMNS));

    // Act & Assess
    expect(() => rows.add({ ...record(1), protocol: 1.5 })).toThrow(
      /column 'protocol' \(INT32\) row 0: expected an integer/,
    );
  });
});
