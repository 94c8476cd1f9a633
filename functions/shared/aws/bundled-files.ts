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
 * A folder of the bundled `queries/`: `<LAMBDA_TASK_ROOT>/queries/<name>` in Lambda, the
 * repository's `queries/<name>` elsewhere.
 *
 * @throws BundleError when the deployment did not bundle it beside the handler
 */
function bundledQueriesFolder(name: string, what: string, env: NodeJS.ProcessEnv): string {
  const root = lambdaTaskRoot(env);
  const folder = root === null ? join(QUERIES_DIR, name) : join(root, BUNDLED_QUERIES_DIR, name);
  if (!existsSync(folder)) {
    throw new BundleError(
      `${what}: expected the folder ${folder} (queries/${name} copied into the function's asset), got nothing there`,
    );
  }
  return folder;
}

/** Loads the detection catalog from the bundled `queries/detections`. */
export function loadBundledCatalog(env: NodeJS.ProcessEnv = process.env): DetectionDefinition[] {
  return loadDetectionCatalog(bundledQueriesFolder('detections', 'detection catalog', env));
}

/** Loads the materialized baseline rollups from the bundled `queries/baselines`. */
export function loadBundledRollups(env: NodeJS.ProcessEnv = process.env): QueryFile[] {
  return loadBaselineRollups(bundledQueriesFolder('baselines', 'baseline rollups', env));
}
