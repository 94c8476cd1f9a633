import { parseArgs } from 'node:util';
import { UsageError } from '../../functions/shared/errors.js';
import { ATTACK_IDS } from '../../simulator/attacks/attack-catalog.js';
import { DEFAULT_START, generateHospital } from '../../simulator/generate-hospital.js';
import { PROFILE_NAMES } from '../../simulator/profile.js';
import { SimulatorError } from '../../simulator/simulator-error.js';
import { ExitCode } from '../exit-codes.js';
import { Progress } from '../progress.js';

const HELP = `Usage: wardflow generate --out DIR [options]

Writes a synthetic hybrid hospital network's flow exports (VPC flow logs, Zeek conn logs, nfdump
CSV) with labelled attacks, plus wardflow.yaml and ground-truth.json. Same options, same bytes.

Options:
  --out DIR           output folder (required)
  --profile P         ${PROFILE_NAMES.join('|')} or a profile JSON file (default: clinic)
  --hosts N           total hosts; scales every zone (default: the profile's)
  --days D            whole days to generate (default: 1)
  --start ISO         UTC start on a 5-minute boundary (default: ${DEFAULT_START})
  --attacks A         all, none or a comma list of: ${ATTACK_IDS.join(', ')} (default: all)
  --seed S            integer seed (default: 1)
  --threads N         worker threads writing the outputs; never changes the bytes
                      (default: available cores, at most 4)
  -h, --help          this help`;

/** `wardflow generate`: returns the exit code. */
export async function runGenerate(argv: readonly string[]): Promise<number> {
  const { values } = parseOptions(argv);
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return ExitCode.OK;
  }
  if (values.out === undefined) throw new UsageError('generate: --out DIR is required');
  const attacksText = values.attacks ?? 'all';
  const attacks =
    attacksText === 'all' || attacksText === 'none'
      ? attacksText
      : attacksText
          .split(',')
          .map((a) => a.trim())
          .filter((a) => a !== '');
  const progress = new Progress();
  const summary = await generateHospital({
    out: values.out,
    profile: values.profile ?? 'clinic',
    hosts: integer(values.hosts, '--hosts'),
    days: integer(values.days, '--days'),
    seed: integer(values.seed, '--seed'),
    threads: integer(values.threads, '--threads'),
    start: values.start,
    attacks,
    onProgress: (done, total, records) =>
      progress.update(`generating ${done}/${total} five-minute slots, ${records} records`),
  }).catch((error: unknown) => {
    progress.done();
    // Bad profiles, attacks or ranges are usage errors (exit 2), named in the message.
    if (error instanceof SimulatorError)
      throw new UsageError(`generate: ${error.message}`, { cause: error });
    throw error;
  });
  progress.done();
  process.stdout.write(
    `${summary.hosts} hosts, ${summary.connections} connections, ${summary.records} flow records in ${summary.files} files (${(summary.bytes / 1e6).toFixed(1)} MB); ${summary.groundTruth.attacks.length} attack(s) in ${values.out}/ground-truth.json\n`,
  );
  return ExitCode.OK;
}

function integer(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text))
    throw new UsageError(`${flag}: expected a non-negative integer, got ${JSON.stringify(text)}`);
  return Number(text);
}

function parseOptions(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      options: {
        out: { type: 'string' },
        profile: { type: 'string' },
        hosts: { type: 'string' },
        days: { type: 'string' },
        start: { type: 'string' },
        attacks: { type: 'string' },
        seed: { type: 'string' },
        threads: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(`generate: ${error instanceof Error ? error.message : String(error)}`);
  }
}
