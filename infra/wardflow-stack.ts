import { join } from 'node:path';
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Schedule } from 'aws-cdk-lib/aws-events';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { SERVICE_NAME } from '../functions/shared/aws/observability.js';
import type { WardflowConfig } from '../functions/shared/config.js';
import {
  DEFAULT_DEPLOYMENT,
  type DeploymentConfig,
} from '../functions/shared/deployment-config.js';
import { BUCKET_LAYOUT, HANDLER_ENTRIES } from '../functions/shared/deployment-contract.js';
import { loadAuditQueries } from '../functions/shared/detection/audit-queries.js';
import { SEVERITIES } from '../functions/shared/detection/query-file.js';
import { SOURCE_TYPES } from '../functions/shared/flow-record.js';
import { AthenaWorkgroup } from './constructs/athena-workgroup.js';
import { AuditNamedQueries } from './constructs/audit-named-queries.js';
import { DeadLetterQueue } from './constructs/dead-letter-queue.js';
import { FindingsTopic } from './constructs/findings-topic.js';
import { FlowCatalog } from './constructs/flow-catalog.js';
import { FlowFunction } from './constructs/flow-function.js';
import { FlowLake } from './constructs/flow-lake.js';
import { FlowLogSources } from './constructs/flow-log-sources.js';
import { FunctionNetwork } from './constructs/function-network.js';
import { IngestPipeline } from './constructs/ingest-pipeline.js';
import { OperationsMonitoring } from './constructs/operations-monitoring.js';
import { QueryStateMachine } from './constructs/query-state-machine.js';
import { grantDataAccess } from './data-access.js';
import { QUERIES_ROOT } from './paths.js';
import { loadTableDdls } from './table-ddl.js';

/** Properties of {@link WardflowStack}. */
export interface WardflowStackProps extends StackProps {
  /**
   * The validated wardflow configuration (the file the CLI reads). Its `deployment` section
   * shapes the stack; the rest is bundled into every handler.
   */
  readonly config: WardflowConfig;
}

/** Result prefixes of the two workgroups in the results bucket. */
const DETECTION_RESULTS = 'detection/';
const AUDIT_RESULTS = 'audit/';

/**
 * The whole cloud pipeline in one stack: flow lake and key, catalog, ingest, the detection and
 * baseline schedules, the findings topic, the audit workgroup, monitoring, and optional VPC flow
 * logs. It composes constructs; resource settings live in them.
 */
export class WardflowStack extends Stack {
  /** Key and buckets. */
  public readonly lake: FlowLake;
  /** VPC, subnets, endpoints and the functions' security group. */
  public readonly network: FunctionNetwork;
  /** Glue database and tables. */
  public readonly catalog: FlowCatalog;
  /** Workgroup of the detection and baseline queries. */
  public readonly detectionWorkgroup: AthenaWorkgroup;
  /** Workgroup of the auditors, with the named queries. */
  public readonly auditWorkgroup: AthenaWorkgroup;
  /** The SOC's topic. */
  public readonly findings: FindingsTopic;
  /** The three handlers. */
  public readonly functions: {
    readonly normalize: FlowFunction;
    readonly plan: FlowFunction;
    readonly publish: FlowFunction;
  };
  /** Landing bucket → queue → normalize. */
  public readonly ingest: IngestPipeline;
  /** The scheduled detection run. */
  public readonly detection: QueryStateMachine;
  /** The scheduled baseline refresh. */
  public readonly baseline: QueryStateMachine;
  /** Operations topic and alarms. */
  public readonly monitoring: OperationsMonitoring;

