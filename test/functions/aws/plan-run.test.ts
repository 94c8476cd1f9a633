import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_PLAN_BYTES,
  PlanTooLargeError,
  planDetectionQueries,
  planRun,
  windowsClosedIn,
} from '../../../functions/shared/aws/plan-run.js';
import { parseConfig } from '../../../functions/shared/config.js';
import { toDetectionDefinition } from '../../../functions/shared/detection/detection-definition.js';
import { parseQueryFile } from '../../../functions/shared/detection/query-file.js';

const HOUR = 3_600_000;

function detection(id: string, window: string, sql = 'SELECT 1 WHERE :window_start < :window_end') {
  return toDetectionDefinition(
    parseQueryFile(
      `${id}.sql`,
      `-- id: ${id}
-- title: test
-- severity: low
-- mitre: T1046
-- hipaa: 164.312(b)
-- window: ${window}
-- finding: f
-- summary: s
-- based-on: a test
-- description: d
-- runbook: r
${sql}`,
    ),
  );
}

describe('Plan: windowsClosedIn', () => {
  it('returns the aligned windows ending in (after, notAfter]', () => {
    const windows = windowsClosedIn(
      new Date('2026-11-29T08:00:00Z'),
      new Date('2026-11-29T10:59:59Z'),
      HOUR,
    );
    expect(windows.map((w) => [w.start.toISOString(), w.end.toISOString()])).toEqual([
      ['2026-11-29T08:00:00.000Z', '2026-11-29T09:00:00.000Z'],
      ['2026-11-29T09:00:00.000Z', '2026-11-29T10:00:00.000Z'],
    ]);
  });

  it('covers every window exactly once over consecutive scheduled runs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 9 }),
        fc.constantFrom(15, 60, 360, 1440),
        fc.integer({ min: 2, max: 40 }),
        fc.constantFrom(HOUR, 15 * 60_000, 24 * HOUR),
        (startMinute, periodMinutes, runs, size) => {
          // Prepare: a schedule that fires every period from an arbitrary minute
          const period = periodMinutes * 60_000;
          const first = startMinute * 60_000;
          const seen: number[] = [];

          // Act
          for (let r = 1; r <= runs; r++) {
            const notAfter = first + r * period;
            for (const w of windowsClosedIn(
              new Date(notAfter - period),
              new Date(notAfter),
              size,
            )) {
              seen.push(w.start.getTime());
            }
          }

          // Assess: exactly the aligned windows that closed between the first and last run
          const expected: number[] = [];
          for (
            let end = (Math.floor(first / size) + 1) * size;
            end <= first + runs * period;
            end += size
          ) {
            expected.push(end - size);
          }
          expect(seen).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('Plan: planDetectionQueries', () => {
  const detections = [
    detection('hourly', '1h'),
    detection('quarter', '15m'),
    detection('daily', '24h'),
  ];

  it('takes the shortest enabled window as the schedule period by default', () => {
    // Act: the 15-minute detection sets the period
    const queries = planDetectionQueries(
      { kind: 'detections', time: new Date('2026-11-29T10:05:00Z'), lagMs: 5 * 60_000 },
      { detections, config: parseConfig({}) },
    );

    // Assess
    expect(queries.map((q) => `${q.detection_id} ${q.window_start}`)).toEqual([
      'hourly 2026-11-29T09:00:00.000Z',
      'quarter 2026-11-29T09:45:00.000Z',
    ]);
  });

  it('skips disabled detections, and plans nothing when all are disabled', () => {
    const config = parseConfig({
      detections: { 'port-scan-horizontal': { enabled: false } },
    });
    const only = [detection('port-scan-horizontal', '1h')];
    expect(
      planDetectionQueries(
        { kind: 'detections', time: new Date('2026-11-29T10:05:00Z'), lagMs: 0 },
        { detections: only, config },
      ),
    ).toEqual([]);
  });
});

describe('Plan: planRun', () => {
  it('refuses a plan that would not fit a Step Functions payload', () => {
    // Prepare: a long query over 15-minute windows and a week-long period
    const big = detection(
      'big',
      '15m',
      `SELECT '${'x'.repeat(4000)}' WHERE :window_start < :window_end`,
    );

    // Act + Assess
    expect(() =>
      planRun(
        {
          kind: 'detections',
          time: '2026-11-29T10:00:00Z',
          lag_minutes: 0,
          period_minutes: 7 * 1440,
        },
        { detections: [big], config: parseConfig({}) },
      ),
    ).toThrow(PlanTooLargeError);
    expect(MAX_PLAN_BYTES).toBeLessThan(256 * 1024);
  });

  it.each([
    [null, 'plan input: expected a JSON object, got null'],
    [
      { kind: 'detections', time: '2026-11-29T10:00:00Z' },
      'plan input lag_minutes: expected a number of at least 0, got nothing',
    ],
    [
      { kind: 'detections', time: '2026-11-29T10:00:00Z', lag_minutes: -1 },
      'plan input lag_minutes: expected a number of at least 0, got -1',
    ],
    [
      { kind: 'detections', time: '2026-11-29T10:00:00Z', lag_minutes: 5, period_minutes: 0 },
      'plan input period_minutes: expected a number of at least 1, got 0',
    ],
    [
      { time: '2026-11-29T10:00:00Z', lag_minutes: 5 },
      'plan input kind: expected a non-empty string, got undefined',
    ],
  ])('rejects %j', (input, message) => {
    expect(() => planRun(input, { detections: [], config: parseConfig({}) })).toThrow(message);
  });
});
