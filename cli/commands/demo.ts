import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { renderDetectionScores, scoreFindings } from '../../evaluation/score-findings.js';
import { loadConfigFile } from '../../functions/shared/config-file.js';
import { loadDetectionCatalog } from '../../functions/shared/detection/detection-catalog.js';
import { UsageError } from '../../functions/shared/errors.js';
import { generateHospital } from '../../simulator/generate-hospital.js';
import type { GroundTruth } from '../../simulator/ground-truth.js';
import { ExitCode } from '../exit-codes.js';
import { Progress } from '../progress.js';
import { renderFindingsTable, sortFindings } from '../render-findings.js';
import { detectInLake } from './detect.js';
import { ingestPaths } from './ingest.js';

const HELP = `Usage: wardflow demo [--out DIR] [--seed S]

Generates a day of a synthetic hybrid clinic network with labelled attacks, ingests it into a
lake, runs every detection, and prints what was found next to what was injected.

Options:
  --out DIR     where exports, lake and findings go (default: ./wardflow-demo)
  --seed S      generator seed (default: 7)
  -h, --help    this help`;

/** `wardflow demo`: returns the exit code. */
export async function runDemo(argv: readonly string[]): Promise<number> {
  const { values } = parse(argv);
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return ExitCode.OK;
  }
  const out = values.out ?? 'wardflow-demo';
  const seed = Number(values.seed ?? 7);
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new UsageError(`--seed: expected a whole number, got ${JSON.stringify(values.seed)}`);
  const exports = join(out, 'exports');
  const lake = join(out, 'lake');
  const log = (text: string) => process.stderr.write(`${text}\n`);

  const progress = new Progress();
  const generated = await generateHospital({
    out: exports,
    profile: 'clinic',
    days: 1,
    seed,
    onProgress: (done, total) =>
      progress.update(`generating the clinic network: ${done}/${total} five-minute slots`),
  });
  progress.done();
  log(
    `1/3 generated ${generated.hosts} hosts, ${generated.records.toLocaleString('en-US')} flow records in ${generated.files} files (${exports})`,
  );

  const config = await loadConfigFile(join(exports, 'wardflow.yaml'));
  const summary = await ingestPaths([exports], lake, config);
  log(
    `2/3 ingested ${summary.records_written.toLocaleString('en-US')} flows, ${summary.records_quarantined} quarantined, ${summary.records_skipped} skipped (${lake})`,
  );

  const detections = loadDetectionCatalog();
  const result = await detectInLake(lake, config, detections);
  const findings = sortFindings(result?.findings ?? []);
  writeFileSync(
    join(out, 'findings.jsonl'),
    findings.map((f) => `${JSON.stringify(f)}\n`).join(''),
  );
  log(
    `3/3 ran ${detections.length} detections (${result?.queries ?? 0} queries): ${findings.length} finding(s), ${result?.suppressed.length ?? 0} suppressed by the allowlist (${join(out, 'findings.jsonl')})\n`,
  );

  const truth = JSON.parse(readFileSync(join(exports, 'ground-truth.json'), 'utf8')) as GroundTruth;
  const evaluation = scoreFindings(
    findings,
    truth,
    detections.map((d) => d.id),
  );
  const lines: string[] = [renderFindingsTable(findings), 'What was injected, and what caught it:'];
  for (const outcome of evaluation.attacks) {
    const mark =
      outcome.missed_by.length === 0
        ? 'HIT   '
        : outcome.caught_by.length > 0
          ? 'PART  '
          : 'MISSED';
    const caught = outcome.caught_by.length > 0 ? `caught by ${outcome.caught_by.join(', ')}` : '';
    const missed = outcome.missed_by.length > 0 ? `missed by ${outcome.missed_by.join(', ')}` : '';
    lines.push(
      `  ${mark} ${outcome.attack.id.padEnd(26)} ${[caught, missed].filter(Boolean).join('; ')}`,
    );
  }
  lines.push(
    '',
    `False alarms (findings matching no injected attack): ${evaluation.false_alarms.length}`,
  );
  for (const f of evaluation.false_alarms.slice(0, 10))
    lines.push(`  ${f.severity.padEnd(8)} ${f.detection_id.padEnd(26)} ${f.title}`);
  if (evaluation.false_alarms.length > 10)
    lines.push(`  … and ${evaluation.false_alarms.length - 10} more in findings.jsonl`);
  lines.push('', renderDetectionScores(evaluation.detections));
  process.stdout.write(`${lines.join('\n')}\n`);
  return ExitCode.OK;
}

function parse(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      options: {
        out: { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(`demo: ${error instanceof Error ? error.message : String(error)}`);
  }
}
