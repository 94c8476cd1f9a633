/**
 * `npm run eval` — detection quality, measured, printed as it is.
 *
 * 1. The synthetic hospital with all attacks (default profile `hospital`, one day; `--profile
 *    clinic` for a quicker run): per detection id, recall and precision against the ground truth.
 * 2. When `../shared/datasets/real/` exists: the scanners of both scan captures found by the right
 *    scan detection, the RemcosRAT C2 loop found, and the 24-hour normal host's medium-or-higher
 *    findings about its own outbound traffic counted (target ≤ 2).
 *
 * Generated data and lakes are cached under `.eval/` (deterministic by seed).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { detectInLake } from '../cli/commands/detect.js';
import { ingestPaths } from '../cli/commands/ingest.js';
import { DEFAULT_CONFIG, parseConfig } from '../functions/shared/config.js';
import { loadConfigFile } from '../functions/shared/config-file.js';
import { loadDetectionCatalog } from '../functions/shared/detection/detection-catalog.js';
import type { Finding } from '../functions/shared/detection/finding.js';
import { generateHospital } from '../simulator/generate-hospital.js';
import type { GroundTruth } from '../simulator/ground-truth.js';
import { renderDetectionScores, scoreFindings } from './score-findings.js';

const ROOT = join(import.meta.dirname, '..');
const WORK = join(ROOT, '.eval');
const REAL = join(ROOT, '..', 'shared', 'datasets', 'real');

const { values } = parseArgs({
  options: { profile: { type: 'string' }, seed: { type: 'string' } },
});
const profile = values.profile ?? 'hospital';
const seed = Number(values.seed ?? 7);
const detections = loadDetectionCatalog();

async function synthetic(): Promise<void> {
  const base = join(WORK, `${profile}-seed${seed}`);
  const exports = join(base, 'exports');
  const lake = join(base, 'lake');
  if (!existsSync(join(exports, 'ground-truth.json'))) {
    process.stderr.write(`generating one day of the ${profile} profile (seed ${seed})…\n`);
    await generateHospital({ out: exports, profile, days: 1, seed });
  }
  const config = await loadConfigFile(join(exports, 'wardflow.yaml'));
  if (!existsSync(join(lake, 'flows'))) {
    process.stderr.write('ingesting…\n');
    await ingestPaths([exports], lake, config);
  }
  const started = Date.now();
  const result = await detectInLake(lake, config, detections);
  const seconds = (Date.now() - started) / 1000;
  const truth = JSON.parse(readFileSync(join(exports, 'ground-truth.json'), 'utf8')) as GroundTruth;
  const evaluation = scoreFindings(
    result?.findings ?? [],
    truth,
    detections.map((d) => d.id),
  );
  console.log(
    `## Synthetic ${profile} (seed ${seed}, ${truth.generator.hosts} hosts, one day, ${truth.attacks.length} attacks)\n`,
  );
  console.log(
    `detection run: ${seconds.toFixed(1)} s, ${result?.queries ?? 0} queries, ${result?.findings.length ?? 0} findings, ${result?.suppressed.length ?? 0} suppressed by the allowlist\n`,
  );
  console.log(renderDetectionScores(evaluation.detections));
  const short = evaluation.detections.filter(
    (s) => (s.recall !== null && s.recall < 0.95) || (s.precision !== null && s.precision < 0.9),
  );
  console.log(
    short.length === 0
      ? 'targets (recall ≥ 0.95, precision ≥ 0.90): MET for every detection'
      : `targets (recall ≥ 0.95, precision ≥ 0.90) NOT MET for: ${short.map((s) => s.detection_id).join(', ')}`,
  );
  const missing =
    detections.length < 14 ? ` (catalog has ${detections.length} of 14 detections)` : '';
  if (missing) console.log(missing);
  console.log();
}

async function realCapture(folder: string, config = DEFAULT_CONFIG): Promise<readonly Finding[]> {
  const lake = join(WORK, 'real', folder);
  if (!existsSync(join(lake, 'flows'))) await ingestPaths([join(REAL, folder)], lake, config);
  const result = await detectInLake(lake, config, detections);
  return result?.findings ?? [];
}

async function real(): Promise<void> {
  if (!existsSync(REAL)) {
    console.log('## Real captures\n\n../shared/datasets/real/ is not present: skipped.\n');
    return;
  }
  const vertical = await realCapture('zeek-scan-vertical');
  const horizontal = await realCapture('zeek-scan-horizontal');
  const remcos = await realCapture('zeek-remcos-c2');
  const ctu = parseConfig({ network: { internal: ['147.32.0.0/16'] } });
  const normal = await realCapture('zeek-normal-host-24h', ctu);
  const medium = ['medium', 'high', 'critical'];
  const normalOutbound = normal.filter(
    (f) => f.src_ip === '147.32.81.167' && medium.includes(f.severity),
  );
  const rows = [
    [
      'vertical scan 192.168.1.9 found by port-scan-vertical',
      vertical.some((f) => f.detection_id === 'port-scan-vertical' && f.src_ip === '192.168.1.9'),
    ],
    [
      'horizontal scan 10.0.2.112 found by port-scan-horizontal',
      horizontal.some(
        (f) => f.detection_id === 'port-scan-horizontal' && f.src_ip === '10.0.2.112',
      ),
    ],
    [
      'RemcosRAT C2 192.168.1.107 → 66.63.168.35 found',
      remcos.some((f) => f.src_ip === '192.168.1.107' && f.dst_ip === '66.63.168.35'),
    ],
    [
      `normal host: ${normalOutbound.length} medium+ findings about its outbound traffic (target ≤ 2)`,
      normalOutbound.length <= 2,
    ],
  ] as const;
  console.log('## Real captures (../shared/datasets/real)\n');
  console.log('| check | result |\n|---|---|');
  for (const [check, ok] of rows) console.log(`| ${check} | ${ok ? 'yes' : 'NO'} |`);
  for (const f of normalOutbound)
    console.log(`  normal-host finding: ${f.severity} ${f.detection_id} ${f.title}`);
  console.log();
}

await real();
await synthetic();
