import { containsIpAddress } from './aws/ip-text.js';
import { at, child, deepFreeze, describe, present } from './config-values.js';
import { ConfigError } from './errors.js';

/**
 * The `deployment` section of the wardflow configuration: what the CDK app (infra/) needs beyond
 * the detection settings. Local mode ignores it. Every key is optional; {@link DEFAULT_DEPLOYMENT}
 * holds the defaults, and infra/README.md documents them.
 */
export interface DeploymentConfig {
  /**
   * Name of the Glue database and prefix of the Athena workgroups (`<name>`, `<name>-audit`):
   * lower-case letters, digits and `_`, starting with a letter, at most 32.
   * @default 'wardflow'
   */
  readonly name: string;
  readonly landing: LandingSettings;
  readonly vpc: VpcSettings;
  readonly flow_logs: FlowLogSettings;
  readonly detection: DetectionScheduleSettings;
  readonly baseline: BaselineScheduleSettings;
  readonly audit: AuditSettings;
  readonly findings: FindingsSettings;
  readonly operations: OperationsSettings;
  readonly retention: RetentionSettings;
  readonly ingest: IngestSettings;
  readonly functions: FunctionsSettings;
  readonly monitoring: MonitoringSettings;
}

/** Where raw flow exports land. */
export interface LandingSettings {
  /**
   * An existing bucket to import by name (most hospitals already have a flow-log bucket); new
   * objects reach wardflow through EventBridge, which must be enabled on that bucket.
   * @default null - wardflow creates the landing bucket and uses S3 event notifications
   */
  readonly bucket_name: string | null;
  /**
   * ARN of the KMS key that encrypts the imported bucket's objects, if it is not SSE-S3.
   * @default null
   */
  readonly kms_key_arn: string | null;
  /**
   * Object key prefixes whose new objects are ingested; none may be a prefix of another.
   * @default [] - every new object in the bucket
   */
  readonly prefixes: readonly string[];
}

/** The VPC the Lambdas run in, created or imported; interface endpoints keep traffic inside it. */
export interface VpcSettings {
  /** `create` a VPC with isolated subnets, or `import` an existing one. @default 'create' */
  readonly mode: 'create' | 'import';
  /** Import: the VPC id. @default null */
  readonly vpc_id: string | null;
  /** Import: private subnets for the Lambdas, one per availability zone. @default [] */
  readonly subnet_ids: readonly string[];
  /** Import: the availability zone of each subnet, in the same order. @default [] */
  readonly availability_zones: readonly string[];
  /** Import: the route table of each subnet (for the S3 gateway endpoint). @default [] */
  readonly route_table_ids: readonly string[];
  /**
   * Create the S3 gateway endpoint and the interface endpoints (Athena, SNS, SQS, KMS, Logs,
   * Glue, STS, Step Functions). Set false when the imported VPC already has them.
   * @default true
   */
  readonly endpoints: boolean;
  /** Create: availability zones to spread the subnets over (1–3). @default 2 */
  readonly max_azs: number;
}

/** VPC flow logs that wardflow creates, delivered to the landing bucket. */
export interface FlowLogSettings {
  /** VPCs to create flow logs for. @default [] */
  readonly vpc_ids: readonly string[];
  /** Aggregation interval in seconds: 60 or 600. @default 60 */
  readonly aggregation_seconds: 60 | 600;
  /** `ALL`, `ACCEPT` or `REJECT`. @default 'ALL' */
  readonly traffic_type: 'ALL' | 'ACCEPT' | 'REJECT';
}

/** When detections run. */
export interface DetectionScheduleSettings {
  /**
   * Minutes between detection runs (5–1440); each run queries every detection window that
   * closed in the period before it (less the lag).
   * @default 60
   */
  readonly period_minutes: number;
  /** How long after a window closes it is queried, so late flow logs are in (0–720). @default 15 */
  readonly lag_minutes: number;
  /** Athena queries one run keeps in flight (1–40). @default 4 */
  readonly max_concurrency: number;
  /** Athena bytes-scanned cutoff per query in the wardflow workgroup, in GB (1–100000). @default 100 */
  readonly bytes_scanned_cutoff_gb: number;
}

