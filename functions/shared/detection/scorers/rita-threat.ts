import type { Severity } from '../query-file.js';

/**
 * RITA v5's threat scoring around the beacon score (`analysis/analysis.go`,
 * `default_config.hjson`): the raw score is bucketed into threat categories, prevalence moves it,
 * and the result maps to a severity.
 */

/** RITA's beacon thresholds (score × 100): base, low, medium, high. */
export const BEACON_SCORE_THRESHOLDS = { base: 50, low: 70, medium: 90, high: 100 } as const;

/** RITA's prevalence modifier: rare ≤ 2 % of the network (+0.15), common ≥ 50 % (−0.15). */
export const PREVALENCE_MODIFIER = { rareAtMost: 0.02, commonAtLeast: 0.5, delta: 0.15 } as const;

/**
 * Interpolates a value between the category thresholds onto the category scores 0.2 (none),
 * 0.4 (low), 0.6 (medium) and 0.8 (high); 0 below `base`, capped at `high`
 * (`calculateBucketedScore`).
 */
export function bucketedScore(
  value: number,
  thresholds: {
    readonly base: number;
    readonly low: number;
    readonly medium: number;
    readonly high: number;
  },
): number {
  const { base, low, medium, high } = thresholds;
  if (value < base) return 0;
  if (value < low) return 0.2 + ((value - base) / (low - base)) * 0.2;
  if (value < medium) return 0.4 + ((value - low) / (medium - low)) * 0.2;
  return 0.6 + ((Math.min(value, high) - medium) / (high - medium)) * 0.2;
}

/**
 * The prevalence modifier: +0.15 when at most 2 % of the network's internal hosts reach the
 * destination, −0.15 when half of them or more do, else 0.
 */
export function prevalenceModifier(prevalence: number): number {
  if (prevalence <= PREVALENCE_MODIFIER.rareAtMost) return PREVALENCE_MODIFIER.delta;
  if (prevalence >= PREVALENCE_MODIFIER.commonAtLeast) return -PREVALENCE_MODIFIER.delta;
  return 0;
}

/** RITA's severity of a final threat score: > 0.8 critical, ≥ 0.6 high, ≥ 0.4 medium, ≥ 0.2 low. */
export function threatSeverity(score: number): Severity {
  if (score > 0.8) return 'critical';
  if (score >= 0.6) return 'high';
  if (score >= 0.4) return 'medium';
  if (score >= 0.2) return 'low';
  return 'informational';
}
