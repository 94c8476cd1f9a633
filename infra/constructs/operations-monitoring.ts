import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { METRICS } from '../../functions/shared/deployment-contract.js';

/** Properties of {@link OperationsMonitoring}. */
export interface OperationsMonitoringProps {
  /** Encrypts the operations topic. */
  readonly key: IKey;
  /** Who is told (`deployment.operations.emails`). */
  readonly emails: readonly string[];
  /** Dead-letter queues by name; any message in one is an alarm. */
  readonly deadLetterQueues: Readonly<Record<string, IQueue>>;
  /** Functions by name; errors and throttles are alarms. */
  readonly functions: Readonly<Record<string, IFunction>>;
  /** State machines by name; failed, timed-out or aborted executions are alarms. */
  readonly stateMachines: Readonly<Record<string, IStateMachine>>;
  /** Athena workgroups whose failed queries are alarms. */
  readonly workGroups: readonly string[];
  /** The `service` dimension the handlers put on their metrics (Powertools). */
  readonly serviceName: string;
  /** Values of the `source_type` dimension of the ingest counts. */
  readonly sourceTypes: readonly string[];
  /** Quarantined / received records above which the ingest is alarmed, over an hour. */
  readonly quarantineRatio: number;
  /** Hours without a single flow record after which the sources are alarmed as silent. */
  readonly silenceHours: number;
}

/**
 * The operations topic (KMS-encrypted, TLS-only) and the alarms that page it: messages in any
 * dead-letter queue, Lambda errors and throttles, failed objects, a quarantine rate above the
 * threshold, no flow records at all for `silenceHours` (source silence), failed state machine
 * executions and failed Athena queries. Every alarm notifies on ALARM and on OK.
 */
export class OperationsMonitoring extends Construct {
  /** The operations topic. */
  public readonly topic: Topic;
  /** Every alarm, by construct id. */
  public readonly alarms: Readonly<Record<string, Alarm>>;

  public constructor(scope: Construct, id: string, props: OperationsMonitoringProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', {
      displayName: 'wardflow operations',
      masterKey: props.key,
      enforceSSL: true,
    });
    for (const email of props.emails) this.topic.addSubscription(new EmailSubscription(email));

    const alarms: Record<string, Alarm> = {};
    const alarm = (
      alarmId: string,
      description: string,
      metric: IMetric,
      options: AlarmShape = {},
    ) => {
      const created = new Alarm(this, alarmId, {
        alarmDescription: description,
        metric,
        threshold: options.threshold ?? 1,
        evaluationPeriods: 1,
        comparisonOperator:
          options.comparison ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: options.missing ?? TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(new SnsAction(this.topic));
      created.addOkAction(new SnsAction(this.topic));
      alarms[alarmId] = created;
    };

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      alarm(
        `${name}DeadLetters`,
        `Messages in the ${name} dead-letter queue: deliveries failed every retry; inspect and redrive them.`,
        queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: 'Maximum',
        }),
      );
    }
    for (const [name, fn] of Object.entries(props.functions)) {
      alarm(
        `${name}Errors`,
        `The ${name} function failed.`,
        fn.metricErrors({ period: Duration.minutes(5) }),
      );
      alarm(
        `${name}Throttles`,
        `The ${name} function was throttled at its reserved concurrency.`,
        fn.metricThrottles({ period: Duration.minutes(5) }),
      );
    }
    for (const [name, machine] of Object.entries(props.stateMachines)) {
      const period = Duration.minutes(5);
      alarm(
        `${name}RunsFailed`,
        `A ${name} run failed, timed out or was aborted; some queries did not run or publish.`,
        new MathExpression({
          expression: 'FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)',
          usingMetrics: {
            failed: machine.metricFailed({ period }),
            timedOut: machine.metricTimedOut({ period }),
            aborted: machine.metricAborted({ period }),
          },
          period,
        }),
      );
    }
    for (const workGroup of props.workGroups) {
      alarm(
        `AthenaQueriesFailed${workGroup.replace(/[^A-Za-z0-9]/g, '')}`,
        `Athena queries failed in the ${workGroup} workgroup.`,
        new Metric({
          namespace: 'AWS/Athena',
          metricName: 'TotalExecutionTime',
          dimensionsMap: { WorkGroup: workGroup, QueryState: 'FAILED', QueryType: 'DML' },
          statistic: 'SampleCount',
          period: Duration.minutes(5),
        }),
      );
    }

    const service = { service: props.serviceName };
    alarm(
      'ObjectsFailed',
      'Landed objects could not be ingested; they are retried, then parked in the ingest dead-letter queue.',
      new Metric({
        namespace: METRICS.namespace,
        metricName: METRICS.objectsFailed,
        dimensionsMap: service,
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
    );
    const hour = Duration.hours(1);
    const perSource = (metricName: string, prefix: string, period: Duration) =>
      Object.fromEntries(
        props.sourceTypes.map((type, i) => [
          `${prefix}${i}`,
          new Metric({
            namespace: METRICS.namespace,
            metricName,
            dimensionsMap: { ...service, [METRICS.sourceTypeDimension]: type },
            statistic: 'Sum',
            period,
          }),
        ]),
      );
    const sum = (metrics: Record<string, Metric>) =>
      Object.keys(metrics)
        .map((k) => `FILL(${k}, 0)`)
        .join(' + ');
    const quarantined = perSource(METRICS.recordsQuarantined, 'q', hour);
    const received = perSource(METRICS.recordsIn, 'r', hour);
    alarm(
      'QuarantineRate',
      `More than ${props.quarantineRatio * 100}% of received flow records were quarantined in an hour: a source changed its format or is sending garbage.`,
      new MathExpression({
        expression: 'IF(received > 0, quarantined / received, 0)',
        usingMetrics: {
          quarantined: new MathExpression({
            expression: sum(quarantined),
            usingMetrics: quarantined,
            period: hour,
          }),
          received: new MathExpression({
            expression: sum(received),
            usingMetrics: received,
            period: hour,
          }),
        },
        period: hour,
      }),
      { threshold: props.quarantineRatio, comparison: ComparisonOperator.GREATER_THAN_THRESHOLD },
    );
    const silence = Duration.hours(props.silenceHours);
    const arrived = perSource(METRICS.recordsIn, 'r', silence);
    alarm(
      'SourcesSilent',
      `No flow record arrived from any source for ${props.silenceHours} hours: flow logs or exports stopped, or ingest is broken.`,
      new MathExpression({ expression: sum(arrived), usingMetrics: arrived, period: silence }),
      {
        threshold: 1,
        comparison: ComparisonOperator.LESS_THAN_THRESHOLD,
        missing: TreatMissingData.BREACHING,
      },
    );
    this.alarms = alarms;
  }
}

interface AlarmShape {
  readonly threshold?: number;
  readonly comparison?: ComparisonOperator;
  readonly missing?: TreatMissingData;
}