/** When baselines are refreshed. */
export interface BaselineScheduleSettings {
  /** UTC hour of the daily refresh (0–23). @default 2 */
  readonly hour_utc: number;
}

/** The auditors' workgroup. */
export interface AuditSettings {
  /** Bytes-scanned cutoff per query in the audit workgroup, in GB (1–100000). @default 100 */
  readonly bytes_scanned_cutoff_gb: number;
}

/** One SOC subscription to the findings topic; filters combine with AND. */
export interface FindingSubscription {
  /** `email`, `https` or `sqs`. */
  readonly protocol: 'email' | 'https' | 'sqs';
  /** An email address, an https:// URL or an SQS queue ARN. */
  readonly endpoint: string;
  /** Deliver findings of this severity and above. @default null - every severity */
  readonly min_severity: string | null;
  /** Deliver only these detections. @default [] - every detection */
  readonly detection_ids: readonly string[];
  /** Deliver only findings whose source is in these zones. @default [] - every zone */
  readonly src_zones: readonly string[];
}

/** Who receives findings. */
export interface FindingsSettings {
  /** @default [] */
  readonly subscriptions: readonly FindingSubscription[];
}

/** Who receives operational alarms. */
export interface OperationsSettings {
  /** Email addresses subscribed to the operations topic. @default [] */
  readonly emails: readonly string[];
}

/** How long data is kept. */
export interface RetentionSettings {
  /** Object Lock default retention of findings and evidence (HIPAA 164.316(b)(2)). @default 2192 */
  readonly findings_days: number;
  /** Object Lock mode of the findings bucket. @default 'COMPLIANCE' */
  readonly object_lock_mode: 'COMPLIANCE' | 'GOVERNANCE';
  /** Raw exports in a created landing bucket. @default 365 */
  readonly raw_days: number;
  /** Parquet flows, quarantine and manifests in the lake. @default 400 */
  readonly lake_days: number;
  /** Athena query results. @default 30 */
  readonly results_days: number;
  /** S3 server access logs. @default 2192 */
  readonly access_log_days: number;
  /** CloudWatch log groups; one of the values CloudWatch Logs accepts. @default 2192 */
  readonly log_days: number;
}

/** How landed objects are fed to the normalize Lambda. */
export interface IngestSettings {
  /** Objects per Lambda invocation (1–10). @default 1 */
  readonly batch_size: number;
  /** Deliveries of one object before it goes to the dead-letter queue (1–20). @default 5 */
  readonly max_receive_count: number;
}

/** Sizing of one Lambda function. */
export interface FunctionSettings {
  /** 128–10240. */
  readonly memory_mb: number;
  /** 1–900. */
  readonly timeout_seconds: number;
  /** Reserved concurrent executions (1–1000). */
  readonly reserved_concurrency: number;
}

/** Sizing of the three handlers. */
export interface FunctionsSettings {
  /** @default { memory_mb: 1024, timeout_seconds: 600, reserved_concurrency: 10 } */
  readonly normalize: FunctionSettings;
  /** @default { memory_mb: 256, timeout_seconds: 60, reserved_concurrency: 2 } */
  readonly plan: FunctionSettings;
  /** @default { memory_mb: 512, timeout_seconds: 300, reserved_concurrency: 4 } */
  readonly publish: FunctionSettings;
}

/** Alarm thresholds. */
export interface MonitoringSettings {
  /** Alarm when quarantined / received records exceed this ratio over an hour (0–1). @default 0.05 */
  readonly quarantine_ratio: number;
  /** Alarm when no flow record arrives for this many hours (1–24). @default 3 */
  readonly silence_hours: number;
}

/** Names the deployment section is checked against. */
export interface DeploymentContext {
  /** Zone names of the configuration, plus `external` and `unzoned`. */
  readonly zoneNames: readonly string[];
  /** The detection catalog's ids. */
  readonly detectionIds: readonly string[];
  /** Severities, lowest first. */
  readonly severities: readonly string[];
}

/** Values CloudWatch Logs accepts for a log group's retention, in days. */
export const LOG_RETENTION_DAYS: readonly number[] = Object.freeze([
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
]);

