import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WardflowConfig } from '../../functions/shared/config.js';
import type { DeploymentConfig } from '../../functions/shared/deployment-config.js';
import { SEVERITIES } from '../../functions/shared/detection/query-file.js';
import { FINDING_ATTRIBUTES, findingFilterPolicy } from '../../infra/constructs/findings-topic.js';
import type { WardflowStack } from '../../infra/wardflow-stack.js';
import { unacknowledgedFindings } from './acknowledgements.js';
import { EXAMPLES, synthesize } from './stack-fixture.js';
import { asList, flatToken, flatten, policyStatements, resourcesOf } from './template-values.js';

let stack: WardflowStack;
let template: Template;
let deployment: DeploymentConfig;

beforeAll(async () => {
  let config: WardflowConfig;
  ({ stack, template, config } = await synthesize(join(EXAMPLES, 'import-existing.yaml')));
  deployment = config.deployment as DeploymentConfig;
}, 120_000);

const ref = (token: unknown) => stack.resolve(token);

describe('Stack: WardflowStack (imported landing bucket and VPC, subscriptions)', () => {
  it('leaves zero unacknowledged cdk-nag findings', () => {
    // Act
    const findings = unacknowledgedFindings(stack);

    // Assess
    expect(findings).toEqual([]);
  });

  describe('Imported landing bucket', () => {
    it('creates no landing bucket and no S3 notification on the imported one', () => {
      // Assess
      template.resourceCountIs('AWS::S3::Bucket', 4);
      for (const [, bucket] of resourcesOf(template, 'AWS::S3::Bucket')) {
        expect(bucket.Properties?.NotificationConfiguration).toBeUndefined();
      }
    });

    it('routes the bucket’s Object Created events for the configured prefixes to the ingest queue', () => {
      // Assess
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['aws.s3'],
          'detail-type': ['Object Created'],
          detail: {
            bucket: { name: [deployment.landing.bucket_name] },
            object: { key: deployment.landing.prefixes.map((prefix) => ({ prefix })) },
          },
        },
        Targets: [
          Match.objectLike({
            Arn: ref(stack.ingest.queue.queueArn),
            DeadLetterConfig: { Arn: Match.anyValue() },
            RetryPolicy: Match.objectLike({ MaximumRetryAttempts: Match.anyValue() }),
          }),
        ],
      });
    });

    it('lets the normalizer read only the configured prefixes and decrypt with the bucket’s key', () => {
      // Prepare
      const policy = stack.getLogicalId(
        stack.functions.normalize.policy.node.defaultChild as never,
      );
      const statements = policyStatements(template).filter((s) => s.policy === policy);
      const reads = statements.find((s) =>
        asList(s.statement.Action as string[]).includes('s3:GetObjectVersion'),
      );
      const decrypt = statements.find(
        (s) => JSON.stringify(s.statement.Action) === JSON.stringify('kms:Decrypt'),
      );

      // Assess
      expect(asList(reads?.statement.Resource).map(flatten)).toEqual(
        deployment.landing.prefixes.map(
          (prefix) => `arn:<AWS::Partition>:s3:::${deployment.landing.bucket_name}/${prefix}*`,
        ),
      );
      expect(decrypt?.statement.Resource).toBe(deployment.landing.kms_key_arn);
    });

    it('creates flow logs for the listed VPCs into the imported bucket', () => {
      // Assess
      template.resourceCountIs('AWS::EC2::FlowLog', deployment.flow_logs.vpc_ids.length);
      for (const vpcId of deployment.flow_logs.vpc_ids) {
        template.hasResourceProperties('AWS::EC2::FlowLog', {
          ResourceId: vpcId,
          ResourceType: 'VPC',
          LogDestination: ref(stack.lake.landingBucket.bucketArn),
          MaxAggregationInterval: 60,
          DestinationOptions: Match.objectLike({
            hiveCompatiblePartitions: true,
            perHourPartition: true,
          }),
        });
      }
    });
  });

  describe('Imported VPC', () => {
    it('creates no VPC and places the functions in the configured subnets', () => {
      // Assess
      template.resourceCountIs('AWS::EC2::VPC', 0);
      for (const [, fn] of resourcesOf(template, 'AWS::Lambda::Function')) {
        expect(
          (fn.Properties as { VpcConfig: { SubnetIds: unknown } }).VpcConfig.SubnetIds,
        ).toEqual(deployment.vpc.subnet_ids);
      }
    });

    it('adds the S3 gateway endpoint to the configured route tables and the interface endpoints to the VPC', () => {
      // Assess
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Gateway',
        VpcId: deployment.vpc.vpc_id,
        RouteTableIds: deployment.vpc.route_table_ids,
      });
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Interface',
        VpcId: deployment.vpc.vpc_id,
        SubnetIds: deployment.vpc.subnet_ids,
        PrivateDnsEnabled: true,
      });
    });
  });

  describe('Findings subscriptions', () => {
    it('subscribes each configured endpoint with a filter policy and a dead-letter queue', () => {
      // Assess
      const findingsTopic = ref(stack.findings.topic.topicArn);
      const onFindings = resourcesOf(template, 'AWS::SNS::Subscription').filter(
        ([, sub]) => JSON.stringify(sub.Properties?.TopicArn) === JSON.stringify(findingsTopic),
      );
      expect(onFindings).toHaveLength(deployment.findings.subscriptions.length);
      for (const subscription of deployment.findings.subscriptions) {
        template.hasResourceProperties('AWS::SNS::Subscription', {
          Protocol: subscription.protocol,
          Endpoint: subscription.endpoint,
          TopicArn: ref(stack.findings.topic.topicArn),
          FilterPolicy: Match.anyValue(),
          RedrivePolicy: {
            deadLetterTargetArn: ref(stack.findings.deliveryDeadLetterQueue.queueArn),
          },
        });
      }
    });

    it('filters the on-call email on high and critical findings', () => {
      // Assess
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        FilterPolicy: { severity: ['high', 'critical'] },
      });
    });

    it('builds filter policies from severity, detection_id and src_zone only, so no IP address can be in one', () => {
      // Assess
      const findingsTopic = JSON.stringify(ref(stack.findings.topic.topicArn));
      const onFindings = resourcesOf(template, 'AWS::SNS::Subscription').filter(
        ([, sub]) => JSON.stringify(sub.Properties?.TopicArn) === findingsTopic,
      );
      expect(onFindings).toHaveLength(3);
      for (const [, subscription] of onFindings) {
        const keys = Object.keys(subscription.Properties?.FilterPolicy as object);
        expect(keys.length).toBeGreaterThan(0);
        for (const key of keys) expect(FINDING_ATTRIBUTES).toContain(key);
      }
    });

    it('names the deployment’s database and workgroups after deployment.name', () => {
      // Assess
      template.hasResourceProperties('AWS::Glue::Database', {
        DatabaseInput: Match.objectLike({ Name: deployment.name }),
      });
      template.hasResourceProperties('AWS::Athena::WorkGroup', { Name: deployment.name });
      template.hasResourceProperties('AWS::Athena::WorkGroup', {
        Name: `${deployment.name}-audit`,
      });
      expect(flatToken(stack, stack.detectionWorkgroup.workGroupArn)).toMatch(
        new RegExp(`:workgroup/${deployment.name}$`),
      );
    });

    it('subscribes the operations emails to the operations topic', () => {
      // Assess
      for (const email of deployment.operations.emails) {
        template.hasResourceProperties('AWS::SNS::Subscription', {
          Protocol: 'email',
          Endpoint: email,
          TopicArn: ref(stack.monitoring.topic.topicArn),
        });
      }
    });
  });
});

