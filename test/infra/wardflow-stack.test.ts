import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CfnResource } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { Runtime, RuntimeFamily } from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DEPLOYMENT } from '../../functions/shared/deployment-config.js';
import {
  BUNDLED_CONFIG_FILE,
  ENVIRONMENT,
  METRICS,
} from '../../functions/shared/deployment-contract.js';
import { FLOW_LOG_FIELDS } from '../../infra/constructs/flow-log-sources.js';
import { QUERIES_ROOT, REPO_ROOT } from '../../infra/paths.js';
import type { WardflowStack } from '../../infra/wardflow-stack.js';
import { nagAcknowledgements, unacknowledgedFindings } from './acknowledgements.js';
import { synthesize } from './stack-fixture.js';
import {
  asList,
  flatToken,
  flatten,
  policyStatements,
  resourcesOf,
  type TemplateResource,
} from './template-values.js';

let stack: WardflowStack;
let template: Template;

beforeAll(async () => {
  ({ stack, template } = await synthesize(join(REPO_ROOT, 'samples', 'wardflow.yaml')));
}, 120_000);

const ref = (token: unknown) => stack.resolve(token);
const keyArn = () => ref(stack.lake.key.keyArn);
const sqlFiles = (folder: string) =>
  readdirSync(join(QUERIES_ROOT, folder)).filter((f) => f.endsWith('.sql'));

/** True when the bucket policy of `bucketLogical` denies every request without TLS. */
function deniesInsecureTransport(bucketLogical: string): boolean {
  return resourcesOf(template, 'AWS::S3::BucketPolicy').some(([, policy]) => {
    if (flatten(policy.Properties?.Bucket) !== `<${bucketLogical}>`) return false;
    const document = policy.Properties?.PolicyDocument as { Statement: Record<string, unknown>[] };
    return document.Statement.some(
      (s) =>
        s.Effect === 'Deny' &&
        asList(s.Action as string | string[]).includes('s3:*') &&
        JSON.stringify(s.Condition) ===
          JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }),
    );
  });
}

