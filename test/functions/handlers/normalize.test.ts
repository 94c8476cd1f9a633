import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { parquetMetadata } from 'hyparquet';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createNormalizeHandler } from '../../../functions/normalize/handler.js';
import {
  BUCKET_LAYOUT,
  ENVIRONMENT,
  METRICS,
} from '../../../functions/shared/deployment-contract.js';
import { useTempDirs } from '../../helpers/temp-dir.js';
import { captureMetrics, FakeS3, lambdaContext, metricSum } from './fake-aws.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/ingest');
const LANDING = 'landing-bucket';
const LAKE = 'lake-bucket';
const s3Mock = mockClient(S3Client);
const tempDir = useTempDirs();

interface Expected {
  readonly outcome: {
    readonly records_in: number;
    readonly records_written: number;
    readonly records_quarantined: number;
    readonly records_skipped: number;
  };
}

function expected(name: string): Expected {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.expected.json`), 'utf8')) as Expected;
}

function message(id: string, body: unknown): SQSRecord {
  return {
    messageId: id,
    receiptHandle: `receipt-${id}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 'sender',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:landing',
    awsRegion: 'us-east-1',
  };
}

/** An S3 event notification as S3 writes it: the key URL-encoded. */
function created(key: string, object: { versionId?: string; size?: number } = {}) {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        eventName: 'ObjectCreated:Put',
        s3: {
          bucket: { name: LANDING },
          object: {
            key: encodeURIComponent(key).replaceAll('%2F', '/'),
            size: object.size,
            versionId: object.versionId,
          },
        },
      },
    ],
  };
}

function sqs(...records: SQSRecord[]): SQSEvent {
  return { Records: records };
}