describe('Function: findingFilterPolicy', () => {
  const base = {
    protocol: 'email' as const,
    endpoint: 'soc@h.example',
    min_severity: null,
    detection_ids: [],
    src_zones: [],
  };

  it('has no keys for a subscription without filters (every finding is delivered)', () => {
    // Act
    const policy = findingFilterPolicy(base, SEVERITIES);

    // Assess
    expect(policy).toEqual({});
  });

  it('expands min_severity to that severity and every higher one', () => {
    // Act
    const policy = findingFilterPolicy({ ...base, min_severity: 'medium' }, SEVERITIES);

    // Assess
    expect(Object.keys(policy)).toEqual(['severity']);
    expect(JSON.stringify(policy.severity?.conditions)).toBe('["medium","high","critical"]');
  });

  it('uses detection_id and src_zone for the other filters', () => {
    // Act
    const policy = findingFilterPolicy(
      { ...base, detection_ids: ['beaconing'], src_zones: ['imaging'] },
      SEVERITIES,
    );

    // Assess
    expect(Object.keys(policy).sort()).toEqual(['detection_id', 'src_zone']);
    expect(JSON.stringify(policy.detection_id?.conditions)).toBe('["beaconing"]');
    expect(JSON.stringify(policy.src_zone?.conditions)).toBe('["imaging"]');
  });

  describe('Threat intel kept in S3', () => {
    it('lets the plan task read exactly the listed objects, and nothing else of their bucket', () => {
      // Prepare
      const reads = policyStatements(template).filter(({ statement }) =>
        flatten(statement.Resource).includes('hospital-intel-123456789012'),
      );

      // Assess: one statement, GetObject on the one key
      expect(reads).toHaveLength(1);
      expect(reads[0]?.statement.Action).toBe('s3:GetObject');
      expect(flatten(reads[0]?.statement.Resource)).toContain(
        ':s3:::hospital-intel-123456789012/feeds/blocklist.txt',
      );
      expect(reads[0]?.policy).toMatch(/Plan/);
    });
  });
});
