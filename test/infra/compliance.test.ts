import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { acknowledge, addComplianceChecks } from '../../infra/compliance.js';

/** An app with one stack holding a bucket that passes the HIPAA and AWS Solutions packs but logging. */
function appWithBucket(): { app: App; stack: Stack; bucket: Bucket } {
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), 'wardflow-nag-')),
    // Stack traces only decorate the report; collecting them is most of the synth time.
    context: { 'aws:cdk:disable-stack-trace': true },
  });
  const stack = new Stack(app, 'Gate');
  const bucket = new Bucket(stack, 'Bucket', {
    encryption: BucketEncryption.KMS,
    enforceSSL: true,
    versioned: true,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
  });
  return { app, stack, bucket };
}

const REASON = 'This bucket is a test fixture that exists only during synthesis.';

describe('Function: addComplianceChecks', () => {
  it('stops synthesis on an unacknowledged finding', () => {
    // Prepare
    const { app } = appWithBucket();
    addComplianceChecks(app);

    // Act & Assess
    expect(() => app.synth()).toThrow(
      /ERROR The S3 Bucket has server access logs disabled\. \(AwsSolutions\)/,
    );
  });

  it('lets synthesis through once every finding is acknowledged, and writes the reasons into the template', () => {
    // Prepare
    const { app, bucket } = appWithBucket();
    for (const rule of [
      'AwsSolutions-S1',
      'HIPAA.Security-S3BucketLoggingEnabled',
      'HIPAA.Security-S3BucketReplicationEnabled',
    ]) {
      acknowledge(bucket, rule, REASON);
    }
    addComplianceChecks(app);

    // Act
    const assembly = app.synth();

    // Assess
    const template = JSON.parse(
      readFileSync(join(assembly.directory, 'Gate.template.json'), 'utf8'),
    ) as { Resources: Record<string, { Type: string; Metadata?: Record<string, unknown> }> };
    const resource = Object.values(template.Resources).find((r) => r.Type === 'AWS::S3::Bucket');
    expect(resource?.Metadata?.cdk_nag).toEqual({
      rules_to_suppress: expect.arrayContaining([{ id: 'AwsSolutions-S1', reason: REASON }]),
    });
  });
});

describe('Function: acknowledge', () => {
  it('refuses to acknowledge on a whole stack', () => {
    // Prepare
    const { stack } = appWithBucket();

    // Act & Assess
    expect(() => acknowledge(stack, 'AwsSolutions-S1', REASON)).toThrow(
      /expected a resource, got the stack or app Gate/,
    );
  });

  it.each([
    ['too short', 'Not needed.'],
    ['not a sentence', 'this bucket is a test fixture that exists only in tests'],
  ])('refuses a reason that is %s', (_, reason) => {
    // Prepare
    const { bucket } = appWithBucket();

    // Act & Assess
    expect(() => acknowledge(bucket, 'AwsSolutions-S1', reason)).toThrow(
      /expected a reason of one sentence/,
    );
  });
});
