import { parentPort } from 'node:worker_threads';
import { runSegmentJob, type SegmentJob } from './segment-job.js';

/** The entry of an ingest worker thread (see `segment-pool.ts`). */
parentPort?.on('message', (message: { id: number; job: SegmentJob }) => {
  try {
    const result = runSegmentJob(message.job);
    parentPort?.postMessage(
      { id: message.id, result },
      result.groups.map((g) => g.group.bytes.buffer as ArrayBuffer),
    );
  } catch (error) {
    parentPort?.postMessage({
      id: message.id,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
});
