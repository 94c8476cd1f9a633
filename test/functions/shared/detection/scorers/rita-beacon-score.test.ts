import { describe, expect, it } from 'vitest';
import {
  bimodalFitScore,
  coefficientOfVariationScore,
  connectionHistogram,
  dataSizeScore,
  durationScore,
  longestRun,
  ritaBeaconScores,
  timestampScore,
} from '../../../../../functions/shared/detection/scorers/rita-beacon-score.js';

const HOUR = 3600;
const DAY = 86_400;

/** 24 bars: `height` in bars `from`..`to` (inclusive), 0 elsewhere. */
function bars(height: number, from: number, to: number): number[] {
  return Array.from({ length: 24 }, (_, i) => (i >= from && i <= to ? height : 0));
}

describe('RITA beacon: timestamp score', () => {
  it('scores a perfectly periodic series 1', () => {
    expect(timestampScore([0, 60, 120, 180, 240])).toBe(1);
  });

  it('scores a jittered 60 s beacon near 1', () => {
    // Deltas 57, 63, 60, 60: hinges 58.5 and 61.5 (spread under 10), MAD 1.5.
    expect(timestampScore([0, 57, 120, 180, 240])).toBe(0.988);
  });

  it('scores doubling (memoryless-like) intervals low', () => {
    expect(timestampScore([0, 10, 30, 70, 150, 310])).toBe(0.363);
  });

  it('needs 4 timestamps and 3 non-zero intervals', () => {
    expect(timestampScore([0, 60, 120])).toBe(0);
    expect(timestampScore([0, 0, 0, 60, 120])).toBe(0);
  });

  it('ignores zero intervals (connections in the same second)', () => {
    expect(timestampScore([0, 0, 60, 60, 120, 180])).toBe(1);
  });
});

describe('RITA beacon: data-size score', () => {
  it('scores identical sizes 1', () => {
    expect(dataSizeScore([500, 500, 500])).toBe(1);
  });

  it('scores zero-byte records 0.5: no skew, but no size to be steady about', () => {
    expect(dataSizeScore([0, 0, 0, 0])).toBe(0.5);
  });

  it('needs 3 sizes', () => {
    expect(dataSizeScore([500, 500])).toBe(0);
  });

  it('does not reorder the caller’s array', () => {
    const sizes = [3, 1, 2];
    dataSizeScore(sizes);
    expect(sizes).toEqual([3, 1, 2]);
  });
});

describe('RITA beacon: histogram', () => {
  it('counts connections in 24 equal bars over the span, the end in the last bar', () => {
    const histogram = connectionHistogram([0, HOUR - 1, HOUR, DAY], 0, DAY);
    expect(histogram[0]).toBe(2);
    expect(histogram[1]).toBe(1);
    expect(histogram[23]).toBe(1);
    expect(histogram.reduce((a, b) => a + b, 0)).toBe(4);
  });

  it('scales the bars to a short span (an 8-minute capture gets 20 s bars)', () => {
    const histogram = connectionHistogram([0, 19, 20, 479], 0, 480);
    expect(histogram.slice(0, 2)).toEqual([2, 1]);
    expect(histogram[23]).toBe(1);
  });

  it('scores a flat histogram 1 and a half-empty one 0 on variation', () => {
    expect(coefficientOfVariationScore(bars(5, 0, 23))).toBe(1);
    // Mean 1, σ 1: CV 1.
    expect(coefficientOfVariationScore(bars(2, 0, 11))).toBe(0);
    // Alternating 3 and 1: mean 2, σ 1, CV 0.5.
    expect(coefficientOfVariationScore(Array.from({ length: 24 }, (_, i) => (i % 2 ? 1 : 3)))).toBe(
      0.5,
    );
  });

  it('fits a beacon active half the day with the bimodal score (11 bars needed)', () => {
    // One height bucket holds all 12 bars: (12 + 0) / (12 - 1), capped at 1.
    expect(bimodalFitScore(bars(60, 8, 19))).toBe(1);
    expect(bimodalFitScore(bars(60, 8, 17))).toBe(0);
  });

  it('buckets bar heights in steps of 5 % of the tallest bar', () => {
    // Width ceil(50 × 0.05) = 3: the seven 10s share a bucket, the rest are alone.
    const heights = [10, 10, 10, 10, 10, 10, 10, 20, 30, 40, 50];
    const histogram = [...heights, ...new Array<number>(13).fill(0)];
    expect(bimodalFitScore(histogram)).toBe(0.8);
  });
});

describe('RITA beacon: duration score', () => {
  it('finds the longest run of non-empty bars, wrapping past midnight', () => {
    const wrapped = bars(1, 22, 23);
    wrapped[0] = 1;
    wrapped[1] = 1;
    expect(longestRun(wrapped)).toBe(4);
    expect(longestRun(bars(1, 0, 23))).toBe(24);
  });

  it('takes the larger of coverage and consistency', () => {
    // 08:00-20:00 of a day: coverage 0.5, consistency 12 / 12.
    expect(durationScore(bars(60, 8, 19), 8 * HOUR, 20 * HOUR, 0, DAY)).toBe(1);
    // Six bars 08:00-14:00: coverage 0.25, consistency 0.5.
    expect(durationScore(bars(60, 8, 13), 8 * HOUR, 14 * HOUR, 0, DAY)).toBe(0.5);
  });

  it('is 0 with fewer than 6 non-empty bars', () => {
    expect(durationScore(bars(60, 8, 12), 8 * HOUR, 13 * HOUR, 0, DAY)).toBe(0);
  });
});

describe('RITA beacon: total score', () => {
  it('scores an hourly check-in with a fixed size 1', () => {
    const timestamps = Array.from({ length: 24 }, (_, k) => k * HOUR + 1800);
    const scores = ritaBeaconScores(timestamps, new Array<number>(24).fill(500), 0, DAY - 1);
    expect(scores).toEqual({ score: 1, ts: 1, ds: 1, hist: 1, dur: 1, bars: 24 });
  });

  it('keeps a short burst near 0.5: periodic, but not persistent over the span', () => {
    // Every 5 s for 2 minutes within a day: no histogram or duration evidence.
    const timestamps = Array.from({ length: 25 }, (_, k) => 10 * HOUR + k * 5);
    const scores = ritaBeaconScores(timestamps, new Array<number>(25).fill(300), 0, DAY - 1);
    expect(scores).toMatchObject({ ts: 1, ds: 1, hist: 0, dur: 0, score: 0.5, bars: 1 });
  });

  it('scores a fast loop within a short capture on its own time scale', () => {
    // A reconnect every second for 8 minutes, the capture 8 minutes long.
    const timestamps = Array.from({ length: 480 }, (_, k) => k);
    const scores = ritaBeaconScores(timestamps, new Array<number>(480).fill(104), 0, 479);
    expect(scores.score).toBe(1);
  });
});
