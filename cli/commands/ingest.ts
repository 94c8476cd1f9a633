import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG, type WardflowConfig } from '../../functions/shared/config.js';
import { loadConfigFile } from '../../functions/shared/config-file.js';
import { ZoneResolver } from '../../functions/shared/enrich/zones.js';
import { UsageError } from '../../functions/shared/errors.js';
import { SOURCE_TYPES, type SourceType } from '../../functions/shared/flow-record.js';
import { ingestObject } from '../../functions/shared/ingest/ingest-object.js';
import {
  type IngestSummary,
  summarizeIngest,
} from '../../functions/shared/ingest/ingest-summary.js';
import { LocalLakeStore } from '../../functions/shared/lake/local-lake-store.js';
import { ExitCode } from '../exit-codes.js';
import { expandLocalInputs } from '../local-inputs.js';
import { Progress } from '../progress.js';

const HELP = `Usage: wardflow ingest <path>... [options]

Reads flow exports (files, or folders walked recursively; gzip detected from content) and writes
them to the Parquet flow lake: flows/source_type=<t>/dt=<YYYY-MM-DD>/hr=<HH>/<stem>.parquet.

Options:
  --lake DIR          lake folder (default: ./wardflow-lake)
  --config FILE       wardflow config, JSON or YAML (zones, internal networks, time zone)
  --source-type T     auto (default), vpc, zeek, nfdump or goflow2
  --workers N         worker threads that parse and encode segments of each file (default 0:
                      all in this thread; same output for any N)
  --json              print the ingest summary as JSON on stdout
  -h, --help          this help`;

/** Default lake folder when `--lake` is not given. */
export const DEFAULT_LAKE = 'wardflow-lake';

/** `wardflow ingest`: returns the exit code. */
export async function runIngest(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv);
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return ExitCode.OK;
  }
  if (positionals.length === 0)
    throw new UsageError('ingest: expected at least one file or folder');
  const sourceType = parseSourceType(values['source-type']);
  const config: WardflowConfig = values.config
    ? await loadConfigFile(values.config)
    : DEFAULT_CONFIG;
  const lake = values.lake ?? DEFAULT_LAKE;
  const workers = parseWorkers(values.workers);
  const summary = await ingestPaths(positionals, lake, config, sourceType, workers);
  if (values.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else process.stdout.write(renderSummary(summary, lake));
  return summary.files.some((file) => file.error !== null) ? ExitCode.FAILURE : ExitCode.OK;
}

function parseOptions(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        lake: { type: 'string' },
        config: { type: 'string' },
        'source-type': { type: 'string' },
        workers: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(`ingest: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function parseWorkers(value: string | undefined): number {
  if (value === undefined) return 0;
  const workers = Number(value);
  if (/^\d+$/.test(value) && workers <= 64) return workers;
  throw new UsageError(`--workers: expected an integer from 0 to 64, got ${JSON.stringify(value)}`);
}

function parseSourceType(value: string | undefined): SourceType | undefined {
  if (value === undefined || value === 'auto') return undefined;
  if ((SOURCE_TYPES as readonly string[]).includes(value)) return value as SourceType;
  throw new UsageError(
    `--source-type: expected one of auto, ${SOURCE_TYPES.join(', ')}, got ${JSON.stringify(value)}`,
  );
}

/**
 * Ingests files and folders into a local lake; explicit files that are not flows are errors.
 *
 * @param workers worker threads per file (0: everything in this thread); the output is the same
 * for any number. On a 2-core machine shared with other work, workers measured slower than none
 * (they add CPU for a second heap, JIT and GC, and find no idle core), hence the default.
 */
export async function ingestPaths(
  paths: readonly string[],
  lake: string,
  config: WardflowConfig,
  sourceType?: SourceType,
  workers = 0,
): Promise<IngestSummary> {
  const inputs = await expandLocalInputs(paths);
  const store = new LocalLakeStore(lake);
  const zones = new ZoneResolver(config);
  const progress = new Progress();
  const totalBytes = inputs.reduce((sum, input) => sum + input.size, 0);
  let doneBytes = 0;
  const outcomes = [];
  for (const input of inputs) {
    let readBytes = 0;
    const outcome = await ingestObject(input.object, {
      store,
      zones,
      timezone: config.timezone,
      sourceType,
      workers,
      zoneConfig: config,
      onBytes: (bytes) => {
        readBytes += bytes;
        const percent =
          totalBytes === 0 ? 100 : Math.floor(((doneBytes + readBytes) * 100) / totalBytes);
        progress.update(`ingesting ${input.object.ref}  ${percent}%`);
      },
    });
    doneBytes += input.size;
    if (outcome.kind === 'skipped' && input.explicit) {
      progress.done();
      throw new UsageError(`${input.object.ref}: ${outcome.reason}`);
    }
    outcomes.push(outcome);
  }
  progress.done();
  return summarizeIngest(outcomes);
}

/** The human-readable summary: one line per file, totals per source type. */
export function renderSummary(summary: IngestSummary, lake: string): string {
  const lines: string[] = [];
  for (const file of summary.files) {
    const counts = `${file.records_written} written, ${file.records_quarantined} quarantined, ${file.records_skipped} skipped`;
    lines.push(
      `  ${file.path}  [${file.variant}]  ${counts}${file.error ? `  ERROR: ${file.error}` : ''}`,
    );
  }
  for (const skipped of summary.skipped_files)
    lines.push(`  ${skipped.path}  skipped: ${skipped.reason}`);
  lines.push('');
  for (const [type, totals] of Object.entries(summary.by_source_type)) {
    lines.push(
      `  ${type.padEnd(8)} ${totals.files} file(s), ${totals.records_written} flows written`,
    );
  }
  lines.push(
    `records in ${summary.records_in} = written ${summary.records_written} + quarantined ${summary.records_quarantined} + skipped ${summary.records_skipped}; lake: ${lake}`,
  );
  return `${lines.join('\n')}\n`;
}
