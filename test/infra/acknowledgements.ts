import { CfnResource, type Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { compliancePacks } from '../../infra/compliance.js';

/** One cdk-nag acknowledgement found in the construct tree. */
export interface Acknowledgement {
  /** Construct path below the stack, e.g. `FlowLake/AccessLogBucket`. */
  readonly path: string;
  /** Rule id with logical ids replaced by construct ids, e.g. `AwsSolutions-IAM5[Resource::<LakeBucket.Arn>/flows/*]`. */
  readonly rule: string;
  readonly reason: string;
  /** The construct carrying it. */
  readonly scope: IConstruct;
}

const NAG_RULE = /^(Annotation::)?((AwsSolutions|HIPAA\.Security)-.+)$/;

/** Every cdk-nag acknowledgement in the stack (CDK's own acknowledgements are left out). */
export function nagAcknowledgements(stack: Stack): Acknowledgement[] {
  const byLogicalId = new Map<string, string>();
  for (const c of stack.node.findAll()) {
    if (CfnResource.isCfnResource(c))
      byLogicalId.set(stack.getLogicalId(c), c.node.scope?.node.id ?? '');
  }
  const out: Acknowledgement[] = [];
  for (const scope of stack.node.findAll()) {
    for (const entry of scope.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        const match = NAG_RULE.exec(id);
        if (match === null) continue;
        out.push({
          path: scope.node.path.slice(stack.node.path.length + 1),
          rule: (match[2] as string).replace(
            /<([A-Za-z0-9]+)\.Arn>/g,
            (_m, logical: string) => `<${byLogicalId.get(logical) ?? logical}.Arn>`,
          ),
          reason,
          scope,
        });
      }
    }
  }
  return out;
}

/** Unacknowledged findings of both packs, errors and warnings alike, as `rule @ path` lines. */
export function unacknowledgedFindings(stack: Stack): string[] {
  return compliancePacks().flatMap((pack) =>
    pack
      .validateScope(stack)
      .violations.flatMap((v) =>
        v.violatingResources.map((r) => `${v.severity} ${v.ruleName} @ ${r.constructPath}`),
      ),
  );
}
