import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../../functions/shared/config.js';
import { ZoneResolver } from '../../../../functions/shared/enrich/zones.js';
import {
  type InputObject,
  ingestObject,
} from '../../../../functions/shared/ingest/ingest-object.js';
import { LocalLakeStore } from '../../../../functions/shared/lake/local-lake-store.js';
import { splitVpcLine } from '../../../../functions/shared/parsers/vpc-flow-log.js';
import { useTempDirs } from '../../../helpers/temp-dir.js';

const FIXTURES = join(import.meta.dirname, '../../../fixtures/parsers/vpc');
const tempDir = useTempDirs();

const HEADER =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';

/** 2026-11-29T10:00:00Z in Unix seconds. */
const T = 1795946400;

function vpcLine(i: number, start = T): string {
  return `2 123456789012 eni-0abc 10.0.0.${1 + (i % 200)} 203.0.113.${1 + (i % 50)} ${40000 + i} 443 6 ${i + 1} ${(i + 1) * 100} ${start + i} ${start + i + 60} ACCEPT OK`;
}

function bytesInput(ref: string, bytes: Uint8Array): InputObject {
  return {
    ref,
    identity: `test://${ref}`,
    defaultSensor: 'test',
    open: async function* () {
      // Small chunks, so line and gzip boundaries fall inside chunks.
      for (let i = 0; i < bytes.length; i += 97) yield bytes.subarray(i, i + 97);
    },
  };
}

function settings(lake: string) {
  return {
    store: new LocalLakeStore(lake),
    zones: new ZoneResolver(DEFAULT_CONFIG),
    timezone: 'UTC',
    segmentLines: 7,
  };
}

