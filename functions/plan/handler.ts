import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { loadBundledCatalog, loadBundledConfig } from '../shared/aws/bundled-files.js';
import { createLogger } from '../shared/aws/observability.js';
import { type PlanContext, type PlanOutput, planRun } from '../shared/aws/plan-run.js';

const HANDLER_DIR = dirname(fileURLToPath(import.meta.url));

/** What the plan task can be given instead of the defaults (tests). */
export interface PlanHandlerOptions {
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Step Functions task: the scheduled run's queries. For `kind: 'detections'`, every enabled
 * detection's windows that closed in the last schedule period before `time − lag_minutes`,
 * each with its SQL bound for Athena; the state machine runs them with its Athena integration
 * (no Lambda waits on a query) and hands each result to the publish task.
 */
export function createPlanHandler(options: PlanHandlerOptions = {}) {
  const logger = createLogger();
  const env = options.env ?? process.env;
  let ready: Promise<PlanContext> | undefined;

  const setUp = async (): Promise<PlanContext> => ({
    config: await loadBundledConfig(HANDLER_DIR, env),
    detections: loadBundledCatalog(env),
  });

  return middy<unknown, PlanOutput, Error, Context>()
    .use(injectLambdaContext(logger))
    .handler(async (event) => {
      ready ??= setUp().catch((error: unknown) => {
        ready = undefined;
        throw error;
      });
      const output = planRun(event, await ready);
      logger.info('run planned', {
        queries: output.queries.length,
        windows: output.queries.map((q) => `${q.detection_id}@${q.window_start}`),
      });
      return output;
    });
}

/** The Lambda entry point (HANDLER_ENTRIES.plan). */
export const handler = createPlanHandler();
