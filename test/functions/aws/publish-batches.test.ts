import type { PublishBatchRequestEntry } from '@aws-sdk/client-sns';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  batchEntries,
  MAX_BATCH_BYTES,
  MessageTooLargeError,
} from '../../../functions/shared/aws/publish-batches.js';
import { entryBytes } from '../../../functions/shared/aws/sns-finding-message.js';

function entry(id: number, bytes: number): PublishBatchRequestEntry {
  return { Id: `f${id}`, Message: 'x'.repeat(bytes) };
}

describe('Batches: batchEntries', () => {
  it('cuts 23 small entries into requests of 10, 10 and 3', () => {
    const entries = Array.from({ length: 23 }, (_, i) => entry(i, 100));
    expect(batchEntries(entries).map((b) => b.length)).toEqual([10, 10, 3]);
  });

  it('closes a request before the next entry would pass 256 KiB', () => {
    // Prepare: 100 KiB messages, so only two fit in a request
    const entries = Array.from({ length: 5 }, (_, i) => entry(i, 100 * 1024));

    // Act + Assess
    expect(batchEntries(entries).map((b) => b.length)).toEqual([2, 2, 1]);
  });

  it('keeps every request within both limits and every entry in order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 120_000 }), { maxLength: 60 }), (sizes) => {
        const entries = sizes.map((size, i) => entry(i, size));
        const batches = batchEntries(entries);
        for (const batch of batches) {
          expect(batch.length).toBeGreaterThan(0);
          expect(batch.length).toBeLessThanOrEqual(10);
          expect(batch.reduce((sum, e) => sum + entryBytes(e), 0)).toBeLessThanOrEqual(
            MAX_BATCH_BYTES,
          );
        }
        expect(batches.flat().map((e) => e.Id)).toEqual(entries.map((e) => e.Id));
      }),
      { numRuns: 200 },
    );
  });

  it('refuses an entry larger than a whole request', () => {
    expect(batchEntries([entry(1, MAX_BATCH_BYTES)])).toHaveLength(1);
    expect(() => batchEntries([entry(1, MAX_BATCH_BYTES + 1)])).toThrow(MessageTooLargeError);
    expect(() => batchEntries([entry(1, MAX_BATCH_BYTES + 1)])).toThrow(
      'message f1: expected at most 262144 bytes, got 262145',
    );
  });
});
