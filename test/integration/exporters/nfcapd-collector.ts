import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * One `nfcapd` (nfdump's NetFlow v5/v9/IPFIX collector) on 127.0.0.1 and a free UDP port,
 * writing nfcapd files into a folder: started with a bounded readiness check, stopped only once
 * it has read every datagram sent to it, so its files hold everything that was exported.
 */

/** How long to wait for the socket to be bound, the queue to drain, or the process to exit. */
const LIMIT_MS = 10_000;
const POLL_MS = 25;
/** Free-port attempts: another process may take the port between probing and binding it. */
const START_ATTEMPTS = 3;

export class NfcapdCollector {
  private output = '';
  private exited = false;

  private constructor(
    /** The UDP port it listens on (127.0.0.1). */
    public readonly port: number,
    /** The folder its nfcapd files go to. */
    public readonly dir: string,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => this.append(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.append(chunk));
    child.on('exit', () => {
      this.exited = true;
    });
    // Not installed (run install.sh) or not executable: report it instead of crashing the run.
    child.on('error', (error) => {
      this.output += `${error.message}\n`;
      this.exited = true;
    });
  }

  /** What nfcapd printed (its startup lines and, once stopped, its flow statistics). */
  public get log(): string {
    return this.output;
  }

  /**
   * Starts `nfcapd -b 127.0.0.1 -p <free port> -w <dir>` in the foreground and waits until its
   * UDP socket is bound.
   *
   * @throws Error naming nfcapd's output when it exits or does not bind within 10 s
   */
  public static async start(dir: string): Promise<NfcapdCollector> {
    let failure = '';
    for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      const port = await freeUdpPort();
      const child = spawn('nfcapd', ['-b', '127.0.0.1', '-p', String(port), '-w', dir], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const collector = new NfcapdCollector(port, dir, child);
      const deadline = Date.now() + LIMIT_MS;
      while (!collector.exited && Date.now() < deadline) {
        if (udpReceiveQueue(port) !== undefined) return collector;
        await sleep(POLL_MS);
      }
      failure = collector.exited
        ? `exited: ${collector.log.trim()}`
        : `did not bind 127.0.0.1:${port} within ${LIMIT_MS} ms`;
      collector.kill();
    }
    throw new Error(`nfcapd ${failure}`);
  }

  /**
   * Waits until nothing is left in the socket's receive queue (everything sent has been read),
   * then stops nfcapd with SIGTERM, which closes and renames its current file, and waits for it
   * to exit. SIGTERM with datagrams still queued loses them: nfcapd leaves its receive loop at
   * once (seen here as a run that stored 158 of 314 flows).
   *
   * @throws Error when the queue does not drain or nfcapd does not exit within 10 s
   */
  public async stop(): Promise<void> {
    const deadline = Date.now() + LIMIT_MS;
    while ((udpReceiveQueue(this.port) ?? 0) > 0) {
      if (Date.now() > deadline || this.exited) {
        throw new Error(`nfcapd on port ${this.port} did not read its queued datagrams`);
      }
      await sleep(POLL_MS);
    }
    if (this.exited) throw new Error(`nfcapd exited before it was stopped: ${this.log.trim()}`);
    const exit = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const stopped = await Promise.race([exit.then(() => true), sleep(LIMIT_MS).then(() => false)]);
    if (!stopped) {
      this.kill();
      throw new Error(`nfcapd on port ${this.port} did not exit within ${LIMIT_MS} ms of SIGTERM`);
    }
  }

  /** Kills the process if it still runs (cleanup after a failure). */
  public kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }

  private append(chunk: Buffer): void {
    // nfcapd says little; bound it anyway.
    if (this.output.length < 64 * 1024) this.output += chunk.toString('utf8');
  }
}

/** A UDP port on 127.0.0.1 that was free a moment ago. */
async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/**
 * Bytes waiting in the receive queue of the UDP socket bound to 127.0.0.1:`port`, from
 * `/proc/net/udp`; `undefined` when no socket is bound there.
 */
export function udpReceiveQueue(port: number): number | undefined {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (const line of readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields[1] !== local) continue;
    const [, rx = ''] = (fields[4] ?? '').split(':');
    return Number.parseInt(rx, 16);
  }
  return undefined;
}