describe('Stack: WardflowStack (default configuration: created bucket and VPC)', () => {
  describe('KMS', () => {
    it('rotates every customer-managed key', () => {
      // Assess
      const keys = resourcesOf(template, 'AWS::KMS::Key');
      expect(keys).toHaveLength(1);
      for (const [, key] of keys) expect(key.Properties?.EnableKeyRotation).toBe(true);
    });

    it('lets CloudWatch Logs use the key only for wardflow log groups of this account', () => {
      // Assess
      template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: Match.anyValue() },
              Condition: {
                ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() },
              },
            }),
          ]),
        },
      });
    });
  });

  describe('S3', () => {
    it('creates the landing, lake, results, findings and access-log buckets', () => {
      // Assess
      template.resourceCountIs('AWS::S3::Bucket', 5);
    });

    it.each([
      ['landing', () => stack.lake.landingBucket],
      ['lake', () => stack.lake.lakeBucket],
      ['results', () => stack.lake.resultsBucket],
      ['findings', () => stack.lake.findingsBucket],
    ])(
      'encrypts the %s bucket with the key (SSE-KMS, bucket key) and logs its access',
      (_, bucket) => {
        // Prepare
        const logical = stack.getLogicalId(bucket().node.defaultChild as never);

        // Assess
        const [, resource] = resourcesOf(template, 'AWS::S3::Bucket').find(
          ([id]) => id === logical,
        ) as [string, TemplateResource];
        expect(resource.Properties).toMatchObject({
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              {
                ServerSideEncryptionByDefault: {
                  SSEAlgorithm: 'aws:kms',
                  KMSMasterKeyID: keyArn(),
                },
                BucketKeyEnabled: true,
              },
            ],
          },
          LoggingConfiguration: {
            DestinationBucketName: ref(stack.lake.accessLogBucket.bucketName),
          },
        });
      },
    );

    it('blocks public access, disables ACLs, versions and sets lifecycle rules on every bucket', () => {
      // Assess
      for (const [, bucket] of resourcesOf(template, 'AWS::S3::Bucket')) {
        expect(bucket.Properties).toMatchObject({
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
          OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
          VersioningConfiguration: { Status: 'Enabled' },
          LifecycleConfiguration: { Rules: expect.arrayContaining([expect.anything()]) },
        });
      }
    });

    it('denies every request without TLS on every bucket', () => {
      // Assess
      for (const [logical] of resourcesOf(template, 'AWS::S3::Bucket')) {
        expect(deniesInsecureTransport(logical), logical).toBe(true);
      }
    });

    it('keeps findings and evidence under Object Lock, COMPLIANCE, for six years', () => {
      // Assess
      template.hasResourceProperties('AWS::S3::Bucket', {
        ObjectLockEnabled: true,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2192 } },
        },
      });
      const locked = resourcesOf(template, 'AWS::S3::Bucket').filter(
        ([, b]) => b.Properties?.ObjectLockEnabled === true,
      );
      expect(locked.map(([id]) => id)).toEqual([
        stack.getLogicalId(stack.lake.findingsBucket.node.defaultChild as never),
      ]);
    });

    it('expires raw exports, lake data and query results after their retention', () => {
      // Assess
      const { retention } = DEFAULT_DEPLOYMENT;
      for (const days of [retention.raw_days, retention.lake_days, retention.results_days]) {
        template.hasResourceProperties('AWS::S3::Bucket', {
          LifecycleConfiguration: {
            Rules: Match.arrayWith([
              Match.objectLike({ ExpirationInDays: days, Status: 'Enabled' }),
            ]),
          },
        });
      }
    });

    it('encrypts the access-log bucket with SSE-S3, the only encryption S3 log delivery accepts', () => {
      // Assess
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
          ],
        },
        LoggingConfiguration: Match.absent(),
      });
    });
  });

  describe('Catalog', () => {
    it('creates one Glue table per DDL file in queries/tables, with partition projection', () => {
      // Prepare
      const names = sqlFiles('tables').map((f) => f.replace(/\.sql$/, ''));

      // Assess
      template.resourceCountIs('AWS::Glue::Table', names.length);
      for (const name of names) {
        template.hasResourceProperties('AWS::Glue::Table', {
          DatabaseName: 'wardflow',
          TableInput: Match.objectLike({
            Name: name,
            TableType: 'EXTERNAL_TABLE',
            Parameters: Match.objectLike({ 'projection.enabled': 'true' }),
          }),
        });
      }
    });

    it('uses no crawlers and no partition-loading functions', () => {
      // Assess
      template.resourceCountIs('AWS::Glue::Crawler', 0);
      template.resourceCountIs('AWS::Lambda::Function', 3);
    });

    it('points flows at the lake bucket and findings at the Object Lock bucket', () => {
      // Prepare
      const tables = Object.fromEntries(
        resourcesOf(template, 'AWS::Glue::Table').map(([, t]) => {
          const input = t.Properties?.TableInput as {
            Name: string;
            StorageDescriptor: { Location: unknown };
          };
          return [input.Name, flatten(input.StorageDescriptor.Location)];
        }),
      );

      // Assess
      expect(tables.flows).toBe(
        `s3://${flatToken(stack, stack.lake.lakeBucket.bucketName)}/flows/`,
      );
      expect(tables.findings).toBe(
        `s3://${flatToken(stack, stack.lake.findingsBucket.bucketName)}/findings/`,
      );
      expect(Object.values(tables).every((l) => !l.includes('{{'))).toBe(true);
    });
  });

  describe('Ingest', () => {
    it('sends the landing bucket’s new objects to the ingest queue by S3 notification', () => {
      // Assess
      template.hasResourceProperties('AWS::S3::Bucket', {
        NotificationConfiguration: {
          QueueConfigurations: [
            { Event: 's3:ObjectCreated:*', Queue: ref(stack.ingest.queue.queueArn) },
          ],
        },
      });
      template.resourceCountIs('Custom::S3BucketNotifications', 0);
    });

    it('lets only the landing bucket of this account send to the queue, and creates that policy first', () => {
      // Prepare
      const queuePolicy = resourcesOf(template, 'AWS::SQS::QueuePolicy').find(([, p]) =>
        JSON.stringify(p.Properties?.Queues).includes(
          stack.getLogicalId(stack.ingest.queue.node.defaultChild as never),
        ),
      ) as [string, TemplateResource];
      const landing = resourcesOf(template, 'AWS::S3::Bucket').find(
        ([, b]) => b.Properties?.NotificationConfiguration !== undefined,
      ) as [string, TemplateResource];

      // Assess
      const statement = (
        queuePolicy[1].Properties as { PolicyDocument: { Statement: Record<string, unknown>[] } }
      ).PolicyDocument.Statement.find((s) =>
        JSON.stringify(s.Principal).includes('s3.amazonaws.com'),
      );
      expect(
        flatten(
          (statement as { Condition: { ArnEquals: Record<string, unknown> } }).Condition.ArnEquals[
            'aws:SourceArn'
          ],
        ),
      ).toMatch(/^arn:<AWS::Partition>:s3:::wardflow-landing-<AWS::AccountId>-<AWS::Region>$/);
      expect(asList(landing[1].DependsOn)).toContain(queuePolicy[0]);
    });

    it('feeds the normalize function with partial batch failures from an encrypted queue with a DLQ', () => {
      // Assess
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: ref(stack.ingest.queue.queueArn),
        FunctionName: ref(stack.functions.normalize.function.functionName),
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BatchSize: DEFAULT_DEPLOYMENT.ingest.batch_size,
      });
      template.hasResourceProperties('AWS::SQS::Queue', {
        KmsMasterKeyId: keyArn(),
        VisibilityTimeout: 6 * DEFAULT_DEPLOYMENT.functions.normalize.timeout_seconds,
        RedrivePolicy: {
          deadLetterTargetArn: ref(stack.ingest.deadLetterQueue.queueArn),
          maxReceiveCount: DEFAULT_DEPLOYMENT.ingest.max_receive_count,
        },
      });
    });
  });

  describe('SQS', () => {
    it('encrypts every queue with the key and denies requests without TLS', () => {
      // Prepare
      const queues = resourcesOf(template, 'AWS::SQS::Queue');
      const policies = resourcesOf(template, 'AWS::SQS::QueuePolicy');

      // Assess
      expect(queues.length).toBeGreaterThanOrEqual(5);
      for (const [logical, queue] of queues) {
        expect(queue.Properties?.KmsMasterKeyId, logical).toEqual(keyArn());
        const denies = policies.some(
          ([, p]) =>
            JSON.stringify(p.Properties?.Queues).includes(`"${logical}"`) &&
            JSON.stringify(p.Properties?.PolicyDocument).includes('"aws:SecureTransport":"false"'),
        );
        expect(denies, logical).toBe(true);
      }
    });
  });

  describe('Lambda', () => {
    const newestNode = () =>
      Runtime.ALL.filter((r) => r.family === RuntimeFamily.NODEJS && /^nodejs\d+\.x$/.test(r.name))
        .map((r) => r.name)
        .sort((a, b) => Number.parseInt(b.slice(6), 10) - Number.parseInt(a.slice(6), 10))[0];

    it('runs every handler on the newest Node.js runtime this aws-cdk-lib knows, on arm64', () => {
      // Assess
      for (const [, fn] of resourcesOf(template, 'AWS::Lambda::Function')) {
        expect(fn.Properties).toMatchObject({ Runtime: newestNode(), Architectures: ['arm64'] });
      }
    });

    it.each(['normalize', 'plan', 'publish'] as const)(
      'gives %s reserved concurrency, a DLQ, a VPC placement, its own log group and the contract’s environment',
      (name) => {
        // Prepare
        const fn = stack.functions[name];
        const settings = DEFAULT_DEPLOYMENT.functions[name];

        // Assess
        template.hasResourceProperties('AWS::Lambda::Function', {
          FunctionName: Match.absent(),
          Role: ref(fn.function.role?.roleArn),
          MemorySize: settings.memory_mb,
          Timeout: settings.timeout_seconds,
          ReservedConcurrentExecutions: settings.reserved_concurrency,
          DeadLetterConfig: { TargetArn: Match.anyValue() },
          LoggingConfig: { LogGroup: ref(fn.logGroup.logGroupName) },
          VpcConfig: {
            SecurityGroupIds: [ref(stack.network.securityGroup.securityGroupId)],
            SubnetIds: Match.anyValue(),
          },
          Environment: {
            Variables: Match.objectLike({
              [ENVIRONMENT.configFile]: BUNDLED_CONFIG_FILE,
              [ENVIRONMENT.lakeBucket]: ref(stack.lake.lakeBucket.bucketName),
              [ENVIRONMENT.findingsBucket]: ref(stack.lake.findingsBucket.bucketName),
              [ENVIRONMENT.findingsTopicArn]: ref(stack.findings.topic.topicArn),
              [ENVIRONMENT.athenaWorkgroup]: 'wardflow',
              [ENVIRONMENT.glueDatabase]: 'wardflow',
            }),
          },
        });
      },
    );

    it('gives the normalizer enough memory to stream a 75 MB gzipped object (peak RSS about 300 MB)', () => {
      // Prepare
      const logical = stack.getLogicalId(
        stack.functions.normalize.function.node.defaultChild as never,
      );
      const resource = template.toJSON().Resources[logical] as TemplateResource;

      // Assess: three times the measured peak leaves room for the Parquet staging buffers.
      expect(resource.Properties?.MemorySize).toBeGreaterThanOrEqual(3 * 300);
    });

    it('creates each function after the policy that lets it manage network interfaces', () => {
      // Assess
      for (const fn of Object.values(stack.functions)) {
        const logical = stack.getLogicalId(fn.function.node.defaultChild as never);
        const policy = stack.getLogicalId(fn.policy.node.defaultChild as never);
        const resource = template.toJSON().Resources[logical] as TemplateResource;
        expect(asList(resource.DependsOn)).toContain(policy);
      }
    });

    it('encrypts every log group with the key and keeps it six years', () => {
      // Assess
      const groups = resourcesOf(template, 'AWS::Logs::LogGroup');
      expect(groups).toHaveLength(5);
      for (const [, group] of groups) {
        expect(group.Properties).toMatchObject({ KmsKeyId: keyArn(), RetentionInDays: 2192 });
      }
    });
  });

  describe('IAM', () => {
    it('uses no inline policies and no AWS-managed policies', () => {
      // Assess
      template.resourceCountIs('AWS::IAM::Policy', 0);
      for (const [, role] of resourcesOf(template, 'AWS::IAM::Role')) {
        expect(role.Properties?.Policies).toBeUndefined();
        expect(JSON.stringify(role.Properties?.ManagedPolicyArns ?? [])).not.toContain(
          ':iam::aws:policy',
        );
      }
    });

    it('names every action: no wildcard in any action', () => {
      // Assess
      for (const { policy, statement } of policyStatements(template)) {
        for (const action of asList(statement.Action as string | string[])) {
          expect(action, policy).not.toContain('*');
        }
      }
    });

    it('allows Resource "*" only for APIs without resource-level permissions (ENIs, log delivery, X-Ray)', () => {
      // Assess
      const unscoped = policyStatements(template).filter(({ statement }) =>
        asList(statement.Resource).includes('*'),
      );
      expect(unscoped.length).toBeGreaterThan(0);
      for (const { statement } of unscoped) {
        for (const action of asList(statement.Action as string | string[])) {
          expect(action).toMatch(
            /^(ec2:(Create|Describe|Delete)NetworkInterfaces?|ec2:DescribeSubnets|ec2:(Assign|Unassign)PrivateIpAddresses|logs:(Create|Get|Update|Delete|List)LogDeliver(y|ies)|logs:(PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups)|xray:\w+)$/,
          );
        }
      }
    });

    it('scopes the normalizer’s lake writes to the flows, quarantine and manifests prefixes', () => {
      // Prepare
      const lakeArn = flatToken(stack, stack.lake.lakeBucket.bucketArn);
      const policy = stack.getLogicalId(
        stack.functions.normalize.policy.node.defaultChild as never,
      );
      const writes = policyStatements(template).filter(
        ({ policy: id, statement }) =>
          id === policy && asList(statement.Action as string[]).includes('s3:PutObject'),
      );

      // Assess
      expect(
        writes.flatMap(({ statement }) => asList(statement.Resource).map(flatten)).sort(),
      ).toEqual([`${lakeArn}/flows/*`, `${lakeArn}/manifests/*`, `${lakeArn}/quarantine/*`]);
    });

    it('lets only the publish function publish to the findings topic', () => {
      // Prepare
      const topic = flatToken(stack, stack.findings.topic.topicArn);
      const publishers = policyStatements(template).filter(({ statement }) =>
        asList(statement.Action as string[]).includes('sns:Publish'),
      );

      // Assess
      expect(publishers.map((p) => p.policy)).toEqual([
        stack.getLogicalId(stack.functions.publish.policy.node.defaultChild as never),
      ]);
      expect(asList(publishers[0]?.statement.Resource).map(flatten)).toEqual([topic]);
    });
  });

  describe('SNS', () => {
    it('encrypts the findings and operations topics with the key and denies publishing without TLS', () => {
      // Assess
      const topics = resourcesOf(template, 'AWS::SNS::Topic');
      expect(topics).toHaveLength(2);
      for (const [logical, topic] of topics) {
        expect(topic.Properties?.KmsMasterKeyId).toEqual(keyArn());
        template.hasResourceProperties('AWS::SNS::TopicPolicy', {
          Topics: [{ Ref: logical }],
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({
                Effect: 'Deny',
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              }),
            ]),
          },
        });
      }
    });

    it('has no subscriptions when the configuration lists none', () => {
      // Assess
      template.resourceCountIs('AWS::SNS::Subscription', 0);
    });
  });

  describe('Athena', () => {
    it.each([
      ['detection', 'wardflow', 'detection/', DEFAULT_DEPLOYMENT.detection.bytes_scanned_cutoff_gb],
      ['audit', 'wardflow-audit', 'audit/', DEFAULT_DEPLOYMENT.audit.bytes_scanned_cutoff_gb],
    ])(
      'enforces the %s workgroup’s SSE-KMS results, cutoff and metrics',
      (_, name, prefix, cutoffGb) => {
        // Assess
        template.hasResourceProperties('AWS::Athena::WorkGroup', {
          Name: name,
          WorkGroupConfiguration: {
            EnforceWorkGroupConfiguration: true,
            PublishCloudWatchMetricsEnabled: true,
            BytesScannedCutoffPerQuery: cutoffGb * 1_000_000_000,
            EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
            ResultConfiguration: {
              OutputLocation: ref(`s3://${stack.lake.resultsBucket.bucketName}/${prefix}`),
              EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: keyArn() },
              ExpectedBucketOwner: Match.anyValue(),
            },
          },
        });
      },
    );

    it('saves one named query per file in queries/audit in the audit workgroup', () => {
      // Prepare
      const files = sqlFiles('audit');

      // Assess
      template.resourceCountIs('AWS::Athena::NamedQuery', files.length);
      for (const file of files) {
        template.hasResourceProperties('AWS::Athena::NamedQuery', {
          Name: file.replace(/\.sql$/, ''),
          Database: 'wardflow',
          WorkGroup: ref(stack.auditWorkgroup.workGroup.ref),
          QueryString: Match.stringLikeRegexp('^(?![\\s\\S]*:[a-z_]+\\b)[\\s\\S]*\\?'),
        });
      }
    });
  });

  describe('Step Functions', () => {
    const definition = (machine: 'detection' | 'baseline') => {
      const logical = stack.getLogicalId(stack[machine].stateMachine.node.defaultChild as never);
      const resource = template.toJSON().Resources[logical] as TemplateResource;
      return JSON.parse(flatten(resource.Properties?.DefinitionString)) as {
        States: Record<string, Record<string, unknown>>;
      };
    };

    it('logs every execution at level ALL without execution data, encrypted, and traces it', () => {
      // Assess
      template.resourceCountIs('AWS::StepFunctions::StateMachine', 2);
      for (const [, machine] of resourcesOf(template, 'AWS::StepFunctions::StateMachine')) {
        expect(machine.Properties).toMatchObject({
          LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
          TracingConfiguration: { Enabled: true },
        });
      }
    });

    it('plans, then runs each query with Athena’s .sync integration in the wardflow workgroup, then publishes it', () => {
      // Act
      const { States } = definition('detection');
      const map = States.RunQueries as {
        ItemsPath: string;
        MaxConcurrency: number;
        ItemProcessor: { States: Record<string, Record<string, unknown>> };
      };
      const inner = map.ItemProcessor.States;

      // Assess
      expect(States.Plan?.Resource).toMatch(/:states:::lambda:invoke$/);
      expect(map.ItemsPath).toBe('$.plan.queries');
      expect(map.MaxConcurrency).toBe(DEFAULT_DEPLOYMENT.detection.max_concurrency);
      expect(inner.StartQuery).toMatchObject({
        Resource: expect.stringMatching(/:states:::athena:startQueryExecution\.sync$/),
        Parameters: { 'QueryString.$': '$.query.sql', WorkGroup: 'wardflow' },
        Next: 'Publish',
      });
      expect(inner.Publish?.Parameters).toMatchObject({
        Payload: {
          'detection_id.$': '$.query.detection_id',
          'window_start.$': '$.query.window_start',
          'window_end.$': '$.query.window_end',
          'query_execution_id.$': '$.athena.queryExecutionId',
        },
      });
    });

    it('keeps running the other queries when one fails, then fails the execution', () => {
      // Act
      const { States } = definition('detection');
      const inner = (
        States.RunQueries as { ItemProcessor: { States: Record<string, Record<string, unknown>> } }
      ).ItemProcessor.States;

      // Assess
      for (const task of ['StartQuery', 'Publish']) {
        expect(inner[task]?.Catch).toEqual([
          { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'QueryFailed' },
        ]);
      }
      expect(inner.StartQuery?.Retry).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            ErrorEquals: expect.arrayContaining(['Athena.TooManyRequestsException']),
          }),
        ]),
      );
      expect(States.AnyQueryFailed?.Choices).toEqual([
        { Variable: '$.outcome.anyFailed', BooleanEquals: true, Next: 'SomeQueriesFailed' },
      ]);
      expect(States.SomeQueriesFailed?.Type).toBe('Fail');
    });

    it('refreshes baselines the same way, without publishing', () => {
      // Act
      const { States } = definition('baseline');
      const inner = (
        States.RunQueries as { ItemProcessor: { States: Record<string, Record<string, unknown>> } }
      ).ItemProcessor.States;

      // Assess
      expect(inner.StartQuery?.Resource).toMatch(/athena:startQueryExecution\.sync$/);
      expect(inner.Publish).toBeUndefined();
      expect(inner.StartQuery?.Next).toBe('QuerySucceeded');
    });
  });

  describe('EventBridge schedules', () => {
    it('starts a detection run every period with the lag, and a baseline refresh daily', () => {
      // Assess
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(1 hour)',
        Targets: [
          Match.objectLike({
            Arn: ref(stack.detection.stateMachine.stateMachineArn),
            InputTransformer: {
              InputPathsMap: { time: '$.time' },
              InputTemplate:
                '{"kind":"detections","time":<time>,"period_minutes":60,"lag_minutes":15}',
            },
          }),
        ],
      });
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'cron(0 2 * * ? *)',
        Targets: [Match.objectLike({ Arn: ref(stack.baseline.stateMachine.stateMachineArn) })],
      });
    });

    it('retries every rule target and sends what still fails to a dead-letter queue', () => {
      // Assess
      for (const [, rule] of resourcesOf(template, 'AWS::Events::Rule')) {
        for (const target of (rule.Properties as { Targets: Record<string, unknown>[] }).Targets) {
          expect(target).toMatchObject({
            DeadLetterConfig: { Arn: expect.anything() },
            RetryPolicy: { MaximumRetryAttempts: expect.any(Number) },
          });
        }
      }
    });
  });

  describe('Monitoring', () => {
    const alarms = () => resourcesOf(template, 'AWS::CloudWatch::Alarm');
    const opsTopic = () => ref(stack.monitoring.topic.topicArn);

    it('sends every alarm, and its recovery, to the operations topic', () => {
      // Assess
      expect(alarms().length).toBeGreaterThanOrEqual(10);
      for (const [, alarm] of alarms()) {
        expect(alarm.Properties).toMatchObject({
          AlarmActions: [opsTopic()],
          OKActions: [opsTopic()],
        });
        expect(alarm.Properties?.ActionsEnabled).not.toBe(false);
      }
    });

    it('alarms on a message in any dead-letter queue', () => {
      // Prepare
      const deadLetterQueues = resourcesOf(template, 'AWS::SQS::Queue')
        .filter(([id]) => id !== stack.getLogicalId(stack.ingest.queue.node.defaultChild as never))
        .map(([id]) => id);

      // Assess
      expect(deadLetterQueues).toHaveLength(4);
      for (const queue of deadLetterQueues) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        });
      }
    });

    it.each(['normalize', 'plan', 'publish'] as const)('alarms on %s errors', (name) => {
      // Assess
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'Errors',
        Namespace: 'AWS/Lambda',
        Dimensions: [
          { Name: 'FunctionName', Value: ref(stack.functions[name].function.functionName) },
        ],
      });
    });

    it('alarms when the quarantined share of received records exceeds the threshold', () => {
      // Prepare
      const rate = alarms().find(([, a]) =>
        JSON.stringify(a.Properties?.Metrics ?? []).includes(METRICS.recordsQuarantined),
      )?.[1];

      // Assess
      expect(rate?.Properties).toMatchObject({
        Threshold: DEFAULT_DEPLOYMENT.monitoring.quarantine_ratio,
        ComparisonOperator: 'GreaterThanThreshold',
      });
      const metrics = JSON.stringify(rate?.Properties?.Metrics);
      expect(metrics).toContain(`"Namespace":"${METRICS.namespace}"`);
      expect(metrics).toContain(`"MetricName":"${METRICS.recordsIn}"`);
      expect(metrics).toContain(`"Name":"${METRICS.sourceTypeDimension}"`);
    });

    it('alarms when no flow record arrives for the silence period, counting missing data as silence', () => {
      // Assess
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        ComparisonOperator: 'LessThanThreshold',
        Threshold: 1,
        TreatMissingData: 'breaching',
        Metrics: Match.arrayWith([
          Match.objectLike({
            MetricStat: Match.objectLike({
              Metric: Match.objectLike({ MetricName: METRICS.recordsIn }),
              Period: DEFAULT_DEPLOYMENT.monitoring.silence_hours * 3600,
            }),
          }),
        ]),
      });
    });

    it('alarms on failed state machine executions and failed Athena queries', () => {
      // Assess
      for (const machine of [stack.detection, stack.baseline]) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Metrics: Match.arrayWith([
            Match.objectLike({
              MetricStat: Match.objectLike({
                Metric: Match.objectLike({
                  MetricName: 'ExecutionsFailed',
                  Dimensions: [
                    { Name: 'StateMachineArn', Value: ref(machine.stateMachine.stateMachineArn) },
                  ],
                }),
              }),
            }),
          ]),
        });
      }
      const athena = alarms().filter(([, a]) => a.Properties?.Namespace === 'AWS/Athena');
      expect(athena).toHaveLength(1);
      expect(athena[0]?.[1].Properties?.Dimensions).toEqual(
        expect.arrayContaining([
          { Name: 'WorkGroup', Value: 'wardflow' },
          { Name: 'QueryState', Value: 'FAILED' },
        ]),
      );
    });
  });

  describe('Network', () => {
    it('runs the functions in isolated subnets: no internet or NAT gateway, no public addresses', () => {
      // Assess
      template.resourceCountIs('AWS::EC2::InternetGateway', 0);
      template.resourceCountIs('AWS::EC2::NatGateway', 0);
      for (const [, subnet] of resourcesOf(template, 'AWS::EC2::Subnet')) {
        expect(subnet.Properties?.MapPublicIpOnLaunch).toBe(false);
      }
    });

    it('reaches S3 by a gateway endpoint and the other services by interface endpoints', () => {
      // Prepare
      const services = resourcesOf(template, 'AWS::EC2::VPCEndpoint').map(([, e]) =>
        flatten(e.Properties?.ServiceName).split('.').pop(),
      );

      // Assess
      expect(services.sort()).toEqual(
        ['athena', 'glue', 'kms', 'logs', 's3', 'sns', 'sqs', 'states', 'sts'].sort(),
      );
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Gateway',
        ServiceName: Match.anyValue(),
      });
    });

    it('gives the functions a security group without ingress, HTTPS out only', () => {
      // Assess
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: Match.stringLikeRegexp('wardflow Lambdas'),
        SecurityGroupIngress: Match.absent(),
        SecurityGroupEgress: [Match.objectLike({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443 })],
      });
    });

    it('delivers the created VPC’s flow logs to the landing bucket, Hive-compatible and hourly, with the v3–v5 fields', () => {
      // Assess
      template.hasResourceProperties('AWS::EC2::FlowLog', {
        ResourceId: ref(stack.network.createdVpc?.vpcId),
        ResourceType: 'VPC',
        LogDestinationType: 's3',
        LogDestination: ref(stack.lake.landingBucket.bucketArn),
        DestinationOptions: {
          fileFormat: 'plain-text',
          hiveCompatiblePartitions: true,
          perHourPartition: true,
        },
        LogFormat: FLOW_LOG_FIELDS.map((f) => f.value).join(' '),
      });
      // v3 (tcp-flags, pkt-srcaddr), v4 (az-id), v5 (flow-direction, traffic-path)
      const format = FLOW_LOG_FIELDS.map((f) => f.value).join(' ');
      for (const field of ['tcp-flags', 'pkt-srcaddr', 'az-id', 'flow-direction', 'traffic-path']) {
        expect(format).toContain(`{${field}}`);
      }
    });
  });

  describe('Security gate: cdk-nag HIPAASecurityChecks and AwsSolutionsChecks', () => {
    it('leaves zero unacknowledged findings, errors and warnings alike', () => {
      // Act
      const findings = unacknowledgedFindings(stack);

      // Assess
      expect(findings).toEqual([]);
    });

    it('acknowledges on resources only, each with one sentence of reason', () => {
      // Act
      const acknowledgements = nagAcknowledgements(stack);

      // Assess
      expect(acknowledgements.length).toBeGreaterThan(0);
      for (const ack of acknowledgements) {
        expect(ack.path, ack.rule).not.toBe('');
        expect(
          ack.scope.node.findAll().some((c) => CfnResource.isCfnResource(c)),
          ack.path,
        ).toBe(true);
        expect(ack.reason, `${ack.path} ${ack.rule}`).toMatch(/^[A-Z][\s\S]{19,}\.$/);
      }
    });

    it('acknowledges exactly the reviewed exceptions', () => {
      // Prepare
      const iam5 = (resource: string) => `AwsSolutions-IAM5[Resource::${resource}]`;
      const replication = 'HIPAA.Security-S3BucketReplicationEnabled';
      const glueTables =
        'arn:<AWS::Partition>:glue:<AWS::Region>:<AWS::AccountId>:table/wardflow/*';

      // Act
      const reviewed = nagAcknowledgements(stack).map((a) => `${a.path} ${a.rule}`);

      // Assess
      expect([...new Set(reviewed)].sort()).toEqual(
        [
          'FlowLake/AccessLogBucket AwsSolutions-S1',
          'FlowLake/AccessLogBucket HIPAA.Security-S3BucketLoggingEnabled',
          'FlowLake/AccessLogBucket HIPAA.Security-S3DefaultEncryptionKMS',
          `FlowLake/AccessLogBucket ${replication}`,
          `FlowLake/LandingBucket ${replication}`,
          `FlowLake/LakeBucket ${replication}`,
          `FlowLake/ResultsBucket ${replication}`,
          `FlowLake/FindingsBucket ${replication}`,
          'Network/Vpc HIPAA.Security-VPCDefaultSecurityGroupClosed',
          'Findings/DeliveryDeadLetterQueue AwsSolutions-SQS3',
          'EventsDeadLetterQueue AwsSolutions-SQS3',
          `Normalize/Policy ${iam5('*')}`,
          `Normalize/Policy ${iam5('<LandingBucket.Arn>/*')}`,
          `Normalize/Policy ${iam5('<LakeBucket.Arn>/flows/*')}`,
          `Normalize/Policy ${iam5('<LakeBucket.Arn>/quarantine/*')}`,
          `Normalize/Policy ${iam5('<LakeBucket.Arn>/manifests/*')}`,
          `Plan/Policy ${iam5('*')}`,
          `Plan/Policy ${iam5('<LakeBucket.Arn>/baselines/*')}`,
          `Publish/Policy ${iam5('*')}`,
          `Publish/Policy ${iam5('<ResultsBucket.Arn>/detection/*')}`,
          `Publish/Policy ${iam5('<FindingsBucket.Arn>/findings/*')}`,
          `Publish/Policy ${iam5('<FindingsBucket.Arn>/evidence/*')}`,
          `Publish/Policy ${iam5('<FindingsBucket.Arn>/published/*')}`,
          ...['Detection', 'Baseline'].flatMap((machine) => [
            `${machine}/Policy ${iam5('*')}`,
            `${machine}/Policy ${iam5(glueTables)}`,
            `${machine}/Policy ${iam5('<ResultsBucket.Arn>/detection/*')}`,
            `${machine}/Policy ${iam5('<LakeBucket.Arn>/flows/*')}`,
            `${machine}/Policy ${iam5('<LakeBucket.Arn>/baselines/*')}`,
          ]),
        ].sort(),
      );
    });
  });
});
