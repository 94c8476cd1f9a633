import { createHash } from 'node:crypto';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { type ITopicSubscription, SubscriptionFilter, Topic } from 'aws-cdk-lib/aws-sns';
import {
  EmailSubscription,
  SqsSubscription,
  UrlSubscription,
} from 'aws-cdk-lib/aws-sns-subscriptions';
import { type IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FindingSubscription } from '../../functions/shared/deployment-config.js';
import { DeadLetterQueue } from './dead-letter-queue.js';

/**
 * The message attributes a finding is published with, and so the only keys a subscription
 * filter can use. None of them can carry an IP address: SNS encrypts message bodies, not
 * attributes, and IP addresses are HIPAA identifiers.
 */
export const FINDING_ATTRIBUTES = ['severity', 'detection_id', 'src_zone'] as const;

/** A finding message attribute. */
export type FindingAttribute = (typeof FINDING_ATTRIBUTES)[number];

/** Properties of {@link FindingsTopic}. */
export interface FindingsTopicProps {
  /** Encrypts the topic (message bodies) and the delivery dead-letter queue. */
  readonly key: IKey;
  /** The SOC's subscriptions (`deployment.findings.subscriptions`). */
  readonly subscriptions: readonly FindingSubscription[];
  /** Severities, lowest first, to expand `min_severity`. */
  readonly severities: readonly string[];
}

/**
 * The SNS topic findings are published to, encrypted with the customer-managed key and
 * TLS-only. Each configured subscription (email, HTTPS, SQS) gets a filter policy built from
 * its `min_severity`, `detection_ids` and `src_zones` over {@link FINDING_ATTRIBUTES} only, and
 * a dead-letter queue for deliveries that exhaust their retries.
 */
export class FindingsTopic extends Construct {
  /** The topic. */
  public readonly topic: Topic;
  /** Receives deliveries that failed every retry. */
  public readonly deliveryDeadLetterQueue: IQueue;

  public constructor(scope: Construct, id: string, props: FindingsTopicProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Resource', {
      displayName: 'wardflow findings',
      masterKey: props.key,
      enforceSSL: true,
    });
    const dlq = new DeadLetterQueue(this, 'DeliveryDeadLetterQueue', {
      key: props.key,
      deadLetterSource: 'the findings topic subscriptions (SNS redrive policies)',
    });
    this.deliveryDeadLetterQueue = dlq;
    for (const subscription of props.subscriptions) {
      this.topic.addSubscription(toSubscription(this, subscription, props.severities, dlq));
    }
  }
}

/**
 * The filter policy of one subscription: keys from {@link FINDING_ATTRIBUTES} only (the record
 * type enforces it), each present only when the subscription narrows it.
 */
export function findingFilterPolicy(
  subscription: FindingSubscription,
  severities: readonly string[],
): Partial<Record<FindingAttribute, SubscriptionFilter>> {
  const policy: Partial<Record<FindingAttribute, SubscriptionFilter>> = {};
  if (subscription.min_severity !== null) {
    const from = severities.indexOf(subscription.min_severity);
    policy.severity = SubscriptionFilter.stringFilter({ allowlist: severities.slice(from) });
  }
  if (subscription.detection_ids.length > 0) {
    policy.detection_id = SubscriptionFilter.stringFilter({
      allowlist: [...subscription.detection_ids],
    });
  }
  if (subscription.src_zones.length > 0) {
    policy.src_zone = SubscriptionFilter.stringFilter({ allowlist: [...subscription.src_zones] });
  }
  return policy;
}

function toSubscription(
  scope: Construct,
  subscription: FindingSubscription,
  severities: readonly string[],
  deadLetterQueue: IQueue,
): ITopicSubscription {
  const options = {
    filterPolicy: findingFilterPolicy(subscription, severities),
    deadLetterQueue,
  };
  switch (subscription.protocol) {
    case 'email':
      return new EmailSubscription(subscription.endpoint, options);
    case 'https':
      return new UrlSubscription(subscription.endpoint, options);
    case 'sqs':
      return new SqsSubscription(
        Queue.fromQueueArn(
          scope,
          `Subscriber${hash(subscription.endpoint)}`,
          subscription.endpoint,
        ),
        { ...options, rawMessageDelivery: false },
      );
  }
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}
