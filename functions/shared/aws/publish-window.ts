import type { PublishBatchRequestEntry } from '@aws-sdk/client-sns';
import type { WardflowConfig } from '../config.js';
import { Allowlist } from '../detection/allowlist.js';
import type { DetectionDefinition } from '../detection/detection-definition.js';
import { writeFindingsToLake } from '../detection/findings-lake.js';
import { prepareDetection, rowsToFindings } from '../detection/window-queries.js';
import type { TimeWindow } from '../detection/windows.js';
import type { SqlRow } from '../engines/query-engine.js';
import { WardflowError } from '../errors.js';
import type { LakeStore } from '../lake/lake-store.js';
import { batchEntries } from './publish-batches.js';
import type { PublishMarkers } from './publish-dedupe.js';
import { type FindingPointer, findingMessage } from './sns-finding-message.js';
import { inputObject, StepInputError, stringField, timeField } from './step-input.js';

/** Input of the publish task: one finished Athena query of one detection window. */
export interface PublishWindowInput {
  readonly detection_id: string;
  readonly window_start: string;
  readonly window_end: string;
  readonly query_execution_id: string;
}

/** What the publish task reports, for the state machine's history. */
export interface PublishWindowOutput {
  readonly detection_id: string;
  readonly window_start: string;
  readonly window_end: string;
  /** Result rows Athena returned. */
  readonly rows: number;
  /** Findings raised (not allowlisted). */
  readonly findings: number;
  /** Findings the allowlist suppressed (stored for the audit trail, never published). */
  readonly suppressed: number;
  /** Findings published to SNS by this run. */
  readonly published: number;
  /** Raised findings an earlier run had published already. */
  readonly deduplicated: number;
}

/** Sends one PublishBatch request; returns the ids of the entries SNS did not accept. */
export type PublishBatchFn = (
  entries: readonly PublishBatchRequestEntry[],
) => Promise<{ readonly failedIds: readonly string[] }>;

/** What publishing a window needs from its surroundings. */
export interface PublishWindowDependencies {
  readonly detections: readonly DetectionDefinition[];
  readonly config: WardflowConfig;
  /** Reads the rows of a finished query. */
  results(queryExecutionId: string): Promise<readonly SqlRow[]>;
  /** The findings bucket, as a lake store (`findings/`, `evidence/`). */
  readonly store: LakeStore;
  readonly markers: PublishMarkers;
  readonly publishBatch: PublishBatchFn;
  /** Where messages point readers to; the query id is the input's. */
  readonly pointer: Omit<FindingPointer, 'queryExecutionId'>;
}

/** Some findings could not be published; their markers were taken back for the retry. */
export class FindingsPublishError extends WardflowError {
  /** Finding ids that were not published. */
  public readonly findingIds: readonly string[];

  public constructor(findingIds: readonly string[], options?: ErrorOptions) {
    super(
      `publishing ${findingIds.length} finding(s) to SNS failed; their markers were removed so a retry publishes them`,
      options,
    );
    this.name = 'FindingsPublishError';
    this.findingIds = findingIds;
  }
}

const TASK = 'publish';

/** Validates the publish task's input. */
export function parsePublishInput(
  raw: unknown,
): PublishWindowInput & { readonly window: TimeWindow } {
  const input = inputObject(raw, TASK);
  const start = timeField(input, 'window_start', TASK);
  const end = timeField(input, 'window_end', TASK);
  if (end <= start) {
    throw new StepInputError(
      `${TASK} input window_end: expected a time after window_start ${start.toISOString()}, got ${end.toISOString()}`,
    );
  }
  return {
    detection_id: stringField(input, 'detection_id', TASK),
    window_start: start.toISOString(),
    window_end: end.toISOString(),
    query_execution_id: stringField(input, 'query_execution_id', TASK),
    window: { start, end },
  };
}

function definitionFor(
  detections: readonly DetectionDefinition[],
  id: string,
  window: TimeWindow,
): DetectionDefinition {
  const definition = detections.find((d) => d.id === id);
  if (definition === undefined) {
    throw new StepInputError(
      `${TASK} input detection_id: expected one of ${detections.map((d) => d.id).join(', ')}, got ${JSON.stringify(id)}`,
    );
  }
  const length = window.end.getTime() - window.start.getTime();
  if (length !== definition.windowMs || window.start.getTime() % definition.windowMs !== 0) {
    // Finding ids hash the window start: a window cut differently would raise the same finding
    // under another id and page the SOC again.
    throw new StepInputError(
      `${TASK} input window: expected an aligned ${definition.windowMs} ms window of ${id}, got ${window.start.toISOString()}..${window.end.toISOString()}`,
    );
  }
  return definition;
}

/**
 * Turns one finished detection query into findings and publishes the new ones: the rows are
 * scored and allowlisted exactly as the local runner does, the window's findings (suppressed
 * ones included) replace its files in the findings bucket, then each raised finding is claimed
 * with a conditional write and only the claims that succeed go to SNS, in PublishBatch requests
 * of at most ten entries and 256 KiB. A finding SNS does not accept has its claim taken back
 * and the task fails, so the state machine's retry publishes exactly what is still missing.
 */
export async function publishWindow(
  raw: unknown,
  deps: PublishWindowDependencies,
): Promise<PublishWindowOutput> {
  const input = parsePublishInput(raw);
  const { window } = input;
  const definition = definitionFor(deps.detections, input.detection_id, window);
  const prepared = prepareDetection(definition, deps.config);
  const rows = await deps.results(input.query_execution_id);
  const found = rowsToFindings(prepared, rows, window, new Allowlist(deps.config.allowlist));
  await writeFindingsToLake(deps.store, {
    findings: found.findings,
    suppressed: found.suppressed,
    queries: 1,
    windows: [{ detection_id: definition.id, window }],
  });

  const pointer = { ...deps.pointer, queryExecutionId: input.query_execution_id };
  // Built before any claim: a message that cannot be built must not leave a claim behind.
  const messages = [...found.findings]
    .sort((a, b) => a.finding_id.localeCompare(b.finding_id))
    .map((finding) => findingMessage(finding, definition.title, pointer));
  batchEntries(messages); // throws for an oversized message, before anything is claimed
  const fresh: PublishBatchRequestEntry[] = [];
  for (const message of messages) {
    if ((await deps.markers.claim(message.Id as string)) === 'new') fresh.push(message);
  }
  const failed: string[] = [];
  let cause: unknown;
  for (const batch of batchEntries(fresh)) {
    try {
      failed.push(...(await deps.publishBatch(batch)).failedIds);
    } catch (error) {
      cause ??= error;
      failed.push(...batch.map((entry) => entry.Id as string));
    }
  }
  if (failed.length > 0) {
    for (const id of failed) await deps.markers.release(id);
    throw new FindingsPublishError(failed, cause === undefined ? undefined : { cause });
  }
  return {
    detection_id: definition.id,
    window_start: input.window_start,
    window_end: input.window_end,
    rows: rows.length,
    findings: found.findings.length,
    suppressed: found.suppressed.length,
    published: fresh.length,
    deduplicated: messages.length - fresh.length,
  };
}
