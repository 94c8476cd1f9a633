import { dispersionScore, round3 } from './robust-statistics.js';

/**
 * RITA v5 beacon scoring (activecm/rita `analysis/beacons.go`, reimplemented from the published
 * description in detection-algorithms.md §1.2): four sub-scores in [0, 1] over one pair's
 * connection start times (whole seconds) and sizes (bytes sent by the source), equally weighted.
 */

/** The default RITA v5 scoring constants (`default_config.hjson`). */
export const RITA_BEACON_DEFAULTS = {
  /** Histogram bars over the observed span (24 hourly bars over a day). */
  bins: 24,
  /** Bar-height bucket width as a share of the tallest bar (`histogram_mode_sensitivity`). */
  modeSensitivity: 0.05,
  /** Bars left out of the bimodal fit as outliers (`histogram_bimodal_outlier_removal`). */
  bimodalOutlierRemoval: 1,
  /** Non-empty bars needed before the bimodal fit counts (`histogram_bimodal_min_hours_seen`). */
  bimodalMinBars: 11,
  /** Non-empty bars needed before the duration score counts (`duration_min_hours_seen`). */
  durationMinBars: 6,
  /** Run of consecutive non-empty bars that earns full consistency (`…_ideal_hours_seen`). */
  durationIdealRun: 12,
} as const;

/** The four sub-scores and their equally weighted total, each rounded to 3 decimals. */
export interface BeaconScores {
  readonly score: number;
  readonly ts: number;
  readonly ds: number;
  readonly hist: number;
  readonly dur: number;
  /** Non-empty histogram bars. */
  readonly bars: number;
}

/**
 * Timestamp score: dispersion score of the sorted non-zero inter-arrival deltas (a default MAD
 * score of 1 when the median delta is under a second). Needs ≥ 4 timestamps and ≥ 3 non-zero
 * deltas, else 0.
 *
 * @param timestamps connection start times in whole seconds, ascending
 */
export function timestampScore(timestamps: readonly number[]): number {
  if (timestamps.length < 4) return 0;
  const deltas: number[] = [];
  for (let i = 1; i < timestamps.length; i++) {
    const delta = (timestamps[i] as number) - (timestamps[i - 1] as number);
    if (delta > 0) deltas.push(delta);
  }
  if (deltas.length < 3) return 0;
  return dispersionScore(
    deltas.sort((a, b) => a - b),
    1,
  );
}

/**
 * Data-size score: dispersion score of the sorted sizes (a MAD score of 0 when the median size is
 * under a byte). Needs ≥ 3 sizes, else 0.
 */
export function dataSizeScore(sizes: readonly number[]): number {
  if (sizes.length < 3) return 0;
  return dispersionScore(
    [...sizes].sort((a, b) => a - b),
    0,
  );
}

/**
 * Connection counts in `bins` equal bars spanning `[spanStart, spanEnd]`; earlier times count in
 * the first bar and later ones in the last, as RITA's histogram does.
 */
export function connectionHistogram(
  timestamps: readonly number[],
  spanStart: number,
  spanEnd: number,
  bins: number = RITA_BEACON_DEFAULTS.bins,
): number[] {
  const bars = new Array<number>(bins).fill(0);
  const width = (spanEnd - spanStart) / bins;
  for (const t of timestamps) {
    const index = width > 0 ? Math.floor((t - spanStart) / width) : 0;
    const bar = Math.min(bins - 1, Math.max(0, index));
    bars[bar] = (bars[bar] as number) + 1;
  }
  return bars;
}

/** `1 − σ/μ` of the bar heights (population σ), 0 when the variation exceeds 1. */
export function coefficientOfVariationScore(bars: readonly number[]): number {
  const total = bars.reduce((sum, h) => sum + h, 0);
  if (total <= 0) return 0;
  const mean = total / bars.length;
  const variance = bars.reduce((sum, h) => sum + (h - mean) ** 2, 0) / bars.length;
  const cv = Math.sqrt(variance) / mean;
  return cv > 1 ? 0 : Math.min(1, round3(1 - cv));
}

