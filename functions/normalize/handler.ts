import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { S3Client } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { bundleRoot, loadBundledConfig } from '../shared/aws/bundled-files.js';
import { normalizeBatch } from '../shared/aws/normalize-batch.js';
import type { CreatedObject } from '../shared/aws/object-notification.js';
import { createLogger, createMetrics, publishIngestCounts } from '../shared/aws/observability.js';
import { openS3Object } from '../shared/aws/s3-input-object.js';
import { S3LakeStore } from '../shared/aws/s3-lake-store.js';
import { METRICS } from '../shared/deployment-contract.js';
import { ZoneResolver } from '../shared/enrich/zones.js';
import { readEnvironment } from '../shared/environment.js';
import { ingestObject } from '../shared/ingest/ingest-object.js';

const HANDLER_DIR = dirname(fileURLToPath(import.meta.url));

/** What the normalizer can be given instead of the defaults (tests, the emulator tier). */
export interface NormalizeHandlerOptions {
  /** @default - a client for the function's region and credentials */
  readonly s3?: S3Client;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Folder for staged lake files.
   * @default - the system's temporary folder (`/tmp` in Lambda)
   */
  readonly tempDir?: string;
}

/**
 * SQS batch of landing-bucket notifications → Parquet flow lake. Each object is streamed from
 * S3, ingested into the lake bucket and counted per source type; failed messages are reported
 * as batch item failures so SQS retries them (then moves them to the DLQ) without holding up
 * the rest.
 */
export function createNormalizeHandler(options: NormalizeHandlerOptions = {}) {
  const logger = createLogger();
  const metrics = createMetrics();
  const env = options.env ?? process.env;
  let ready: Promise<(object: CreatedObject) => ReturnType<typeof ingestObject>> | undefined;

  // Read once per container: the configuration and clients do not change between invocations.
  const setUp = async () => {
    const { lakeBucket } = readEnvironment(['lakeBucket'], env);
    const config = await loadBundledConfig(HANDLER_DIR, env);
    const s3 = options.s3 ?? new S3Client({});
    const store = new S3LakeStore({ client: s3, bucket: lakeBucket, tempDir: options.tempDir });
    const zones = new ZoneResolver(config);
    logger.info('normalizer ready', { lakeBucket, bundleRoot: bundleRoot(HANDLER_DIR, env) });
    return async (object: CreatedObject) => {
      const opened = await openS3Object(s3, object);
      try {
        return await ingestObject(opened.input, { store, zones, timezone: config.timezone });
      } finally {
        opened.release();
      }
    };
  };

  return middy<SQSEvent, SQSBatchResponse, Error, Context>()
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics))
    .handler(async (event, context) => {
      ready ??= setUp().catch((error: unknown) => {
        ready = undefined;
        throw error;
      });
      const ingest = await ready;
      const result = await normalizeBatch(event.Records, {
        ingest,
        logger,
        remainingMs:
          typeof context.getRemainingTimeInMillis === 'function'
            ? () => context.getRemainingTimeInMillis()
            : undefined,
      });
      publishIngestCounts(metrics, result.bySourceType);
      metrics.addMetric(METRICS.objectsFailed, MetricUnit.Count, result.objectsFailed);
      return { batchItemFailures: result.batchItemFailures };
    });
}

/** The Lambda entry point (HANDLER_ENTRIES.normalize). */
export const handler = createNormalizeHandler();
