import type { PublishBatchRequestEntry } from '@aws-sdk/client-sns';
import { WardflowError } from '../errors.js';
import { entryBytes } from './sns-finding-message.js';

/** SNS PublishBatch takes at most ten entries per request. */
export const MAX_BATCH_ENTRIES = 10;

/** SNS caps a PublishBatch request at 256 KiB over all its entries. */
export const MAX_BATCH_BYTES = 262_144;

/** Limits of {@link batchEntries}. */
export interface BatchLimits {
  /** @default 10 */
  readonly maxEntries?: number;
  /** @default 262144 */
  readonly maxBytes?: number;
}

/** One entry alone is larger than a whole request may be. */
export class MessageTooLargeError extends WardflowError {
  public constructor(message: string) {
    super(message);
    this.name = 'MessageTooLargeError';
  }
}

/**
 * Splits entries into PublishBatch requests of at most ten entries and 256 KiB each, keeping
 * their order; a request is closed as soon as the next entry would break either limit.
 *
 * @throws MessageTooLargeError when a single entry exceeds the byte limit
 */
export function batchEntries(
  entries: readonly PublishBatchRequestEntry[],
  limits: BatchLimits = {},
): PublishBatchRequestEntry[][] {
  const maxEntries = limits.maxEntries ?? MAX_BATCH_ENTRIES;
  const maxBytes = limits.maxBytes ?? MAX_BATCH_BYTES;
  const batches: PublishBatchRequestEntry[][] = [];
  let current: PublishBatchRequestEntry[] = [];
  let currentBytes = 0;
  for (const entry of entries) {
    const bytes = entryBytes(entry);
    if (bytes > maxBytes) {
      throw new MessageTooLargeError(
        `message ${entry.Id}: expected at most ${maxBytes} bytes, got ${bytes}`,
      );
    }
    if (current.length === maxEntries || currentBytes + bytes > maxBytes) {
      batches.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(entry);
    currentBytes += bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
