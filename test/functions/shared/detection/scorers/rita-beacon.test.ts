import { describe, expect, it } from 'vitest';
import { ROW_SCORERS } from '../../../../../functions/shared/detection/row-scorers.js';
import { ritaBeaconScorer } from '../../../../../functions/shared/detection/scorers/rita-beacon.js';
import type { SqlRow } from '../../../../../functions/shared/engines/query-engine.js';

const PARAMS = {
  min_ts_score: 0.8,
  min_ds_score: 0.8,
  min_threat: 0.4,
  max_prevalence: 0.02,
  min_failed_ratio: 0.5,
  max_median_bytes: 65535,
};
const DAY = 86_400;

/** Jitter of the k-th connection: intervals cycle 63, 63, 57, 57 s. */
const JITTER = [0, 3, 6, 3];

/**
 * A pair row as the beaconing query hands it over: 721 connections from 08:00 to 20:00, one a
 * minute ± 3 s, sizes alternating 530 / 545 bytes, in a day-long observed span.
 */
function pairRow(overrides: Record<string, unknown> = {}): SqlRow {
  const count = 721;
  const ts = Array.from({ length: count }, (_, k) => 8 * 3600 + k * 60 + (JITTER[k % 4] ?? 0));
  return {
    src_ip: '10.22.0.12',
    dst_ip: '203.0.113.77',
    dst_port: 443,
    connections: count,
    failed_connections: 0,
    dst_hosts: 1,
    network_size: 150,
    ts_list: ts.reverse(),
    size_list: ts.map((_, k) => (k % 2 ? 545 : 530)),
    span_start_s: 0,
    span_end_s: DAY - 1,
    ...PARAMS,
    ...overrides,
  } as SqlRow;
}

describe('Scorer: rita-beacon', () => {
  it('is registered under the name the query header uses', () => {
    expect(ROW_SCORERS['rita-beacon']).toBe(ritaBeaconScorer);
  });

  it('keeps a periodic, steady pair to a rare destination with RITA’s scores', () => {
    // Act
    const row = ritaBeaconScorer(pairRow(), PARAMS);

    // Assess: ts: 360 intervals of 57 s and 360 of 63 s, hinges 57 / 63 (spread under 10, skew
    // score 1), median 60, MAD 3 → (1 + 0.95) / 2. ds: median 530, MAD 0, Q2 = Q1 → 1. hist:
    // twelve bars of 60 and one of 1 → bimodal (12 + 1) / 12, capped at 1. dur: run of 13 bars.
    expect(row).toMatchObject({
      pattern: 'rare-destination',
      ts_score: 0.975,
      ds_score: 1,
      hist_score: 1,
      dur_score: 1,
      beacon_score: 0.994,
      // Bucketed 0.6 + (99.4 - 90) / 10 × 0.2 = 0.788, + 0.15 for a rare destination.
      threat_score: 0.938,
      severity: 'critical',
      median_interval_s: 60,
      median_bytes: 530,
      observed_hours: 24,
      prevalence: 0.007,
    });
  });

  it('removes the lists and thresholds the query handed over', () => {
    const row = ritaBeaconScorer(pairRow(), PARAMS) as SqlRow;
    for (const column of ['ts_list', 'size_list', 'span_start_s', 'min_ts_score', 'max_prevalence'])
      expect(row).not.toHaveProperty(column);
    expect(row).toHaveProperty('src_ip', '10.22.0.12');
  });

  it('drops a fleet destination: many hosts call it on the same schedule', () => {
    expect(ritaBeaconScorer(pairRow({ dst_hosts: 30, network_size: 150 }), PARAMS)).toBeNull();
  });

  it('keeps a refused reconnect loop no other host shares, at any prevalence', () => {
    // A single-host capture: prevalence 1, every attempt refused.
    const row = ritaBeaconScorer(
      pairRow({ network_size: 1, failed_connections: 721, size_list: new Array(721).fill(104) }),
      PARAMS,
    );
    expect(row).toMatchObject({ pattern: 'refused-reconnect-loop', failed_ratio: 1 });
  });

  it('drops the same loop when other hosts call the destination too', () => {
    const row = pairRow({ network_size: 3, dst_hosts: 2, failed_connections: 721 });
    expect(ritaBeaconScorer(row, PARAMS)).toBeNull();
  });

  it('drops irregular timing even with steady sizes', () => {
    // Intervals doubling: 10, 20, 40 … seconds.
    const ts = Array.from({ length: 12 }, (_, k) => 8 * 3600 + 10 * (2 ** k - 1));
    const row = pairRow({ ts_list: ts, size_list: new Array(12).fill(500), connections: 12 });
    expect(ritaBeaconScorer(row, PARAMS)).toBeNull();
  });

  it('drops periodic timing with sizes that vary widely', () => {
    const sizes = Array.from({ length: 721 }, (_, k) => 200 + ((k * 7919) % 5000));
    expect(ritaBeaconScorer(pairRow({ size_list: sizes }), PARAMS)).toBeNull();
  });

  it('drops periodic, steady transfers too large for a heartbeat (chunked exfiltration)', () => {
    const sizes = Array.from({ length: 721 }, (_, k) => (k % 2 ? 70_000_000 : 68_000_000));
    expect(ritaBeaconScorer(pairRow({ size_list: sizes }), PARAMS)).toBeNull();
  });

  it('drops a periodic burst that does not persist over the observed span', () => {
    // Every 5 s for 2 minutes of a day: RITA score 0.5, threat 0.2 + 0.15 < 0.4.
    const row = pairRow({
      ts_list: Array.from({ length: 25 }, (_, k) => 36_000 + 5 * k),
      size_list: new Array(25).fill(300),
      connections: 25,
    });
    expect(ritaBeaconScorer(row, PARAMS)).toBeNull();
  });

  it('needs 4 unique timestamps and an observed span', () => {
    expect(ritaBeaconScorer(pairRow({ ts_list: [1, 1, 2, 3, 3] }), PARAMS)).toBeNull();
    expect(ritaBeaconScorer(pairRow({ span_start_s: 100, span_end_s: 100 }), PARAMS)).toBeNull();
  });

  it('honours configured thresholds', () => {
    expect(ritaBeaconScorer(pairRow(), { ...PARAMS, min_threat: 0.95 })).toBeNull();
    expect(
      ritaBeaconScorer(pairRow({ dst_hosts: 3 }), { ...PARAMS, max_prevalence: 0.05 }),
    ).not.toBeNull();
  });
});
