/**
 * Exact order statistics for the RITA beacon scores: medians, Tukey hinges, Bowley skewness and
 * the median absolute deviation, computed the way RITA v5 computes them (`montanaflynn/stats`),
 * which SQL engines cannot share (`approx_percentile` is an estimate and not a hinge).
 */

/** Quartiles of a sample: Q1 and Q3 are Tukey hinges, Q2 the median. */
export interface Quartiles {
  readonly q1: number;
  readonly q2: number;
  readonly q3: number;
}

/**
 * The median of an ascending sample: the middle value, or the mean of the two middle values.
 *
 * @param sorted values in ascending order; at least one
 */
export function medianOfSorted(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('median: expected at least 1 value, got 0');
  const mid = Math.floor(n / 2);
  return n % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Tukey hinges: Q1 and Q3 are the medians of the lower and upper halves, the median itself left
 * out of both halves when the count is odd (`stats.Quartile`).
 *
 * @param sorted values in ascending order; at least two
 */
export function tukeyQuartiles(sorted: readonly number[]): Quartiles {
  const n = sorted.length;
  if (n < 2) throw new RangeError(`quartiles: expected at least 2 values, got ${n}`);
  const half = Math.floor(n / 2);
  return {
    q1: medianOfSorted(sorted.slice(0, half)),
    q2: medianOfSorted(sorted),
    q3: medianOfSorted(sorted.slice(n % 2 === 1 ? half + 1 : half)),
  };
}

/**
 * Bowley's quartile skewness `(Q1 + Q3 − 2·Q2) / (Q3 − Q1)`, taken as 0 when the spread is
 * under 10 units or the median sits on a hinge (RITA's guard against tiny, degenerate spreads).
 */
export function bowleySkewness(sorted: readonly number[]): number {
  const { q1, q2, q3 } = tukeyQuartiles(sorted);
  const spread = q3 - q1;
  if (spread < 10 || q2 === q1 || q2 === q3) return 0;
  return (q1 + q3 - 2 * q2) / spread;
}

/** The unscaled median absolute deviation about the median, and that median. */
export function medianAbsoluteDeviation(sorted: readonly number[]): {
  readonly median: number;
  readonly mad: number;
} {
  const median = medianOfSorted(sorted);
  const deviations = sorted.map((x) => Math.abs(x - median)).sort((a, b) => a - b);
  return { median, mad: medianOfSorted(deviations) };
}

/** Rounds to 3 decimals, as RITA rounds every sub-score. */
export function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/**
 * RITA's statistical score of a sample: the mean of the skew score `1 − |B|` and the MAD score
 * `(median − MAD) / median` (floored at 0; `defaultMadScore` when the median is below 1).
 *
 * @param sorted values in ascending order; at least three
 * @param defaultMadScore MAD score when the median is below 1 (1 for intervals, 0 for sizes)
 */
export function dispersionScore(sorted: readonly number[], defaultMadScore: number): number {
  const skewScore = 1 - Math.abs(bowleySkewness(sorted));
  const { median, mad } = medianAbsoluteDeviation(sorted);
  let madScore = median >= 1 ? (median - mad) / median : defaultMadScore;
  if (!(madScore >= 0)) madScore = 0;
  return round3((skewScore + madScore) / 2);
}
