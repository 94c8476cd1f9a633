import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPlanHandler } from '../../../functions/plan/handler.js';
import type { PlannedQuery } from '../../../functions/shared/aws/plan-run.js';
import { parseConfig } from '../../../functions/shared/config.js';
import { ENVIRONMENT } from '../../../functions/shared/deployment-contract.js';
import {
  loadDetectionCatalog,
  QUERIES_DIR,
} from '../../../functions/shared/detection/detection-catalog.js';
import { prepareDetection, windowSql } from '../../../functions/shared/detection/window-queries.js';
import { useTempDirs } from '../../helpers/temp-dir.js';
import { FakeS3, lambdaContext } from './fake-aws.js';

const tempDir = useTempDirs();

/** The detection queries of a plan. */
interface DetectionPlan {
  readonly queries: readonly PlannedQuery[];
}
const CATALOG = loadDetectionCatalog();
const HOURLY = CATALOG.filter((d) => d.windowMs === 3_600_000).map((d) => d.id);
const DAILY = CATALOG.filter((d) => d.windowMs === 86_400_000).map((d) => d.id);
const CONFIG = {
  zones: [{ name: 'guest-wifi', cidrs: ['10.99.0.0/16'], tags: ['untrusted'] }],
  policy: { default: 'allow', rules: [{ from: 'guest-wifi', to: 'external', action: 'deny' }] },
  detections: { 'port-scan-vertical': { enabled: false }, 'brute-force': { min_attempts: 7 } },
};

