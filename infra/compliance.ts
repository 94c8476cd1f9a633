import { type App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * Runs the cdk-nag packs wardflow is held to (HIPAA Security and AWS Solutions) on every synth:
 * an unacknowledged error-level finding stops `cdk synth` and `cdk deploy`. Acknowledgements are
 * also written into each resource's template metadata (`cdk_nag.rules_to_suppress`), so the
 * deployed template carries its own audit trail.
 */
export function addComplianceChecks(app: App): void {
  Validations.of(app).addPlugins(
    new HIPAASecurityChecks(app, { writeSuppressionsToCloudFormation: true }),
    new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }),
  );
}

/** The packs, for tests that validate a stack directly. */
export function compliancePacks(): (HIPAASecurityChecks | AwsSolutionsChecks)[] {
  return [new HIPAASecurityChecks(), new AwsSolutionsChecks()];
}

/**
 * Acknowledges one cdk-nag finding on one construct (and what it contains), with the reason an
 * auditor reads. Acknowledging on a stack or app is refused: every exception is narrow.
 *
 * @param scope the resource (or the L2 construct holding it) the finding is about
 * @param ruleId e.g. `HIPAA.Security-S3BucketReplicationEnabled`, or a granular
 *   `AwsSolutions-IAM5[Resource::<LakeBucket.Arn>/flows/*]`
 * @param reason one sentence, ending with a full stop
 */
export function acknowledge(scope: IConstruct, ruleId: string, reason: string): void {
  if (Stack.isStack(scope) || scope.node.scope === undefined) {
    throw new Error(
      `acknowledge ${ruleId}: expected a resource, got the stack or app ${scope.node.path}`,
    );
  }
  if (!/^[A-Z].{19,}\.$/s.test(reason)) {
    throw new Error(
      `acknowledge ${ruleId} on ${scope.node.path}: expected a reason of one sentence (at least 20 characters, ending with "."), got ${JSON.stringify(reason)}`,
    );
  }
  Validations.of(scope).acknowledge({ id: ruleId, reason });
}
