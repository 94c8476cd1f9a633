import { Stack } from 'aws-cdk-lib';
import { type ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { acknowledge } from './compliance.js';

/** One statement of a customer-managed policy: named actions on named resources. */
export interface ScopedStatement {
  /** Exact action names; a `*` in an action is refused. */
  readonly actions: readonly string[];
  /** ARNs; a `*` is allowed only as the object or child part of an ARN, with a reason. */
  readonly resources: readonly string[];
  /** @default - no conditions */
  readonly conditions?: Record<string, Record<string, unknown>>;
  /**
   * Why each resource pattern with a `*` is as narrow as AWS allows: written into the cdk-nag
   * acknowledgement of that pattern (AwsSolutions-IAM5), so it must be one full sentence.
   * @default - none; required when a resource contains `*`
   */
  readonly wildcardReason?: string;
}

/**
 * Adds an Allow statement to a customer-managed policy and acknowledges each wildcard resource
 * pattern in it, one finding at a time, with the given reason. Wildcard actions are never
 * acknowledged: they are refused here.
 *
 * Wardflow attaches all its permissions through customer-managed policies on roles that CDK may
 * not modify (`withoutPolicyUpdates`), so no inline policy (HIPAA IAMNoInlinePolicy) and no grant
 * that was not written here ends up in the template.
 */
export function allow(policy: ManagedPolicy, statement: ScopedStatement): void {
  for (const action of statement.actions) {
    if (action.includes('*')) {
      throw new Error(`${policy.node.path}: expected named actions, got the wildcard ${action}`);
    }
  }
  policy.addStatements(
    new PolicyStatement({
      actions: [...statement.actions],
      resources: [...statement.resources],
      conditions: statement.conditions,
    }),
  );
  const stack = Stack.of(policy);
  for (const resource of statement.resources) {
    const flat = flattenReference(stack.resolve(resource));
    if (!flat.includes('*')) continue;
    if (statement.wildcardReason === undefined) {
      throw new Error(`${policy.node.path}: resource ${flat} has a wildcard; give wildcardReason`);
    }
    acknowledge(policy, `AwsSolutions-IAM5[Resource::${flat}]`, statement.wildcardReason);
  }
}

/**
 * A resolved CloudFormation value as cdk-nag writes it into finding ids: `Fn::GetAtt` as
 * `<Logical.Attr>`, `Ref` as `<Logical>`, joins flattened.
 */
function flattenReference(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof node === 'object' && node !== null) {
    const value = node as Record<string, unknown>;
    if ('Fn::Join' in value) {
      const [delimiter, items] = value['Fn::Join'] as [string, unknown[]];
      return items.map(flattenReference).join(delimiter);
    }
    if ('Fn::Sub' in value) return flattenReference(value['Fn::Sub']);
    if ('Fn::GetAtt' in value) {
      const [resource, attribute] = value['Fn::GetAtt'] as [unknown, unknown];
      return `<${flattenReference(resource)}.${flattenReference(attribute)}>`;
    }
    if ('Fn::ImportValue' in value) return flattenReference(value['Fn::ImportValue']);
    if ('Ref' in value) return `<${flattenReference(value.Ref)}>`;
  }
  return JSON.stringify(node);
}