/** The deployment settings used when the section, or any key in it, is absent. */
export const DEFAULT_DEPLOYMENT: DeploymentConfig = deepFreeze({
  name: 'wardflow',
  landing: { bucket_name: null, kms_key_arn: null, prefixes: [] },
  vpc: {
    mode: 'create',
    vpc_id: null,
    subnet_ids: [],
    availability_zones: [],
    route_table_ids: [],
    endpoints: true,
    max_azs: 2,
  },
  flow_logs: { vpc_ids: [], aggregation_seconds: 60, traffic_type: 'ALL' },
  detection: {
    period_minutes: 60,
    lag_minutes: 15,
    max_concurrency: 4,
    bytes_scanned_cutoff_gb: 100,
  },
  baseline: { hour_utc: 2 },
  audit: { bytes_scanned_cutoff_gb: 100 },
  findings: { subscriptions: [] },
  operations: { emails: [] },
  retention: {
    findings_days: 2192,
    object_lock_mode: 'COMPLIANCE',
    raw_days: 365,
    lake_days: 400,
    results_days: 30,
    access_log_days: 2192,
    log_days: 2192,
  },
  ingest: { batch_size: 1, max_receive_count: 5 },
  functions: {
    // Peak RSS of ingesting a 75 MB gzipped object is about 300 MB; memory also buys CPU.
    normalize: { memory_mb: 1024, timeout_seconds: 600, reserved_concurrency: 10 },
    plan: { memory_mb: 256, timeout_seconds: 60, reserved_concurrency: 2 },
    publish: { memory_mb: 512, timeout_seconds: 300, reserved_concurrency: 4 },
  },
  monitoring: { quarantine_ratio: 0.05, silence_hours: 3 },
} satisfies DeploymentConfig);

const NAME = /^[a-z][a-z0-9_]{0,31}$/;
const BUCKET = /^(?!xn--)(?!.*\.\.)(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
const SQS_ARN = /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}$/;
const VPC_ID = /^vpc-[0-9a-f]{8,17}$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
const ROUTE_TABLE_ID = /^rtb-[0-9a-f]{8,17}$/;
const AVAILABILITY_ZONE = /^[a-z]{2}(-[a-z]+)+-\d[a-z]$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Validates the `deployment` section and fills in defaults (see {@link DEFAULT_DEPLOYMENT}).
 * Unknown keys, wrong types, values out of range, malformed AWS ids, an imported VPC without
 * subnets, filters naming unknown severities, detections or zones are errors.
 *
 * @param raw the section as parsed from JSON or YAML; `undefined`/`null` give the defaults
 * @param path key path of the section, e.g. `deployment`
 * @param context the names filters may use
 * @throws ConfigError whose `path` names the offending key, e.g. `deployment.vpc.subnet_ids[0]`
 */
export function parseDeploymentConfig(
  raw: unknown,
  path: string,
  context: DeploymentContext,
): DeploymentConfig {
  if (!present(raw)) return DEFAULT_DEPLOYMENT;
  const d = DEFAULT_DEPLOYMENT;
  const top = section(raw, path, d);
  const name = top.get('name', (v, p) => matching(v, p, NAME, 'a name of a-z, 0-9 and _'));
  return deepFreeze({
    name: name ?? d.name,
    landing: parseLanding(top.raw('landing'), child(path, 'landing')),
    vpc: parseVpc(top.raw('vpc'), child(path, 'vpc')),
    flow_logs: parseFlowLogs(top.raw('flow_logs'), child(path, 'flow_logs')),
    detection: parseDetection(top.raw('detection'), child(path, 'detection')),
    baseline: parseBaseline(top.raw('baseline'), child(path, 'baseline')),
    audit: parseAudit(top.raw('audit'), child(path, 'audit')),
    findings: parseFindings(top.raw('findings'), child(path, 'findings'), context),
    operations: parseOperations(top.raw('operations'), child(path, 'operations')),
    retention: parseRetention(top.raw('retention'), child(path, 'retention')),
    ingest: parseIngest(top.raw('ingest'), child(path, 'ingest')),
    functions: parseFunctions(top.raw('functions'), child(path, 'functions')),
    monitoring: parseMonitoring(top.raw('monitoring'), child(path, 'monitoring')),
  });
}

