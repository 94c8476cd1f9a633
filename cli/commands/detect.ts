import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG, type WardflowConfig } from '../../functions/shared/config.js';
import { loadConfigFile } from '../../functions/shared/config-file.js';
import { loadDetectionCatalog } from '../../functions/shared/detection/detection-catalog.js';
import type { DetectionDefinition } from '../../functions/shared/detection/detection-definition.js';
import { parseDuration } from '../../functions/shared/detection/duration.js';
import type { Finding } from '../../functions/shared/detection/finding.js';
import { writeFindingsToLake } from '../../functions/shared/detection/findings-lake.js';
import { toOcsfDetectionFinding } from '../../functions/shared/detection/ocsf-finding.js';
import {
  type DetectionRunResult,
  dataSpan,
  runDetections,
} from '../../functions/shared/detection/runner.js';
import { parseSeverity, severityRank } from '../../functions/shared/detection/severity.js';
import { DuckDbEngine } from '../../functions/shared/engines/duckdb-engine.js';
import { prepareLocalBaselines } from '../../functions/shared/engines/local-baselines.js';
import { attachLocalFlows } from '../../functions/shared/engines/local-lake-tables.js';
import { UsageError, WardflowError } from '../../functions/shared/errors.js';
import { LocalLakeStore } from '../../functions/shared/lake/local-lake-store.js';
import { ExitCode } from '../exit-codes.js';
import { Progress } from '../progress.js';
import { renderFindingsTable, sortFindings } from '../render-findings.js';
import { DEFAULT_LAKE, ingestPaths } from './ingest.js';

const HELP = `Usage: wardflow detect [--lake DIR | --input <path>...] [options]

Runs the detection catalog (queries/detections/*.sql) over the flow lake, window by window in
event time, and prints the findings.

Options:
  --lake DIR          lake to read (default: ./wardflow-lake)
  --input PATH        ingest these files or folders into a temporary lake first (repeatable)
  --config FILE       wardflow config (zones, policy, thresholds, allowlist, threat intel)
  --from ISO, --to ISO  event-time span (default: the whole span of the data)
  --lag DURATION      leave windows ending within this long of now for a later run, as flow
                      logs arrive late (e.g. 15m; default 0: run every window)
  --format F          table (default), json (one finding per line) or ocsf
  --fail-on SEVERITY  exit 4 when a finding at or above this severity exists
  -h, --help          this help`;

type Format = 'table' | 'json' | 'ocsf';

/** `wardflow detect`: returns the exit code. */
export async function runDetect(argv: readonly string[]): Promise<number> {
  const { values } = parse(argv);
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return ExitCode.OK;
  }
  const format = parseFormat(values.format ?? 'table');
  const failOn =
    values['fail-on'] === undefined
      ? undefined
      : usage(() => parseSeverity(values['fail-on'] as string, '--fail-on'));
  const from = parseTime(values.from, '--from');
  const to = parseTime(values.to, '--to');
  const lagMs =
    values.lag === undefined
      ? undefined
      : usage(() => parseDuration(values.lag as string, '--lag'));
  if (values.input !== undefined && values.lake !== undefined)
    throw new UsageError('detect: give --lake or --input, not both');
  const config: WardflowConfig = values.config
    ? await loadConfigFile(values.config)
    : DEFAULT_CONFIG;
  if (config.threat_intel.files.length > 0) {
    throw new UsageError(
      `threat_intel.files: ${config.threat_intel.files.join(', ')} ${config.threat_intel.files.length === 1 ? 'is' : 'are'} read by the cloud handlers from S3; locally, download the list and name the file`,
    );
  }
  const detections = loadDetectionCatalog();
  let lake = values.lake ?? DEFAULT_LAKE;
  let temporary: string | undefined;
  if (values.input !== undefined) {
    temporary = mkdtempSync(join(tmpdir(), 'wardflow-detect-'));
    lake = temporary;
    const summary = await ingestPaths(values.input, lake, config);
    process.stderr.write(
      `ingested ${summary.records_written} flows from ${summary.files.length} file(s) (${summary.records_quarantined} quarantined, ${summary.skipped_files.length} file(s) skipped)\n`,
    );
  }
  try {
    const notAfter = lagMs === undefined ? undefined : new Date(Date.now() - lagMs);
    const result = await detectInLake(lake, config, detections, from, to, notAfter);
    if (result === null) process.stderr.write('the lake holds no flows\n');
    else if (result.suppressed.length > 0) {
      process.stderr.write(`${result.suppressed.length} finding(s) suppressed by the allowlist\n`);
    }
    const findings = result === null ? [] : sortFindings(result.findings);
    process.stdout.write(render(findings, format));
    if (
      failOn !== undefined &&
      findings.some((f) => severityRank(f.severity) >= severityRank(failOn))
    ) {
      return ExitCode.FINDINGS;
    }
    return ExitCode.OK;
  } finally {
    if (temporary !== undefined) rmSync(temporary, { recursive: true, force: true });
  }
}

/**
 * Runs the catalog over a local lake on DuckDB, over `[from, to)` or, by default, the whole span
 * of its data, and stores the findings in the lake's `findings/` and `evidence/` tables. Returns
 * null when the lake holds no flows.
 */
export async function detectInLake(
  lake: string,
  config: WardflowConfig,
  detections: readonly DetectionDefinition[],
  from?: Date,
  to?: Date,
  notAfter?: Date,
): Promise<DetectionRunResult | null> {
  const engine = await DuckDbEngine.open();
  try {
    await attachLocalFlows(engine, lake);
    const span = await dataSpan(engine);
    const start = from ?? span?.start;
    const end = to ?? span?.end;
    if (start === undefined || end === undefined) return null;
    const progress = new Progress();
    progress.update('refreshing baselines');
    await prepareLocalBaselines(engine, lake, config);
    const result = await runDetections({
      engine,
      detections,
      config,
      from: start,
      to: end,
      notAfter,
      onDetection: (d, windows) => progress.update(`detecting ${d.id} over ${windows} window(s)`),
    });
    progress.done();
    await writeFindingsToLake(new LocalLakeStore(lake), result);
    return result;
  } finally {
    await engine.close();
  }
}

function render(findings: readonly Finding[], format: Format): string {
  if (format === 'table') return renderFindingsTable(findings);
  const lines = findings.map((f) =>
    JSON.stringify(format === 'ocsf' ? toOcsfDetectionFinding(f) : f),
  );
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function parse(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: false,
      options: {
        lake: { type: 'string' },
        input: { type: 'string', multiple: true },
        config: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        format: { type: 'string' },
        'fail-on': { type: 'string' },
        lag: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(`detect: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function usage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof WardflowError) throw new UsageError(error.message);
    throw error;
  }
}

function parseFormat(text: string): Format {
  if (text === 'table' || text === 'json' || text === 'ocsf') return text;
  throw new UsageError(`--format: expected table, json or ocsf, got ${JSON.stringify(text)}`);
}

function parseTime(text: string | undefined, what: string): Date | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms))
    throw new UsageError(
      `${what}: expected an ISO 8601 time such as 2026-11-29T10:00:00Z, got ${JSON.stringify(text)}`,
    );
  return new Date(ms);
}
