import { ConfigError, UsageError } from '../functions/shared/errors.js';
import { ExitCode } from './exit-codes.js';

const USAGE = `wardflow — network detection for hybrid hospital infrastructure

Usage:
  wardflow ingest <path>... [--lake DIR] [--config FILE] [--source-type auto|vpc|zeek|nfdump|goflow2] [--json] [--workers N]
  wardflow detect [--lake DIR | --input <path>...] [--config FILE] [--from ISO] [--to ISO]
                  [--format table|json|ocsf] [--fail-on SEVERITY]
  wardflow demo   [--out DIR] [--seed S]
  wardflow reach <ip> [--hops N] [--lake DIR] [--config FILE] [--json]
  wardflow generate --out DIR [--profile clinic|hospital|large] [--hosts N] [--days D] [--attacks all|none|<list>] [--seed S]

Run 'wardflow <command> --help' for a command's options.`;

/** Runs one command line; returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      // Each command is loaded on demand: importing all of them (DuckDB, the AWS SDK, the
      // generator) would cost every invocation about a second of start-up.
      case 'ingest':
        return await (await import('./commands/ingest.js')).runIngest(rest);
      case 'detect':
        return await (await import('./commands/detect.js')).runDetect(rest);
      case 'demo':
        return await (await import('./commands/demo.js')).runDemo(rest);
      case 'reach':
        return await (await import('./commands/reach.js')).runReach(rest);
      case 'generate':
        return await (await import('./commands/generate.js')).runGenerate(rest);
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? ExitCode.USAGE : ExitCode.OK;
      default:
        throw new UsageError(
          `unknown command ${JSON.stringify(command)}; expected one of: ingest, detect, demo, reach, generate`,
        );
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      process.stderr.write(`wardflow: ${error.message}\n`);
      return ExitCode.USAGE;
    }
    process.stderr.write(
      `wardflow: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return ExitCode.FAILURE;
  }
}
