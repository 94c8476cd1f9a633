import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../functions/shared/config.js';
import { toDetectionDefinition } from '../../../../functions/shared/detection/detection-definition.js';
import { parseQueryFile } from '../../../../functions/shared/detection/query-file.js';
import { runDetections } from '../../../../functions/shared/detection/runner.js';
import { DuckDbEngine } from '../../../../functions/shared/engines/duckdb-engine.js';
import { attachLocalFlows } from '../../../../functions/shared/engines/local-lake-tables.js';
import { ConfigError } from '../../../../functions/shared/errors.js';
import { writeLake } from '../../../helpers/detection-harness.js';
import { expandFixtureFlows } from '../../../helpers/flow-fixtures.js';

/** A minimal detection: sources with at least :min_flows flows to port 22 in an hour. */
const BUSY_SSH = toDetectionDefinition(
  parseQueryFile(
    'busy-ssh.sql',
    `-- id: busy-ssh
-- title: Busy SSH sources
-- severity: low
-- mitre: T1021.004
-- hipaa: 164.312(b)
-- params: min_flows=3
-- window: 1h
-- finding: {src_ip} made {flow_count} SSH flows
-- summary: {src_ip} made {flow_count} SSH flows.
-- based-on: a test
-- description: test
-- runbook: test
SELECT src_ip, count(*) AS flow_count, min(start_time) AS first_seen, max(start_time) AS last_seen,
  slice(array_agg(raw_ref ORDER BY start_time), 1, 20) AS raw_refs
FROM flows
WHERE dt BETWEEN :window_dt_start AND :window_dt_end
  AND start_time >= :window_start AND start_time < :window_end AND dst_port = 22
GROUP BY src_ip
HAVING count(*) >= :min_flows`,
  ),
);

const FROM = new Date('2026-11-23T00:00:00Z');
const TO = new Date('2026-11-24T00:00:00Z');

describe('Runner: runDetections', () => {
  const lake = mkdtempSync(join(tmpdir(), 'wardflow-runner-'));
  let engine: DuckDbEngine;

  beforeAll(async () => {
    // Prepare: 10.40.0.5 makes 4 SSH flows at 10:xx and 4 at 14:xx; 10.40.0.9 (a scanner) 5 at 10:xx.
    const records = expandFixtureFlows(
      {
        description: 'runner lake',
        expect: [],
        flows: [
          {
            template: { start: '2026-11-23T10:00:00Z', src_ip: '10.40.0.5', dst_port: 22 },
            count: 4,
            step: { start_s: 60 },
          },
          {
            template: { start: '2026-11-23T14:00:00Z', src_ip: '10.40.0.5', dst_port: 22 },
            count: 4,
            step: { start_s: 60 },
          },
          {
            template: { start: '2026-11-23T10:30:00Z', src_ip: '10.40.0.9', dst_port: 22 },
            count: 5,
            step: { start_s: 1 },
          },
        ],
      },
      'runner',
    );
    await writeLake(lake, records);
    engine = await DuckDbEngine.open({ threads: 1 });
    await attachLocalFlows(engine, lake);
  });
  afterAll(async () => {
    await engine.close();
    rmSync(lake, { recursive: true, force: true });
  });

  it('finds per aligned window and runs only windows that hold data', async () => {
    const result = await runDetections({
      engine,
      detections: [BUSY_SSH],
      config: parseConfig({}),
      from: FROM,
      to: TO,
    });
    expect(result.queries).toBe(2);
    expect(result.findings.map((f) => `${f.src_ip} ${f.window_start}`).sort()).toEqual([
      '10.40.0.5 2026-11-23T10:00:00.000Z',
      '10.40.0.5 2026-11-23T14:00:00.000Z',
      '10.40.0.9 2026-11-23T10:00:00.000Z',
    ]);
  });

  it('leaves windows that end after the lateness allowance for a later run', async () => {
    const result = await runDetections({
      engine,
      detections: [BUSY_SSH],
      config: parseConfig({}),
      from: FROM,
      to: TO,
      notAfter: new Date('2026-11-23T14:30:00Z'),
    });
    expect(result.findings.map((f) => f.window_start)).not.toContain('2026-11-23T14:00:00.000Z');
    expect(result.queries).toBe(1);
  });

  it('never duplicates a finding across overlapping runs', async () => {
    const a = await runDetections({
      engine,
      detections: [BUSY_SSH],
      config: parseConfig({}),
      from: FROM,
      to: TO,
    });
    const b = await runDetections({
      engine,
      detections: [BUSY_SSH],
      config: parseConfig({}),
      from: new Date('2026-11-23T10:15:00Z'),
      to: new Date('2026-11-23T11:00:00Z'),
    });
    expect(
      b.findings
        .map((f) => f.finding_id)
        .every((id) => a.findings.some((f) => f.finding_id === id)),
    ).toBe(true);
  });

  it('moves allowlisted sources aside with their reason', async () => {
    const config = parseConfig({
      allowlist: [
        {
          cidr: '10.40.0.9/32',
          detections: ['port-scan-vertical'],
          reason: 'vulnerability scanner',
        },
      ],
    });
    const definition = { ...BUSY_SSH, id: 'port-scan-vertical' };
    const result = await runDetections({
      engine,
      detections: [definition],
      config,
      from: FROM,
      to: TO,
    });
    expect(result.findings.some((f) => f.src_ip === '10.40.0.9')).toBe(false);
    expect(result.suppressed).toEqual([
      expect.objectContaining({
        reason: 'vulnerability scanner',
        finding: expect.objectContaining({ src_ip: '10.40.0.9' }),
      }),
    ]);
  });

  it('takes thresholds from the config', async () => {
    const config = parseConfig({ detections: { 'port-scan-vertical': { min_flows: 5 } } });
    const definition = { ...BUSY_SSH, id: 'port-scan-vertical' };
    const result = await runDetections({
      engine,
      detections: [definition],
      config,
      from: FROM,
      to: TO,
    });
    expect(result.findings.map((f) => f.src_ip)).toEqual(['10.40.0.9']);
  });

  it('skips detections the config disables', async () => {
    const config = parseConfig({ detections: { 'port-scan-vertical': { enabled: false } } });
    const result = await runDetections({
      engine,
      detections: [{ ...BUSY_SSH, id: 'port-scan-vertical' }],
      config,
      from: FROM,
      to: TO,
    });
    expect(result).toMatchObject({ findings: [], queries: 0 });
  });

  it.each([
    [
      { min_host: 5 },
      'detections.port-scan-vertical.min_host: unknown parameter; port-scan-vertical takes min_flows (and enabled)',
    ],
    [
      { min_flows: 'five' },
      'detections.port-scan-vertical.min_flows: expected a number like the default 3, got "five"',
    ],
    [{ min_flows: 2.5 }, 'detections.port-scan-vertical.min_flows: expected an integer, got 2.5'],
  ])('rejects a bad threshold %j naming the key path', async (override, message) => {
    const config = parseConfig({ detections: { 'port-scan-vertical': override } });
    const run = runDetections({
      engine,
      detections: [{ ...BUSY_SSH, id: 'port-scan-vertical' }],
      config,
      from: FROM,
      to: TO,
    });
    await expect(run).rejects.toThrow(ConfigError);
    await expect(run).rejects.toThrow(message);
  });
});
