import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { WardflowConfig } from '../../functions/shared/config.js';
import { loadConfigFile } from '../../functions/shared/config-file.js';
import { REPO_ROOT } from '../../infra/paths.js';
import { WardflowStack } from '../../infra/wardflow-stack.js';

/** Example configurations of infra/examples/, by file name. */
export const EXAMPLES = join(REPO_ROOT, 'infra', 'examples');

/** A synthesized stack and its template. */
export interface StackFixture {
  readonly stack: WardflowStack;
  readonly template: Template;
  readonly config: WardflowConfig;
}

/**
 * Builds the stack as `infra/app.ts` does (same feature flags from cdk.json), for one config
 * file, without running esbuild: the context key `aws:cdk:bundling-stacks` set to `[]` makes
 * NodejsFunction skip bundling (documented CDK behaviour), which keeps the suite fast and
 * offline. `npx cdk synth` bundles for real.
 */
export async function synthesize(configFile: string): Promise<StackFixture> {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  const config = await loadConfigFile(configFile);
  const app = new App({
    context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] },
  });
  const stack = new WardflowStack(app, 'Test', { config });
  return { stack, template: Template.fromStack(stack), config };
}
