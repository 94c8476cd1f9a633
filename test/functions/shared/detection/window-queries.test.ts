import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../functions/shared/config.js';
import { Allowlist } from '../../../../functions/shared/detection/allowlist.js';
import { toDetectionDefinition } from '../../../../functions/shared/detection/detection-definition.js';
import { parseQueryFile } from '../../../../functions/shared/detection/query-file.js';
import type { RowScorer } from '../../../../functions/shared/detection/row-scorers.js';
import {
  prepareDetection,
  rowsToFindings,
  windowParameters,
  windowSql,
} from '../../../../functions/shared/detection/window-queries.js';

const DEFINITION = toDetectionDefinition(
  parseQueryFile(
    'busy-ssh.sql',
    `-- id: port-scan-vertical
-- title: t
-- severity: low
-- mitre: T1046
-- hipaa: 164.312(b)
-- params: min_flows=3, ratio=0.5
-- window: 1h
-- lookback: 2d
-- finding: {src_ip} made {flow_count} flows
-- summary: s
-- based-on: a test
-- description: d
-- runbook: r
SELECT src_ip FROM flows WHERE dt BETWEEN :baseline_dt_start AND :window_dt_end
  AND start_time >= :window_start AND n >= :min_flows AND r >= :ratio AND z IN :threat_intel_ips`,
  ),
);
const WINDOW = { start: new Date('2026-11-29T00:00:00Z'), end: new Date('2026-11-29T01:00:00Z') };

describe('Window queries: windowSql', () => {
  it('binds window, baseline and partition bounds, config and overridden parameters', () => {
    // Prepare
    const config = parseConfig({
      threat_intel: { ips: ['203.0.113.66'] },
      detections: { 'port-scan-vertical': { min_flows: 9 } },
    });

    // Act
    const sql = windowSql(prepareDetection(DEFINITION, config), WINDOW);

    // Assess
    expect(sql).toContain("dt BETWEEN '2026-11-27' AND '2026-11-29'");
    expect(sql).toContain("start_time >= TIMESTAMP '2026-11-29 00:00:00.000'");
    expect(sql).toContain('n >= 9 AND r >= 0.5');
    expect(sql).toContain("z IN ('203.0.113.66')");
  });

  it('puts the last day of the window, not the day it ends on, into window_dt_end', () => {
    const day = { start: new Date('2026-11-29T00:00:00Z'), end: new Date('2026-11-30T00:00:00Z') };
    expect(windowParameters(day, 0).window_dt_end).toEqual({ kind: 'string', value: '2026-11-29' });
  });
});

describe('Window queries: rowsToFindings', () => {
  it('scores rows, drops the ones the scorer rejects and moves allowlisted sources aside', () => {
    // Prepare
    const scorer: RowScorer = (row, params) =>
      Number(row.flow_count) >= Number(params.min_flows) ? { ...row, score: 1 } : null;
    const prepared = prepareDetection({ ...DEFINITION, scorer }, parseConfig({}));
    const allowlist = new Allowlist([
      { cidr: '10.0.5.10/32', detections: ['port-scan-vertical'], reason: 'scanner' },
    ]);

    // Act
    const found = rowsToFindings(
      prepared,
      [
        { src_ip: '10.1.1.1', flow_count: 5 },
        { src_ip: '10.1.1.2', flow_count: 1 },
        { src_ip: '10.0.5.10', flow_count: 50 },
        { src_ip: '10.1.1.1', flow_count: 6 },
      ],
      WINDOW,
      allowlist,
    );

    // Assess
    expect(found.findings.map((f) => [f.src_ip, f.evidence.flow_count, f.metrics.score])).toEqual([
      ['10.1.1.1', 6, 1],
    ]);
    expect(found.suppressed.map((s) => [s.finding.src_ip, s.reason])).toEqual([
      ['10.0.5.10', 'scanner'],
    ]);
    expect(found.findings[0]?.window_start).toBe('2026-11-29T00:00:00.000Z');
  });
});
