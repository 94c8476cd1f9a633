import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DETECTION_IDS, parseConfig } from '../../functions/shared/config.js';
import {
  DEFAULT_DEPLOYMENT,
  type DeploymentContext,
  parseDeploymentConfig,
} from '../../functions/shared/deployment-config.js';
import { SEVERITIES } from '../../functions/shared/detection/query-file.js';
import { ConfigError } from '../../functions/shared/errors.js';

const CONTEXT: DeploymentContext = {
  zoneNames: ['ehr-db', 'imaging', 'external', 'unzoned'],
  detectionIds: DETECTION_IDS,
  severities: SEVERITIES,
};

function catchConfigError(action: () => unknown): ConfigError {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const IMPORTED_VPC = {
  mode: 'import',
  vpc_id: 'vpc-0a1b2c3d4e5f60718',
  subnet_ids: ['subnet-0a1b2c3d4e5f60718', 'subnet-1a2b3c4d5e6f70819'],
  availability_zones: ['us-east-1a', 'us-east-1b'],
  route_table_ids: ['rtb-0a1b2c3d4e5f60718', 'rtb-1a2b3c4d5e6f70819'],
};

describe('Function: parseDeploymentConfig', () => {
  it('returns the defaults for an absent or empty section', () => {
    // Act
    const absent = parseDeploymentConfig(undefined, 'deployment', CONTEXT);
    const empty = parseDeploymentConfig({}, 'deployment', CONTEXT);

    // Assess
    expect(absent).toBe(DEFAULT_DEPLOYMENT);
    expect(empty).toEqual(DEFAULT_DEPLOYMENT);
  });

  it('documents the HIPAA retention and the sizing a 75 MB object needs as defaults', () => {
    // Assess
    expect(DEFAULT_DEPLOYMENT.retention.findings_days).toBe(2192);
    expect(DEFAULT_DEPLOYMENT.retention.object_lock_mode).toBe('COMPLIANCE');
    expect(DEFAULT_DEPLOYMENT.functions.normalize.memory_mb).toBeGreaterThanOrEqual(1024);
    expect(DEFAULT_DEPLOYMENT.vpc).toMatchObject({ mode: 'create', endpoints: true });
  });

  it('fills in the keys a partial section leaves out', () => {
    // Act
    const deployment = parseDeploymentConfig(
      { detection: { lag_minutes: 30 }, functions: { normalize: { memory_mb: 2048 } } },
      'deployment',
      CONTEXT,
    );

    // Assess
    expect(deployment.detection).toEqual({ ...DEFAULT_DEPLOYMENT.detection, lag_minutes: 30 });
    expect(deployment.functions.normalize).toEqual({
      ...DEFAULT_DEPLOYMENT.functions.normalize,
      memory_mb: 2048,
    });
    expect(deployment.functions.plan).toEqual(DEFAULT_DEPLOYMENT.functions.plan);
  });

  it('parses an imported bucket, an imported VPC and subscriptions', () => {
    // Prepare
    const raw = {
      name: 'wardflow_prod',
      landing: {
        bucket_name: 'hospital-flow-logs',
        kms_key_arn: 'arn:aws:kms:us-east-1:123456789012:key/1a2b3c4d-5e6f',
        prefixes: ['AWSLogs/', 'onprem/'],
      },
      vpc: IMPORTED_VPC,
      flow_logs: { vpc_ids: ['vpc-0123456789abcdef0'], aggregation_seconds: 600 },
      findings: {
        subscriptions: [
          { protocol: 'email', endpoint: 'soc@hospital.example', min_severity: 'high' },
          {
            protocol: 'sqs',
            endpoint: 'arn:aws:sqs:us-east-1:123456789012:soc',
            src_zones: ['ehr-db'],
          },
        ],
      },
    };

    // Act
    const deployment = parseDeploymentConfig(raw, 'deployment', CONTEXT);

    // Assess
    expect(deployment.name).toBe('wardflow_prod');
    expect(deployment.landing).toEqual(raw.landing);
    expect(deployment.vpc).toEqual({ ...IMPORTED_VPC, endpoints: true, max_azs: 2 });
    expect(deployment.flow_logs).toEqual({
      vpc_ids: ['vpc-0123456789abcdef0'],
      aggregation_seconds: 600,
      traffic_type: 'ALL',
    });
    expect(deployment.findings.subscriptions).toEqual([
      {
        protocol: 'email',
        endpoint: 'soc@hospital.example',
        min_severity: 'high',
        detection_ids: [],
        src_zones: [],
      },
      {
        protocol: 'sqs',
        endpoint: 'arn:aws:sqs:us-east-1:123456789012:soc',
        min_severity: null,
        detection_ids: [],
        src_zones: ['ehr-db'],
      },
    ]);
  });

  it.each([
    [
      'an unknown key',
      { colour: 'blue' },
      'deployment.colour',
      /unknown key; expected one of name, landing/,
    ],
    [
      'a bad name',
      { name: 'Ward-Flow' },
      'deployment.name',
      /expected a name of a-z, 0-9 and _, got the string "Ward-Flow"/,
    ],
    [
      'a bad bucket name',
      { landing: { bucket_name: 'Bad_Bucket' } },
      'deployment.landing.bucket_name',
      /expected an S3 bucket name/,
    ],
    [
      'a key without an imported bucket',
      { landing: { kms_key_arn: 'arn:aws:kms:us-east-1:123456789012:key/abc' } },
      'deployment.landing.kms_key_arn',
      /applies to an imported bucket only/,
    ],
    [
      'overlapping prefixes',
      { landing: { prefixes: ['AWSLogs/', 'AWSLogs/123/'] } },
      'deployment.landing.prefixes[1]',
      /overlaps "AWSLogs\/"/,
    ],
    [
      'an import without a VPC id',
      { vpc: { ...IMPORTED_VPC, vpc_id: null } },
      'deployment.vpc.vpc_id',
      /mode: import needs the VPC id/,
    ],
    [
      'an import without subnets',
      { vpc: { ...IMPORTED_VPC, subnet_ids: [] } },
      'deployment.vpc.subnet_ids',
      /at least one subnet/,
    ],
    [
      'a zone per subnet missing',
      { vpc: { ...IMPORTED_VPC, availability_zones: ['us-east-1a'] } },
      'deployment.vpc.availability_zones',
      /one availability zone per subnet \(2\), got 1/,
    ],
    [
      'route tables missing for the S3 endpoint',
      { vpc: { ...IMPORTED_VPC, route_table_ids: [] } },
      'deployment.vpc.route_table_ids',
      /one route table per subnet/,
    ],
    [
      'import keys in create mode',
      { vpc: { vpc_id: 'vpc-0a1b2c3d4e5f60718' } },
      'deployment.vpc.vpc_id',
      /applies to mode: import only/,
    ],
    [
      'a malformed subnet id',
      { vpc: { ...IMPORTED_VPC, subnet_ids: ['subnet-1', 'subnet-1a2b3c4d5e6f70819'] } },
      'deployment.vpc.subnet_ids[0]',
      /expected subnet ids/,
    ],
    [
      'a malformed flow-log VPC id',
      { flow_logs: { vpc_ids: ['vpc-xyz'] } },
      'deployment.flow_logs.vpc_ids[0]',
      /expected a VPC id/,
    ],
    [
      'an aggregation interval AWS lacks',
      { flow_logs: { aggregation_seconds: 300 } },
      'deployment.flow_logs.aggregation_seconds',
      /expected one of 60, 600, got the number 300/,
    ],
    [
      'a period out of range',
      { detection: { period_minutes: 2 } },
      'deployment.detection.period_minutes',
      /expected an integer 5–1440, got the number 2/,
    ],
    [
      'a fractional hour',
      { baseline: { hour_utc: 2.5 } },
      'deployment.baseline.hour_utc',
      /expected an integer 0–23/,
    ],
    [
      'a log retention CloudWatch rejects',
      { retention: { log_days: 2000 } },
      'deployment.retention.log_days',
      /CloudWatch Logs accepts no other\), got 2000/,
    ],
    [
      'an unknown lock mode',
      { retention: { object_lock_mode: 'LEGAL_HOLD' } },
      'deployment.retention.object_lock_mode',
      /expected one of COMPLIANCE, GOVERNANCE/,
    ],
    [
      'a ratio above 1',
      { monitoring: { quarantine_ratio: 5 } },
      'deployment.monitoring.quarantine_ratio',
      /above 0 and at most 1/,
    ],
    [
      'a function size out of range',
      { functions: { normalize: { memory_mb: 64 } } },
      'deployment.functions.normalize.memory_mb',
      /integer 128–10240/,
    ],
    [
      'an unknown function',
      { functions: { ingest: {} } },
      'deployment.functions.ingest',
      /unknown key; expected one of normalize, plan, publish/,
    ],
    [
      'a bad operations email',
      { operations: { emails: ['ops'] } },
      'deployment.operations.emails[0]',
      /expected an email address, got the string "ops"/,
    ],
  ])('rejects %s, naming the key path', (_name, raw, path, message) => {
    // Act
    const error = catchConfigError(() => parseDeploymentConfig(raw, 'deployment', CONTEXT));

    // Assess
    expect(error.path).toBe(path);
    expect(error.message).toMatch(message);
  });

  describe('subscriptions', () => {
    const subscribe = (subscription: Record<string, unknown>) => () =>
      parseDeploymentConfig({ findings: { subscriptions: [subscription] } }, 'deployment', CONTEXT);

    it.each([
      [
        'a missing protocol',
        { endpoint: 'soc@h.example' },
        'deployment.findings.subscriptions[0].protocol',
        /missing required key/,
      ],
      [
        'an unknown protocol',
        { protocol: 'sms', endpoint: '+15555550100' },
        'deployment.findings.subscriptions[0].protocol',
        /expected one of email, https, sqs/,
      ],
      [
        'an http endpoint',
        { protocol: 'https', endpoint: 'http://siem.example' },
        'deployment.findings.subscriptions[0].endpoint',
        /expected an https:\/\/ URL/,
      ],
      [
        'a queue URL instead of an ARN',
        { protocol: 'sqs', endpoint: 'https://sqs.us-east-1.amazonaws.com/1/q' },
        'deployment.findings.subscriptions[0].endpoint',
        /expected an SQS queue ARN/,
      ],
      [
        'an unknown severity',
        { protocol: 'email', endpoint: 'soc@h.example', min_severity: 'urgent' },
        'deployment.findings.subscriptions[0].min_severity',
        /expected one of informational, low, medium, high, critical/,
      ],
      [
        'an unknown detection',
        { protocol: 'email', endpoint: 'soc@h.example', detection_ids: ['port-scan'] },
        'deployment.findings.subscriptions[0].detection_ids[0]',
        /expected one of egress-volume-anomaly/,
      ],
      [
        'an unknown zone',
        { protocol: 'email', endpoint: 'soc@h.example', src_zones: ['pharmacy'] },
        'deployment.findings.subscriptions[0].src_zones[0]',
        /expected one of ehr-db, imaging, external, unzoned/,
      ],
      [
        'an unknown key (no IP-bearing filter can be written)',
        { protocol: 'email', endpoint: 'soc@h.example', src_ip: ['10.0.0.1'] },
        'deployment.findings.subscriptions[0].src_ip',
        /unknown key; expected one of protocol, endpoint, min_severity, detection_ids, src_zones/,
      ],
    ])('rejects %s', (_name, subscription, path, message) => {
      // Act
      const error = catchConfigError(subscribe(subscription));

      // Assess
      expect(error.path).toBe(path);
      expect(error.message).toMatch(message);
    });

    it('rejects a zone whose name reads as an IP address', () => {
      // Prepare
      const context = { ...CONTEXT, zoneNames: [...CONTEXT.zoneNames, '10.20.0.1'] };

      // Act
      const error = catchConfigError(() =>
        parseDeploymentConfig(
          {
            findings: {
              subscriptions: [
                { protocol: 'email', endpoint: 'soc@h.example', src_zones: ['10.20.0.1'] },
              ],
            },
          },
          'deployment',
          context,
        ),
      );

      // Assess
      expect(error.path).toBe('deployment.findings.subscriptions[0].src_zones[0]');
      expect(error.message).toMatch(/reads as an IP address/);
    });

    it('rejects filters that combine to more values than SNS accepts', () => {
      // Prepare
      const zones = Array.from({ length: 12 }, (_, i) => `zone-${i}`);
      const context = { ...CONTEXT, zoneNames: zones };

      // Act
      const error = catchConfigError(() =>
        parseDeploymentConfig(
          {
            findings: {
              subscriptions: [
                {
                  protocol: 'email',
                  endpoint: 'soc@h.example',
                  detection_ids: DETECTION_IDS.slice(0, 13),
                  src_zones: zones,
                },
              ],
            },
          },
          'deployment',
          context,
        ),
      );

      // Assess
      expect(error.path).toBe('deployment.findings.subscriptions[0]');
      expect(error.message).toMatch(/combine to 156 values .* at most 150/);
    });

    it('rejects the same endpoint subscribed twice', () => {
      // Act
      const error = catchConfigError(() =>
        parseDeploymentConfig(
          {
            findings: {
              subscriptions: [
                { protocol: 'email', endpoint: 'soc@h.example', min_severity: 'high' },
                { protocol: 'email', endpoint: 'soc@h.example', detection_ids: ['beaconing'] },
              ],
            },
          },
          'deployment',
          CONTEXT,
        ),
      );

      // Assess
      expect(error.path).toBe('deployment.findings.subscriptions[1].endpoint');
      expect(error.message).toMatch(/already subscribed by subscriptions\[0\]/);
    });
  });
});