function lakeDigest(lake: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else
        out[relative(lake, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(lake);
  return out;
}

async function queryLake(lake: string, sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const glob = join(lake, 'flows/**/*.parquet').replaceAll("'", "''");
  const reader = await connection.runAndReadAll(
    sql.replace('FLOWS', `read_parquet('${glob}', hive_partitioning = true)`),
  );
  const rows = reader.getRowObjectsJson() as Record<string, unknown>[];
  connection.closeSync();
  return rows;
}

describe('Ingest: one object into the lake', () => {
  it('writes every flow, partitioned by the UTC hour of its start', async () => {
    // Prepare: 30 flows spanning two hours.
    const lake = tempDir();
    const text = [HEADER, ...Array.from({ length: 30 }, (_, i) => vpcLine(i, T + 3600 - 15))].join(
      '\n',
    );

    // Act
    const result = await ingestObject(
      bytesInput('a.log', new TextEncoder().encode(text)),
      settings(lake),
    );

    // Assess
    expect(result).toMatchObject({
      kind: 'ingested',
      records_in: 30,
      records_written: 30,
      records_quarantined: 0,
    });
    const rows = await queryLake(
      lake,
      'SELECT dt, hr, source_type, count(*) AS n FROM FLOWS GROUP BY ALL ORDER BY hr',
    );
    expect(rows).toEqual([
      { dt: '2026-11-29', hr: '10', source_type: 'vpc', n: '15' },
      { dt: '2026-11-29', hr: '11', source_type: 'vpc', n: '15' },
    ]);
  });

  it('keeps the normalized columns readable by DuckDB', async () => {
    // Prepare
    const lake = tempDir();
    const text = `${HEADER}\n${vpcLine(0)}\n`;

    // Act
    await ingestObject(bytesInput('one.log', new TextEncoder().encode(text)), settings(lake));

    // Assess
    const [row] = await queryLake(
      lake,
      "SELECT strftime(start_time, '%Y-%m-%dT%H:%M:%S') AS start, src_ip, dst_ip, src_port, dst_port, protocol, bytes_out, bytes_in, action, direction, src_zone, dst_zone, sensor, raw_ref, community_id FROM FLOWS",
    );
    expect(row).toMatchObject({
      start: '2026-11-29T10:00:00',
      src_ip: '10.0.0.1',
      dst_ip: '203.0.113.1',
      src_port: 40000,
      dst_port: 443,
      protocol: 6,
      bytes_out: '100',
      bytes_in: null,
      action: 'accept',
      direction: 'outbound',
      src_zone: 'unzoned',
      dst_zone: 'external',
      sensor: '123456789012/eni-0abc',
      raw_ref: 'one.log:2',
    });
    expect(row?.community_id).toMatch(/^1:[A-Za-z0-9+/]{27}=$/);
  });

  it('quarantines bad records with their reason and raw_ref, and goes on', async () => {
    // Prepare
    const lake = tempDir();
    const input = readFileSync(join(FIXTURES, 'malformed-records.log'));

    // Act
    const result = await ingestObject(bytesInput('bad.log', input), settings(lake));

    // Assess
    expect(result).toMatchObject({
      records_in: 10,
      records_written: 2,
      records_quarantined: 8,
      records_skipped: 0,
    });
    const quarantine = readdirSync(join(lake, 'quarantine/source_type=vpc'));
    expect(quarantine).toHaveLength(1);
    const entries = readFileSync(
      join(lake, 'quarantine/source_type=vpc', quarantine[0] as string),
      'utf8',
    )
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(entries[1]).toEqual({
      raw_ref: 'bad.log:4',
      reason: 'srcport: expected a port 0–65535, got "https"',
      line: '2 123456789010 eni-1235b8ca123456789 10.1.2.3 10.1.2.4 https 51000 6 10 840 1764410400 1764410460 ACCEPT OK',
    });
  });

  it('counts NODATA and SKIPDATA as skipped, never as flows', async () => {
    const lake = tempDir();
    const result = await ingestObject(
      bytesInput('samples.log', readFileSync(join(FIXTURES, 'aws-default-samples.log'))),
      settings(lake),
    );
    expect(result).toMatchObject({
      records_in: 7,
      records_written: 5,
      records_skipped: 2,
      records_quarantined: 0,
    });
  });

  it('produces the same lake when the same object is ingested twice', async () => {
    // Prepare
    const lake = tempDir();
    const text = [HEADER, ...Array.from({ length: 50 }, (_, i) => vpcLine(i))].join('\n');
    const bytes = gzipSync(text);

    // Act
    await ingestObject(bytesInput('twice.log.gz', bytes), settings(lake));
    const first = lakeDigest(lake);
    await ingestObject(bytesInput('twice.log.gz', bytes), settings(lake));

    // Assess
    expect(lakeDigest(lake)).toEqual(first);
    expect(Object.keys(first).filter((p) => p.endsWith('.parquet'))).toHaveLength(1);
  });

  it('removes partition files that a re-ingest no longer produces', async () => {
    // Prepare: the object first spans two hours, then (corrected upstream) only one.
    const lake = tempDir();
    const before = [HEADER, vpcLine(0, T), vpcLine(1, T + 3600)].join('\n');
    const after = [HEADER, vpcLine(0, T)].join('\n');

    // Act
    await ingestObject(bytesInput('moving.log', new TextEncoder().encode(before)), settings(lake));
    await ingestObject(bytesInput('moving.log', new TextEncoder().encode(after)), settings(lake));

    // Assess
    const parquet = Object.keys(lakeDigest(lake)).filter((p) => p.endsWith('.parquet'));
    expect(parquet).toEqual([
      expect.stringMatching(/^flows\/source_type=vpc\/dt=2026-11-29\/hr=10\//),
    ]);
  });

  it('keeps every record before a gzip break and reports the error', async () => {
    // Prepare: cut a gzip of 200 lines in the middle of its deflate stream.
    const lake = tempDir();
    const text = [HEADER, ...Array.from({ length: 200 }, (_, i) => vpcLine(i))].join('\n');
    const whole = gzipSync(text);
    const cut = whole.subarray(0, Math.floor(whole.length * 0.6));

    // Act
    const result = await ingestObject(bytesInput('cut.log.gz', cut), settings(lake));

    // Assess
    if (result.kind !== 'ingested') throw new Error('expected an ingested object');
    expect(result.error).toMatch(/^gzip input breaks off after line \d+/);
    expect(result.records_written).toBeGreaterThan(50);
    expect(result.records_written).toBeLessThan(200);
    expect(result.records_in).toBe(
      result.records_written + result.records_quarantined + result.records_skipped,
    );
    const [{ n }] = (await queryLake(lake, 'SELECT count(*) AS n FROM FLOWS')) as [{ n: string }];
    expect(Number(n)).toBe(result.records_written);
  });

  it('skips an empty object with a reason', async () => {
    const result = await ingestObject(
      bytesInput('empty.log', new Uint8Array(0)),
      settings(tempDir()),
    );
    expect(result).toEqual({ kind: 'skipped', path: 'empty.log', reason: 'empty input' });
  });

  it('skips a file that is not a flow export, without guessing', async () => {
    const result = await ingestObject(
      bytesInput('README.md', new TextEncoder().encode('# Notes\n\nThis folder holds captures.\n')),
      settings(tempDir()),
    );
    expect(result).toMatchObject({
      kind: 'skipped',
      reason: expect.stringMatching(/^not a recognised flow export/),
    });
  });

  it('reads VPC flow logs delivered as Parquet into the same records as the text delivery', async () => {
    // Prepare: the AWS samples as a Parquet object with AWS's column names and types.
    const dir = tempDir();
    const textLake = join(dir, 'text');
    const parquetLake = join(dir, 'parquet');
    const textPath = join(FIXTURES, 'custom-v3-tcp-flags.log');
    const parquetPath = join(dir, 'flows.parquet');
    await writeAwsStyleParquet(readFileSync(textPath, 'utf8'), parquetPath);

    // Act
    const fromText = await ingestObject(
      bytesInput('v3.log', readFileSync(textPath)),
      settings(textLake),
    );
    const fromParquet = await ingestObject(
      bytesInput('v3.parquet', readFileSync(parquetPath)),
      settings(parquetLake),
    );

    // Assess
    expect(fromParquet).toMatchObject({
      kind: 'ingested',
      variant: 'vpc-parquet',
      records_written: 4,
    });
    expect(fromText).toMatchObject({ records_written: 4 });
    const columns =
      'start_time, src_ip, dst_ip, src_port, dst_port, protocol, bytes_out, packets_out, tcp_flags, sensor, community_id';
    expect(await queryLake(parquetLake, `SELECT ${columns} FROM FLOWS ORDER BY ALL`)).toEqual(
      await queryLake(textLake, `SELECT ${columns} FROM FLOWS ORDER BY ALL`),
    );
  });
});

/** Column types AWS gives VPC fields in Parquet deliveries (flow-formats.md §1.3). */
const AWS_PARQUET_TYPES: Record<string, string> = {
  version: 'INTEGER',
  srcport: 'INTEGER',
  dstport: 'INTEGER',
  protocol: 'INTEGER',
  packets: 'BIGINT',
  bytes: 'BIGINT',
  start: 'BIGINT',
  end: 'BIGINT',
  'tcp-flags': 'INTEGER',
};

/** Writes a VPC text log as AWS's Parquet delivery would: underscore names, typed, GZIP. */
async function writeAwsStyleParquet(text: string, path: string): Promise<void> {
  const [header, ...records] = text.trim().split('\n').map(splitVpcLine);
  const fields = header as string[];
  const literal = (value: string, field: string) => {
    if (value === '-') return 'NULL';
    const type = AWS_PARQUET_TYPES[field];
    return type ? `${Number(value)}::${type}` : `'${value}'`;
  };
  const rows = records.map(
    (r) => `(${r.map((v, i) => literal(v, fields[i] as string)).join(', ')})`,
  );
  const columns = fields.map((f) => `"${f.replaceAll('-', '_')}"`).join(', ');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(
    `COPY (SELECT * FROM (VALUES ${rows.join(', ')}) AS t(${columns})) TO '${path}' (FORMAT parquet, COMPRESSION gzip)`,
  );
  connection.closeSync();
}

describe('Ingest: conservation law', () => {
  it('holds records_in = written + quarantined + skipped for every fixture', async () => {
    for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.log'))) {
      const result = await ingestObject(
        bytesInput(file, readFileSync(join(FIXTURES, file))),
        settings(tempDir()),
      );
      if (result.kind !== 'ingested') continue;
      expect(result.records_in, file).toBe(
        result.records_written + result.records_quarantined + result.records_skipped,
      );
    }
  });
});

describe('Ingest: property', () => {
  const validLines = [
    vpcLine(1),
    vpcLine(2, T + 7200),
    '2 123456789012 eni-0abc - - - - - - - 1795946400 1795946460 - NODATA',
    '2 123456789012 eni-0abc 2001:db8::5 2001:db8::1 443 40000 6 3 180 1795946400 1795946460 REJECT OK',
  ];
  const mutation = fc.oneof(
    fc.constantFrom(...validLines),
    fc.tuple(fc.constantFrom(...validLines), fc.nat(120)).map(([line, cut]) => line.slice(0, cut)),
    fc
      .tuple(fc.constantFrom(...validLines), fc.nat(13), fc.string({ maxLength: 8 }))
      .map(([line, at, text]) => {
        const parts = line.split(' ');
        parts[at] = text;
        return parts.join(' ');
      }),
    fc.tuple(fc.constantFrom(...validLines), fc.nat(13)).map(([line, at]) => {
      const parts = line.split(' ');
      parts.splice(at, 1);
      return parts.join(' ');
    }),
    fc.string({ maxLength: 40 }),
  );

  it('never throws and keeps records_in = written + quarantined + skipped, and the lake agrees', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { maxLength: 40 }), fc.boolean(), async (lines, gzip) => {
        const lake = tempDir();
        const text = `${[HEADER, ...lines].join('\n')}\n`;
        const bytes = gzip ? gzipSync(text) : new TextEncoder().encode(text);
        const result = await ingestObject(bytesInput('prop.log', bytes), settings(lake));
        expect(result.kind).toBe('ingested');
        if (result.kind !== 'ingested') return;
        expect(result.records_in).toBe(
          result.records_written + result.records_quarantined + result.records_skipped,
        );
        expect(result.records_in).toBeLessThanOrEqual(lines.length);
        const written =
          result.records_written === 0
            ? 0
            : Number((await queryLake(lake, 'SELECT count(*) AS n FROM FLOWS'))[0]?.n);
        expect(written).toBe(result.records_written);
      }),
      { numRuns: 40 },
    );
  });
});
