import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../../functions/shared/config.js';
import { ZoneResolver } from '../../../../functions/shared/enrich/zones.js';
import {
  type InputObject,
  ingestObject,
} from '../../../../functions/shared/ingest/ingest-object.js';
import { LocalLakeStore } from '../../../../functions/shared/lake/local-lake-store.js';
import { useTempDirs } from '../../../helpers/temp-dir.js';

const tempDir = useTempDirs();
const ZEEK = join(import.meta.dirname, '../../../fixtures/parsers/zeek/concatenated-rotated.log');
const HEADER =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
/** 2026-11-29T10:00:00Z in Unix seconds. */
const T = 1795946400;

/** Flows over three hours, with bad, NODATA and blank lines among them. */
function vpcText(lines: number): string {
  const out = [HEADER];
  for (let i = 0; i < lines; i++) {
    if (i % 97 === 5)
      out.push(`2 123456789012 eni-0abc bad-ip 10.0.0.1 1 2 6 1 1 ${T} ${T} ACCEPT OK`);
    else if (i % 101 === 7) out.push(`2 123456789012 eni-0abc - - - - - - - ${T} ${T} - NODATA`);
    else if (i % 89 === 3) out.push('');
    else {
      const start = T + Math.floor((i * 10800) / lines);
      out.push(
        `2 123456789012 eni-0abc 10.0.${i % 7}.${1 + (i % 200)} 203.0.113.${1 + (i % 50)} ${40000 + (i % 999)} 443 6 ${i + 1} ${(i + 1) * 100} ${start} ${start + 60} ${i % 11 === 0 ? 'REJECT' : 'ACCEPT'} OK`,
      );
    }
  }
  return `${out.join('\r\n')}\n`;
}

function bytesInput(ref: string, bytes: Uint8Array): InputObject {
  return {
    ref,
    identity: `test://${ref}`,
    defaultSensor: 'test',
    open: async function* () {
      for (let i = 0; i < bytes.length; i += 4093) yield bytes.subarray(i, i + 4093);
    },
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

/** Ingests `bytes` with `workers` workers into a fresh lake; returns the outcome and the lake. */
async function ingestWith(workers: number, ref: string, bytes: Uint8Array) {
  const lake = tempDir();
  const outcome = await ingestObject(bytesInput(ref, bytes), {
    store: new LocalLakeStore(lake),
    zones: new ZoneResolver(DEFAULT_CONFIG),
    zoneConfig: DEFAULT_CONFIG,
    timezone: 'UTC',
    segmentLines: 300,
    workers,
  });
  return { outcome, digest: lakeDigest(lake) };
}

describe('Ingest: segments in worker threads', () => {
  it('writes the same bytes and counts with 0, 1 and 2 workers', async () => {
    // Prepare
    const bytes = gzipSync(vpcText(5000));

    // Act
    const [none, one, two] = [
      await ingestWith(0, 'w.log.gz', bytes),
      await ingestWith(1, 'w.log.gz', bytes),
      await ingestWith(2, 'w.log.gz', bytes),
    ];

    // Assess
    if (none.outcome.kind !== 'ingested') throw new Error('expected an ingested object');
    expect(none.outcome.records_quarantined).toBeGreaterThan(0);
    expect(none.outcome.records_skipped).toBeGreaterThan(0);
    expect(Object.keys(none.digest).filter((path) => path.endsWith('.parquet'))).toHaveLength(3);
    expect(one).toEqual(none);
    expect(two).toEqual(none);
  }, 60_000);

  it('keeps every record before a gzip break with workers, as without', async () => {
    // Prepare
    const whole = gzipSync(vpcText(5000));
    const cut = whole.subarray(0, Math.floor(whole.length * 0.7));

    // Act
    const none = await ingestWith(0, 'cut.log.gz', cut);
    const two = await ingestWith(2, 'cut.log.gz', cut);

    // Assess
    if (two.outcome.kind !== 'ingested') throw new Error('expected an ingested object');
    expect(two.outcome.error).toMatch(/^gzip input breaks off after line \d+/);
    expect(two.outcome.records_written).toBeGreaterThan(1000);
    expect(two).toEqual(none);
  }, 60_000);

  it('re-reads in one thread an input whose headers change after the first segment', async () => {
    // Prepare: concatenated Zeek logs, each with its own directives, over many segments.
    const one = readFileSync(ZEEK, 'utf8');
    const bytes = new TextEncoder().encode(one.repeat(400));

    // Act
    const none = await ingestWith(0, 'zeek.log', bytes);
    const two = await ingestWith(2, 'zeek.log', bytes);

    // Assess
    if (two.outcome.kind !== 'ingested') throw new Error('expected an ingested object');
    expect(two.outcome.records_written).toBeGreaterThan(400);
    expect(two).toEqual(none);
  }, 60_000);
});
