import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();

function parquetDigests(lake: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.parquet'))
        out[relative(lake, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(lake);
  return out;
}

describe('Command: wardflow ingest', () => {
  it('prints the JSON summary of DESIGN.md for the shipped samples', () => {
    // Act
    const lake = tempDir();
    const run = runCli([
      'ingest',
      'samples',
      '--config',
      'samples/wardflow.yaml',
      '--lake',
      lake,
      '--json',
    ]);

    // Assess
    expect(run.status, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({
      records_in: 60,
      records_written: 59,
      records_quarantined: 0,
      records_skipped: 1,
    });
    expect(summary.files.map((f: { source_type: string }) => f.source_type).sort()).toEqual([
      'goflow2',
      'nfdump',
      'vpc',
      'zeek',
    ]);
    for (const file of summary.files) {
      expect(Object.keys(file)).toEqual(
        expect.arrayContaining([
          'path',
          'source_type',
          'records_in',
          'records_written',
          'records_quarantined',
          'records_skipped',
        ]),
      );
      expect(file.records_in).toBe(
        file.records_written + file.records_quarantined + file.records_skipped,
      );
    }
    expect(summary.skipped_files).toEqual(
      expect.arrayContaining([
        {
          path: 'samples/README.md',
          reason: expect.stringMatching(/^not a recognised flow export/),
        },
        {
          path: 'samples/onprem/main-campus/zeek/dns.10-00-00-10-05-00.log',
          reason: expect.stringMatching(/dns/),
        },
      ]),
    );
  });

  it('leaves the same lake when the same files are ingested twice', () => {
    // Prepare
    const lake = tempDir();
    runCli(['ingest', 'samples', '--lake', lake, '--json']);
    const first = parquetDigests(lake);

    // Act
    const second = runCli(['ingest', 'samples', '--lake', lake, '--json']);

    // Assess
    expect(second.status).toBe(0);
    expect(Object.keys(first)).toHaveLength(4);
    expect(parquetDigests(lake)).toEqual(first);
  });

  it('prints a readable summary per file and per source type', () => {
    const run = runCli(['ingest', 'samples', '--lake', tempDir()]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/\[vpc-v2-default\] {2}31 written, 0 quarantined, 1 skipped/);
    expect(run.stdout).toMatch(/zeek {5}1 file\(s\), 16 flows written/);
    expect(run.stdout).toMatch(/records in 60 = written 59 \+ quarantined 0 \+ skipped 1/);
  });

  it('refuses a file named explicitly that is not a flow export, naming it', () => {
    const run = runCli(['ingest', 'samples/README.md', '--lake', tempDir()]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^wardflow: samples\/README\.md: not a recognised flow export/);
  });

  it('refuses a path that does not exist', () => {
    const run = runCli(['ingest', 'samples/missing.log', '--lake', tempDir()]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('wardflow: samples/missing.log: no such file or folder\n');
  });

  it('names the key path of a configuration error', () => {
    // Prepare
    const dir = tempDir();
    const config = join(dir, 'bad.yaml');
    writeFileSync(config, 'zones:\n  - { name: lab, cidrs: [10.0.0.0/33] }\n');

    // Act
    const run = runCli(['ingest', 'samples', '--config', config, '--lake', join(dir, 'lake')]);

    // Assess
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/zones\[0\]\.cidrs\[0\]/);
  });

  it('rejects an unknown --source-type', () => {
    const run = runCli(['ingest', 'samples', '--source-type', 'netflow', '--lake', tempDir()]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /--source-type: expected one of auto, vpc, zeek, nfdump, goflow2, got "netflow"/,
    );
  });

  it('keeps the records before a gzip break, reports it and exits 1', () => {
    // Prepare
    const dir = tempDir();
    const lines = [
      'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status',
    ];
    for (let i = 0; i < 500; i++) {
      lines.push(
        `2 123456789012 eni-0abc 10.0.${i % 200}.1 10.1.0.${i % 250} ${30000 + i} 443 6 3 180 ${1795946400 + i} ${1795946460 + i} ACCEPT OK`,
      );
    }
    const whole = gzipSync(lines.join('\n'));
    const cut = join(dir, 'cut.log.gz');
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));

    // Act
    const run = runCli(['ingest', cut, '--lake', join(dir, 'lake'), '--json']);

    // Assess
    expect(run.status).toBe(1);
    const [file] = JSON.parse(run.stdout).files;
    expect(file.error).toMatch(/^gzip input breaks off after line \d+/);
    expect(file.records_written).toBeGreaterThan(0);
    expect(file.records_in).toBe(
      file.records_written + file.records_quarantined + file.records_skipped,
    );
  });
});
