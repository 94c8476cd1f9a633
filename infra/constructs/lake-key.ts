import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** Properties of {@link LakeKey}. */
export interface LakeKeyProps {
  /** Alias, without the `alias/` prefix. */
  readonly alias: string;
}

/**
 * The customer-managed KMS key that encrypts everything wardflow stores or sends: buckets, queues,
 * topics and log groups. Flow records carry IP addresses, a HIPAA identifier, so every copy of
 * them is under a key the hospital controls. Rotation is on.
 *
 * Besides the account's own principals (the default key policy), the key policy lets the AWS
 * services that write into wardflow's encrypted resources on wardflow's behalf use the key, each
 * only for the actions it needs: CloudWatch Logs (log groups), S3 (event notifications into the
 * ingest queue), EventBridge (events into queues), SNS (dead-letter queues and SQS subscribers),
 * CloudWatch (alarms into the operations topic) and VPC flow log delivery (landing bucket).
 */
export class LakeKey extends Construct {
  /** The key. */
  public readonly key: Key;

  public constructor(scope: Construct, id: string, props: LakeKeyProps) {
    super(scope, id);
    this.key = new Key(this, 'Resource', {
      alias: props.alias,
      description:
        'wardflow: encrypts flow exports, the flow lake, findings, queues, topics and logs',
      enableKeyRotation: true,
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const sameAccount = { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } };
    const envelope = ['kms:GenerateDataKey', 'kms:Decrypt'];
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchLogsLogGroups',
        principals: [new ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: [
          'kms:Encrypt',
          'kms:Decrypt',
          'kms:ReEncryptFrom',
          'kms:ReEncryptTo',
          'kms:GenerateDataKey',
          'kms:DescribeKey',
        ],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*`,
          },
        },
      }),
    );
    for (const [sid, service] of [
      ['S3EventNotifications', 's3.amazonaws.com'],
      ['SnsDeliveries', 'sns.amazonaws.com'],
      ['CloudWatchAlarms', 'cloudwatch.amazonaws.com'],
    ] as const) {
      this.key.addToResourcePolicy(
        new PolicyStatement({
          sid,
          principals: [new ServicePrincipal(service)],
          actions: envelope,
          resources: ['*'],
          conditions: sameAccount,
        }),
      );
    }
    // EventBridge drops deliveries silently when this statement carries source conditions.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'EventBridgeDeliveries',
        principals: [new ServicePrincipal('events.amazonaws.com')],
        actions: envelope,
        resources: ['*'],
      }),
    );
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'VpcFlowLogDelivery',
        principals: [new ServicePrincipal('delivery.logs.amazonaws.com')],
        actions: ['kms:GenerateDataKey', 'kms:Encrypt', 'kms:Decrypt'],
        resources: ['*'],
        conditions: {
          ...sameAccount,
          ArnLike: {
            'aws:SourceArn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:*`,
          },
        },
      }),
    );
  }
}