function parseLanding(raw: unknown, path: string): LandingSettings {
  const d = DEFAULT_DEPLOYMENT.landing;
  if (!present(raw)) return d;
  const s = section(raw, path, d);
  const bucketName = s.get('bucket_name', (v, p) =>
    matching(v, p, BUCKET, 'an S3 bucket name (3–63 of a-z, 0-9, "." and "-")'),
  );
  const kmsKeyArn = s.get('kms_key_arn', (v, p) =>
    matching(v, p, KMS_KEY_ARN, 'a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)'),
  );
  if (kmsKeyArn !== undefined && bucketName === undefined) {
    throw new ConfigError(
      child(path, 'kms_key_arn'),
      'applies to an imported bucket only; set bucket_name as well, or remove kms_key_arn',
    );
  }
  const prefixesPath = child(path, 'prefixes');
  const prefixes = s.get('prefixes', (v, p) => list(v, p, 'a list of key prefixes', string));
  prefixes?.forEach((prefix, i) => {
    const other = prefixes.findIndex((q, j) => j !== i && prefix.startsWith(q));
    if (other >= 0) {
      throw new ConfigError(
        at(prefixesPath, i),
        `${JSON.stringify(prefix)} overlaps ${JSON.stringify(prefixes[other])} (${at(prefixesPath, other)}); S3 rejects overlapping notification prefixes, keep the shorter one`,
      );
    }
  });
  return {
    bucket_name: bucketName ?? d.bucket_name,
    kms_key_arn: kmsKeyArn ?? d.kms_key_arn,
    prefixes: prefixes ?? d.prefixes,
  };
}

function parseVpc(raw: unknown, path: string): VpcSettings {
  const d = DEFAULT_DEPLOYMENT.vpc;
  if (!present(raw)) return d;
  const s = section(raw, path, d);
  const mode = s.get('mode', (v, p) => oneOf(v, p, ['create', 'import'] as const)) ?? d.mode;
  const ids = (key: string, pattern: RegExp, what: string) =>
    s.get(key, (v, p) => list(v, p, `a list of ${what}`, (x, q) => matching(x, q, pattern, what)));
  const vpcId = s.get('vpc_id', (v, p) => matching(v, p, VPC_ID, 'a VPC id (vpc-…)'));
  const subnetIds = ids('subnet_ids', SUBNET_ID, 'subnet ids (subnet-…)') ?? [];
  const zones = ids('availability_zones', AVAILABILITY_ZONE, 'availability zones (us-east-1a)');
  const routeTables = ids('route_table_ids', ROUTE_TABLE_ID, 'route table ids (rtb-…)') ?? [];
  const endpoints = s.get('endpoints', boolean) ?? d.endpoints;
  const maxAzs = s.get('max_azs', (v, p) => integer(v, p, 1, 3)) ?? d.max_azs;
  const settings: VpcSettings = {
    mode,
    vpc_id: vpcId ?? null,
    subnet_ids: subnetIds,
    availability_zones: zones ?? [],
    route_table_ids: routeTables,
    endpoints,
    max_azs: maxAzs,
  };
  if (mode === 'create') {
    for (const key of ['vpc_id', 'subnet_ids', 'availability_zones', 'route_table_ids']) {
      if (s.has(key)) {
        throw new ConfigError(
          child(path, key),
          'applies to mode: import only; remove it or set mode: import',
        );
      }
    }
    return settings;
  }
  if (vpcId === undefined) {
    throw new ConfigError(
      child(path, 'vpc_id'),
      'missing required key; mode: import needs the VPC id',
    );
  }
  if (subnetIds.length === 0) {
    throw new ConfigError(
      child(path, 'subnet_ids'),
      'expected at least one subnet id for mode: import, got none',
    );
  }
  if (settings.availability_zones.length !== subnetIds.length) {
    throw new ConfigError(
      child(path, 'availability_zones'),
      `expected one availability zone per subnet (${subnetIds.length}), got ${settings.availability_zones.length}`,
    );
  }
  if (endpoints && routeTables.length !== subnetIds.length) {
    throw new ConfigError(
      child(path, 'route_table_ids'),
      `expected one route table per subnet (${subnetIds.length}) for the S3 gateway endpoint, got ${routeTables.length}; or set endpoints: false`,
    );
  }
  return settings;
}

