import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** Repository root, for running the command as a user would. */
export const REPO_ROOT = join(import.meta.dirname, '../..');

/** What one run of the `wardflow` command printed and returned. */
export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `wardflow <args>` through its bin script, in the repository root. */
export function runCli(args: readonly string[]): CliRun {
  const child = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/wardflow.js'), ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}
