import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from '../free-port.js';

/** A moto server this process started on 127.0.0.1. */
export interface MotoServer {
  readonly endpoint: string;
  /** Stops the server (SIGTERM, then SIGKILL) and waits for it to exit. */
  stop(): Promise<void>;
}

/** Options of {@link startMoto}. */
export interface StartMotoOptions {
  /** @default 30000 */
  readonly readyTimeoutMs?: number;
  /** @default 'moto_server' */
  readonly command?: string;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts `moto_server` on 127.0.0.1 and a free port, and waits (bounded) until it answers.
 *
 * @throws Error naming the command and the server's last output when it exits or does not
 * answer in time; the process is stopped before the error is thrown
 */
export async function startMoto(options: StartMotoOptions = {}): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const command = options.command ?? 'moto_server';
  const child = spawn(command, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited(child);
    clearTimeout(timer);
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (spawnError !== undefined || child.exitCode !== null) {
      await stop();
      throw new Error(
        `${command} did not start: ${spawnError?.message ?? `exit code ${child.exitCode}`}\n${output}`,
      );
    }
    try {
      const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return { endpoint, stop };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `${command} did not answer on ${endpoint} within ${options.readyTimeoutMs ?? 30_000} ms\n${output}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
