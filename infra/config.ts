import type { WardflowConfig } from '../functions/shared/config.js';
import { loadConfigFile } from '../functions/shared/config-file.js';

/** The configuration the app deploys when no `-c config=FILE` is given. */
export const DEFAULT_CONFIG_FILE = 'samples/wardflow.yaml';

/**
 * Reads the wardflow configuration the CDK app deploys: the same file, parser and validation as
 * the CLI's `--config`, so a file that works locally deploys unchanged.
 *
 * @param path from the context key `config`, relative to the working directory
 * @throws ConfigError naming the file and key path when the file is invalid
 */
export function loadDeploymentConfig(path: string = DEFAULT_CONFIG_FILE): Promise<WardflowConfig> {
  return loadConfigFile(path);
}
