import type { SqlRow, SqlValue } from '../../engines/query-engine.js';
import type { RowScorer } from '../row-scorers.js';
import { ritaBeaconScores } from './rita-beacon-score.js';
import {
  BEACON_SCORE_THRESHOLDS,
  bucketedScore,
  prevalenceModifier,
  threatSeverity,
} from './rita-threat.js';
import { medianOfSorted, round3 } from './robust-statistics.js';

/** Columns the query hands to the scorer and that never reach a finding. */
const INPUT_COLUMNS = [
  'ts_list',
  'size_list',
  'span_start_s',
  'span_end_s',
  'min_ts_score',
  'min_ds_score',
  'min_threat',
  'max_prevalence',
  'min_failed_ratio',
  'max_median_bytes',
] as const;

function numbers(value: SqlValue | undefined): number[] {
  return Array.isArray(value) ? value.map(Number).filter(Number.isFinite) : [];
}

function num(value: SqlValue | undefined | number | boolean | string, fallback: number): number {
  const n = Number(value);
  return value === null || value === undefined || !Number.isFinite(n) ? fallback : n;
}

/**
 * Scores one (internal source → external destination) pair as RITA v5 does and keeps it when it is
 * a beacon worth a finding: periodic timing (timestamp score ≥ `min_ts_score`; Poisson arrivals
 * score about 0.5) with steady, small sizes (data-size score ≥ `min_ds_score` and a median of at
 * most `max_median_bytes` sent: a heartbeat, not chunked data movement, as rita-legacy's
 * `1 − mode/65535` term scored it), a RITA threat score (bucketed beacon score plus the prevalence
 * modifier) ≥ `min_threat`, which also demands persistence over the observed span, and a
 * destination that is not a fleet endpoint: at most `max_prevalence` of the network's hosts call
 * it, or it is a reconnect loop (≥ `min_failed_ratio` of the attempts refused or unanswered) that
 * no other host shares. Expects `ts_list` (whole seconds), `size_list` (bytes sent),
 * `span_start_s`, `span_end_s` (the observed span the histogram covers), `connections`,
 * `failed_connections`, `dst_hosts` and `network_size`.
 */
export const ritaBeaconScorer: RowScorer = (row, params) => {
  const timestamps = numbers(row.ts_list).sort((a, b) => a - b);
  const sizes = numbers(row.size_list);
  const spanStart = num(row.span_start_s, Number.NaN);
  const spanEnd = num(row.span_end_s, Number.NaN);
  if (new Set(timestamps).size < 4 || !(spanEnd > spanStart)) return null;

  const scores = ritaBeaconScores(timestamps, sizes, spanStart, spanEnd);
  const networkSize = Math.max(1, num(row.network_size, 1));
  const prevalence = num(row.dst_hosts, 1) / networkSize;
  const threat = round3(
    bucketedScore(scores.score * 100, BEACON_SCORE_THRESHOLDS) + prevalenceModifier(prevalence),
  );
  const connections = Math.max(1, num(row.connections, timestamps.length));
  const failedRatio = num(row.failed_connections, 0) / connections;

  const sortedSizes = [...sizes].sort((a, b) => a - b);
  const medianBytes = sortedSizes.length > 0 ? medianOfSorted(sortedSizes) : 0;
  const periodic = scores.ts >= num(params.min_ts_score, 0.8);
  const steady =
    scores.ds >= num(params.min_ds_score, 0.8) &&
    medianBytes <= num(params.max_median_bytes, 65535);
  const rare = prevalence <= num(params.max_prevalence, 0.02);
  const refusedLoop =
    failedRatio >= num(params.min_failed_ratio, 0.5) && num(row.dst_hosts, 1) <= 1;
  if (!periodic || !steady || !(rare || refusedLoop) || threat < num(params.min_threat, 0.4))
    return null;

  const deltas = timestamps
    .slice(1)
    .map((t, i) => t - (timestamps[i] as number))
    .filter((d) => d > 0)
    .sort((a, b) => a - b);
  const out: Record<string, SqlValue> = { ...row };
  for (const column of INPUT_COLUMNS) delete out[column];
  return {
    ...out,
    pattern: rare ? 'rare-destination' : 'refused-reconnect-loop',
    beacon_score: scores.score,
    ts_score: scores.ts,
    ds_score: scores.ds,
    hist_score: scores.hist,
    dur_score: scores.dur,
    threat_score: threat,
    prevalence: round3(prevalence),
    failed_ratio: round3(failedRatio),
    median_interval_s: deltas.length > 0 ? medianOfSorted(deltas) : 0,
    median_bytes: medianBytes,
    observed_hours: round3((spanEnd - spanStart) / 3600),
    severity: threatSeverity(threat),
  } satisfies SqlRow;
};