  public constructor(scope: Construct, id: string, props: WardflowStackProps) {
    super(scope, id, {
      description: 'wardflow: serverless network detection for hybrid hospital infrastructure',
      ...props,
    });
    const { config } = props;
    const d: DeploymentConfig = config.deployment ?? DEFAULT_DEPLOYMENT;
    const logRetention = d.retention.log_days as RetentionDays;

    const lake = new FlowLake(this, 'FlowLake', {
      name: d.name,
      landing: d.landing,
      retention: d.retention,
    });
    const { key } = lake;
    const network = new FunctionNetwork(this, 'Network', { settings: d.vpc });
    new FlowLogSources(this, 'FlowLogSources', {
      landingBucket: lake.landingBucket,
      vpcs: {
        ...Object.fromEntries(d.flow_logs.vpc_ids.map((vpcId) => [vpcId, vpcId])),
        ...(network.createdVpc === undefined ? {} : { FunctionVpc: network.createdVpc }),
      },
      settings: d.flow_logs,
    });

    const catalog = new FlowCatalog(this, 'Catalog', {
      databaseName: d.name,
      tables: loadTableDdls(join(QUERIES_ROOT, 'tables')),
      locations: {
        [BUCKET_LAYOUT.flows]: lake.lakeBucket,
        [BUCKET_LAYOUT.baselines]: lake.lakeBucket,
        [BUCKET_LAYOUT.findings]: lake.findingsBucket,
        [BUCKET_LAYOUT.evidence]: lake.findingsBucket,
      },
    });
    const detectionWorkgroup = new AthenaWorkgroup(this, 'DetectionWorkgroup', {
      name: d.name,
      description: 'wardflow detection and baseline queries (enforced settings)',
      resultsBucket: lake.resultsBucket,
      resultsPrefix: DETECTION_RESULTS,
      key,
      bytesScannedCutoffGb: d.detection.bytes_scanned_cutoff_gb,
    });
    const auditWorkgroup = new AthenaWorkgroup(this, 'AuditWorkgroup', {
      name: `${d.name}-audit`,
      description: 'wardflow audit reports for HIPAA reviews (enforced settings)',
      resultsBucket: lake.resultsBucket,
      resultsPrefix: AUDIT_RESULTS,
      key,
      bytesScannedCutoffGb: d.audit.bytes_scanned_cutoff_gb,
    });
    new AuditNamedQueries(this, 'AuditQueries', {
      workGroup: auditWorkgroup.workGroup,
      databaseName: catalog.databaseName,
      queries: loadAuditQueries(join(QUERIES_ROOT, 'audit')),
      config,
    });
    const findings = new FindingsTopic(this, 'Findings', {
      key,
      subscriptions: d.findings.subscriptions,
      severities: SEVERITIES,
    });

    // Handlers get the detection settings; subscriptions and other deployment details stay out.
    const { deployment: _deployment, ...bundled } = config;
    const functionDeadLetters = new DeadLetterQueue(this, 'FunctionDeadLetterQueue', { key });
    const eventsDeadLetters = new DeadLetterQueue(this, 'EventsDeadLetterQueue', {
      key,
      deadLetterSource: 'the EventBridge schedule and landing-bucket rule targets',
    });
    const common = {
      configJson: `${JSON.stringify(bundled, null, 2)}\n`,
      key,
      logRetention,
      deadLetterQueue: functionDeadLetters,
      placement: network,
      environment: {
        lakeBucket: lake.lakeBucket.bucketName,
        findingsBucket: lake.findingsBucket.bucketName,
        findingsTopicArn: findings.topic.topicArn,
        athenaWorkgroup: detectionWorkgroup.workGroupName,
        glueDatabase: catalog.databaseName,
      },
    };
    const normalize = new FlowFunction(this, 'Normalize', {
      ...common,
      entry: HANDLER_ENTRIES.normalize,
      description: 'wardflow: landed flow exports → Parquet flow lake',
      settings: d.functions.normalize,
    });
    const plan = new FlowFunction(this, 'Plan', {
      ...common,
      entry: HANDLER_ENTRIES.plan,
      description: 'wardflow: the queries of one detection or baseline run, rendered for Athena',
      settings: d.functions.plan,
      bundleQueries: true,
    });
    const publish = new FlowFunction(this, 'Publish', {
      ...common,
      entry: HANDLER_ENTRIES.publish,
      description: 'wardflow: one finished detection query → findings, dedupe, SNS',
      settings: d.functions.publish,
      bundleQueries: true,
    });

    const ingest = new IngestPipeline(this, 'Ingest', {
      landingBucket: lake.landingBucket,
      landingBucketName: lake.landingBucketName,
      landingCreated: lake.landingCreated,
      prefixes: d.landing.prefixes,
      normalize,
      key,
      settings: d.ingest,
      eventsDeadLetterQueue: eventsDeadLetters,
    });

    const queryRun = {
      workGroup: detectionWorkgroup,
      results: { bucket: lake.resultsBucket, prefix: DETECTION_RESULTS },
      databaseName: catalog.databaseName,
      key,
      logRetention,
      maxConcurrency: d.detection.max_concurrency,
      eventsDeadLetterQueue: eventsDeadLetters,
      plan,
    };
    const detection = new QueryStateMachine(this, 'Detection', {
      ...queryRun,
      kind: 'detections',
      publish,
      timeout: Duration.minutes(Math.max(d.detection.period_minutes, 60)),
      schedule: Schedule.rate(Duration.minutes(d.detection.period_minutes)),
      scheduleInput: {
        period_minutes: d.detection.period_minutes,
        lag_minutes: d.detection.lag_minutes,
      },
    });
    const baseline = new QueryStateMachine(this, 'Baseline', {
      ...queryRun,
      kind: 'baselines',
      timeout: Duration.hours(6),
      schedule: Schedule.cron({ minute: '0', hour: String(d.baseline.hour_utc) }),
      scheduleInput: {},
    });

    grantDataAccess({
      lake,
      landingPrefixes: d.landing.prefixes,
      normalize,
      plan,
      publish,
      detection,
      baseline,
      findings,
      detectionWorkgroup,
      databaseName: catalog.databaseName,
      detectionResultsPrefix: DETECTION_RESULTS,
      threatIntelObjects: props.config.threat_intel.files.filter((f) => f.startsWith('s3://')),
    });

    this.lake = lake;
    this.network = network;
    this.catalog = catalog;
    this.detectionWorkgroup = detectionWorkgroup;
    this.auditWorkgroup = auditWorkgroup;
    this.findings = findings;
    this.functions = { normalize, plan, publish };
    this.ingest = ingest;
    this.detection = detection;
    this.baseline = baseline;
    this.monitoring = new OperationsMonitoring(this, 'Monitoring', {
      key,
      emails: d.operations.emails,
      deadLetterQueues: {
        Ingest: ingest.deadLetterQueue,
        Functions: functionDeadLetters,
        Events: eventsDeadLetters,
        FindingsDelivery: findings.deliveryDeadLetterQueue,
      },
      functions: {
        Normalize: normalize.function,
        Plan: plan.function,
        Publish: publish.function,
      },
      stateMachines: { Detection: detection.stateMachine, Baseline: baseline.stateMachine },
      workGroups: [detectionWorkgroup.workGroupName],
      serviceName: SERVICE_NAME,
      sourceTypes: SOURCE_TYPES,
      quarantineRatio: d.monitoring.quarantine_ratio,
      silenceHours: d.monitoring.silence_hours,
    });

    new CfnOutput(this, 'LandingBucketName', { value: lake.landingBucket.bucketName });
    new CfnOutput(this, 'FindingsTopicArn', { value: findings.topic.topicArn });
    new CfnOutput(this, 'AuditWorkgroupName', { value: auditWorkgroup.workGroupName });
    new CfnOutput(this, 'GlueDatabaseName', { value: catalog.databaseName });
  }
}
