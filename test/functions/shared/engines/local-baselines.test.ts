import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../functions/shared/config.js';
import { loadBaselineRollups } from '../../../../functions/shared/detection/baseline-rollups.js';
import { DuckDbEngine } from '../../../../functions/shared/engines/duckdb-engine.js';
import {
  lakeDays,
  prepareLocalBaselines,
} from '../../../../functions/shared/engines/local-baselines.js';
import { attachLocalFlows } from '../../../../functions/shared/engines/local-lake-tables.js';
import { writeLake } from '../../../helpers/detection-harness.js';
import { expandFixtureFlows } from '../../../helpers/flow-fixtures.js';

const config = parseConfig({
  zones: [{ name: 'workstations', cidrs: ['10.40.0.0/16'], tags: ['clinical'] }],
});

/** Hourly HTTPS uploads of one workstation, one series per sensor. */
function uploads(count: number, sensor?: string) {
  return {
    template: {
      start: '2026-11-23T00:10:00Z',
      src_ip: '10.40.0.7',
      dst_ip: '192.0.2.80',
      src_port: 50000,
      dst_port: 443,
      bytes_out: 10_520,
      packets_out: 10,
      direction: 'outbound',
      src_zone: 'workstations',
      dst_zone: 'external',
      ...(sensor === undefined ? {} : { sensor }),
    },
    count,
    step: { start_s: 3600, src_port: 1 },
  };
}

/** Two days of one workstation's HTTPS uploads, seen by two sensors, plus an answer record. */
function twoDays() {
  return expandFixtureFlows(
    {
      description: 'two days of hourly uploads',
      flows: [
        uploads(48),
        // The same sessions as seen by a second sensor: kept apart by the vantage columns.
        uploads(2, 'core-tap'),
        {
          // An answer (service port to ephemeral port): not an initiation, not in the rollup.
          template: {
            start: '2026-11-23T05:00:00Z',
            src_ip: '10.40.0.7',
            dst_ip: '192.0.2.81',
            src_port: 443,
            dst_port: 50999,
            direction: 'outbound',
            src_zone: 'workstations',
            dst_zone: 'external',
          },
          count: 1,
          step: {},
        },
      ],
      expect: [],
    },
    'baselines',
  );
}

describe('Local baselines: materialized rollups of a lake folder', () => {
  let lake: string;
  let engine: DuckDbEngine;
  beforeEach(async () => {
    lake = mkdtempSync(join(tmpdir(), 'wardflow-baselines-'));
    await writeLake(lake, twoDays());
    engine = await DuckDbEngine.open({ threads: 1 });
    await attachLocalFlows(engine, lake);
  });
  afterEach(async () => {
    await engine.close();
    rmSync(lake, { recursive: true, force: true });
  });

  it('lists the days that hold flows', () => {
    expect(lakeDays(lake)).toEqual(['2026-11-23', '2026-11-24']);
  });

  it('rolls each day up into hourly rows per host, peer, port and vantage point', async () => {
    const rollups = loadBaselineRollups();
    const summary = await prepareLocalBaselines(engine, lake, config, rollups);
    expect(summary).toEqual({ refreshed: 2 * rollups.length, current: 0 });
    const rows = await engine.query(
      "SELECT dt, count(*) AS rows, sum(flows) AS flows, sum(bytes) AS bytes, count(DISTINCT sensor) AS sensors FROM baselines WHERE baseline_id = 'host-peer-set' GROUP BY dt ORDER BY dt",
    );
    // 24 hourly rows a day from the first sensor, plus two from the second on the first day; the
    // answer record is left out. Upload is bytes less 52 per packet: 10,520 - 520 = 10,000.
    expect(rows).toEqual([
      { dt: '2026-11-23', rows: 26, flows: 26, bytes: 260_000, sensors: 2 },
      { dt: '2026-11-24', rows: 24, flows: 24, bytes: 240_000, sensors: 1 },
    ]);
    const [first] = await engine.query(
      "SELECT host, peer, direction, initiation, dst_port, hour, first_seen FROM baselines WHERE baseline_id = 'host-peer-set' ORDER BY hour, sensor LIMIT 1",
    );
    expect(first).toEqual({
      host: '10.40.0.7',
      peer: '192.0.2.80',
      direction: 'outbound',
      initiation: true,
      dst_port: 443,
      hour: new Date('2026-11-23T00:00:00Z'),
      first_seen: new Date('2026-11-23T00:10:00Z'),
    });
  });

  it('leaves unchanged days alone and recomputes a day whose flow files changed', async () => {
    const rollups = loadBaselineRollups();
    await prepareLocalBaselines(engine, lake, config, rollups);
    expect(await prepareLocalBaselines(engine, lake, config, rollups)).toEqual({
      refreshed: 0,
      current: 2 * rollups.length,
    });
    // Touch one file of the second day, as a re-ingest would rewrite it.
    const hourDir = join(lake, 'flows', 'source_type=zeek', 'dt=2026-11-24', 'hr=03');
    const [file] = readdirSync(hourDir);
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(hourDir, file as string), later, later);
    expect(await prepareLocalBaselines(engine, lake, config, rollups)).toEqual({
      refreshed: rollups.length,
      current: rollups.length,
    });
  });

  it('drops the rollups of a day whose flows left the lake', async () => {
    const rollups = loadBaselineRollups();
    await prepareLocalBaselines(engine, lake, config, rollups);
    rmSync(join(lake, 'flows', 'source_type=zeek', 'dt=2026-11-24'), { recursive: true });
    await attachLocalFlows(engine, lake);
    await prepareLocalBaselines(engine, lake, config, rollups);
    expect(existsSync(join(lake, 'baselines', 'baseline_id=host-peer-set', 'dt=2026-11-24'))).toBe(
      false,
    );
    const days = await engine.query('SELECT DISTINCT dt FROM baselines ORDER BY dt');
    expect(days).toEqual([{ dt: '2026-11-23' }]);
  });

  it('gives an empty table of the same shape before anything is materialized', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'wardflow-baselines-empty-'));
    const fresh = await DuckDbEngine.open({ threads: 1 });
    try {
      await attachLocalFlows(fresh, empty);
      expect(await prepareLocalBaselines(fresh, empty, config)).toEqual({
        refreshed: 0,
        current: 0,
      });
      const rows = await fresh.query('SELECT count(*) AS n, max(hour) AS h FROM baselines');
      expect(rows).toEqual([{ n: 0, h: null }]);
    } finally {
      await fresh.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
