import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { S3Client } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import {
  loadBundledCatalog,
  loadBundledConfig,
  loadBundledRollups,
} from '../shared/aws/bundled-files.js';
import { createLogger } from '../shared/aws/observability.js';
import { type PlanContext, type PlanOutput, planRun } from '../shared/aws/plan-run.js';
import { emptyPrefix, readS3Text } from '../shared/aws/s3-objects.js';
import { resolveThreatIntel } from '../shared/detection/threat-intel.js';
import { readEnvironment } from '../shared/environment.js';

const HANDLER_DIR = dirname(fileURLToPath(import.meta.url));

/** What the plan task can be given instead of the defaults (tests). */
export interface PlanHandlerOptions {
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Reads threat-intel lists and empties baseline partitions. @default a new S3Client */
  readonly s3?: S3Client;
}

/**
 * Step Functions task: the scheduled run's queries. For `kind: 'detections'`, every enabled
 * detection's windows that closed in the last schedule period before `time − lag_minutes`,
 * each with its SQL bound for Athena; for `kind: 'baselines'`, each materialized rollup of the
 * latest ended days as an INSERT INTO, after emptying those days' partitions; the state machine runs them with its Athena integration
 * (no Lambda waits on a query) and hands each result to the publish task.
 */
export function createPlanHandler(options: PlanHandlerOptions = {}) {
  const logger = createLogger();
  const env = options.env ?? process.env;
  let ready: Promise<PlanContext> | undefined;

  const s3 = options.s3 ?? new S3Client({});
  const setUp = async (): Promise<PlanContext> => ({
    // Threat-intel lists kept in S3 are read once per container, like the rest of the config.
    config: await resolveThreatIntel(await loadBundledConfig(HANDLER_DIR, env), (uri) =>
      readS3Text(s3, uri),
    ),
    detections: loadBundledCatalog(env),
    rollups: loadBundledRollups(env),
  });

  return middy<unknown, PlanOutput, Error, Context>()
    .use(injectLambdaContext(logger))
    .handler(async (event) => {
      ready ??= setUp().catch((error: unknown) => {
        ready = undefined;
        throw error;
      });
      const output = planRun(event, await ready);
      if (output.clear_prefixes !== undefined && output.clear_prefixes.length > 0) {
        // A baseline day is replaced, never added to: its partitions are emptied before the
        // INSERTs run (a failed INSERT leaves the day empty until the next run redoes it).
        const { lakeBucket } = readEnvironment(['lakeBucket'], env);
        let deleted = 0;
        for (const prefix of output.clear_prefixes)
          deleted += await emptyPrefix(s3, lakeBucket, prefix);
        logger.info('baseline partitions emptied', {
          partitions: output.clear_prefixes.length,
          objects: deleted,
        });
      }
      logger.info('run planned', {
        queries: output.queries.length,
        items: output.queries.map((q) =>
          'detection_id' in q ? `${q.detection_id}@${q.window_start}` : `${q.baseline_id}@${q.dt}`,
        ),
      });
      return output;
    });
}

/** The Lambda entry point (HANDLER_ENTRIES.plan). */
export const handler = createPlanHandler();
