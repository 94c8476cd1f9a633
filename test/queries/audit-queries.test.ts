import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../functions/shared/config.js';
import {
  auditParameters,
  loadAuditQueries,
} from '../../functions/shared/detection/audit-queries.js';
import {
  loadDetectionCatalog,
  QUERIES_DIR,
} from '../../functions/shared/detection/detection-catalog.js';
import { writeFindingsToLake } from '../../functions/shared/detection/findings-lake.js';
import { runDetections } from '../../functions/shared/detection/runner.js';
import { DuckDbEngine } from '../../functions/shared/engines/duckdb-engine.js';
import { prepareLocalBaselines } from '../../functions/shared/engines/local-baselines.js';
import {
  attachLocalFindings,
  attachLocalFlows,
} from '../../functions/shared/engines/local-lake-tables.js';
import { bindParameters, param } from '../../functions/shared/engines/sql-parameters.js';
import { LocalLakeStore } from '../../functions/shared/lake/local-lake-store.js';
import { writeLake } from '../helpers/detection-harness.js';
import { expandFixtureFlows } from '../helpers/flow-fixtures.js';

const config = parseConfig({
  zones: [
    { name: 'ehr-db', cidrs: ['10.10.0.0/24'], tags: ['ephi'] },
    { name: 'workstations', cidrs: ['10.40.0.0/16'], tags: ['clinical'] },
    { name: 'guest-wifi', cidrs: ['10.99.0.0/16'], tags: ['untrusted'] },
  ],
  policy: {
    default: 'allow',
    rules: [
      { from: 'guest-wifi', to: 'ehr-db', action: 'deny' },
      { from: 'workstations', to: 'ehr-db', ports: [443], action: 'allow' },
      { from: 'workstations', to: 'ehr-db', action: 'deny' },
    ],
  },
});
const FROM = new Date('2026-11-23T10:00:00Z');
const TO = new Date('2026-11-23T11:00:00Z');

describe('Audit queries on DuckDB', () => {
  let engine: DuckDbEngine;
  const lake = mkdtempSync(join(tmpdir(), 'wardflow-audit-'));
  beforeAll(async () => {
    // Prepare: workstations reach the EHR database on 443 (allowed) and 1433 (denied), guest Wi-Fi
    // on 1433 (denied, refused), plus a vertical scan so the findings table has a row.
    const records = expandFixtureFlows(
      {
        description: 'audit lake',
        expect: [],
        flows: [
          {
            start: '2026-11-23T10:01:00Z',
            src_ip: '10.40.0.5',
            dst_ip: '10.10.0.5',
            dst_port: 443,
            src_zone: 'workstations',
            dst_zone: 'ehr-db',
          },
          {
            start: '2026-11-23T10:02:00Z',
            src_ip: '10.40.0.6',
            dst_ip: '10.10.0.5',
            dst_port: 443,
            src_zone: 'workstations',
            dst_zone: 'ehr-db',
          },
          {
            start: '2026-11-23T10:03:00Z',
            src_ip: '10.40.0.5',
            dst_ip: '10.10.0.5',
            dst_port: 1433,
            src_zone: 'workstations',
            dst_zone: 'ehr-db',
          },
          {
            start: '2026-11-23T10:04:00Z',
            src_ip: '10.99.0.7',
            dst_ip: '10.10.0.5',
            dst_port: 1433,
            src_zone: 'guest-wifi',
            dst_zone: 'ehr-db',
            conn_state: 'REJ',
          },
          {
            template: {
              start: '2026-11-23T10:10:00Z',
              src_ip: '10.40.0.9',
              dst_ip: '10.10.0.5',
              dst_port: 1,
              conn_state: 'REJ',
              src_zone: 'workstations',
              dst_zone: 'ehr-db',
            },
            count: 30,
            step: { start_s: 1, dst_port: 1 },
          },
        ],
      },
      'audit',
    );
    await writeLake(lake, records);
    engine = await DuckDbEngine.open({ threads: 1 });
    await attachLocalFlows(engine, lake);
    await prepareLocalBaselines(engine, lake, config);
    const result = await runDetections({
      engine,
      detections: loadDetectionCatalog(),
      config,
      from: FROM,
      to: TO,
    });
    await writeFindingsToLake(new LocalLakeStore(lake), result);
    await attachLocalFindings(engine, lake);
  });
  afterAll(async () => {
    await engine.close();
    rmSync(lake, { recursive: true, force: true });
  });

  async function run(id: string) {
    const file = loadAuditQueries().find((q) => q.header.id === id);
    if (file === undefined) throw new Error(`no audit query ${id}`);
    return engine.query(bindParameters(file.sql, auditParameters(config, FROM, TO)));
  }

  it('reviews activity per zone pair', async () => {
    const rows = await run('activity-review');
    expect(rows).toContainEqual(
      expect.objectContaining({
        src_zone: 'workstations',
        dst_zone: 'ehr-db',
        flows: 33,
        source_hosts: 3,
        failed: 30,
      }),
    );
  });

  it('lists every source that reached an ePHI zone, with refused attempts counted', async () => {
    const rows = await run('ephi-access-by-source');
    expect(rows).toContainEqual(
      expect.objectContaining({
        src_ip: '10.99.0.7',
        dst_zone: 'ehr-db',
        dst_port: 1433,
        flows: 1,
        refused_or_failed: 1,
      }),
    );
    expect(rows).toContainEqual(
      expect.objectContaining({ src_ip: '10.40.0.5', dst_port: 443, refused_or_failed: 0 }),
    );
  });

  it('judges observed zone pairs by the first matching policy rule', async () => {
    const rows = await run('segmentation-matrix');
    const verdict = (port: number) =>
      rows.find((r) => r.src_zone === 'workstations' && r.dst_port === port)?.verdict;
    expect(verdict(443)).toBe('allow');
    expect(verdict(1433)).toBe('deny');
    // The refused guest attempt never became a flow that reached the database.
    expect(rows.some((r) => r.src_zone === 'guest-wifi')).toBe(false);
  });

  it('counts findings by severity and status', async () => {
    const rows = await run('findings-by-severity-status');
    expect(rows).toContainEqual(
      expect.objectContaining({
        severity: 'medium',
        status: 'new',
        detection_id: 'port-scan-vertical',
        findings: 1,
        sources: 1,
      }),
    );
  });

  it.each(loadAuditQueries(join(QUERIES_DIR, 'baselines')).map((q) => [q.header.id, q] as const))(
    'runs the baseline rollup %s over the period',
    async (_id, file) => {
      const rows = await engine.query(bindParameters(file.sql, auditParameters(config, FROM, TO)));
      expect(Array.isArray(rows)).toBe(true);
    },
  );

  it('binds the period as typed literals', () => {
    expect(bindParameters('SELECT :x', { x: param.timestamp(FROM) })).toBe(
      "SELECT TIMESTAMP '2026-11-23 10:00:00.000'",
    );
  });
});
