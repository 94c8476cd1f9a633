import { BenignServices } from './behaviours/benign-services.js';
import type { Connection } from './connection.js';
import type { GenerationPlan } from './generation-plan.js';
import { OutputWriter } from './output-writer.js';
import { Recorder, SLOT_MS } from './recorder.js';

/** What one {@link renderOutputs} call wrote. */
export interface RenderCounts {
  /** Connections generated (all of them, whichever outputs were rendered). */
  readonly connections: number;
  readonly records: number;
  readonly files: number;
  readonly bytes: number;
}

/**
 * Generates the run's connections slot by slot and writes the files of the given outputs.
 * Every call generates every connection, so the bytes of an output do not depend on which
 * other outputs the same call renders: that is what lets workers split the outputs.
 *
 * @param outputs collector keys and flow log ids to write; null for all
 * @param onSlot called after each slot with the slots done and the records written so far
 */
export async function renderOutputs(
  plan: GenerationPlan,
  root: string,
  outputs: ReadonlySet<string> | null,
  onSlot?: (done: number, total: number, records: number) => void,
): Promise<RenderCounts> {
  const out = new OutputWriter(root);
  const benign = new BenignServices(plan.network, plan.seed, plan.runEnd);
  const recorder = new Recorder(plan.network, out, plan.seed, plan.silences, outputs);
  const emit = (c: Connection) => recorder.record(c);
  const scheduled = plan.scheduled;
  const firstSlot = plan.runStart / SLOT_MS;
  const lastSlot = plan.runEnd / SLOT_MS;
  let next = 0;
  for (let slot = firstSlot; slot < lastSlot; slot++) {
    const slotEnd = (slot + 1) * SLOT_MS;
    benign.generateSlot(slot * SLOT_MS, emit);
    while (next < scheduled.length && (scheduled[next] as Connection).start < slotEnd)
      recorder.record(scheduled[next++] as Connection);
    await recorder.flushSlot(slot);
    onSlot?.(slot - firstSlot + 1, lastSlot - firstSlot, recorder.records);
  }
  await out.drain();
  return {
    connections: recorder.connections,
    records: recorder.records,
    files: out.files,
    bytes: out.bytes,
  };
}
