import { describe, expect, it } from 'vitest';
import { normalizeBatch } from '../../../functions/shared/aws/normalize-batch.js';
import type { CreatedObject } from '../../../functions/shared/aws/object-notification.js';
import type { IngestedObject } from '../../../functions/shared/ingest/ingest-object.js';

const silent = { info: () => {}, warn: () => {}, error: () => {} };

function notification(...keys: string[]) {
  return JSON.stringify({
    Records: keys.map((key) => ({
      eventName: 'ObjectCreated:Put',
      s3: { bucket: { name: 'landing' }, object: { key } },
    })),
  });
}

function ingested(object: CreatedObject, sourceType: 'vpc' | 'zeek', n: number): IngestedObject {
  return {
    kind: 'ingested',
    path: `s3://${object.bucket}/${object.key}`,
    source_type: sourceType,
    variant: 'v',
    records_in: n,
    records_written: n - 2,
    records_quarantined: 1,
    records_skipped: 1,
    ignored_fields: [],
    lake_files: [],
    error: null,
  };
}

describe('Normalize: normalizeBatch', () => {
  it('adds up counts per source type and fails only messages with a failed object', async () => {
    // Prepare
    const ingest = async (object: CreatedObject) => {
      if (object.key.includes('bad')) throw new Error('boom');
      if (object.key.includes('readme'))
        return { kind: 'skipped' as const, path: object.key, reason: 'not flows' };
      return ingested(object, object.key.startsWith('vpc') ? 'vpc' : 'zeek', 10);
    };

    // Act
    const result = await normalizeBatch(
      [
        { messageId: 'a', body: notification('vpc/1.log', 'vpc/2.log') },
        { messageId: 'b', body: notification('zeek/1.log', 'zeek/bad.log') },
        { messageId: 'c', body: notification('docs/readme.md') },
        { messageId: 'd', body: '{"Records": "nope"}' },
      ],
      { ingest, logger: silent },
    );

    // Assess
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'b' }, { itemIdentifier: 'd' }]);
    expect(result.bySourceType).toEqual({
      vpc: {
        objects: 2,
        records_in: 20,
        records_written: 16,
        records_quarantined: 2,
        records_skipped: 2,
      },
      zeek: {
        objects: 1,
        records_in: 10,
        records_written: 8,
        records_quarantined: 1,
        records_skipped: 1,
      },
    });
    expect(result.objectsFailed).toBe(2);
    expect(result.objectsSkipped).toBe(1);
  });

  it('defers the messages it has no time left for', async () => {
    // Prepare: 70 s left for the first message, 50 s for the second
    const left = [70_000, 50_000];
    const seen: string[] = [];

    // Act
    const result = await normalizeBatch(
      [
        { messageId: 'a', body: notification('vpc/1.log') },
        { messageId: 'b', body: notification('vpc/2.log') },
      ],
      {
        ingest: async (object) => {
          seen.push(object.key);
          return ingested(object, 'vpc', 1);
        },
        logger: silent,
        remainingMs: () => left.shift() ?? 0,
      },
    );

    // Assess
    expect(seen).toEqual(['vpc/1.log']);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'b' }]);
    expect(result.deferred).toBe(1);
    expect(result.objectsFailed).toBe(0);
  });

  it('logs a failed object with its reference and the error, never as a silent drop', async () => {
    const errors: Record<string, unknown>[] = [];
    await normalizeBatch([{ messageId: 'x', body: notification('zeek/bad.log') }], {
      ingest: async () => {
        throw new TypeError('stream closed');
      },
      logger: { ...silent, error: (_message, extra) => errors.push(extra) },
    });
    expect(errors).toEqual([
      {
        messageId: 'x',
        objectRef: 's3://landing/zeek/bad.log',
        errorName: 'TypeError',
        errorMessage: 'stream closed',
      },
    ]);
  });
});
