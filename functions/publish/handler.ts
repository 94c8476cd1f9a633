import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { AthenaClient } from '@aws-sdk/client-athena';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { loadBundledCatalog, loadBundledConfig } from '../shared/aws/bundled-files.js';
import { createLogger, createMetrics } from '../shared/aws/observability.js';
import { S3PublishMarkers } from '../shared/aws/publish-dedupe.js';
import {
  type PublishWindowDependencies,
  type PublishWindowOutput,
  publishWindow,
} from '../shared/aws/publish-window.js';
import { S3LakeStore } from '../shared/aws/s3-lake-store.js';
import { snsBatchPublisher } from '../shared/aws/sns-publisher.js';
import { METRICS } from '../shared/deployment-contract.js';
import { AthenaEngine } from '../shared/engines/athena-engine.js';
import type { SqlRow } from '../shared/engines/query-engine.js';
import { readEnvironment } from '../shared/environment.js';

const HANDLER_DIR = dirname(fileURLToPath(import.meta.url));

/** What the publish task can be given instead of the defaults (tests, the emulator tier). */
export interface PublishHandlerOptions {
  /** @default - a client for the function's region and credentials */
  readonly s3?: S3Client;
  /** @default - a client for the function's region and credentials */
  readonly sns?: SNSClient;
  /**
   * Reads a finished query's rows.
   * @default - Athena's GetQueryResults, paged and decoded by {@link AthenaEngine.results}
   */
  readonly results?: (queryExecutionId: string) => Promise<readonly SqlRow[]>;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Step Functions task: one finished Athena detection query → findings and evidence in the
 * findings bucket, dedupe markers, and SNS messages for the findings no run published before.
 */
export function createPublishHandler(options: PublishHandlerOptions = {}) {
  const logger = createLogger();
  const metrics = createMetrics();
  const env = options.env ?? process.env;
  let ready: Promise<PublishWindowDependencies> | undefined;

  const setUp = async (): Promise<PublishWindowDependencies> => {
    const settings = readEnvironment(
      ['findingsBucket', 'findingsTopicArn', 'athenaWorkgroup', 'glueDatabase'],
      env,
    );
    const config = await loadBundledConfig(HANDLER_DIR, env);
    const detections = loadBundledCatalog(env);
    const s3 = options.s3 ?? new S3Client({});
    const sns = options.sns ?? new SNSClient({});
    const athena = new AthenaEngine({
      client: new AthenaClient({}),
      workGroup: settings.athenaWorkgroup,
      database: settings.glueDatabase,
    });
    return {
      detections,
      config,
      results: options.results ?? ((id) => athena.results(id)),
      store: new S3LakeStore({ client: s3, bucket: settings.findingsBucket }),
      markers: new S3PublishMarkers(s3, settings.findingsBucket),
      publishBatch: snsBatchPublisher(sns, settings.findingsTopicArn),
      pointer: {
        findingsBucket: settings.findingsBucket,
        database: settings.glueDatabase,
        workGroup: settings.athenaWorkgroup,
      },
    };
  };

  return middy<unknown, PublishWindowOutput, Error, Context>()
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics))
    .handler(async (event) => {
      ready ??= setUp().catch((error: unknown) => {
        ready = undefined;
        throw error;
      });
      const output = await publishWindow(event, await ready);
      metrics.addMetric(METRICS.findingsPublished, MetricUnit.Count, output.published);
      metrics.addMetric(METRICS.findingsDeduplicated, MetricUnit.Count, output.deduplicated);
      logger.info('window published', { ...output });
      return output;
    });
}

/** The Lambda entry point (HANDLER_ENTRIES.publish). */
export const handler = createPublishHandler();