function parseFlowLogs(raw: unknown, path: string): FlowLogSettings {
  const d = DEFAULT_DEPLOYMENT.flow_logs;
  if (!present(raw)) return d;
  const s = section(raw, path, d);
  const vpcIds = s.get('vpc_ids', (v, p) =>
    list(v, p, 'a list of VPC ids', (x, q) => matching(x, q, VPC_ID, 'a VPC id (vpc-…)')),
  );
  return {
    vpc_ids: vpcIds ?? d.vpc_ids,
    aggregation_seconds:
      s.get('aggregation_seconds', (v, p) => oneOf(v, p, [60, 600] as const)) ??
      d.aggregation_seconds,
    traffic_type:
      s.get('traffic_type', (v, p) => oneOf(v, p, ['ALL', 'ACCEPT', 'REJECT'] as const)) ??
      d.traffic_type,
  };
}

function parseDetection(raw: unknown, path: string): DetectionScheduleSettings {
  const d = DEFAULT_DEPLOYMENT.detection;
  if (!present(raw)) return d;
  const s = section(raw, path, d);
  return {
    period_minutes: s.get('period_minutes', (v, p) => integer(v, p, 5, 1440)) ?? d.period_minutes,
    lag_minutes: s.get('lag_minutes', (v, p) => integer(v, p, 0, 720)) ?? d.lag_minutes,
    max_concurrency: s.get('max_concurrency', (v, p) => integer(v, p, 1, 40)) ?? d.max_concurrency,
    bytes_scanned_cutoff_gb:
      s.get('bytes_scanned_cutoff_gb', (v, p) => integer(v, p, 1, 100_000)) ??
      d.bytes_scanned_cutoff_gb,
  };
}

function parseBaseline(raw: unknown, path: string): BaselineScheduleSettings {
  const d = DEFAULT_DEPLOYMENT.baseline;
  if (!present(raw)) return d;
  const s = section(raw, path, d);
  return { hour_utc: s.get('hour_utc', (v, p) => integer(v, p, 0, 23)) ?? d.hour_utc };
}

function parseAudit(raw: unknown, path: string): AuditSettings {
  const d = DEFAULT_DEPLOYMENT.audit;
  if (!present(raw)) return d;
  const s = section(raw, path, d);
  return {
    bytes_scanned_cutoff_gb:
      s.get('bytes_scanned_cutoff_gb', (v, p) => integer(v, p, 1, 100_000)) ??
      d.bytes_scanned_cutoff_gb,
  };
}

function parseFindings(raw: unknown, path: string, context: DeploymentContext): FindingsSettings {
  const d = DEFAULT_DEPLOYMENT.findings;
  if (!present(raw)) return d;
  const s = section(raw, path, d);
  const subscriptions = s.get('subscriptions', (v, p) =>
    list(v, p, 'a list of subscriptions', (x, q) => parseSubscription(x, q, context)),
  );
  subscriptions?.forEach((sub, i) => {
    const first = subscriptions.findIndex(
      (other) => other.protocol === sub.protocol && other.endpoint === sub.endpoint,
    );
    if (first !== i) {
      throw new ConfigError(
        child(at(child(path, 'subscriptions'), i), 'endpoint'),
        `${sub.protocol} ${JSON.stringify(sub.endpoint)} is already subscribed by subscriptions[${first}]; SNS keeps one subscription per endpoint, so combine their filters`,
      );
    }
  });
  return { subscriptions: subscriptions ?? d.subscriptions };
}

const SUBSCRIPTION_DEFAULTS = {
  protocol: '',
  endpoint: '',
  min_severity: null,
  detection_ids: [],
  src_zones: [],
};

