import { Aws, Stack } from 'aws-cdk-lib';
import { CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Properties of {@link AthenaWorkgroup}. */
export interface AthenaWorkgroupProps {
  /** Workgroup name, unique in the account and region. */
  readonly name: string;
  /** What the workgroup is for, for the console. */
  readonly description: string;
  /** Bucket of the query results. */
  readonly resultsBucket: IBucket;
  /** Prefix of this workgroup's results in the bucket, ending in `/`. */
  readonly resultsPrefix: string;
  /** Key the results are encrypted with (SSE-KMS). */
  readonly key: IKey;
  /** Queries that would scan more are cancelled (and billed for what they scanned), in GB. */
  readonly bytesScannedCutoffGb: number;
}

/** Athena's lower bound for the bytes-scanned cutoff: 10 MB. */
const MIN_CUTOFF_BYTES = 10_000_000;

/**
 * An Athena (engine v3) workgroup whose settings clients cannot override: results go to one
 * prefix of the results bucket, encrypted with the customer-managed key; every query is cancelled beyond a bytes-scanned cutoff; metrics go to CloudWatch.
 */
export class AthenaWorkgroup extends Construct {
  /** The workgroup. */
  public readonly workGroup: CfnWorkGroup;
  /** Its name. */
  public readonly workGroupName: string;
  /** Its ARN. */
  public readonly workGroupArn: string;

  public constructor(scope: Construct, id: string, props: AthenaWorkgroupProps) {
    super(scope, id);
    const cutoff = props.bytesScannedCutoffGb * 1_000_000_000;
    if (cutoff < MIN_CUTOFF_BYTES) {
      throw new Error(`${id}: bytes-scanned cutoff must be at least 10 MB, got ${cutoff} bytes`);
    }
    if (!props.resultsPrefix.endsWith('/')) {
      throw new Error(
        `${id}: resultsPrefix must end with "/", got ${JSON.stringify(props.resultsPrefix)}`,
      );
    }
    this.workGroup = new CfnWorkGroup(this, 'Resource', {
      name: props.name,
      description: props.description,
      state: 'ENABLED',
      recursiveDeleteOption: false,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: cutoff,
        requesterPaysEnabled: false,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${props.resultsBucket.bucketName}/${props.resultsPrefix}`,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: props.key.keyArn },
          expectedBucketOwner: Aws.ACCOUNT_ID,
        },
      },
    });
    this.workGroupName = props.name;
    this.workGroupArn = Stack.of(this).formatArn({
      service: 'athena',
      resource: 'workgroup',
      resourceName: props.name,
    });
  }
}
