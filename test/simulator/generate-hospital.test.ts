import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { ingestPaths } from '../../cli/commands/ingest.js';
import { DEFAULT_CONFIG } from '../../functions/shared/config.js';
import { loadConfigFile } from '../../functions/shared/config-file.js';
import { generateHospital } from '../../simulator/generate-hospital.js';
import type { GroundTruth } from '../../simulator/ground-truth.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();

function files(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.set(relative(root, path), readFileSync(path));
    }
  };
  walk(root);
  return out;
}

const SMALL = { profile: 'clinic', hosts: 60, hours: 2, seed: 7, threads: 1 } as const;

describe('Simulator: generateHospital', () => {
  it('writes the same bytes for the same seed, and different bytes for another', async () => {
    // Prepare
    const [a, b, c] = [tempDir(), tempDir(), tempDir()];

    // Act
    await generateHospital({
      ...SMALL,
      out: a,
      attacks: [{ id: 'beaconing', params: { start_hour: 0.1, minutes: 30 } }],
      hours: 1,
    });
    await generateHospital({
      ...SMALL,
      out: b,
      attacks: [{ id: 'beaconing', params: { start_hour: 0.1, minutes: 30 } }],
      hours: 1,
    });
    await generateHospital({
      ...SMALL,
      out: c,
      attacks: [{ id: 'beaconing', params: { start_hour: 0.1, minutes: 30 } }],
      hours: 1,
      seed: 8,
    });

    // Assess
    const fa = files(a);
    expect([...fa.keys()]).toEqual([...files(b).keys()]);
    for (const [path, bytes] of files(b))
      expect(bytes.equals(fa.get(path) as Buffer), path).toBe(true);
    expect(
      files(c)
        .get('ground-truth.json')
        ?.equals(fa.get('ground-truth.json') as Buffer),
    ).toBe(false);
  });

  it('writes the same bytes whatever the number of worker threads', async () => {
    // Prepare
    const [one, three] = [tempDir(), tempDir()];
    const options = {
      ...SMALL,
      hours: 1,
      attacks: [{ id: 'source-silence', params: { start_hour: 0.25, minutes: 15 } }],
    };

    // Act
    const a = await generateHospital({ ...options, out: one, threads: 1 });
    const b = await generateHospital({ ...options, out: three, threads: 3 });

    // Assess
    const fa = files(one);
    expect([...files(three).keys()]).toEqual([...fa.keys()]);
    for (const [path, bytes] of files(three))
      expect(bytes.equals(fa.get(path) as Buffer), path).toBe(true);
    expect(b.records).toBe(a.records);
    expect(b.files).toBe(a.files);
  });

  it('rejects an unknown attack and a window outside the run', async () => {
    await expect(generateHospital({ ...SMALL, out: tempDir(), attacks: ['nope'] })).rejects.toThrow(
      /unknown attack "nope"/,
    );
    await expect(
      generateHospital({ ...SMALL, out: tempDir(), attacks: ['exfil-slow'] }),
    ).rejects.toThrow(/does not fit/);
  });

  it('ingests with 0 quarantined records from vpc, zeek and nfdump, and every attack entity is in its window', async () => {
    // Prepare: every attack, squeezed into two hours.
    const out = tempDir();
    const lake = tempDir();
    const minutes = 6;
    const ids = [
      'exfil-slow',
      'exfil-fast',
      'scan-horizontal',
      'scan-vertical',
      'lateral-smb',
      'lateral-winrm',
      'lateral-rdp',
      'beaconing',
      'brute-force-ssh',
      'brute-force-rdp',
      'guest-to-ehr',
      'hl7-egress',
      'device-new-external',
      'threat-intel-contact',
      'long-session',
    ];
    const attacks = ids.map((id, i) => ({ id, params: { start_hour: 0.1 + i * 0.1, minutes } }));

    // Act
    await generateHospital({
      ...SMALL,
      out,
      attacks: [...attacks, { id: 'source-silence', params: { start_hour: 1.6, minutes: 20 } }],
    });
    const config = await loadConfigFile(join(out, 'wardflow.yaml'));
    const summary = await ingestPaths([out], lake, config ?? DEFAULT_CONFIG);

    // Assess
    expect(summary.records_quarantined).toBe(0);
    expect(summary.records_written).toBeGreaterThan(0);
    expect(Object.keys(summary.by_source_type).sort()).toEqual(['nfdump', 'vpc', 'zeek']);
    const truth = JSON.parse(readFileSync(join(out, 'ground-truth.json'), 'utf8')) as GroundTruth;
    expect(truth.attacks).toHaveLength(16);
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    for (const attack of truth.attacks) {
      if (attack.scenario === 'source-silence') continue;
      const e = attack.entities;
      const where = [
        `end_time >= TIMESTAMP '${attack.window.start.replace('T', ' ').replace('Z', '')}'`,
        `start_time < TIMESTAMP '${attack.window.end.replace('T', ' ').replace('Z', '')}'`,
        e.src_ip === null ? 'TRUE' : `src_ip = '${e.src_ip}'`,
        e.dst_ip === null ? 'TRUE' : `dst_ip = '${e.dst_ip}'`,
        e.dst_port === null ? 'TRUE' : `dst_port = ${e.dst_port}`,
      ].join(' AND ');
      const reader = await db.runAndReadAll(
        `SELECT count(*)::INTEGER AS n FROM read_parquet('${lake}/flows/**/*.parquet', hive_partitioning = true) WHERE ${where}`,
      );
      expect(reader.getRows()[0]?.[0], attack.id).toBeGreaterThan(0);
    }
  });

  it('leaves the silenced exporter without files during the silence', async () => {
    // Prepare
    const out = tempDir();

    // Act
    await generateHospital({
      ...SMALL,
      out,
      attacks: [
        {
          id: 'source-silence',
          params: { start_hour: 1, minutes: 30, source: 'main-campus/dist-rtr2' },
        },
      ],
    });

    // Assess
    const names = readdirSync(join(out, 'onprem/main-campus/nfdump/dist-rtr2'));
    expect(names).toContain('nfcapd.202611230055.csv.gz');
    expect(names).not.toContain('nfcapd.202611230100.csv.gz');
    expect(names).not.toContain('nfcapd.202611230125.csv.gz');
    expect(names).toContain('nfcapd.202611230130.csv.gz');
  });
});
