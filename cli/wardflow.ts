import { ConfigError, UsageError } from '../functions/shared/errors.js';
import { runDemo } from './commands/demo.js';
import { runDetect } from './commands/detect.js';
import { runGenerate } from './commands/generate.js';
import { runIngest } from './commands/ingest.js';
import { runReach } from './commands/reach.js';
import { ExitCode } from './exit-codes.js';

const USAGE = `wardflow — network detection for hybrid hospital infrastructure

Usage:
  wardflow ingest <path>... [--lake DIR] [--config FILE] [--source-type auto|vpc|zeek|nfdump|goflow2] [--json]
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
      case 'ingest':
        return await runIngest(rest);
      case 'detect':
        return await runDetect(rest);
      case 'demo':
        return await runDemo(rest);
      case 'reach':
        return await runReach(rest);
      case 'generate':
        return await runGenerate(rest);
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
