import { describe, expect, it } from 'vitest';
import {
  BEACON_SCORE_THRESHOLDS,
  bucketedScore,
  prevalenceModifier,
  threatSeverity,
} from '../../../../../functions/shared/detection/scorers/rita-threat.js';

describe('RITA threat: bucketed score', () => {
  it.each([
    [49, 0],
    [50, 0.2],
    [60, 0.3],
    [70, 0.4],
    [80, 0.5],
    [90, 0.6],
    [95, 0.7],
    [100, 0.8],
    [120, 0.8],
  ])('maps a beacon score of %d to %d', (value, expected) => {
    expect(bucketedScore(value, BEACON_SCORE_THRESHOLDS)).toBeCloseTo(expected, 10);
  });
});

describe('RITA threat: prevalence modifier', () => {
  it('raises rare destinations, lowers common ones', () => {
    expect(prevalenceModifier(0.006)).toBe(0.15);
    expect(prevalenceModifier(0.02)).toBe(0.15);
    expect(prevalenceModifier(0.3)).toBe(0);
    expect(prevalenceModifier(0.5)).toBe(-0.15);
    expect(prevalenceModifier(1)).toBe(-0.15);
  });
});

describe('RITA threat: severity', () => {
  it.each([
    [0.81, 'critical'],
    [0.8, 'high'],
    [0.6, 'high'],
    [0.59, 'medium'],
    [0.4, 'medium'],
    [0.2, 'low'],
    [0.19, 'informational'],
  ])('calls %d %s', (score, severity) => {
    expect(threatSeverity(score)).toBe(severity);
  });
});
