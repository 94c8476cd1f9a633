import { App } from 'aws-cdk-lib';
import { ConfigError } from '../functions/shared/errors.js';
import { addComplianceChecks } from './compliance.js';
import { DEFAULT_CONFIG_FILE, loadDeploymentConfig } from './config.js';
import { WardflowStack } from './wardflow-stack.js';

/**
 * The CDK app: the only place the stack is instantiated. `-c config=FILE` names the wardflow
 * configuration (default samples/wardflow.yaml); `-c stackName=NAME` the stack (default Wardflow).
 * The account and region come from the CLI's environment at deploy time; synth needs neither.
 */
const app = new App();
const configFile = (app.node.tryGetContext('config') as string | undefined) ?? DEFAULT_CONFIG_FILE;
const stackName = (app.node.tryGetContext('stackName') as string | undefined) ?? 'Wardflow';

try {
  const config = await loadDeploymentConfig(configFile);
  new WardflowStack(app, stackName, { config });
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`wardflow: ${error.message}`);
    process.exit(2);
  }
  throw error;
}
addComplianceChecks(app);
app.synth();
