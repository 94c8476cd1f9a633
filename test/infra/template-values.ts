import type { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';

/** A resource of a synthesized template. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
  readonly Metadata?: Record<string, unknown>;
}

/** The resources of a type, by logical id. */
export function resourcesOf(template: Template, type: string): [string, TemplateResource][] {
  return Object.entries(template.findResources(type)) as [string, TemplateResource][];
}

/**
 * A CloudFormation value as readable text: `Ref` as `<Logical>`, `Fn::GetAtt` as
 * `<Logical.Attr>`, joins concatenated, `Fn::Sub` kept as written. Lets tests compare
 * ARNs and JSON documents built from tokens without knowing logical ids.
 */
export function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && value !== null) {
    const v = value as Record<string, unknown>;
    if ('Fn::Join' in v) {
      const [delimiter, items] = v['Fn::Join'] as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if ('Ref' in v) return `<${String(v.Ref)}>`;
    if ('Fn::GetAtt' in v) {
      const [logical, attribute] = v['Fn::GetAtt'] as [string, string];
      return `<${logical}.${attribute}>`;
    }
    if ('Fn::Sub' in v) return String(v['Fn::Sub']);
  }
  return JSON.stringify(value);
}

/** A token of the stack (e.g. `bucket.bucketArn`) flattened like template values. */
export function flatToken(stack: Stack, token: unknown): string {
  return flatten(stack.resolve(token));
}

/** Every IAM policy statement in the template, with the policy's logical id. */
export function policyStatements(
  template: Template,
): { policy: string; statement: Record<string, unknown> }[] {
  const out: { policy: string; statement: Record<string, unknown> }[] = [];
  for (const type of ['AWS::IAM::ManagedPolicy', 'AWS::IAM::Policy']) {
    for (const [id, resource] of resourcesOf(template, type)) {
      const document = resource.Properties?.PolicyDocument as {
        Statement: Record<string, unknown>[];
      };
      for (const statement of document.Statement) out.push({ policy: id, statement });
    }
  }
  return out;
}

/** A value or list of values as a list. */
export function asList<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