function parseSubscription(
  raw: unknown,
  path: string,
  context: DeploymentContext,
): FindingSubscription {
  const s = section(raw, path, SUBSCRIPTION_DEFAULTS);
  const protocol = s.required('protocol', 'email, https or sqs', (v, p) =>
    oneOf(v, p, ['email', 'https', 'sqs'] as const),
  );
  const endpoint = s.required(
    'endpoint',
    'an email address, https:// URL or SQS queue ARN',
    string,
  );
  checkEndpoint(protocol, endpoint, child(path, 'endpoint'));
  const names = (key: string, allowed: readonly string[], what: string) =>
    s.get(key, (v, p) => list(v, p, `a list of ${what}`, (x, q) => oneOf(x, q, allowed))) ?? [];
  const detectionIds = names('detection_ids', context.detectionIds, 'detection ids');
  const srcZones = names('src_zones', context.zoneNames, 'zone names');
  srcZones.forEach((zone, i) => {
    if (containsIpAddress(zone)) {
      throw new ConfigError(
        at(child(path, 'src_zones'), i),
        `zone ${JSON.stringify(zone)} reads as an IP address; such names are never sent as the src_zone attribute (IP addresses are HIPAA identifiers), so this filter could never match`,
      );
    }
  });
  const minSeverity = s.get('min_severity', (v, p) => oneOf(v, p, context.severities)) ?? null;
  // SNS allows at most 150 combinations of filter values per policy.
  const severities =
    minSeverity === null ? 1 : context.severities.length - context.severities.indexOf(minSeverity);
  const combinations = severities * Math.max(1, detectionIds.length) * Math.max(1, srcZones.length);
  if (combinations > 150) {
    throw new ConfigError(
      path,
      `the filters combine to ${combinations} values (severities × detection_ids × src_zones); SNS accepts at most 150, list fewer`,
    );
  }
  return {
    protocol,
    endpoint,
    min_severity: minSeverity,
    detection_ids: detectionIds,
    src_zones: srcZones,
  };
}

function checkEndpoint(
  protocol: FindingSubscription['protocol'],
  endpoint: string,
  path: string,
): void {
  if (protocol === 'email' && !EMAIL.test(endpoint)) {
    throw new ConfigError(path, `expected an email address, got ${describe(endpoint)}`);
  }
  if (protocol === 'sqs' && !SQS_ARN.test(endpoint)) {
    throw new ConfigError(
      path,
      `expected an SQS queue ARN (arn:aws:sqs:<region>:<account>:<name>), got ${describe(endpoint)}`,
    );
  }
  if (protocol === 'https') {
    let url: URL | null = null;
    try {
      url = new URL(endpoint);
    } catch {
      url = null;
    }
    if (url === null || url.protocol !== 'https:') {
      throw new ConfigError(path, `expected an https:// URL, got ${describe(endpoint)}`);
    }
  }
}

function parseOperations(raw: unknown, path: string): OperationsSettings {
  const d = DEFAULT_DEPLOYMENT.operations;
  if (!present(raw)) return d;
  const s = section(raw, path, d);
  const emails = s.get('emails', (v, p) =>
    list(v, p, 'a list of email addresses', (x, q) => matching(x, q, EMAIL, 'an email address')),
  );
  return { emails: emails ?? d.emails };
}

function parseRetention(raw: unknown, path: string): RetentionSettings {
  const d = DEFAULT_DEPLOYMENT.retention;
  if (!present(raw)) return d;
  const s = section(raw, path, d);
  const days = (key: keyof RetentionSettings, min: number) =>
    s.get(key, (v, p) => integer(v, p, min, 36_500)) ?? (d[key] as number);
  const logDays = s.get('log_days', (v, p) => {
    const n = integer(v, p, 1, 3653);
    if (!LOG_RETENTION_DAYS.includes(n)) {
      throw new ConfigError(
        p,
        `expected one of ${LOG_RETENTION_DAYS.join(', ')} (CloudWatch Logs accepts no other), got ${n}`,
      );
    }
    return n;
  });
  return {
    findings_days: days('findings_days', 1),
    object_lock_mode:
      s.get('object_lock_mode', (v, p) => oneOf(v, p, ['COMPLIANCE', 'GOVERNANCE'] as const)) ??
      d.object_lock_mode,
    raw_days: days('raw_days', 1),
    lake_days: days('lake_days', 1),
    results_days: days('results_days', 1),
    access_log_days: days('access_log_days', 1),
    log_days: logDays ?? d.log_days,
  };
}

