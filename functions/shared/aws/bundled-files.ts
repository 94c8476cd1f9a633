import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { WardflowConfig } from '../config.js';
import { loadConfigFile } from '../config-file.js';
import { loadBaselineRollups } from '../detection/baseline-rollups.js';
import { loadDetectionCatalog, QUERIES_DIR } from '../detection/detection-catalog.js';
import type { DetectionDefinition } from '../detection/detection-definition.js';
import type { QueryFile } from '../detection/query-file.js';
import { lambdaTaskRoot, readEnvironment } from '../environment.js';
import { WardflowError } from '../errors.js';

/**
 * Folder, beside the handler in its asset, that holds a copy of the repository's `queries/`
 * (at least `queries/detections/`): the detection catalog the plan and publish steps read.
 */
export const BUNDLED_QUERIES_DIR = 'queries';

/** A file the deployment should have bundled beside the handler is missing. */
export class BundleError extends WardflowError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BundleError';
  }
}

/**
 * Where bundled files are looked up: `LAMBDA_TASK_ROOT` in Lambda, else the handler's folder.
 *
 * @param handlerDir folder of the handler module (its `import.meta.url`)
 */
export function bundleRoot(handlerDir: string, env: NodeJS.ProcessEnv = process.env): string {
  return lambdaTaskRoot(env) ?? handlerDir;
}

/**
 * Reads the configuration the CDK app bundled: the file named by `WARDFLOW_CONFIG_FILE`,
 * resolved against {@link bundleRoot} unless absolute, validated by `parseConfig`.
 *
 * @throws EnvironmentError when the variable is missing
 * @throws ConfigError naming the file when it is unreadable or invalid
 */
export async function loadBundledConfig(
  handlerDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<WardflowConfig> {
  const { configFile } = readEnvironment(['configFile'], env);
  const path = isAbsolute(configFile) ? configFile : join(bundleRoot(handlerDir, env), configFile);
  return loadConfigFile(path);
}

/**
 * Loads the detection catalog: from `<LAMBDA_TASK_ROOT>/queries/detections` in Lambda, from the
 * repository's `queries/detections` elsewhere.
 *
 * @throws BundleError when the deployment did not bundle the queries beside the handler
 */
export function loadBundledCatalog(env: NodeJS.ProcessEnv = process.env): DetectionDefinition[] {
  const root = lambdaTaskRoot(env);
  const folder =
    root === null ? join(QUERIES_DIR, 'detections') : join(root, BUNDLED_QUERIES_DIR, 'detections');
  if (!existsSync(folder)) {
    throw new BundleError(
      `detection catalog: expected the folder ${folder} (queries/detections copied into the function's asset), got nothing there`,
    );
  }
  return loadDetectionCatalog(folder);
}

/**
 * Loads the materialized baseline rollups: from `<LAMBDA_TASK_ROOT>/queries/baselines` in Lambda,
 * from the repository's `queries/baselines` elsewhere.
 *
 * @throws BundleError when the deployment did not bundle the queries beside the handler
 */
export function loadBundledRollups(env: NodeJS.ProcessEnv = process.env): QueryFile[] {
  const root = lambdaTaskRoot(env);
  const folder =
    root === null ? join(QUERIES_DIR, 'baselines') : join(root, BUNDLED_QUERIES_DIR, 'baselines');
  if (!existsSync(folder)) {
    throw new BundleError(
      `baseline rollups: expected the folder ${folder} (queries/baselines copied into the function's asset), got nothing there`,
    );
  }
  return loadBaselineRollups(folder);
}
