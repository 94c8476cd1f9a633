import { Duration } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { acknowledge } from '../compliance.js';

/** Properties of {@link DeadLetterQueue}. */
export interface DeadLetterQueueProps {
  /** Encrypts the messages (SSE-KMS). */
  readonly key: IKey;
  /**
   * What sends failures here when it is not an SQS redrive policy (cdk-nag's AwsSolutions-SQS3
   * only recognises those), e.g. `EventBridge rule targets`; acknowledged with that reason.
   * @default - none: the queue is an SQS or Lambda dead-letter queue
   */
  readonly deadLetterSource?: string;
}

/**
 * An SQS queue that keeps what failed every retry for 14 days (the SQS maximum), encrypted with
 * the customer-managed key and TLS-only. Messages may name objects or findings, so they get the
 * same protection as the data.
 */
export class DeadLetterQueue extends Queue {
  public constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id, {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    if (props.deadLetterSource !== undefined) {
      acknowledge(
        this,
        'AwsSolutions-SQS3',
        `This queue is itself the dead-letter queue of ${props.deadLetterSource}, so it has none of its own.`,
      );
    }
  }
}
