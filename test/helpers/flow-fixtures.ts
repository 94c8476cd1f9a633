import { readFileSync } from 'node:fs';
import type { FlowRecord } from '../../functions/shared/flow-record.js';

/**
 * A flow in a detection fixture: every field optional, with defaults below. Times are ISO
 * strings (`start`) plus `duration_s`.
 */
export interface FixtureFlow {
  readonly start: string;
  readonly duration_s?: number;
  readonly [field: string]: unknown;
}

/** `count` copies of `template`, each step adding `step` to numbers, seconds or the last IP octet. */
export interface FixtureSeries {
  readonly template: FixtureFlow;
  readonly count: number;
  readonly step: Readonly<Record<string, number>>;
}

/** A detection fixture file: optional config, flows (single or series), expected findings. */
export interface DetectionFixture {
  readonly description: string;
  readonly config?: unknown;
  readonly from?: string;
  readonly to?: string;
  readonly flows: readonly (FixtureFlow | FixtureSeries)[];
  /** Partial findings that must each match one finding of the detection (positive fixtures). */
  readonly expect: readonly Record<string, unknown>[];
}

const DEFAULTS: Omit<FlowRecord, 'start_time' | 'end_time'> = {
  src_ip: '10.40.0.10',
  dst_ip: '10.10.0.5',
  src_port: 50000,
  dst_port: 443,
  protocol: 6,
  bytes_out: 1000,
  packets_out: 10,
  bytes_in: 4000,
  packets_in: 10,
  action: null,
  tcp_flags: null,
  conn_state: 'SF',
  direction: 'internal',
  src_zone: 'unzoned',
  dst_zone: 'unzoned',
  sensor: 'fixture',
  source_type: 'zeek',
  community_id: null,
  raw_ref: '',
};

function addToIp(ip: string, n: number): string {
  if (ip.includes(':'))
    return ip.replace(/([0-9a-f]+)$/i, (h) => (Number.parseInt(h, 16) + n).toString(16));
  const parts = ip.split('.').map(Number);
  let value =
    (parts[0] ?? 0) * 2 ** 24 +
    (parts[1] ?? 0) * 2 ** 16 +
    (parts[2] ?? 0) * 256 +
    (parts[3] ?? 0) +
    n;
  const out: number[] = [];
  for (let i = 0; i < 4; i++) {
    out.unshift(value % 256);
    value = Math.floor(value / 256);
  }
  return out.join('.');
}

function toRecord(flow: FixtureFlow, ref: string): FlowRecord {
  const { start, duration_s = 1, ...rest } = flow;
  const startMs = Date.parse(start);
  if (Number.isNaN(startMs))
    throw new Error(`${ref}: start ${JSON.stringify(start)} is not an ISO time`);
  return {
    ...DEFAULTS,
    raw_ref: ref,
    ...(rest as Partial<FlowRecord>),
    start_time: startMs,
    end_time: startMs + Math.round(duration_s * 1000),
  };
}

function stepped(
  template: FixtureFlow,
  step: Readonly<Record<string, number>>,
  i: number,
): FixtureFlow {
  const out: Record<string, unknown> = { ...template };
  for (const [key, delta] of Object.entries(step)) {
    if (key === 'start_s') {
      out.start = new Date(Date.parse(template.start) + delta * i * 1000).toISOString();
    } else if (typeof out[key] === 'string') {
      out[key] = addToIp(out[key] as string, delta * i);
    } else {
      out[key] =
        (Number(out[key] ?? (DEFAULTS as Record<string, unknown>)[key] ?? 0) as number) + delta * i;
    }
  }
  return out as FixtureFlow;
}

/** Expands a fixture's flows into lake records; `raw_ref` names the fixture and the flow. */
export function expandFixtureFlows(fixture: DetectionFixture, name: string): FlowRecord[] {
  const records: FlowRecord[] = [];
  fixture.flows.forEach((entry, index) => {
    if ('template' in entry) {
      const series = entry as FixtureSeries;
      for (let i = 0; i < series.count; i++) {
        records.push(
          toRecord(stepped(series.template, series.step, i), `${name}:${index + 1}.${i + 1}`),
        );
      }
    } else {
      records.push(toRecord(entry as FixtureFlow, `${name}:${index + 1}`));
    }
  });
  return records;
}

/** Reads a fixture file. */
export function readDetectionFixture(path: string): DetectionFixture {
  return JSON.parse(readFileSync(path, 'utf8')) as DetectionFixture;
}