function parseIngest(raw: unknown, path: string): IngestSettings {
  const d = DEFAULT_DEPLOYMENT.ingest;
  if (!present(raw)) return d;
  const s = section(raw, path, d);
  return {
    batch_size: s.get('batch_size', (v, p) => integer(v, p, 1, 10)) ?? d.batch_size,
    max_receive_count:
      s.get('max_receive_count', (v, p) => integer(v, p, 1, 20)) ?? d.max_receive_count,
  };
}

function parseFunctions(raw: unknown, path: string): FunctionsSettings {
  const d = DEFAULT_DEPLOYMENT.functions;
  if (!present(raw)) return d;
  const s = section(raw, path, d);
  const fn = (key: keyof FunctionsSettings): FunctionSettings => {
    const fnPath = child(path, key);
    const defaults = d[key];
    const value = s.raw(key);
    if (!present(value)) return defaults;
    const f = section(value, fnPath, defaults);
    return {
      memory_mb: f.get('memory_mb', (v, p) => integer(v, p, 128, 10_240)) ?? defaults.memory_mb,
      timeout_seconds:
        f.get('timeout_seconds', (v, p) => integer(v, p, 1, 900)) ?? defaults.timeout_seconds,
      reserved_concurrency:
        f.get('reserved_concurrency', (v, p) => integer(v, p, 1, 1000)) ??
        defaults.reserved_concurrency,
    };
  };
  return { normalize: fn('normalize'), plan: fn('plan'), publish: fn('publish') };
}

function parseMonitoring(raw: unknown, path: string): MonitoringSettings {
  const d = DEFAULT_DEPLOYMENT.monitoring;
  if (!present(raw)) return d;
  const s = section(raw, path, d);
  return {
    quarantine_ratio:
      s.get('quarantine_ratio', (v, p) => {
        if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > 1) {
          throw new ConfigError(p, `expected a ratio above 0 and at most 1, got ${describe(v)}`);
        }
        return v;
      }) ?? d.quarantine_ratio,
    silence_hours: s.get('silence_hours', (v, p) => integer(v, p, 1, 24)) ?? d.silence_hours,
  };
}

// ---- shape checks ---------------------------------------------------------------------------

type Check<T> = (value: unknown, path: string) => T;

/** A mapping whose keys must be those of `defaults`; reads keys with their path. */
function section(raw: unknown, path: string, defaults: object) {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(path, `expected a mapping, got ${describe(raw)}`);
  }
  const object = raw as Record<string, unknown>;
  const allowed = Object.keys(defaults);
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) {
      throw new ConfigError(child(path, key), `unknown key; expected one of ${allowed.join(', ')}`);
    }
  }
  return {
    raw: (key: string): unknown => object[key],
    has: (key: string): boolean => present(object[key]),
    /** The checked value, or undefined when the key is absent or null (use the default). */
    get<T>(key: string, check: Check<T>): T | undefined {
      const value = object[key];
      return present(value) ? check(value, child(path, key)) : undefined;
    },
    required<T>(key: string, what: string, check: Check<T>): T {
      const value = object[key];
      if (!present(value))
        throw new ConfigError(child(path, key), `missing required key; expected ${what}`);
      return check(value, child(path, key));
    },
  };
}

function list<T>(value: unknown, path: string, what: string, item: Check<T>): T[] {
  if (!Array.isArray(value))
    throw new ConfigError(path, `expected ${what}, got ${describe(value)}`);
  return value.map((x, i) => item(x, at(path, i)));
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigError(path, `expected a non-empty string, got ${describe(value)}`);
  }
  return value;
}

function matching(value: unknown, path: string, pattern: RegExp, what: string): string {
  const text = string(value, path);
  if (!pattern.test(text)) throw new ConfigError(path, `expected ${what}, got ${describe(text)}`);
  return text;
}

function oneOf<T extends string | number>(value: unknown, path: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new ConfigError(path, `expected one of ${allowed.join(', ')}, got ${describe(value)}`);
  }
  return value as T;
}

function boolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean')
    throw new ConfigError(path, `expected true or false, got ${describe(value)}`);
  return value;
}

function integer(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(path, `expected an integer ${min}–${max}, got ${describe(value)}`);
  }
  return value;
}
