import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { vi } from 'vitest';

/** One stored object of the fake bucket. */
export interface FakeObject {
  readonly body: Buffer;
  readonly etag: string;
  readonly versionId: string;
}

async function bytesOf(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

function failure(name: string, status: number): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: status },
    message: name,
  });
}

/**
 * An in-memory S3 behind aws-sdk-client-mock: PutObject (with `If-None-Match: *`), GetObject
 * (with `VersionId` and `If-Match`), DeleteObject. Enough S3 for the lake store, the dedupe
 * markers and the landing bucket, so handler tests check what lands where.
 */
export class FakeS3 {
  public readonly objects = new Map<string, FakeObject>();
  private version = 0;

  public constructor(stub: AwsClientStub<S3Client>) {
    stub.on(PutObjectCommand).callsFake(async (input) => {
      const id = `${input.Bucket}/${input.Key}`;
      if (input.IfNoneMatch === '*' && this.objects.has(id))
        throw failure('PreconditionFailed', 412);
      return this.put(input.Bucket, input.Key, await bytesOf(input.Body));
    });
    stub.on(GetObjectCommand).callsFake(async (input) => {
      const object = this.objects.get(`${input.Bucket}/${input.Key}`);
      if (
        object === undefined ||
        (input.VersionId !== undefined && input.VersionId !== object.versionId)
      ) {
        throw new NoSuchKey({ message: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
      }
      if (input.IfMatch !== undefined && input.IfMatch !== `"${object.etag}"`) {
        throw failure('PreconditionFailed', 412);
      }
      const body = Object.assign(Readable.from([object.body]), {
        transformToString: async () => object.body.toString('utf8'),
      });
      return {
        Body: body,
        ContentLength: object.body.length,
        ETag: `"${object.etag}"`,
        VersionId: object.versionId,
      };
    });
    stub.on(DeleteObjectCommand).callsFake(async (input) => {
      this.objects.delete(`${input.Bucket}/${input.Key}`);
      return {};
    });
    // Pages of at most two keys, so that callers' paging is exercised; the token is the last
    // key returned, as S3's continues after a key whatever was deleted meanwhile.
    stub.on(ListObjectsV2Command).callsFake(async (input) => {
      const after = input.ContinuationToken ?? '';
      const keys = this.keys(input.Bucket as string, input.Prefix ?? '').filter((k) => k > after);
      const page = keys.slice(0, 2);
      const more = keys.length > 2;
      return {
        Contents: page.map((Key) => ({ Key })),
        IsTruncated: more,
        NextContinuationToken: more ? page[page.length - 1] : undefined,
      };
    });
    stub.on(DeleteObjectsCommand).callsFake(async (input) => {
      for (const { Key } of input.Delete?.Objects ?? [])
        this.objects.delete(`${input.Bucket}/${Key}`);
      return { Errors: [] };
    });
  }

  /** Stores an object as PutObject would; returns its ETag and version. */
  public put(bucket: string | undefined, key: string | undefined, body: Buffer) {
    const object = {
      body,
      etag: createHash('md5').update(body).digest('hex'),
      versionId: `v${++this.version}`,
    };
    this.objects.set(`${bucket}/${key}`, object);
    return { ETag: `"${object.etag}"`, VersionId: object.versionId };
  }

  /** Keys under a prefix of one bucket, sorted. */
  public keys(bucket: string, prefix = ''): string[] {
    return [...this.objects.keys()]
      .filter((id) => id.startsWith(`${bucket}/${prefix}`))
      .map((id) => id.slice(bucket.length + 1))
      .sort();
  }

  public text(bucket: string, key: string): string | undefined {
    return this.objects.get(`${bucket}/${key}`)?.body.toString('utf8');
  }
}

/** One metric value from the EMF records Powertools printed. */
export interface EmittedMetric {
  readonly name: string;
  readonly value: number;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly namespace: string;
}

/**
 * Captures the EMF records Powertools prints (POWERTOOLS_DEV routes them to `console.log`).
 * Call before creating the handler, so its Metrics instance sees the environment.
 */
export function captureMetrics(): { readonly emitted: () => EmittedMetric[] } {
  vi.stubEnv('POWERTOOLS_DEV', 'true');
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  return {
    emitted: () => {
      const out: EmittedMetric[] = [];
      for (const [line] of log.mock.calls) {
        if (typeof line !== 'string' || !line.includes('"_aws"')) continue;
        const record = JSON.parse(line) as Record<string, unknown> & {
          _aws: {
            CloudWatchMetrics: {
              Namespace: string;
              Dimensions: string[][];
              Metrics: { Name: string }[];
            }[];
          };
        };
        for (const directive of record._aws.CloudWatchMetrics) {
          const dimensions: Record<string, string> = {};
          for (const name of directive.Dimensions.flat()) dimensions[name] = String(record[name]);
          for (const metric of directive.Metrics) {
            const raw = record[metric.Name];
            const values = Array.isArray(raw) ? raw : [raw];
            for (const value of values) {
              out.push({
                name: metric.Name,
                value: Number(value),
                dimensions,
                namespace: directive.Namespace,
              });
            }
          }
        }
      }
      return out;
    },
  };
}

/** Sum of a metric's values, optionally only those with the given dimension values. */
export function metricSum(
  metrics: readonly EmittedMetric[],
  name: string,
  dimensions: Readonly<Record<string, string>> = {},
): number {
  return metrics
    .filter(
      (m) => m.name === name && Object.entries(dimensions).every(([k, v]) => m.dimensions[k] === v),
    )
    .reduce((sum, m) => sum + m.value, 0);
}

/** A Lambda context with the fields Powertools and middy read. */
export function lambdaContext(remainingMs = 900_000): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'wardflow-test',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:wardflow-test',
    memoryLimitInMB: '1024',
    awsRequestId: 'request-1',
    logGroupName: '/aws/lambda/wardflow-test',
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => remainingMs,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
