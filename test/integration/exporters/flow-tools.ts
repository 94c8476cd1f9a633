import { spawnSync } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The Debian flow tools the exporters test drives, run synchronously with bounded time and
 * output: softflowd reading a pcap, nfdump reading nfcapd files. nfdump prints local times in
 * legacy CSV, so it runs with `TZ=UTC` (the wardflow config says `timezone: UTC`).
 */

/** Debian 12's nfdump (1.7.1), on PATH: the collector and the legacy `-o csv` rendering. */
export const NFDUMP = 'nfdump';

/**
 * Debian 13's nfdump (1.7.5), which install.sh unpacks into the cache: the renderings nfdump has
 * since 1.7.5 (`-o csv` with camelCase tokens, `-o csv:%tok,…`, `-o csv-fast`).
 */
export const NFDUMP_DEBIAN_13 = join(
  process.env.WARDFLOW_CACHE ?? join(homedir(), '.cache', 'wardflow'),
  'nfdump-debian13',
  'usr',
  'bin',
  'nfdump',
);

const TIMEOUT_MS = 60_000;
const MAX_OUTPUT = 64 * 1024 * 1024;

/** What one tool run printed. */
export interface ToolRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number | null;
}

/** Runs a tool; throws when it cannot be started or runs past the time limit. */
export function runTool(command: string, args: readonly string[]): ToolRun {
  const child = spawnSync(command, args, {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
    maxBuffer: MAX_OUTPUT,
    timeout: TIMEOUT_MS,
    killSignal: 'SIGKILL',
  });
  if (child.error) throw new Error(`${command} ${args.join(' ')}: ${child.error.message}`);
  return { stdout: child.stdout, stderr: child.stderr, status: child.status };
}

/**
 * Exports the flows of a pcap with `softflowd -r <pcap> -n 127.0.0.1:<port> -v <version> -A milli`
 * and returns how many flow records softflowd says it sent.
 *
 * - `-A milli`: absolute flowStart/EndMilliseconds. Without it softflowd sends times relative to
 *   its own start (wall clock), so the past times of a pcap go negative and wrap around 2^32 ms
 *   (49.7 days); with `-a` the first flow of the pcap gets uptime 0, which nfdump prints as 1970.
 * - No `-c`: `-r` turns the control socket off, and a `-c` after it turns it back on, which makes
 *   softflowd 1.1.0 block in accept() forever instead of reading the file.
 * - softflowd exports every flow still in its table at the end of the file ("flushed").
 *
 * @throws Error with softflowd's output when it fails or prints no export count
 */
export function exportWithSoftflowd(pcap: string, port: number, version: 9 | 10): number {
  const args = ['-r', pcap, '-n', `127.0.0.1:${port}`, '-v', String(version), '-A', 'milli'];
  const run = runTool('softflowd', args);
  const output = `${run.stdout}${run.stderr}`;
  const exported = /Flows exported: \d+ \((\d+) records\) in \d+ packets \((\d+) failures\)/.exec(
    output,
  );
  if (run.status !== 0 || exported === null || exported[2] !== '0') {
    throw new Error(`softflowd ${args.join(' ')} exited ${run.status}: ${output}`);
  }
  return Number(exported[1]);
}

/** The flow count nfdump reports for all nfcapd files of a folder (`nfdump -R <dir> -I`). */
export function nfdumpStatFlows(dir: string, nfdump = NFDUMP): number {
  const run = runTool(nfdump, ['-R', dir, '-I']);
  const flows = /^Flows: (\d+)$/m.exec(run.stdout);
  if (run.status !== 0 || flows === null) {
    throw new Error(`nfdump -R ${dir} -I exited ${run.status}: ${run.stdout}${run.stderr}`);
  }
  return Number(flows[1]);
}

/**
 * The flow count of the `Summary` trailer nfdump appends to legacy CSV
 * (`Summary` / `flows,bytes,packets,…` / values).
 */
export function csvSummaryFlows(csv: string): number | undefined {
  const trailer = /^Summary\nflows,bytes,packets,avg_bps,avg_pps,avg_bpp\n(\d+),/m.exec(csv);
  return trailer === null ? undefined : Number(trailer[1]);
}

/**
 * nfdump's version (`nfdump -V` prints e.g. `nfdump: Version: NSEL-NEL1.7.1` or
 * `nfdump: Version: 1.7.5-release Options: …`).
 */
export function nfdumpVersion(nfdump = NFDUMP): readonly [number, number, number] {
  const run = runTool(nfdump, ['-V']);
  const version = /(\d+)\.(\d+)\.(\d+)/.exec(run.stdout + run.stderr);
  if (version === null) throw new Error(`nfdump -V printed no version: ${run.stdout}`);
  return [Number(version[1]), Number(version[2]), Number(version[3])];
}
