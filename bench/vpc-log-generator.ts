import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { createGzip } from 'node:zlib';
import { DEFAULT_V2_HEADER } from '../functions/shared/parsers/vpc-flow-log.js';

/**
 * Writes a gzipped VPC flow log in the default v2 format with `records` flow lines, as AWS
 * delivers them: hosts in a /16 talking to each other and to the Internet over common ports,
 * 1 in 11 rejected, times advancing through the file. Deterministic for a given count.
 */
export async function writeVpcBenchLog(path: string, records: number): Promise<void> {
  const gzip = createGzip({ level: 6 });
  const out = createWriteStream(path);
  gzip.pipe(out);
  gzip.write(`${DEFAULT_V2_HEADER}\n`);
  const ports = [443, 80, 22, 3389, 53, 445, 2575, 104, 5432, 8080];
  const start = 1_795_910_400; // 2026-11-29T00:00:00Z
  let batch: string[] = [];
  for (let i = 0; i < records; i++) {
    const h = (i * 2654435761) >>> 0;
    const src = `10.${20 + (h % 8)}.${(h >>> 3) % 250}.${1 + ((h >>> 11) % 250)}`;
    const dst =
      i % 4 === 0
        ? `203.0.${(h >>> 7) % 200}.${1 + ((h >>> 15) % 250)}`
        : `10.${20 + ((h >>> 5) % 8)}.${(h >>> 9) % 250}.${1 + ((h >>> 17) % 250)}`;
    const t = start + Math.floor(i / 50);
    const protocol = i % 13 === 0 ? 17 : 6;
    batch.push(
      `2 123456789012 eni-0${(h % 4096).toString(16).padStart(16, '0')} ${src} ${dst} ${1024 + (h % 64000)} ${ports[h % ports.length]} ${protocol} ${1 + (h % 90)} ${64 + (h % 150000)} ${t} ${t + 60} ${i % 11 === 0 ? 'REJECT' : 'ACCEPT'} OK`,
    );
    if (batch.length === 10_000) {
      if (!gzip.write(`${batch.join('\n')}\n`)) await once(gzip, 'drain');
      batch = [];
    }
  }
  gzip.end(batch.length > 0 ? `${batch.join('\n')}\n` : '');
  await once(out, 'finish');
}
