/**
 * What the CDK app (infra/) and the Lambda handlers (functions/) agree on: handler entry files,
 * environment variable names, metric names and the layout of the buckets. Both sides import these
 * constants, so a rename cannot leave one half of the deployment reading a name the other never
 * sets.
 */

/** Handler entry files, relative to the repository root; each exports `handler`. */
export const HANDLER_ENTRIES = Object.freeze({
  /** SQS batch of S3 object-created notifications → Parquet lake (partial batch failures). */
  normalize: 'functions/normalize/handler.ts',
  /** Step Functions task: the queries of one detection or baseline run, rendered for Athena. */
  plan: 'functions/plan/handler.ts',
  /** Step Functions task: one finished Athena detection query → findings, dedupe, SNS. */
  publish: 'functions/publish/handler.ts',
});

/** Environment variables the CDK app sets on the handlers (read in functions/shared/environment.ts). */
export const ENVIRONMENT = Object.freeze({
  /** Bucket of the Parquet flow lake, its manifests and its quarantine. */
  lakeBucket: 'WARDFLOW_LAKE_BUCKET',
  /** Object Lock bucket of findings, evidence and the dedupe markers. */
  findingsBucket: 'WARDFLOW_FINDINGS_BUCKET',
  /** SNS topic the SOC subscribes to. */
  findingsTopicArn: 'WARDFLOW_FINDINGS_TOPIC_ARN',
  /** Athena workgroup the detection and baseline queries run in. */
  athenaWorkgroup: 'WARDFLOW_ATHENA_WORKGROUP',
  /** Glue database holding flows, baselines, findings and evidence. */
  glueDatabase: 'WARDFLOW_GLUE_DATABASE',
  /** File name of the resolved configuration (JSON) bundled beside each handler. */
  configFile: 'WARDFLOW_CONFIG_FILE',
});

/** The configuration as bundled into each handler's asset by the CDK app. */
export const BUNDLED_CONFIG_FILE = 'wardflow.config.json';

/** CloudWatch metrics the handlers emit (Powertools) and the alarms watch. */
export const METRICS = Object.freeze({
  namespace: 'wardflow',
  /** Dimension on the ingest counts. */
  sourceTypeDimension: 'source_type',
  recordsIn: 'RecordsIn',
  recordsWritten: 'RecordsWritten',
  recordsQuarantined: 'RecordsQuarantined',
  recordsSkipped: 'RecordsSkipped',
  /** Objects whose ingest threw (reported as batch item failures, retried, then DLQ). */
  objectsFailed: 'ObjectsFailed',
  findingsPublished: 'FindingsPublished',
  findingsDeduplicated: 'FindingsDeduplicated',
});

/** Key prefixes inside the buckets. The lake bucket mirrors the local lake folder. */
export const BUCKET_LAYOUT = Object.freeze({
  /** Lake bucket: `flows/source_type=…/dt=…/hr=…/part-….parquet`. */
  flows: 'flows/',
  /** Lake bucket: quarantined lines with reasons. */
  quarantine: 'quarantine/',
  /** Lake bucket: one manifest per ingested object (idempotence). */
  manifests: 'manifests/',
  /** Lake bucket: materialized baselines. */
  baselines: 'baselines/',
  /** Findings bucket: findings table files. */
  findings: 'findings/',
  /** Findings bucket: evidence table files. */
  evidence: 'evidence/',
  /** Findings bucket: one empty object per published finding id, written with If-None-Match. */
  published: 'published/',
});
