import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../cli/commands/ingest.js';
import { DEFAULT_CONFIG } from '../../functions/shared/config.js';
import { loadConfigFile } from '../../functions/shared/config-file.js';
import { ATTACK_IDS } from '../../simulator/attacks/attack-catalog.js';
import { generateHospital } from '../../simulator/generate-hospital.js';
import type { GroundTruth, GroundTruthAttack } from '../../simulator/ground-truth.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();

/** Per attack: a run short enough for `npm test`, with the attack scaled to fit it. */
const SCENARIOS: Record<string, { hours: number; params: Record<string, number | string> }> = {
  'exfil-slow': {
    hours: 1,
    params: { start_hour: 0.1, minutes: 30, total_mb: 300, connections: 6 },
  },
  'exfil-fast': { hours: 1, params: { start_hour: 0.1, minutes: 10, total_mb: 600 } },
  'scan-horizontal': { hours: 1, params: { start_hour: 0.1, minutes: 10, targets: 60 } },
  'scan-vertical': { hours: 1, params: { start_hour: 0.1, minutes: 10, ports: 200 } },
  'lateral-smb': { hours: 1, params: { start_hour: 0.1, minutes: 10 } },
  'lateral-winrm': { hours: 1, params: { start_hour: 0.1, minutes: 10 } },
  'lateral-rdp': { hours: 1, params: { start_hour: 0.1, minutes: 10 } },
  beaconing: { hours: 1, params: { start_hour: 0.1, minutes: 40 } },
  'brute-force-ssh': { hours: 1, params: { start_hour: 0.1, minutes: 10 } },
  'brute-force-rdp': { hours: 1, params: { start_hour: 0.1, minutes: 10 } },
  'guest-to-ehr': { hours: 1, params: { start_hour: 0.1, minutes: 10 } },
  'hl7-egress': { hours: 1, params: { start_hour: 0.1, minutes: 10, connections: 50 } },
  'device-new-external': { hours: 1, params: { start_hour: 0.1, minutes: 10 } },
  'source-silence': { hours: 1.5, params: { start_hour: 0.5, minutes: 30 } },
  'threat-intel-contact': { hours: 1, params: { start_hour: 0.1, minutes: 5 } },
  'long-session': { hours: 2.5, params: { start_hour: 0.1, minutes: 120 } },
};

const ts = (iso: string) => `TIMESTAMP '${iso.replace('T', ' ').replace('Z', '')}'`;

/** The attack's own flows: from its source to its destination, inside its window. */
function own(a: GroundTruthAttack): string {
  const e = a.entities;
  return [
    // Legacy nfdump prints whole seconds: the first record may start just before the window.
    `start_time >= ${ts(a.window.start)} - INTERVAL 1 SECOND`,
    `start_time < ${ts(a.window.end)}`,
    e.src_ip === null ? 'TRUE' : `src_ip = '${e.src_ip}'`,
    e.dst_ip === null ? 'TRUE' : `dst_ip = '${e.dst_ip}'`,
    e.dst_port === null ? 'TRUE' : `dst_port = ${e.dst_port}`,
  ].join(' AND ');
}

