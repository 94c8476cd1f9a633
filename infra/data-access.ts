import { Stack } from 'aws-cdk-lib';
import { parseS3Uri } from '../functions/shared/aws/s3-objects.js';
import { BUCKET_LAYOUT } from '../functions/shared/deployment-contract.js';
import type { AthenaWorkgroup } from './constructs/athena-workgroup.js';
import type { FindingsTopic } from './constructs/findings-topic.js';
import type { FlowFunction } from './constructs/flow-function.js';
import type { FlowLake } from './constructs/flow-lake.js';
import type { QueryStateMachine } from './constructs/query-state-machine.js';
import { allow } from './least-privilege.js';

/**
 * What each role may read and write in the buckets, topic and workgroup: the normalizer reads
 * landed objects and writes the lake's flows, quarantine and manifests; plan empties a baseline
 * partition before it is refilled; publish reads its query's results and writes findings,
 * evidence and dedupe markers and publishes to the topic; both state machines read flows and
 * baselines through Athena, and only the baseline refresh writes baselines.
 */
export function grantDataAccess(parts: {
  readonly lake: FlowLake;
  readonly landingPrefixes: readonly string[];
  readonly normalize: FlowFunction;
  readonly plan: FlowFunction;
  readonly publish: FlowFunction;
  readonly detection: QueryStateMachine;
  readonly baseline: QueryStateMachine;
  readonly findings: FindingsTopic;
  readonly detectionWorkgroup: AthenaWorkgroup;
  readonly databaseName: string;
  /** Prefix of the detection workgroup's results in the results bucket. */
  readonly detectionResultsPrefix: string;
  /** `s3://` threat-intel lists of the config, read by plan when it starts. */
  readonly threatIntelObjects: readonly string[];
}): void {
  const { lake, normalize, plan, publish, detection, baseline } = parts;
  const lakeObjects = (...prefixes: string[]) =>
    prefixes.map((prefix) => lake.lakeBucket.arnForObjects(`${prefix}*`));
  const prefixReason = (what: string) =>
    `${what} are created at run time under fixed key prefixes (partition paths and object-derived names), so the grant names the prefix, not each object.`;

  // normalize: read landed objects, write the lake's flows, quarantine and manifests.
  const landing =
    parts.landingPrefixes.length === 0
      ? [lake.landingBucket.arnForObjects('*')]
      : parts.landingPrefixes.map((prefix) => lake.landingBucket.arnForObjects(`${prefix}*`));
  allow(normalize.policy, {
    actions: ['s3:GetObject', 's3:GetObjectVersion'],
    resources: landing,
    wildcardReason:
      'The normalizer reads whichever flow export lands in the landing bucket (or its configured prefixes); object names are chosen by the exporters.',
  });
  if (lake.landingKey !== undefined) {
    allow(normalize.policy, { actions: ['kms:Decrypt'], resources: [lake.landingKey.keyArn] });
  }
  // Without ListBucket, S3 answers 403 instead of 404 for a manifest that does not exist yet.
  allow(normalize.policy, { actions: ['s3:ListBucket'], resources: [lake.lakeBucket.bucketArn] });
  allow(normalize.policy, {
    actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
    resources: lakeObjects('flows/', 'quarantine/', 'manifests/'),
    wildcardReason: prefixReason('Lake Parquet files, quarantine files and ingest manifests'),
  });

  // plan: empty a baseline day's partition before the INSERT INTO that refills it.
  allow(plan.policy, {
    actions: ['s3:ListBucket'],
    resources: [lake.lakeBucket.bucketArn],
    conditions: { StringLike: { 's3:prefix': ['baselines/*'] } },
  });
  allow(plan.policy, {
    actions: ['s3:DeleteObject'],
    resources: lakeObjects('baselines/'),
    wildcardReason: prefixReason('Baseline partition files'),
  });

  // plan: read the threat-intel lists kept in S3 (each object named, nothing else).
  if (parts.threatIntelObjects.length > 0) {
    allow(plan.policy, {
      actions: ['s3:GetObject'],
      resources: parts.threatIntelObjects.map((uri) => {
        const { bucket, key } = parseS3Uri(uri);
        return `arn:${Stack.of(plan).partition}:s3:::${bucket}/${key}`;
      }),
    });
  }

  // publish: read the query's results, write findings, evidence and dedupe markers, publish.
  allow(publish.policy, {
    actions: ['athena:GetQueryExecution', 'athena:GetQueryResults'],
    resources: [parts.detectionWorkgroup.workGroupArn],
  });
  allow(publish.policy, {
    actions: ['s3:GetObject'],
    resources: [lake.resultsBucket.arnForObjects(`${parts.detectionResultsPrefix}*`)],
    wildcardReason: prefixReason('Athena query result files'),
  });
  const findingsPrefixes = [
    BUCKET_LAYOUT.findings,
    BUCKET_LAYOUT.evidence,
    BUCKET_LAYOUT.published,
  ];
  allow(publish.policy, {
    actions: ['s3:PutObject', 's3:DeleteObject'],
    resources: findingsPrefixes.map((prefix) => lake.findingsBucket.arnForObjects(`${prefix}*`)),
    wildcardReason: prefixReason('Finding, evidence and dedupe-marker files'),
  });
  allow(publish.policy, { actions: ['sns:Publish'], resources: [parts.findings.topic.topicArn] });

  // Both state machines run queries over flows and baselines; only the baseline run writes.
  for (const machine of [detection, baseline]) {
    allow(machine.policy, {
      actions: ['s3:ListBucket', 's3:GetBucketLocation'],
      resources: [lake.lakeBucket.bucketArn],
    });
    allow(machine.policy, {
      actions: ['s3:GetObject'],
      resources: lakeObjects(BUCKET_LAYOUT.flows, BUCKET_LAYOUT.baselines),
      wildcardReason: prefixReason('Flow and baseline Parquet files read by Athena'),
    });
  }
  allow(baseline.policy, {
    actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
    resources: lakeObjects(BUCKET_LAYOUT.baselines),
    wildcardReason: prefixReason('Baseline Parquet files written by Athena INSERT INTO'),
  });
  // INSERT INTO registers the partitions it writes.
  allow(baseline.policy, {
    actions: ['glue:BatchCreatePartition', 'glue:CreatePartition'],
    resources: [
      Stack.of(baseline).formatArn({
        service: 'glue',
        resource: 'table',
        resourceName: `${parts.databaseName}/baselines`,
      }),
    ],
  });
}
