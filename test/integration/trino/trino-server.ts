import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../free-port.js';

/** Java that Trino 476 runs on (it needs Java 24 or later). */
export const TRINO_JAVA_HOME = process.env.TRINO_JAVA_HOME ?? '/usr/lib/jvm/temurin-25-jdk-amd64';

/** Catalog and schema the tier creates the lake's tables in. */
export const TRINO_CATALOG = 'hive';
export const TRINO_SCHEMA = 'wardflow';

/** A single-node Trino on 127.0.0.1 with a Hive catalog over a local folder. */
export interface TrinoServer {
  /** Coordinator URL, `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Stops the server (its whole process group) and removes its configuration and data. */
  stop(): Promise<void>;
  /** The last lines the server logged, for failure messages. */
  logTail(lines?: number): string;
}

/** Options of {@link startTrino}. */
export interface StartTrinoOptions {
  /** Root of the Hive catalog's local file system: `local:///x` is `<root>/x`. */
  readonly root: string;
  /**
   * Java heap.
   * @default '3G'
   */
  readonly heap?: string;
  /**
   * How long to wait for `/v1/info` to report `"starting": false`.
   * @default 180000
   */
  readonly readyTimeoutMs?: number;
}

/**
 * Installs Trino with `install.sh` (a no-op when the cache holds it) and returns its home. The
 * script downloads from Maven Central only on the first run on a machine.
 */
export function installTrino(): string {
  const script = join(import.meta.dirname, 'install.sh');
  const out = execFileSync('bash', [script], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return out.trim().split('\n').at(-1) as string;
}

function writeConfig(etc: string, data: string, port: number, root: string, heap: string): void {
  mkdirSync(join(etc, 'catalog'), { recursive: true });
  mkdirSync(join(root, 'metastore'), { recursive: true });
  writeFileSync(
    join(etc, 'node.properties'),
    [
      'node.environment=wardflow_it',
      'node.id=wardflow-it',
      `node.data-dir=${data}`,
      'node.bind-ip=127.0.0.1',
      'node.internal-address=127.0.0.1',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(etc, 'jvm.config'),
    [
      '-server',
      `-Xmx${heap}`,
      '-XX:+UseG1GC',
      // C1 only: the tier runs a few hundred short queries once each, where C2's compile time on
      // two shared cores costs more than its faster code saves (65 s against 43 s of CPU for the
      // same 18 detection windows).
      '-XX:TieredStopAtLevel=1',
      '-XX:+ExitOnOutOfMemoryError',
      '-XX:+EnableDynamicAgentLoading',
      '-Djdk.attach.allowAttachSelf=true',
      // Athena's timestamps are UTC wall-clock values; so are the lake's.
      '-Duser.timezone=UTC',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(etc, 'config.properties'),
    [
      'coordinator=true',
      'node-scheduler.include-coordinator=true',
      `http-server.http.port=${port}`,
      `discovery.uri=http://127.0.0.1:${port}`,
      'query.max-memory=1536MB',
      'query.max-memory-per-node=1536MB',
      // Two shared cores: fewer threads than Trino's per-core defaults.
      'task.concurrency=2',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(etc, 'catalog', `${TRINO_CATALOG}.properties`),
    [
      'connector.name=hive',
      'hive.metastore=file',
      'hive.metastore.catalog.dir=local:///metastore',
      'fs.native-local.enabled=true',
      `local.location=${root}`,
      // The lake's tables are external (Athena's); the baseline refresh INSERTs into one.
      'hive.non-managed-table-writes-enabled=true',
      '',
    ].join('\n'),
  );
}

/**
 * Starts Trino single-node on 127.0.0.1 on a free port, with its configuration and data in a
 * fresh temporary folder and a Hive catalog (file metastore, local file system) rooted at
 * `options.root`; waits, bounded, until it reports it has started.
 */
export async function startTrino(home: string, options: StartTrinoOptions): Promise<TrinoServer> {
  const work = mkdtempSync(join(tmpdir(), 'wardflow-trino-'));
  const etc = join(work, 'etc');
  const data = join(work, 'data');
  const port = await freePort();
  writeConfig(etc, data, port, options.root, options.heap ?? '3G');
  const logFile = join(work, 'launcher.log');
  const log = openSync(logFile, 'a');
  const child: ChildProcess = spawn(
    join(home, 'bin', 'launcher'),
    ['run', `--etc-dir=${etc}`, `--data-dir=${data}`],
    {
      env: {
        ...process.env,
        JAVA_HOME: TRINO_JAVA_HOME,
        PATH: `${TRINO_JAVA_HOME}/bin:${process.env.PATH}`,
      },
      // Its own process group, so stop() ends the launcher and the JVM it starts, and nothing else.
      detached: true,
      stdio: ['ignore', log, log],
    },
  );
  let exited: number | null = null;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = code ?? (signal === null ? -1 : 128);
      resolve();
    });
  });
  const url = `http://127.0.0.1:${port}`;
  const logTail = (lines = 40) => {
    const parts = [logFile, join(data, 'var', 'log', 'server.log')]
      .filter((file) => existsSync(file))
      .map((file) => readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n'));
    return parts.join('\n');
  };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (exited === null && child.pid !== undefined) {
      process.kill(-child.pid, 'SIGTERM');
      const timeout = new Promise<'timeout'>((resolve) =>
        setTimeout(() => resolve('timeout'), 20_000).unref(),
      );
      if ((await Promise.race([exit, timeout])) === 'timeout' && exited === null) {
        process.kill(-child.pid, 'SIGKILL');
        await exit;
      }
    }
    rmSync(work, { recursive: true, force: true });
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 180_000);
  try {
    for (;;) {
      if (exited !== null)
        throw new Error(`Trino exited with ${exited} while starting:\n${logTail()}`);
      try {
        const response = await fetch(`${url}/v1/info`);
        if (response.ok && ((await response.json()) as { starting?: boolean }).starting === false)
          break;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline)
        throw new Error(
          `Trino did not start within ${options.readyTimeoutMs ?? 180_000} ms:\n${logTail()}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop, logTail };
}