describe.each(ATTACK_IDS)('Attack scenario: %s alone', (id) => {
  let attack: GroundTruthAttack;
  let db: DuckDBConnection;
  let flows: string;
  const one = async (sql: string): Promise<number> => {
    const rows = (await db.runAndReadAll(sql)).getRows();
    return Number(rows[0]?.[0] ?? 0);
  };

  beforeAll(async () => {
    const scenario = SCENARIOS[id];
    if (scenario === undefined) throw new Error(`no scenario for attack ${id}; add one`);
    const out = tempDir();
    const lake = tempDir();
    await generateHospital({
      out,
      profile: 'clinic',
      hosts: 60,
      seed: 7,
      threads: 1,
      hours: scenario.hours,
      attacks: [{ id, params: scenario.params }],
    });
    const config = await loadConfigFile(join(out, 'wardflow.yaml'));
    const summary = await ingestPaths([out], lake, config ?? DEFAULT_CONFIG);
    expect(summary.records_quarantined).toBe(0);
    const truth = JSON.parse(readFileSync(join(out, 'ground-truth.json'), 'utf8')) as GroundTruth;
    attack = truth.attacks[0] as GroundTruthAttack;
    db = await (await DuckDBInstance.create(':memory:')).connect();
    flows = `read_parquet('${lake}/flows/**/*.parquet', hive_partitioning = true)`;
  });

  it('produces the flows its ground-truth entry describes', async () => {
    const p = attack.params;
    const e = attack.entities;
    const where = own(attack);
    const zeekOnly = `${where} AND source_type = 'zeek'`;
    switch (attack.scenario) {
      case 'exfil-slow':
      case 'exfil-fast': {
        const sent = await one(`SELECT sum(bytes_out) FROM ${flows} WHERE ${zeekOnly}`);
        expect(sent).toBeGreaterThan(Number(p.total_mb) * 1e6 * 0.8);
        break;
      }
      case 'scan-horizontal': {
        const hosts = await one(`SELECT count(DISTINCT dst_ip) FROM ${flows} WHERE ${where}`);
        expect(hosts).toBeGreaterThanOrEqual(Number(p.targets) / 2);
        // Probes carry no payload: a SYN (and retries), nothing else.
        const failed = await one(
          `SELECT avg(CASE WHEN bytes_out <= 3 * 52 THEN 1 ELSE 0 END) FROM ${flows} WHERE ${where}`,
        );
        expect(failed).toBeGreaterThan(0.9);
        break;
      }
      case 'scan-vertical': {
        const ports = await one(
          `SELECT count(DISTINCT dst_port) FROM ${flows} WHERE ${zeekOnly.replace(/dst_port = \d+ AND /, '')}`,
        );
        expect(ports).toBe(Number(p.ports));
        break;
      }
      case 'lateral-smb':
      case 'lateral-winrm':
      case 'lateral-rdp': {
        const hosts = await one(
          `SELECT count(DISTINCT dst_ip) FROM ${flows} WHERE ${where} AND bytes_out > 1000`,
        );
        expect(hosts).toBeGreaterThanOrEqual(5);
        break;
      }
      case 'beaconing': {
        const rows = (
          await db.runAndReadAll(
            `SELECT epoch_ms(start_time) FROM ${flows} WHERE ${where} AND source_type = 'nfdump' ORDER BY 1`,
          )
        ).getRows();
        const starts = rows.map((r) => Number(r[0]));
        expect(starts.length).toBeGreaterThanOrEqual(Number(p.minutes) - 2);
        const gaps = starts.slice(1).map((t, i) => t - (starts[i] as number));
        const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
        expect(Math.abs(mean - Number(p.interval_s) * 1000)).toBeLessThan(3000);
        // Jitter: the gaps vary (legacy nfdump prints whole seconds), within ~±2 × jitter.
        expect(new Set(gaps).size).toBeGreaterThan(3);
        expect(Math.max(...gaps)).toBeLessThan(
          Number(p.interval_s) * 1000 * (1 + 2.5 * Number(p.jitter)),
        );
        break;
      }
      case 'brute-force-ssh':
      case 'brute-force-rdp': {
        const n = await one(`SELECT count(*) FROM ${flows} WHERE ${zeekOnly}`);
        expect(n).toBe(Number(p.attempts_per_minute) * Number(p.minutes));
        const longest = await one(
          `SELECT max(epoch_ms(end_time) - epoch_ms(start_time)) FROM ${flows} WHERE ${zeekOnly}`,
        );
        expect(longest).toBeLessThan(5000);
        break;
      }
      case 'guest-to-ehr':
      case 'hl7-egress': {
        const n = await one(`SELECT count(*) FROM ${flows} WHERE ${zeekOnly}`);
        expect(n).toBe(Number(p.connections));
        break;
      }
      case 'device-new-external':
      case 'threat-intel-contact': {
        const n = await one(`SELECT count(*) FROM ${flows} WHERE ${where}`);
        expect(n).toBe(Number(p.connections));
        break;
      }
      case 'long-session': {
        // NetFlow exports it every 300 s; the pieces of one source port cover the whole session.
        const span = await one(
          `SELECT max(epoch_ms(end_time)) - min(epoch_ms(start_time)) FROM ${flows} WHERE src_ip = '${e.src_ip}' AND dst_ip = '${e.dst_ip}' GROUP BY src_port ORDER BY 1 DESC LIMIT 1`,
        );
        expect(span).toBeGreaterThanOrEqual(Number(p.minutes) * 60_000 - 1000);
        break;
      }
      case 'source-silence': {
        const from = `raw_ref LIKE '%${e.source}/%'`;
        const inside = await one(
          `SELECT count(*) FROM ${flows} WHERE ${from} AND end_time >= ${ts(attack.window.start)} AND end_time < ${ts(attack.window.end)}`,
        );
        const before = await one(
          `SELECT count(*) FROM ${flows} WHERE ${from} AND end_time < ${ts(attack.window.start)}`,
        );
        const after = await one(
          `SELECT count(*) FROM ${flows} WHERE ${from} AND end_time >= ${ts(attack.window.end)}`,
        );
        expect(inside).toBe(0);
        expect(before).toBeGreaterThan(0);
        expect(after).toBeGreaterThan(0);
        break;
      }
      default:
        throw new Error(`no assertion for attack ${attack.scenario}; add one`);
    }
  });
});
