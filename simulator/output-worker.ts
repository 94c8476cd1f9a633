import { parentPort, workerData } from 'node:worker_threads';
import { planGeneration } from './generation-plan.js';
import type { OutputWorkerJob, OutputWorkerMessage } from './output-worker-pool.js';
import { renderOutputs } from './render-outputs.js';

/*
 * Worker entry: rebuilds the plan from the same options (deterministic, so identical to the
 * main thread's), then generates every connection and writes only this worker's outputs.
 */
const job = workerData as OutputWorkerJob;
const port = parentPort;
if (port !== null) {
  const plan = planGeneration(job.options);
  const counts = await renderOutputs(plan, job.root, new Set(job.outputs), (done, total, records) =>
    port.postMessage({ kind: 'progress', done, total, records } satisfies OutputWorkerMessage),
  );
  port.postMessage({ kind: 'done', counts } satisfies OutputWorkerMessage);
}
