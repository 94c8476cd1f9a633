import type { SourceType } from '../flow-record.js';
import type { IngestedObject, SkippedObject } from '../ingest/ingest-object.js';
import { type CreatedObject, parseObjectNotification } from './object-notification.js';

/** The log calls the batch makes; Powertools' Logger fits. */
export interface BatchLogger {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}

/** One SQS message, as much of it as the batch needs. */
export interface QueueMessage {
  readonly messageId: string;
  readonly body: string;
}

/** What the normalizer needs from its surroundings. */
export interface NormalizeBatchDependencies {
  /** Ingests one created object into the lake. */
  ingest(object: CreatedObject): Promise<IngestedObject | SkippedObject>;
  readonly logger: BatchLogger;
  /**
   * Time left in the invocation, in ms.
   * @default - unlimited
   */
  readonly remainingMs?: () => number;
  /**
   * Messages are not started with less time than this left; they are reported as failed, so
   * SQS delivers them again, instead of being cut off by the function's timeout (which would
   * fail the whole batch).
   * @default 60000
   */
  readonly minRemainingMs?: number;
}

/** The record counts of one source type. */
export interface IngestCounts {
  objects: number;
  records_in: number;
  records_written: number;
  records_quarantined: number;
  records_skipped: number;
}

/** The outcome of one SQS batch. */
export interface NormalizeBatchResult {
  /** Messages to deliver again (SQS partial batch response). */
  readonly batchItemFailures: { readonly itemIdentifier: string }[];
  /** Counts of the objects ingested, per source type. */
  readonly bySourceType: Partial<Record<SourceType, IngestCounts>>;
  /** Objects (or unreadable messages) whose ingest threw. */
  readonly objectsFailed: number;
  /** Objects that are not flow exports, acknowledged and left alone. */
  readonly objectsSkipped: number;
  /** Messages left for a later delivery because the invocation was running out of time. */
  readonly deferred: number;
}

const DEFAULT_MIN_REMAINING_MS = 60_000;

function describeError(error: unknown): Record<string, unknown> {
  return error instanceof Error
    ? { errorName: error.name, errorMessage: error.message }
    : { errorMessage: String(error) };
}

/**
 * Normalizes one SQS batch of landing-bucket notifications, one object at a time (so memory
 * holds one object's stream, whatever the batch size). A message whose object fails to ingest,
 * or that cannot be read, is reported in `batchItemFailures` and the rest of the batch goes on:
 * one bad object never blocks the others. `s3:TestEvent` messages are acknowledged and ignored.
 */
export async function normalizeBatch(
  messages: readonly QueueMessage[],
  deps: NormalizeBatchDependencies,
): Promise<NormalizeBatchResult> {
  const failures: { itemIdentifier: string }[] = [];
  const bySourceType: Partial<Record<SourceType, IngestCounts>> = {};
  let objectsFailed = 0;
  let objectsSkipped = 0;
  let deferred = 0;
  const minRemaining = deps.minRemainingMs ?? DEFAULT_MIN_REMAINING_MS;
  for (const message of messages) {
    const messageId = message.messageId;
    if (deps.remainingMs !== undefined && deps.remainingMs() < minRemaining) {
      deferred++;
      failures.push({ itemIdentifier: messageId });
      continue;
    }
    let notification: ReturnType<typeof parseObjectNotification>;
    try {
      notification = parseObjectNotification(message.body);
    } catch (error) {
      objectsFailed++;
      failures.push({ itemIdentifier: messageId });
      deps.logger.error('unreadable notification', { messageId, ...describeError(error) });
      continue;
    }
    if (notification.kind === 'test-event') {
      deps.logger.info('S3 test event acknowledged', { messageId, bucket: notification.bucket });
      continue;
    }
    if (notification.ignored.length > 0) {
      deps.logger.info('events other than object creation ignored', {
        messageId,
        events: notification.ignored,
      });
    }
    let failed = false;
    for (const object of notification.objects) {
      const objectRef = `s3://${object.bucket}/${object.key}`;
      try {
        const outcome = await deps.ingest(object);
        if (outcome.kind === 'skipped') {
          objectsSkipped++;
          deps.logger.info('not a flow export; skipped', { objectRef, reason: outcome.reason });
          continue;
        }
        const counts = bySourceType[outcome.source_type] ?? {
          objects: 0,
          records_in: 0,
          records_written: 0,
          records_quarantined: 0,
          records_skipped: 0,
        };
        counts.objects++;
        counts.records_in += outcome.records_in;
        counts.records_written += outcome.records_written;
        counts.records_quarantined += outcome.records_quarantined;
        counts.records_skipped += outcome.records_skipped;
        bySourceType[outcome.source_type] = counts;
        const fields = {
          objectRef,
          sourceType: outcome.source_type,
          variant: outcome.variant,
          recordsIn: outcome.records_in,
          recordsWritten: outcome.records_written,
          recordsQuarantined: outcome.records_quarantined,
          recordsSkipped: outcome.records_skipped,
          lakeFiles: outcome.lake_files.length,
        };
        if (outcome.error === null) deps.logger.info('object ingested', fields);
        // A truncated gzip keeps every record before the break; reading it again reads the same.
        else deps.logger.warn('object ingested up to a break', { ...fields, error: outcome.error });
      } catch (error) {
        failed = true;
        objectsFailed++;
        deps.logger.error('object ingest failed', {
          messageId,
          objectRef,
          ...describeError(error),
        });
      }
    }
    if (failed) failures.push({ itemIdentifier: messageId });
  }
  if (deferred > 0) {
    deps.logger.warn('messages left for redelivery: the invocation is running out of time', {
      deferred,
    });
  }
  return { batchItemFailures: failures, bySourceType, objectsFailed, objectsSkipped, deferred };
}
