import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SegmentResult } from './segment-ingest.js';
import type { SegmentJob } from './segment-job.js';

const WORKER_URL = new URL('./segment-worker.ts', import.meta.url);

/**
 * Heap limit of one ingest worker. A worker holds one segment's lines, rows and encoding
 * scratch at a time (about 30 MB for 32,768 VPC lines); without a limit V8 lets each worker's
 * heap grow far beyond that before collecting, which is what pushes a 512 MB Lambda over.
 */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 96 };

/** The worker's bootstrap: registers tsx (workers start without the parent's loaders). */
function bootstrap(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const tsx = pathToFileURL(join(dirname(manifest), 'dist/esm/api/index.mjs')).href;
  return `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
}

interface Pending {
  readonly resolve: (result: SegmentResult) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  busy: boolean;
  /** The job being run. */
  id: number;
}

/**
 * Worker threads that run {@link SegmentJob}s, one at a time each. Idle workers do not keep the
 * process alive; the pool lives as long as the process (a Lambda reuses it across invocations).
 */
export class SegmentWorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: { job: SegmentJob; pending: Pending }[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  public constructor(public readonly size: number) {}

  /** Runs a job on the next free worker; the segment's bytes are transferred, not copied. */
  public run(job: SegmentJob): Promise<SegmentResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job, pending: { resolve, reject } });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.busy);
      if (slot === undefined && this.slots.length < this.size) slot = this.spawn();
      if (slot === undefined) return;
      const next = this.queue.shift() as (typeof this.queue)[number];
      const id = this.nextId++;
      this.pending.set(id, next.pending);
      slot.busy = true;
      slot.worker.ref();
      slot.id = id;
      slot.worker.postMessage({ id, job: next.job }, [next.job.bytes.buffer as ArrayBuffer]);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(bootstrap(), { eval: true, resourceLimits: WORKER_LIMITS });
    const slot: Slot = { worker, busy: false, id: -1 };
    worker.on('message', (message: { id: number; result?: SegmentResult; error?: string }) => {
      const pending = this.pending.get(message.id);
      this.pending.delete(message.id);
      slot.busy = false;
      worker.unref();
      if (message.error !== undefined) pending?.reject(new Error(message.error));
      else pending?.resolve(message.result as SegmentResult);
      this.dispatch();
    });
    const fail = (error: Error) => {
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots.splice(index, 1);
      if (this.pending.has(slot.id)) {
        this.pending.get(slot.id)?.reject(error);
        this.pending.delete(slot.id);
      }
      this.dispatch();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`ingest worker exited with code ${code}`)));
    this.slots.push(slot);
    return slot;
  }
}

const pools = new Map<number, SegmentWorkerPool>();

/** The process's pool of `size` workers, created on first use. */
export function segmentWorkerPool(size: number): SegmentWorkerPool {
  let pool = pools.get(size);
  if (pool === undefined) {
    pool = new SegmentWorkerPool(size);
    pools.set(size, pool);
  }
  return pool;
}
