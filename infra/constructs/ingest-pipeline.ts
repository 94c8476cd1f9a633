import { Aws, Duration } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { CfnBucket, IBucket } from 'aws-cdk-lib/aws-s3';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { IngestSettings } from '../../functions/shared/deployment-config.js';
import { allow } from '../least-privilege.js';
import { DeadLetterQueue } from './dead-letter-queue.js';
import type { FlowFunction } from './flow-function.js';

/** Properties of {@link IngestPipeline}. */
export interface IngestPipelineProps {
  /** The landing bucket. */
  readonly landingBucket: IBucket;
  /** Its name as a value that does not reference the bucket resource. */
  readonly landingBucketName: string;
  /**
   * True when the stack created the bucket (S3 event notifications); false for an imported
   * bucket (EventBridge, which must be enabled on the bucket).
   */
  readonly landingCreated: boolean;
  /** Key prefixes whose new objects are ingested; empty for the whole bucket. */
  readonly prefixes: readonly string[];
  /** The normalize function. */
  readonly normalize: FlowFunction;
  /** Encrypts the queues. */
  readonly key: IKey;
  /** Batch size and redelivery (`deployment.ingest`). */
  readonly settings: IngestSettings;
  /** Receives EventBridge deliveries that failed (imported bucket only). */
  readonly eventsDeadLetterQueue: IQueue;
}

/**
 * Landing bucket → SQS → normalize Lambda. New objects are announced by S3 event notifications
 * (created bucket) or EventBridge `Object Created` events (imported bucket) to an encrypted
 * queue; the function takes them in batches and reports partial batch failures, so one bad object
 * is retried alone and, after `max_receive_count` deliveries, parked in the dead-letter queue
 * while the rest of the batch goes on.
 */
export class IngestPipeline extends Construct {
  /** The queue of object notifications. */
  public readonly queue: Queue;
  /** Notifications that failed `max_receive_count` times. */
  public readonly deadLetterQueue: Queue;

  public constructor(scope: Construct, id: string, props: IngestPipelineProps) {
    super(scope, id);
    const timeout = props.normalize.function.timeout ?? Duration.minutes(15);
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetterQueue', { key: props.key });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      // AWS's guidance for Lambda event sources: at least six times the function timeout.
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: {
        queue: this.deadLetterQueue,
        maxReceiveCount: props.settings.max_receive_count,
      },
    });

    if (props.landingCreated) this.notifyFromBucket(props);
    else this.notifyFromEventBridge(props);

    const fn = props.normalize;
    const reserved = fn.settings.reserved_concurrency;
    fn.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: props.settings.batch_size,
        reportBatchItemFailures: true,
        // Polling beyond the reserved concurrency would only produce throttles.
        maxConcurrency: reserved >= 2 ? Math.min(reserved, 1000) : undefined,
      }),
    );
    allow(fn.policy, {
      actions: [
        'sqs:ReceiveMessage',
        'sqs:DeleteMessage',
        'sqs:ChangeMessageVisibility',
        'sqs:GetQueueAttributes',
      ],
      resources: [this.queue.queueArn],
    });
  }

  /** S3 event notifications, written on the bucket itself (no custom-resource Lambda). */
  private notifyFromBucket(props: IngestPipelineProps): void {
    const bucketArn = `arn:${Aws.PARTITION}:s3:::${props.landingBucketName}`;
    const { policyDependable } = this.queue.addToResourcePolicy(
      new PolicyStatement({
        sid: 'LandingBucketNotifications',
        principals: [new ServicePrincipal('s3.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [this.queue.queueArn],
        conditions: {
          ArnEquals: { 'aws:SourceArn': bucketArn },
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        },
      }),
    );
    const bucket = props.landingBucket.node.defaultChild as CfnBucket;
    const filters = props.prefixes.length === 0 ? [undefined] : props.prefixes;
    bucket.notificationConfiguration = {
      queueConfigurations: filters.map((prefix) => ({
        event: 's3:ObjectCreated:*',
        queue: this.queue.queueArn,
        filter:
          prefix === undefined
            ? undefined
            : { s3Key: { rules: [{ name: 'prefix', value: prefix }] } },
      })),
    };
    // S3 checks that it may send to the queue when the configuration is put.
    if (policyDependable !== undefined) bucket.node.addDependency(policyDependable);
  }

  /** EventBridge `Object Created` events of the imported bucket. */
  private notifyFromEventBridge(props: IngestPipelineProps): void {
    const rule = new Rule(this, 'ObjectCreatedRule', {
      description: 'wardflow: new objects in the landing bucket',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [props.landingBucketName] },
          ...(props.prefixes.length > 0
            ? { object: { key: props.prefixes.map((prefix) => ({ prefix })) } }
            : {}),
        },
      },
    });
    rule.addTarget(
      new SqsQueue(this.queue, {
        deadLetterQueue: props.eventsDeadLetterQueue,
        retryAttempts: 185,
        maxEventAge: Duration.hours(24),
      }),
    );
  }
}
