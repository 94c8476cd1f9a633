import { describe, expect, it } from 'vitest';
import {
  bowleySkewness,
  dispersionScore,
  medianAbsoluteDeviation,
  medianOfSorted,
  round3,
  tukeyQuartiles,
} from '../../../../../functions/shared/detection/scorers/robust-statistics.js';

describe('Statistics: medians and Tukey hinges', () => {
  it('takes the middle value or the mean of the two middle values', () => {
    expect(medianOfSorted([1, 2, 3])).toBe(2);
    expect(medianOfSorted([1, 2, 3, 4])).toBe(2.5);
  });

  it('rejects an empty sample', () => {
    expect(() => medianOfSorted([])).toThrow(/at least 1 value, got 0/);
  });

  it('leaves the median out of both halves when the count is odd', () => {
    // Lower half 1..4, upper half 6..9.
    expect(tukeyQuartiles([1, 2, 3, 4, 5, 6, 7, 8, 9])).toEqual({ q1: 2.5, q2: 5, q3: 7.5 });
  });

  it('splits an even sample into two equal halves', () => {
    expect(tukeyQuartiles([1, 2, 3, 4, 5, 6, 7, 8])).toEqual({ q1: 2.5, q2: 4.5, q3: 6.5 });
  });
});

describe('Statistics: Bowley skewness', () => {
  it('computes (Q1 + Q3 - 2 Q2) / (Q3 - Q1)', () => {
    // Q1 = 20, Q2 = 40, Q3 = 110: (20 + 110 - 80) / 90.
    expect(bowleySkewness([10, 20, 30, 40, 100, 110, 120])).toBeCloseTo(50 / 90, 10);
  });

  it('is 0 when the spread between the hinges is under 10', () => {
    // Q1 = 59.5, Q3 = 61.5.
    expect(bowleySkewness([59, 60, 60, 61, 62])).toBe(0);
  });

  it('is 0 when the median sits on a hinge', () => {
    expect(bowleySkewness([1, 1, 1, 50, 100])).toBe(0);
  });
});

describe('Statistics: median absolute deviation', () => {
  it('is the unscaled median of the distances to the median', () => {
    // Median 3, distances 0, 1, 1, 2, 97.
    expect(medianAbsoluteDeviation([1, 2, 3, 4, 100])).toEqual({ median: 3, mad: 1 });
  });
});

describe('Statistics: RITA dispersion score', () => {
  it('averages the skew score and the MAD score', () => {
    // Jittered 60 s beacon: spread 3 → skew 0 → 1; median 60, MAD 1.5 → 0.975.
    expect(dispersionScore([57, 60, 60, 63], 1)).toBe(0.988);
  });

  it('scores memoryless (Poisson-like) intervals about one half or less', () => {
    // Q1 15, Q2 40, Q3 120 → skew 0.524 → 0.476; MAD 30 → (40 - 30) / 40 = 0.25.
    expect(dispersionScore([10, 20, 40, 80, 160], 1)).toBe(0.363);
  });

  it('uses the default MAD score when the median is below 1', () => {
    expect(dispersionScore([0, 0, 0, 0], 0)).toBe(0.5);
    expect(dispersionScore([0, 0, 0, 0], 1)).toBe(1);
  });

  it('floors a MAD larger than the median at 0', () => {
    // Median 2, MAD 2 → 0; hinges 0 and 6.5 (spread under 10) → skew score 1.
    expect(dispersionScore([0, 0, 2, 4, 9], 1)).toBe(0.5);
  });

  it('rounds to 3 decimals', () => {
    expect(round3(0.98751)).toBe(0.988);
    expect(round3(0.1234)).toBe(0.123);
  });
});
