import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PlanOptions } from './generation-plan.js';
import type { RenderCounts } from './render-outputs.js';

/** What one worker is asked to do (structured-cloned into the worker). */
export interface OutputWorkerJob {
  readonly options: PlanOptions;
  readonly root: string;
  readonly outputs: readonly string[];
}

/** What a worker reports. */
export type OutputWorkerMessage =
  | {
      readonly kind: 'progress';
      readonly done: number;
      readonly total: number;
      readonly records: number;
    }
  | { readonly kind: 'done'; readonly counts: RenderCounts };

const WORKER_URL = new URL('./output-worker.ts', import.meta.url);

/**
 * The worker's bootstrap. The sources are TypeScript run through tsx; a worker starts without
 * the parent's loaders, so it registers tsx itself before importing the entry.
 */
function bootstrap(): string {
  // The ESM build of `tsx/esm/api`, next to tsx's package.json: `require.resolve` would give
  // the CommonJS build, and `import.meta.resolve` is missing under some test runners.
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const tsx = pathToFileURL(join(dirname(manifest), 'dist/esm/api/index.mjs')).href;
  return `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
}

/**
 * Runs one worker per job and resolves with each job's counts, in job order.
 *
 * @param onProgress called with the slots every worker has finished and the records written
 */
export async function runOutputWorkers(
  jobs: readonly OutputWorkerJob[],
  onProgress?: (done: number, total: number, records: number) => void,
): Promise<RenderCounts[]> {
  const done = jobs.map(() => 0);
  const records = jobs.map(() => 0);
  const code = bootstrap();
  return Promise.all(
    jobs.map(
      (job, i) =>
        new Promise<RenderCounts>((resolve, reject) => {
          const worker = new Worker(code, { eval: true, workerData: job });
          let result: RenderCounts | undefined;
          worker.on('message', (message: OutputWorkerMessage) => {
            if (message.kind === 'done') {
              result = message.counts;
              return;
            }
            done[i] = message.done;
            records[i] = message.records;
            onProgress?.(
              Math.min(...done),
              message.total,
              records.reduce((a, b) => a + b, 0),
            );
          });
          worker.on('error', reject);
          worker.on('exit', (code) => {
            if (result !== undefined) resolve(result);
            else
              reject(new Error(`generate worker ${i} exited with code ${code} before finishing`));
          });
        }),
    ),
  );
}
