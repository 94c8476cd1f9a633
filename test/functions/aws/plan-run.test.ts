import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_PLAN_BYTES,
  PlanTooLargeError,
  planBaselineQueries,
  planDetectionQueries,
  planRun,
  windowsClosedIn,
} from '../../../functions/shared/aws/plan-run.js';
import { parseConfig } from '../../../functions/shared/config.js';
import { loadBaselineRollups } from '../../../functions/shared/detection/baseline-rollups.js';
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
      { detections, rollups: [], config: parseConfig({}) },
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
        { detections: only, rollups: [], config },
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
        { detections: [big], rollups: [], config: parseConfig({}) },
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
    expect(() => planRun(input, { detections: [], rollups: [], config: parseConfig({}) })).toThrow(
      message,
    );
  });
});

describe('Plan: planBaselineQueries', () => {
  const rollups = loadBaselineRollups();
  const context = { detections: [], rollups, config: parseConfig({}) };

  it('rolls up the latest ended days, oldest first, each replacing its partitions', () => {
    // Act: 01:30 with 30 minutes of lag: the 29th ended, the 30th has not
    const plan = planBaselineQueries(
      { kind: 'baselines', time: new Date('2026-11-30T01:30:00Z'), lagMs: 30 * 60_000, days: 2 },
      context,
    );

    // Assess
    const ids = rollups.map((r) => r.header.id);
    expect(plan.queries.map((q) => `${q.dt} ${q.baseline_id}`)).toEqual([
      ...ids.map((id) => `2026-11-28 ${id}`),
      ...ids.map((id) => `2026-11-29 ${id}`),
    ]);
    expect(plan.clear_prefixes).toEqual(
      plan.queries.map((q) => `baselines/baseline_id=${q.baseline_id}/dt=${q.dt}/`),
    );
    for (const query of plan.queries) {
      expect(query.sql.startsWith('INSERT INTO baselines\nSELECT host, ')).toBe(true);
      expect(query.sql).toContain(`'${query.dt}' AS dt`);
      expect(query.sql).toContain(`start_time >= TIMESTAMP '${query.dt} 00:00:00.000'`);
    }
  });

  it('waits for the lag before a day counts as ended', () => {
    const plan = planBaselineQueries(
      { kind: 'baselines', time: new Date('2026-11-30T00:20:00Z'), lagMs: 30 * 60_000, days: 1 },
      context,
    );
    expect(new Set(plan.queries.map((q) => q.dt))).toEqual(new Set(['2026-11-28']));
  });

  it('defaults to two days and validates the count', () => {
    const output = planRun({ kind: 'baselines', time: '2026-11-30T02:00:00Z' }, context);
    expect(new Set(output.queries.map((q) => ('dt' in q ? q.dt : '')))).toEqual(
      new Set(['2026-11-28', '2026-11-29']),
    );
    expect(() =>
      planRun({ kind: 'baselines', time: '2026-11-30T02:00:00Z', days: 1.5 }, context),
    ).toThrow('plan input days: expected a whole number of days from 1 to 31, got 1.5');
  });
});