describe('Handler: normalize', () => {
  let fake: FakeS3;
  let metrics: ReturnType<typeof captureMetrics>;
  let configPath: string;

  beforeAll(() => {
    metrics = captureMetrics();
  });
  afterAll(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });
  beforeEach(() => {
    s3Mock.reset();
    fake = new FakeS3(s3Mock);
    vi.mocked(console.log).mockClear();
    configPath = join(tempDir(), 'wardflow.config.json');
    const config = { zones: [{ name: 'ehr-db', cidrs: ['10.10.0.0/24'], tags: ['ephi'] }] };
    // The handler reads the bundled JSON, as the CDK app writes it.
    writeFileSync(configPath, JSON.stringify(config));
  });

  function handler() {
    return createNormalizeHandler({
      env: { [ENVIRONMENT.lakeBucket]: LAKE, [ENVIRONMENT.configFile]: configPath },
      tempDir: tempDir(),
    });
  }

  function land(key: string, fixture: string) {
    return fake.put(LANDING, key, readFileSync(join(FIXTURES, fixture)));
  }

  it('writes Parquet per partition and emits counts that add up, per source type', async () => {
    // Prepare
    const key = 'AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/29/flows.log.gz';
    const { VersionId } = land(key, 'vpc-default.log.gz');
    const want = expected('vpc-default.log.gz').outcome;

    // Act
    const response = await handler()(
      sqs(message('m1', created(key, { versionId: VersionId }))),
      lambdaContext(),
    );

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    const parquet = fake.keys(LAKE, BUCKET_LAYOUT.flows);
    expect(parquet.length).toBeGreaterThan(0);
    for (const file of parquet) {
      expect(file).toMatch(
        /^flows\/source_type=vpc\/dt=\d{4}-\d{2}-\d{2}\/hr=\d{2}\/part-[0-9a-f]{20}\.parquet$/,
      );
    }
    const rows = parquet.reduce((sum, file) => {
      const bytes = fake.objects.get(`${LAKE}/${file}`)?.body as Buffer;
      const buffer = new Uint8Array(bytes).buffer;
      return sum + Number(parquetMetadata(buffer).num_rows);
    }, 0);
    expect(rows).toBe(want.records_written);
    expect(fake.keys(LAKE, BUCKET_LAYOUT.manifests)).toHaveLength(1);
    const emitted = metrics.emitted();
    const vpc = { [METRICS.sourceTypeDimension]: 'vpc' };
    expect(metricSum(emitted, METRICS.recordsIn, vpc)).toBe(want.records_in);
    expect(metricSum(emitted, METRICS.recordsWritten, vpc)).toBe(want.records_written);
    expect(metricSum(emitted, METRICS.recordsQuarantined, vpc)).toBe(want.records_quarantined);
    expect(metricSum(emitted, METRICS.recordsSkipped, vpc)).toBe(want.records_skipped);
    expect(
      metricSum(emitted, METRICS.recordsWritten, vpc) +
        metricSum(emitted, METRICS.recordsQuarantined, vpc) +
        metricSum(emitted, METRICS.recordsSkipped, vpc),
    ).toBe(metricSum(emitted, METRICS.recordsIn, vpc));
    expect(metricSum(emitted, METRICS.objectsFailed)).toBe(0);
    expect(emitted.every((m) => m.namespace === METRICS.namespace)).toBe(true);
  });

  it('reports only the bad message of a batch as failed and ingests the rest', async () => {
    // Prepare: one good object, one that is gone, one unreadable message, one good Zeek log.
    const good = 'onprem/clinic-a/zeek/conn.log';
    land(good, 'zeek-conn.log');
    const vpc = 'AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/29/a.log.gz';
    land(vpc, 'vpc-default.log.gz');

    // Act
    const response = await handler()(
      sqs(
        message('good-zeek', created(good)),
        message('missing', created('onprem/clinic-a/zeek/gone.log')),
        message('garbage', 'not json'),
        message('good-vpc', created(vpc)),
      ),
      lambdaContext(),
    );

    // Assess
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: 'missing' },
      { itemIdentifier: 'garbage' },
    ]);
    expect(fake.keys(LAKE, 'flows/source_type=zeek/').length).toBeGreaterThan(0);
    expect(fake.keys(LAKE, 'flows/source_type=vpc/').length).toBeGreaterThan(0);
    const emitted = metrics.emitted();
    expect(metricSum(emitted, METRICS.objectsFailed)).toBe(2);
    expect(metricSum(emitted, METRICS.recordsIn, { source_type: 'zeek' })).toBe(
      expected('zeek-conn.log').outcome.records_in,
    );
  });

  it('replaces its own files on a repeated delivery and on the same bytes put again', async () => {
    // Prepare
    const key = 'AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/29/b.log.gz';
    const first = land(key, 'vpc-default.log.gz');
    const run = handler();
    await run(sqs(message('m1', created(key, { versionId: first.VersionId }))), lambdaContext());
    const before = fake.keys(LAKE);
    const bytesBefore = before.map((k) => fake.objects.get(`${LAKE}/${k}`)?.body.length);

    // Act: the same notification again, then the same bytes as a new version of the key.
    await run(
      sqs(message('m1-again', created(key, { versionId: first.VersionId }))),
      lambdaContext(),
    );
    const second = land(key, 'vpc-default.log.gz');
    const response = await run(
      sqs(message('m2', created(key, { versionId: second.VersionId }))),
      lambdaContext(),
    );

    // Assess
    expect(second.VersionId).not.toBe(first.VersionId);
    expect(response.batchItemFailures).toEqual([]);
    expect(fake.keys(LAKE)).toEqual(before);
    expect(fake.keys(LAKE).map((k) => fake.objects.get(`${LAKE}/${k}`)?.body.length)).toEqual(
      bytesBefore,
    );
  });

  it('keeps a different object under the same key as its own input', async () => {
    // Prepare
    const key = 'onprem/clinic-a/zeek/c.log';
    land(key, 'zeek-conn.log');
    const run = handler();
    await run(sqs(message('m1', created(key))), lambdaContext());
    const manifests = fake.keys(LAKE, BUCKET_LAYOUT.manifests);

    // Act: different bytes under the same key (a replaced export)
    fake.put(LANDING, key, readFileSync(join(FIXTURES, 'zeek-conn.log')).subarray(0, -1));
    await run(sqs(message('m2', created(key))), lambdaContext());

    // Assess
    expect(fake.keys(LAKE, BUCKET_LAYOUT.manifests)).toHaveLength(manifests.length + 1);
  });

  it('acknowledges the S3 test event without touching any bucket', async () => {
    // Act
    const response = await handler()(
      sqs(
        message('test', {
          Service: 'Amazon S3',
          Event: 's3:TestEvent',
          Time: '2026-11-29T10:00:00.000Z',
          Bucket: LANDING,
          RequestId: 'r',
          HostId: 'h',
        }),
      ),
      lambdaContext(),
    );

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(s3Mock.calls()).toHaveLength(0);
    expect(metricSum(metrics.emitted(), METRICS.objectsFailed)).toBe(0);
  });

  it('accepts EventBridge Object Created events delivered through SQS', async () => {
    // Prepare
    const key = 'onprem/clinic-b/conn.log';
    land(key, 'zeek-conn.log');

    // Act
    const response = await handler()(
      sqs(
        message('eb', {
          version: '0',
          'detail-type': 'Object Created',
          source: 'aws.s3',
          detail: { bucket: { name: LANDING }, object: { key, size: 10, etag: 'x' } },
        }),
      ),
      lambdaContext(),
    );

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(fake.keys(LAKE, 'flows/source_type=zeek/').length).toBeGreaterThan(0);
  });

  it('fails an oversized object without downloading it', async () => {
    // Act
    const response = await handler()(
      sqs(message('big', created('onprem/x/huge.csv', { size: 10 * 1024 ** 3 }))),
      lambdaContext(),
    );

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'big' }]);
    expect(s3Mock.calls()).toHaveLength(0);
    expect(metricSum(metrics.emitted(), METRICS.objectsFailed)).toBe(1);
  });

  it('leaves messages for redelivery when the invocation runs out of time', async () => {
    // Prepare
    land('onprem/x/conn.log', 'zeek-conn.log');

    // Act: 10 s left, less than the minute the normalizer keeps in reserve
    const response = await handler()(
      sqs(message('late', created('onprem/x/conn.log'))),
      lambdaContext(10_000),
    );

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'late' }]);
    expect(fake.keys(LAKE)).toEqual([]);
  });

  it('fails the whole batch when the lake bucket is not configured', async () => {
    // Prepare
    const run = createNormalizeHandler({ env: { [ENVIRONMENT.configFile]: configPath } });

    // Act + Assess
    await expect(run(sqs(message('m', created('k'))), lambdaContext())).rejects.toThrow(
      /WARDFLOW_LAKE_BUCKET: expected the name of the flow lake bucket/,
    );
  });
});
