import { ENVIRONMENT } from './deployment-contract.js';
import { WardflowError } from './errors.js';

/** The handlers' settings, by their key in {@link ENVIRONMENT}. */
export type EnvironmentKey = keyof typeof ENVIRONMENT;

/** The values of some environment settings, by key. */
export type EnvironmentValues<K extends EnvironmentKey> = { readonly [P in K]: string };

/** What each variable holds, for error messages an operator can act on. */
const MEANING: Readonly<Record<EnvironmentKey, string>> = {
  lakeBucket: 'the name of the flow lake bucket',
  findingsBucket: 'the name of the findings bucket',
  findingsTopicArn: 'the ARN of the findings SNS topic',
  athenaWorkgroup: 'the name of the Athena workgroup',
  glueDatabase: 'the name of the Glue database',
  configFile: 'the file name of the bundled wardflow configuration',
};

/** A variable the CDK app should have set on the function is missing or empty. */
export class EnvironmentError extends WardflowError {
  /** Name of the offending variable, e.g. `WARDFLOW_LAKE_BUCKET`. */
  public readonly variable: string;

  public constructor(variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'EnvironmentError';
    this.variable = variable;
  }
}

/**
 * Reads the named settings from the environment, by the variable names of the deployment
 * contract. This is the only place handlers read `process.env`.
 *
 * @param keys the settings the caller needs
 * @param env the environment to read
 * @throws EnvironmentError naming the first variable that is missing or blank
 * @example readEnvironment(['lakeBucket', 'configFile']).lakeBucket
 */
export function readEnvironment<K extends EnvironmentKey>(
  keys: readonly K[],
  env: NodeJS.ProcessEnv = process.env,
): EnvironmentValues<K> {
  const values: Partial<Record<K, string>> = {};
  for (const key of keys) {
    const variable = ENVIRONMENT[key];
    const value = env[variable]?.trim();
    if (value === undefined || value === '') {
      throw new EnvironmentError(
        variable,
        `expected ${MEANING[key]} (set by the CDK app), got ${value === undefined ? 'nothing' : 'an empty value'}`,
      );
    }
    values[key] = value;
  }
  return values as EnvironmentValues<K>;
}

/**
 * The folder Lambda unpacked the function's code into (`LAMBDA_TASK_ROOT`), or null outside
 * Lambda (tests, local runs).
 */
export function lambdaTaskRoot(env: NodeJS.ProcessEnv = process.env): string | null {
  const root = env.LAMBDA_TASK_ROOT?.trim();
  return root === undefined || root === '' ? null : root;
}
