import { Duration, Stack } from 'aws-cdk-lib';
import { EventField, Rule, RuleTargetInput, type Schedule } from 'aws-cdk-lib/aws-events';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import {
  Choice,
  Condition,
  DefinitionBody,
  Fail,
  IntegrationPattern,
  JsonPath,
  LogLevel,
  Map as MapState,
  Pass,
  Result,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
} from 'aws-cdk-lib/aws-stepfunctions';
import { AthenaStartQueryExecution, LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { allow } from '../least-privilege.js';
import type { AthenaWorkgroup } from './athena-workgroup.js';
import type { FlowFunction } from './flow-function.js';

/** Properties of {@link QueryStateMachine}. */
export interface QueryStateMachineProps {
  /**
   * The plan task's input kind: `detections` (plan → queries → publish) or `baselines`
   * (plan → queries).
   */
  readonly kind: 'detections' | 'baselines';
  /** Renders the run's queries for Athena. */
  readonly plan: FlowFunction;
  /**
   * Turns one finished query into findings, dedupes and publishes them.
   * @default - none; required for `detections`
   */
  readonly publish?: FlowFunction;
  /** The workgroup the queries run in. */
  readonly workGroup: AthenaWorkgroup;
  /** Bucket and prefix (ending in `/`) of the workgroup's results. */
  readonly results: { readonly bucket: IBucket; readonly prefix: string };
  /** Glue database of the tables. */
  readonly databaseName: string;
  /** Encrypts the log group; the queries read and write data under it. */
  readonly key: IKey;
  /** Retention of the execution log group. */
  readonly logRetention: RetentionDays;
  /** Athena queries kept in flight at once. */
  readonly maxConcurrency: number;
  /** An execution running longer is stopped and counted as timed out. */
  readonly timeout: Duration;
  /** When EventBridge starts a run. */
  readonly schedule: Schedule;
  /** Settings added to each run's input besides `kind` and `time`. */
  readonly scheduleInput: Readonly<Record<string, string | number>>;
  /** Receives schedule deliveries that failed. */
  readonly eventsDeadLetterQueue: IQueue;
}

/**
 * A scheduled run of Athena queries as a Step Functions state machine:
 *
 * `Plan` (Lambda: the run's queries rendered for Athena, from the bundled configuration and
 * `queries/`) → `RunQueries` (Map, `maxConcurrency` at a time: Athena `StartQueryExecution.sync`
 * in the wardflow workgroup → for detections, `Publish` (Lambda) per finished query) → fail the
 * execution when any query failed, so the alarm on failed executions fires while every other query
 * still ran.
 *
 * Why Step Functions: a detection or baseline query can run for minutes (Athena allows 30 by
 * default). The `.sync` integration waits for Athena on Step Functions' side, so no Lambda sits
 * idle, billed, while the query runs, and no Lambda timeout bounds the query; retries with
 * backoff on Athena throttling and the per-query failure record come with it.
 *
 * Run input (from the schedule): `{ kind, time, ...scheduleInput }` (`time` is the scheduled
 * time). `Plan` returns `{ queries: [{ sql, detection_id, window_start, window_end }] }`;
 * `Publish` receives one item's `detection_id`, `window_start` and `window_end` with the
 * `query_execution_id` of its finished query (functions/shared/aws/plan-run.ts and
 * publish-window.ts).
 */
export class QueryStateMachine extends Construct {
  /** The state machine. */
  public readonly stateMachine: StateMachine;
  /** The only policy of its role; data access is added by the stack with `allow`. */
  public readonly policy: ManagedPolicy;
  /** The schedule. */
  public readonly rule: Rule;

  public constructor(scope: Construct, id: string, props: QueryStateMachineProps) {
    super(scope, id);
    if (props.kind === 'detections' && props.publish === undefined) {
      throw new Error(`${id}: a detection state machine needs the publish function`);
    }
    const stack = Stack.of(this);
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('states.amazonaws.com'),
      description: `wardflow ${props.kind} state machine`,
    });
    this.policy = new ManagedPolicy(this, 'Policy', {
      description: `wardflow ${props.kind} state machine: least privilege`,
      roles: [role],
    });

    const plan = new LambdaInvoke(this, 'Plan', {
      lambdaFunction: props.plan.function,
      payload: TaskInput.fromJsonPathAt('$'),
      resultSelector: { 'queries.$': '$.Payload.queries' },
      resultPath: '$.plan',
    });
    const succeeded = new Pass(this, 'QuerySucceeded', { result: Result.fromString('succeeded') });
    const failed = new Pass(this, 'QueryFailed', { result: Result.fromString('failed') });
    const query = AthenaStartQueryExecution.jsonPath(this, 'StartQuery', {
      integrationPattern: IntegrationPattern.RUN_JOB,
      queryString: JsonPath.stringAt('$.query.sql'),
      workGroup: props.workGroup.workGroupName,
      queryExecutionContext: { catalogName: 'AwsDataCatalog', databaseName: props.databaseName },
      resultSelector: { 'queryExecutionId.$': '$.QueryExecution.QueryExecutionId' },
      resultPath: '$.athena',
    });
    query.addRetry({
      errors: ['Athena.TooManyRequestsException', 'Athena.ThrottlingException'],
      interval: Duration.seconds(10),
      backoffRate: 2,
      maxAttempts: 6,
    });
    query.addCatch(failed, { resultPath: '$.error' });
    const perQuery = query.next(
      props.publish === undefined
        ? succeeded
        : this.publishStep(props.publish, failed).next(succeeded),
    );
    const map = new MapState(this, 'RunQueries', {
      itemsPath: '$.plan.queries',
      itemSelector: { 'query.$': '$$.Map.Item.Value' },
      maxConcurrency: props.maxConcurrency,
      resultPath: '$.results',
    });
    map.itemProcessor(perQuery);
    const outcome = new Pass(this, 'Outcome', {
      parameters: { 'anyFailed.$': "States.ArrayContains($.results, 'failed')" },
      resultPath: '$.outcome',
    });
    const verdict = new Choice(this, 'AnyQueryFailed')
      .when(
        Condition.booleanEquals('$.outcome.anyFailed', true),
        new Fail(this, 'SomeQueriesFailed', {
          error: 'QueriesFailed',
          cause: 'One or more queries of this run failed; the execution history names them.',
        }),
      )
      .otherwise(new Succeed(this, 'AllQueriesSucceeded'));

    const logGroup = new LogGroup(this, 'LogGroup', {
      encryptionKey: props.key,
      retention: props.logRetention,
    });
    this.stateMachine = new StateMachine(this, 'Resource', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(plan.next(map).next(outcome).next(verdict)),
      role: role.withoutPolicyUpdates(),
      timeout: props.timeout,
      tracingEnabled: true,
      // Execution data holds rendered SQL with zone names and addresses from the config: not logged.
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: false },
    });

    this.grantBase(props, stack);
    // Step Functions checks at creation that the role may deliver logs to the log group.
    this.stateMachine.node.addDependency(this.policy);

    const eventsRole = new Role(this, 'ScheduleRole', {
      assumedBy: new ServicePrincipal('events.amazonaws.com'),
      description: `wardflow ${props.kind} schedule`,
    });
    const eventsPolicy = new ManagedPolicy(this, 'SchedulePolicy', {
      description: `wardflow ${props.kind} schedule: start the state machine`,
      roles: [eventsRole],
    });
    allow(eventsPolicy, {
      actions: ['states:StartExecution'],
      resources: [this.stateMachine.stateMachineArn],
    });
    this.rule = new Rule(this, 'Schedule', {
      description: `wardflow: ${props.kind} run`,
      schedule: props.schedule,
    });
    this.rule.addTarget(
      new SfnStateMachine(this.stateMachine, {
        role: eventsRole.withoutPolicyUpdates(),
        input: RuleTargetInput.fromObject({
          kind: props.kind,
          time: EventField.time,
          ...props.scheduleInput,
        }),
        deadLetterQueue: props.eventsDeadLetterQueue,
        retryAttempts: 3,
        maxEventAge: Duration.hours(1),
      }),
    );
  }

  /** Publish: one finished detection query → findings, dedupe, SNS. */
  private publishStep(publish: FlowFunction, failed: Pass): LambdaInvoke {
    const step = new LambdaInvoke(this, 'Publish', {
      lambdaFunction: publish.function,
      payload: TaskInput.fromObject({
        detection_id: JsonPath.stringAt('$.query.detection_id'),
        window_start: JsonPath.stringAt('$.query.window_start'),
        window_end: JsonPath.stringAt('$.query.window_end'),
        query_execution_id: JsonPath.stringAt('$.athena.queryExecutionId'),
      }),
      resultPath: JsonPath.DISCARD,
    });
    step.addCatch(failed, { resultPath: '$.error' });
    return step;
  }

  /** Invoking the functions, running queries in the workgroup, logging, tracing. */
  private grantBase(props: QueryStateMachineProps, stack: Stack): void {
    const functions = [props.plan, props.publish].filter((f) => f !== undefined);
    allow(this.policy, {
      actions: ['lambda:InvokeFunction'],
      resources: functions.map((f) => f.function.functionArn),
    });
    allow(this.policy, {
      actions: [
        'athena:StartQueryExecution',
        'athena:GetQueryExecution',
        'athena:StopQueryExecution',
      ],
      resources: [props.workGroup.workGroupArn],
    });
    allow(this.policy, {
      actions: ['athena:GetDataCatalog'],
      resources: [
        stack.formatArn({
          service: 'athena',
          resource: 'datacatalog',
          resourceName: 'AwsDataCatalog',
        }),
      ],
    });
    allow(this.policy, {
      actions: [
        'glue:GetDatabase',
        'glue:GetTable',
        'glue:GetTables',
        'glue:GetPartition',
        'glue:GetPartitions',
        'glue:BatchGetPartition',
      ],
      resources: [
        stack.formatArn({ service: 'glue', resource: 'catalog' }),
        stack.formatArn({
          service: 'glue',
          resource: 'database',
          resourceName: props.databaseName,
        }),
        stack.formatArn({
          service: 'glue',
          resource: 'table',
          resourceName: `${props.databaseName}/*`,
        }),
      ],
      wildcardReason:
        'Athena reads the definitions of the tables a query names, all of them in the wardflow Glue database and none elsewhere.',
    });
    allow(this.policy, {
      actions: ['s3:GetBucketLocation', 's3:ListBucket'],
      resources: [props.results.bucket.bucketArn],
    });
    allow(this.policy, {
      actions: [
        's3:GetObject',
        's3:PutObject',
        's3:AbortMultipartUpload',
        's3:ListMultipartUploadParts',
      ],
      resources: [props.results.bucket.arnForObjects(`${props.results.prefix}*`)],
      wildcardReason:
        'Athena writes each query result as new objects under the workgroup result prefix, whose names it generates.',
    });
    allow(this.policy, {
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [props.key.keyArn],
    });
    allow(this.policy, {
      actions: [
        'logs:CreateLogDelivery',
        'logs:GetLogDelivery',
        'logs:UpdateLogDelivery',
        'logs:DeleteLogDelivery',
        'logs:ListLogDeliveries',
        'logs:PutResourcePolicy',
        'logs:DescribeResourcePolicies',
        'logs:DescribeLogGroups',
        'xray:PutTraceSegments',
        'xray:PutTelemetryRecords',
        'xray:GetSamplingRules',
        'xray:GetSamplingTargets',
      ],
      resources: ['*'],
      wildcardReason:
        'Step Functions delivers execution logs through CloudWatch Logs vended-log delivery and X-Ray traces, whose APIs support no resource-level permissions.',
    });
  }
}