describe('Handler: plan', () => {
  let configPath: string;

  beforeAll(() => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  });
  afterAll(() => {
    vi.unstubAllEnvs();
  });
  beforeEach(() => {
    configPath = join(tempDir(), 'wardflow.config.json');
    writeFileSync(configPath, JSON.stringify(CONFIG));
  });

  async function plan(event: unknown, env: NodeJS.ProcessEnv = {}): Promise<DetectionPlan> {
    const handler = createPlanHandler({ env: { [ENVIRONMENT.configFile]: configPath, ...env } });
    const output = await handler(event, lambdaContext());
    return { queries: output.queries.filter((q): q is PlannedQuery => 'detection_id' in q) };
  }

  it('plans the last closed hour of every enabled hourly detection', async () => {
    // Act: scheduled at 10:20 with 15 minutes of lag → the 09:00–10:00 window
    const output = await plan({
      kind: 'detections',
      time: '2026-11-29T10:20:00Z',
      lag_minutes: 15,
    });

    // Assess
    expect(output.queries.map((q) => q.detection_id).sort()).toEqual(
      HOURLY.filter((id) => id !== 'port-scan-vertical').sort(),
    );
    for (const query of output.queries) {
      expect(query.window_start).toBe('2026-11-29T09:00:00.000Z');
      expect(query.window_end).toBe('2026-11-29T10:00:00.000Z');
    }
  });

  it('binds each query exactly as the local runner does, config parameters included', async () => {
    // Act
    const output = await plan({
      kind: 'detections',
      time: '2026-11-30T00:10:00Z',
      lag_minutes: 10,
    });

    // Assess
    const config = parseConfig(CONFIG);
    expect(output.queries.length).toBeGreaterThan(0);
    for (const query of output.queries) {
      const definition = CATALOG.find((d) => d.id === query.detection_id);
      if (definition === undefined) throw new Error(`unknown ${query.detection_id}`);
      const window = { start: new Date(query.window_start), end: new Date(query.window_end) };
      expect(query.sql).toBe(windowSql(prepareDetection(definition, config), window));
      const start = query.window_start.replace('T', ' ').replace('Z', '');
      expect(query.sql).toContain(`TIMESTAMP '${start}'`);
    }
    const segmentation = output.queries.find((q) => q.detection_id === 'segmentation-violation');
    expect(segmentation?.sql).toContain("CAST('guest-wifi' AS VARCHAR)");
    const bruteForce = output.queries.find((q) => q.detection_id === 'brute-force');
    expect(bruteForce?.sql).toContain('HAVING max(in_burst) >= 7');
  });

  it('adds the daily detections in the run where their day closed', async () => {
    // Act
    const atMidnight = await plan({
      kind: 'detections',
      time: '2026-11-30T00:10:00Z',
      lag_minutes: 10,
    });
    const atNoon = await plan({
      kind: 'detections',
      time: '2026-11-30T12:10:00Z',
      lag_minutes: 10,
    });

    // Assess
    const daily = atMidnight.queries.filter((q) => DAILY.includes(q.detection_id));
    expect(daily.map((q) => q.detection_id).sort()).toEqual([...DAILY].sort());
    expect(new Set(daily.map((q) => `${q.window_start} ${q.window_end}`))).toEqual(
      new Set(['2026-11-29T00:00:00.000Z 2026-11-30T00:00:00.000Z']),
    );
    expect(atNoon.queries.some((q) => DAILY.includes(q.detection_id))).toBe(false);
  });

  it('takes every window of a longer schedule period once', async () => {
    // Act: a run every six hours
    const output = await plan({
      kind: 'detections',
      time: '2026-11-29T12:05:00Z',
      lag_minutes: 5,
      period_minutes: 360,
    });

    // Assess
    const portScan = output.queries.filter((q) => q.detection_id === 'port-scan-horizontal');
    expect(portScan.map((q) => q.window_start)).toEqual(
      [6, 7, 8, 9, 10, 11].map((h) => `2026-11-29T${String(h).padStart(2, '0')}:00:00.000Z`),
    );
  });

  it('rejects unknown kinds and names the kinds it knows', async () => {
    await expect(plan({ kind: 'baselinez', time: '2026-11-29T10:00:00Z' })).rejects.toThrow(
      'plan input kind: expected one of detections, baselines, got "baselinez"',
    );
  });

  it('rejects a schedule time that is not ISO 8601', async () => {
    await expect(plan({ kind: 'detections', time: 'yesterday', lag_minutes: 5 })).rejects.toThrow(
      /plan input time: expected an ISO 8601 time/,
    );
  });

  it('reads the configuration and the catalog bundled beside the handler in Lambda', async () => {
    // Prepare: the asset layout the CDK app bundles
    const root = tempDir();
    mkdirSync(join(root, 'queries'));
    for (const folder of ['detections', 'baselines']) {
      cpSync(join(QUERIES_DIR, folder), join(root, 'queries', folder), { recursive: true });
    }
    writeFileSync(join(root, 'wardflow.config.json'), JSON.stringify({ detections: {} }));

    // Act
    const output = await plan(
      { kind: 'detections', time: '2026-11-29T10:20:00Z', lag_minutes: 15 },
      { LAMBDA_TASK_ROOT: root, [ENVIRONMENT.configFile]: 'wardflow.config.json' },
    );

    // Assess: the bundled config leaves port-scan-vertical enabled
    expect(output.queries.map((q) => q.detection_id).sort()).toEqual([...HOURLY].sort());
  });

  it('says which folder is missing when the queries were not bundled', async () => {
    // Prepare
    const root = tempDir();
    writeFileSync(join(root, 'wardflow.config.json'), '{}');

    // Act + Assess
    await expect(
      plan(
        { kind: 'detections', time: '2026-11-29T10:20:00Z', lag_minutes: 15 },
        { LAMBDA_TASK_ROOT: root, [ENVIRONMENT.configFile]: 'wardflow.config.json' },
      ),
    ).rejects.toThrow(`expected the folder ${join(root, 'queries', 'detections')}`);
  });

  it('names the missing variable when the configuration file is not set', async () => {
    const handler = createPlanHandler({ env: {} });
    await expect(
      handler(
        { kind: 'detections', time: '2026-11-29T10:00:00Z', lag_minutes: 0 },
        lambdaContext(),
      ),
    ).rejects.toThrow(
      /^WARDFLOW_CONFIG_FILE: expected the file name of the bundled wardflow configuration/,
    );
  });

  it('empties the partitions of the days it refreshes, and reads S3 threat-intel lists', async () => {
    // Prepare: yesterday's old rollup files in the lake, and a list in an intel bucket
    const s3Stub = mockClient(S3Client);
    const s3 = new FakeS3(s3Stub);
    const stale = [
      'baselines/baseline_id=host-peer-set/dt=2026-11-29/old-1.parquet',
      'baselines/baseline_id=host-peer-set/dt=2026-11-29/old-2.parquet',
      'baselines/baseline_id=host-peer-set/dt=2026-11-29/old-3.parquet',
    ];
    const kept = 'baselines/baseline_id=host-peer-set/dt=2026-11-20/part.parquet';
    for (const key of [...stale, kept]) s3.put('lake', key, Buffer.from('x'));
    s3.put('intel', 'feed.txt', Buffer.from('198.51.100.0/24\n'));
    writeFileSync(
      configPath,
      JSON.stringify({ ...CONFIG, threat_intel: { files: ['s3://intel/feed.txt'] } }),
    );
    const handler = createPlanHandler({
      env: { [ENVIRONMENT.configFile]: configPath, [ENVIRONMENT.lakeBucket]: 'lake' },
      s3: new S3Client({}),
    });

    try {
      // Act
      const baselines = await handler(
        { kind: 'baselines', time: '2026-11-30T02:00:00Z', days: 1 },
        lambdaContext(),
      );
      const detections = await handler(
        { kind: 'detections', time: '2026-11-30T00:10:00Z', lag_minutes: 10 },
        lambdaContext(),
      );

      // Assess
      expect(baselines.queries.length).toBeGreaterThan(0);
      expect(s3.keys('lake', 'baselines/')).toEqual([kept]);
      const intel = detections.queries.find(
        (q) => 'detection_id' in q && q.detection_id === 'threat-intel-match',
      );
      expect(intel?.sql).toContain(`CAST(${0xc6336400} AS BIGINT)`);
    } finally {
      s3Stub.restore();
    }
  });
});
