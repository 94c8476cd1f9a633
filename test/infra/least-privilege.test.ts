import { App, Stack, Validations } from 'aws-cdk-lib';
import { ManagedPolicy } from 'aws-cdk-lib/aws-iam';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { allow } from '../../infra/least-privilege.js';

function fixture() {
  const stack = new Stack(new App(), 'Policy');
  const bucket = new Bucket(stack, 'Data');
  const policy = new ManagedPolicy(stack, 'Reader');
  return { stack, bucket, policy };
}

function acknowledged(policy: ManagedPolicy): Record<string, string> {
  return Object.assign(
    {},
    ...policy.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .map((m) => m.data as Record<string, string>),
  );
}

describe('Function: allow', () => {
  it('refuses a wildcard action', () => {
    // Prepare
    const { bucket, policy } = fixture();

    // Act & Assess
    expect(() => allow(policy, { actions: ['s3:Get*'], resources: [bucket.bucketArn] })).toThrow(
      /expected named actions, got the wildcard s3:Get\*/,
    );
  });

  it('refuses a wildcard resource without a reason', () => {
    // Prepare
    const { bucket, policy } = fixture();

    // Act & Assess
    expect(() =>
      allow(policy, { actions: ['s3:GetObject'], resources: [bucket.arnForObjects('flows/*')] }),
    ).toThrow(/has a wildcard; give wildcardReason/);
  });

  it('acknowledges exactly the wildcard resources of the statement, as cdk-nag names them', () => {
    // Prepare
    const { stack, bucket, policy } = fixture();
    const reason = 'Objects are created at run time under the flows prefix only.';

    // Act
    allow(policy, {
      actions: ['s3:GetObject', 's3:ListBucket'],
      resources: [bucket.bucketArn, bucket.arnForObjects('flows/*')],
      wildcardReason: reason,
    });

    // Assess
    const logical = stack.getLogicalId(bucket.node.defaultChild as never);
    expect(acknowledged(policy)).toEqual({
      [`Annotation::AwsSolutions-IAM5[Resource::<${logical}.Arn>/flows/*]`]: reason,
    });
    expect(stack.resolve(policy.document).Statement).toEqual([
      expect.objectContaining({ Action: ['s3:GetObject', 's3:ListBucket'], Effect: 'Allow' }),
    ]);
  });

  it('acknowledges nothing for a statement on named resources', () => {
    // Prepare
    const { bucket, policy } = fixture();

    // Act
    allow(policy, { actions: ['s3:ListBucket'], resources: [bucket.bucketArn] });

    // Assess
    expect(acknowledged(policy)).toEqual({});
  });
});