describe('Function: parseConfig with a deployment section', () => {
  it('leaves deployment out when the file has no section, so local configs are unchanged', () => {
    // Act
    const config = parseConfig({ zones: [{ name: 'ehr-db', cidrs: ['10.10.0.0/24'] }] });

    // Assess
    expect(config.deployment).toBeUndefined();
  });

  it('checks subscription zones against the zones of the same file', () => {
    // Prepare
    const raw = {
      zones: [{ name: 'ehr-db', cidrs: ['10.10.0.0/24'] }],
      deployment: {
        findings: {
          subscriptions: [
            { protocol: 'email', endpoint: 'soc@h.example', src_zones: ['ehr-db', 'external'] },
          ],
        },
      },
    };

    // Act
    const config = parseConfig(raw);
    const error = catchConfigError(() =>
      parseConfig({ ...raw, zones: [{ name: 'imaging', cidrs: ['10.20.0.0/22'] }] }),
    );

    // Assess
    expect(config.deployment?.findings.subscriptions[0]?.src_zones).toEqual(['ehr-db', 'external']);
    expect(error.path).toBe('deployment.findings.subscriptions[0].src_zones[0]');
  });

  it('reports errors inside the section with their full key path', () => {
    // Act
    const error = catchConfigError(() => parseConfig({ deployment: { vpc: { mode: 'shared' } } }));

    // Assess
    expect(error.path).toBe('deployment.vpc.mode');
    expect(error.message).toBe(
      'deployment.vpc.mode: expected one of create, import, got the string "shared"',
    );
  });

  it('parses the example configuration of infra/examples', () => {
    // Prepare
    const file = join(import.meta.dirname, '../../infra/examples/import-existing.yaml');

    // Act
    const config = parseConfig(parse(readFileSync(file, 'utf8')));

    // Assess
    expect(config.deployment?.vpc.mode).toBe('import');
    expect(config.deployment?.landing.bucket_name).toBe('hospital-flow-logs-123456789012');
    expect(config.deployment?.findings.subscriptions).toHaveLength(3);
  });
});
