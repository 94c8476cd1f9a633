import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectLockRetention,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type {
  LandingSettings,
  RetentionSettings,
} from '../../functions/shared/deployment-config.js';
import { acknowledge } from '../compliance.js';
import { LakeKey } from './lake-key.js';
import { SecureBucket } from './secure-bucket.js';

/** Properties of {@link FlowLake}. */
export interface FlowLakeProps {
  /** Deployment name (`deployment.name`): key alias and landing bucket name prefix. */
  readonly name: string;
  /** Created or imported landing bucket (`deployment.landing`). */
  readonly landing: LandingSettings;
  /** Lifecycle and Object Lock settings (`deployment.retention`). */
  readonly retention: RetentionSettings;
}

/**
 * Where wardflow keeps data: the customer-managed key and five buckets.
 *
 * - landing: raw flow exports (VPC flow logs, on-prem nfdump/Zeek/GoFlow2), created, or an
 *   existing flow-log bucket imported by name;
 * - lake: the Parquet flow lake, its quarantine, manifests and baselines;
 * - results: Athena query results;
 * - findings: findings, evidence and the dedupe markers, under S3 Object Lock with a default
 *   retention of six years (HIPAA documentation retention, 164.316(b)(2));
 * - access logs: S3 server access logs of the other four.
 */
export class FlowLake extends Construct {
  /** Encrypts every bucket, queue, topic and log group of the deployment. */
  public readonly key: IKey;
  /** Raw flow exports. */
  public readonly landingBucket: IBucket;
  /**
   * The landing bucket's name as a value known before the bucket exists (account and region
   * pseudo parameters only), so the ingest queue's policy can name it without a dependency
   * cycle; equals `landingBucket.bucketName`.
   */
  public readonly landingBucketName: string;
  /** True when wardflow created the landing bucket; false when it imported one. */
  public readonly landingCreated: boolean;
  /** Key of the imported landing bucket's objects, when it is not SSE-S3. */
  public readonly landingKey?: IKey;
  /** The Parquet flow lake. */
  public readonly lakeBucket: IBucket;
  /** Athena query results. */
  public readonly resultsBucket: IBucket;
  /** Findings and evidence, Object Lock. */
  public readonly findingsBucket: IBucket;
  /** S3 server access logs. */
  public readonly accessLogBucket: IBucket;

  public constructor(scope: Construct, id: string, props: FlowLakeProps) {
    super(scope, id);
    const { retention } = props;
    const key = new LakeKey(this, 'Key', { alias: `alias/${props.name}` }).key;
    this.key = key;

    const accessLogs = new Bucket(this, 'AccessLogBucket', {
      // S3 delivers server access logs only to buckets encrypted with SSE-S3.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      lifecycleRules: [
        { id: 'expire-access-logs', expiration: Duration.days(retention.access_log_days) },
        { id: 'expire-noncurrent', noncurrentVersionExpiration: Duration.days(30) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      accessLogs,
      'AwsSolutions-S1',
      'This bucket is the server access log target of every other wardflow bucket; logging its own access would log into itself.',
    );
    acknowledge(
      accessLogs,
      'HIPAA.Security-S3BucketLoggingEnabled',
      'This bucket is the server access log target of every other wardflow bucket; logging its own access would log into itself.',
    );
    acknowledge(
      accessLogs,
      'HIPAA.Security-S3DefaultEncryptionKMS',
      'Amazon S3 delivers server access logs only to buckets encrypted with SSE-S3, so this bucket uses SSE-S3 (AES-256) rather than the customer-managed key.',
    );
    this.accessLogBucket = accessLogs;

    const bucket = (
      bucketId: string,
      prefix: string,
      rules: ConstructorParameters<typeof SecureBucket>[2]['lifecycleRules'],
      extra: Partial<ConstructorParameters<typeof SecureBucket>[2]> = {},
    ) =>
      new SecureBucket(this, bucketId, {
        encryptionKey: key,
        accessLogs,
        accessLogsPrefix: `${prefix}/`,
        lifecycleRules: rules,
        ...extra,
      });

    if (props.landing.bucket_name === null) {
      // Known before deployment: the queue policy names it (see landingBucketName).
      this.landingBucketName = `${props.name.replaceAll('_', '-').slice(0, 16)}-landing-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
      this.landingBucket = bucket(
        'LandingBucket',
        'landing',
        [
          { id: 'expire-raw-exports', expiration: Duration.days(retention.raw_days) },
          { id: 'expire-noncurrent', noncurrentVersionExpiration: Duration.days(30) },
        ],
        { bucketName: this.landingBucketName },
      );
      this.landingCreated = true;
    } else {
      this.landingBucketName = props.landing.bucket_name;
      this.landingBucket = Bucket.fromBucketName(this, 'LandingBucket', props.landing.bucket_name);
      this.landingCreated = false;
      if (props.landing.kms_key_arn !== null) {
        this.landingKey = Key.fromKeyArn(this, 'LandingKey', props.landing.kms_key_arn);
      }
    }

    this.lakeBucket = bucket('LakeBucket', 'lake', [
      { id: 'expire-lake', expiration: Duration.days(retention.lake_days) },
      { id: 'expire-noncurrent', noncurrentVersionExpiration: Duration.days(7) },
    ]);
    this.resultsBucket = bucket('ResultsBucket', 'athena-results', [
      { id: 'expire-results', expiration: Duration.days(retention.results_days) },
      { id: 'expire-noncurrent', noncurrentVersionExpiration: Duration.days(1) },
    ]);
    const lockDays = Duration.days(retention.findings_days);
    this.findingsBucket = bucket(
      'FindingsBucket',
      'findings',
      // Locked versions are kept until their retention ends whatever the rule says.
      [{ id: 'expire-noncurrent', noncurrentVersionExpiration: lockDays }],
      {
        objectLockDefaultRetention:
          retention.object_lock_mode === 'COMPLIANCE'
            ? ObjectLockRetention.compliance(lockDays)
            : ObjectLockRetention.governance(lockDays),
      },
    );

    const replication = 'HIPAA.Security-S3BucketReplicationEnabled';
    const secondRegion =
      'a copy in a second region needs a destination bucket there, outside this single-region stack, and is set up as a contingency-plan step (164.308(a)(7)) described in infra/README.md.';
    acknowledge(
      accessLogs,
      replication,
      `Server access logs are versioned in place; ${secondRegion}`,
    );
    acknowledge(
      this.findingsBucket,
      replication,
      `Findings and evidence are protected from deletion and alteration by S3 Object Lock; ${secondRegion}`,
    );
    acknowledge(
      this.lakeBucket,
      replication,
      'The Parquet lake is derived data that re-ingesting the landing bucket rebuilds, so no record exists only here.',
    );
    acknowledge(
      this.resultsBucket,
      replication,
      'Athena query results are temporary copies of lake data that expire after the results retention and are re-created by running the query again.',
    );
    if (this.landingCreated) {
      acknowledge(
        this.landingBucket,
        replication,
        `Raw flow exports are normalized into the lake within minutes and expire after the raw retention; ${secondRegion}`,
      );
    }
  }
}