/**
 * Bimodal fit: bars are bucketed by height in steps of `ceil(sensitivity · tallest)`; the share
 * of non-empty bars (less `outlierRemoval`) in the two most common buckets. 0 below `minBars`.
 */
export function bimodalFitScore(
  bars: readonly number[],
  sensitivity: number = RITA_BEACON_DEFAULTS.modeSensitivity,
  outlierRemoval: number = RITA_BEACON_DEFAULTS.bimodalOutlierRemoval,
  minBars: number = RITA_BEACON_DEFAULTS.bimodalMinBars,
): number {
  const nonEmpty = bars.filter((h) => h > 0);
  if (nonEmpty.length < minBars) return 0;
  const width = Math.ceil(Math.max(...nonEmpty) * sensitivity);
  const buckets = new Map<number, number>();
  for (const h of nonEmpty) {
    const bucket = Math.floor(h / width) * width;
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + 1);
  }
  const [first = 0, second = 0] = [...buckets.values()].sort((a, b) => b - a);
  const fit = (first + second) / Math.max(nonEmpty.length - outlierRemoval, 1);
  return Math.min(1, round3(fit));
}

/** Longest run of consecutive non-empty bars, wrapping from the last bar to the first. */
export function longestRun(bars: readonly number[]): number {
  let longest = 0;
  let run = 0;
  for (let i = 0; i < bars.length * 2; i++) {
    if ((bars[i % bars.length] as number) > 0) run++;
    else run = 0;
    longest = Math.max(longest, run);
  }
  return Math.min(longest, bars.length);
}

/**
 * Duration score: the larger of coverage (the pair's first-to-last span over the observed span)
 * and consistency (longest run of non-empty bars over the ideal run), each rounded up to 3
 * decimals and capped at 1; 0 with fewer than `minBars` non-empty bars.
 */
export function durationScore(
  bars: readonly number[],
  first: number,
  last: number,
  spanStart: number,
  spanEnd: number,
  minBars: number = RITA_BEACON_DEFAULTS.durationMinBars,
  idealRun: number = RITA_BEACON_DEFAULTS.durationIdealRun,
): number {
  if (bars.filter((h) => h > 0).length < minBars || spanEnd <= spanStart) return 0;
  const ceil3 = (x: number) => Math.min(1, Math.ceil(x * 1000) / 1000);
  const coverage = ceil3((last - first) / (spanEnd - spanStart));
  const consistency = ceil3(longestRun(bars) / idealRun);
  return Math.max(coverage, consistency);
}

/**
 * The RITA beacon score of one pair over an observed span (RITA: the dataset's last 24 hours; here
 * the detection window clipped to the data in it, so a short capture gets its histogram scaled to
 * what was observed).
 *
 * @param timestamps connection start times in whole seconds, ascending
 * @param sizes bytes sent by the source per connection
 * @param spanStart first second of the observed span
 * @param spanEnd last second of the observed span
 */
export function ritaBeaconScores(
  timestamps: readonly number[],
  sizes: readonly number[],
  spanStart: number,
  spanEnd: number,
): BeaconScores {
  const ts = timestampScore(timestamps);
  const ds = dataSizeScore(sizes);
  const bars = connectionHistogram(timestamps, spanStart, spanEnd);
  const hist = Math.max(coefficientOfVariationScore(bars), bimodalFitScore(bars));
  const first = timestamps[0] ?? spanStart;
  const last = timestamps[timestamps.length - 1] ?? spanStart;
  const dur = durationScore(bars, first, last, spanStart, spanEnd);
  return {
    score: round3(0.25 * ts + 0.25 * ds + 0.25 * hist + 0.25 * dur),
    ts,
    ds,
    hist,
    dur,
    bars: bars.filter((h) => h > 0).length,
  };
}
