import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AthenaClient,
  GetQueryResultsCommand,
  InvalidRequestException,
  TooManyRequestsException,
} from '@aws-sdk/client-athena';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPublishHandler } from '../../../functions/publish/handler.js';
import { containsIpAddress } from '../../../functions/shared/aws/ip-text.js';
import { FindingsPublishError } from '../../../functions/shared/aws/publish-window.js';
import {
  BUCKET_LAYOUT,
  ENVIRONMENT,
  METRICS,
} from '../../../functions/shared/deployment-contract.js';
import {
  evidencePath,
  findingsPath,
  type StoredFinding,
} from '../../../functions/shared/detection/findings-lake.js';
import { useTempDirs } from '../../helpers/temp-dir.js';
import { captureMetrics, FakeS3, lambdaContext, metricSum } from './fake-aws.js';

const FINDINGS = 'findings-bucket';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:wardflow-findings';
const DETECTION = 'port-scan-vertical';
const WINDOW = { start: '2026-11-29T09:00:00.000Z', end: '2026-11-29T10:00:00.000Z' };
const INPUT = {
  detection_id: DETECTION,
  window_start: WINDOW.start,
  window_end: WINDOW.end,
  query_execution_id: 'qe-1',
};
const SCANNER = '10.0.5.10';
const s3Mock = mockClient(S3Client);
const snsMock = mockClient(SNSClient);
const athenaMock = mockClient(AthenaClient);
const tempDir = useTempDirs();

const COLUMNS = [
  ['src_ip', 'varchar'],
  ['dst_ip', 'varchar'],
  ['src_zone', 'varchar'],
  ['dst_zone', 'varchar'],
  ['distinct_ports', 'bigint'],
  ['failed_ports', 'bigint'],
  ['flow_count', 'bigint'],
  ['first_seen', 'timestamp'],
  ['last_seen', 'timestamp'],
  ['raw_refs', 'array(varchar)'],
  ['severity', 'varchar'],
] as const;

/** 23 scanning sources in two zones, alternating severities, and the allowlisted scanner. */
function resultRows(): string[][] {
  const rows: string[][] = [];
  for (let i = 1; i <= 23; i++) {
    rows.push([
      `10.20.1.${i}`,
      `10.10.0.${i}`,
      i % 2 === 0 ? 'imaging' : 'guest-wifi',
      'ehr-db',
      String(20 + i),
      String(10 + i),
      String(40 + i),
      '2026-11-29 09:01:00.000',
      '2026-11-29 09:58:00.000',
      `[s3://landing/a.log:${i}, s3://landing/a.log:${i + 100}]`,
      ['low', 'medium', 'high', 'critical'][i % 4] as string,
    ]);
  }
  rows.push([
    SCANNER,
    '10.10.0.99',
    'it',
    'ehr-db',
    '900',
    '800',
    '950',
    '2026-11-29 09:00:01.000',
    '2026-11-29 09:59:00.000',
    '[s3://landing/b.log:1]',
    'medium',
  ]);
  return rows;
}

function page(rows: string[][], header: boolean, nextToken?: string) {
  const data = rows.map((r) => ({ Data: r.map((v) => ({ VarCharValue: v })) }));
  return {
    ResultSet: {
      ResultSetMetadata: { ColumnInfo: COLUMNS.map(([Name, Type]) => ({ Name, Type })) },
      Rows: header ? [{ Data: COLUMNS.map(([name]) => ({ VarCharValue: name })) }, ...data] : data,
    },
    NextToken: nextToken,
  };
}

describe('Handler: publish', () => {
  let fake: FakeS3;
  let metrics: ReturnType<typeof captureMetrics>;
  let env: NodeJS.ProcessEnv;
  const rows = resultRows();

  beforeAll(() => {
    metrics = captureMetrics();
  });
  afterAll(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });
  beforeEach(() => {
    s3Mock.reset();
    snsMock.reset();
    athenaMock.reset();
    fake = new FakeS3(s3Mock);
    snsMock.on(PublishBatchCommand).resolves({ Successful: [], Failed: [] });
    // Two pages, as Athena pages results: the header row comes only on the first.
    athenaMock
      .on(GetQueryResultsCommand)
      .callsFake(async (input) =>
        input.NextToken === undefined
          ? page(rows.slice(0, 12), true, 'page-2')
          : page(rows.slice(12), false),
      );
    vi.mocked(console.log).mockClear();
    const configPath = join(tempDir(), 'wardflow.config.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        allowlist: [
          { cidr: `${SCANNER}/32`, detections: [DETECTION], reason: 'vulnerability scanner' },
        ],
      }),
    );
    env = {
      [ENVIRONMENT.findingsBucket]: FINDINGS,
      [ENVIRONMENT.findingsTopicArn]: TOPIC,
      [ENVIRONMENT.athenaWorkgroup]: 'wardflow',
      [ENVIRONMENT.glueDatabase]: 'wardflow_db',
      [ENVIRONMENT.configFile]: configPath,
    };
  });

  function publish(input: unknown = INPUT) {
    return createPublishHandler({ env })(input, lambdaContext());
  }

  function entries() {
    return snsMock
      .commandCalls(PublishBatchCommand)
      .flatMap((call) => call.args[0].input.PublishBatchRequestEntries ?? []);
  }

  it('stores the window, marks each raised finding and publishes it once, in batches of ten', async () => {
    // Act
    const output = await publish();

    // Assess
    expect(output).toEqual({
      detection_id: DETECTION,
      window_start: WINDOW.start,
      window_end: WINDOW.end,
      rows: 24,
      findings: 23,
      suppressed: 1,
      published: 23,
      deduplicated: 0,
    });
    const stored = (fake.text(FINDINGS, findingsPath(DETECTION, new Date(WINDOW.start))) ?? '')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as StoredFinding);
    expect(stored).toHaveLength(24);
    expect(stored.filter((f) => f.status === 'suppressed').map((f) => f.src_ip)).toEqual([SCANNER]);
    expect(fake.text(FINDINGS, evidencePath(DETECTION, new Date(WINDOW.start)))).toContain(
      's3://landing/a.log:101',
    );
    const raised = stored
      .filter((f) => f.status === 'new')
      .map((f) => f.finding_id)
      .sort();
    expect(fake.keys(FINDINGS, BUCKET_LAYOUT.published)).toEqual(
      raised.map((id) => `${BUCKET_LAYOUT.published}${id}`),
    );
    const markerPuts = s3Mock
      .commandCalls(PutObjectCommand)
      .filter((call) => call.args[0].input.Key?.startsWith(BUCKET_LAYOUT.published));
    expect(markerPuts.every((call) => call.args[0].input.IfNoneMatch === '*')).toBe(true);
    const batches = snsMock.commandCalls(PublishBatchCommand).map((c) => c.args[0].input);
    expect(batches.map((b) => b.PublishBatchRequestEntries?.length)).toEqual([10, 10, 3]);
    expect(batches.every((b) => b.TopicArn === TOPIC)).toBe(true);
    expect(
      entries()
        .map((e) => e.Id)
        .sort(),
    ).toEqual(raised);
    expect(metricSum(metrics.emitted(), METRICS.findingsPublished)).toBe(23);
  });

  it('never puts an address into a subject or an attribute, only into the body', async () => {
    // Act
    await publish();

    // Assess
    const addresses = rows.flatMap((r) => [r[0], r[1]] as string[]);
    for (const entry of entries()) {
      const attributes = entry.MessageAttributes ?? {};
      expect(Object.keys(attributes).sort()).toEqual(['detection_id', 'severity', 'src_zone']);
      const exposed = [
        entry.Subject ?? '',
        ...Object.values(attributes).map((a) => a.StringValue ?? ''),
      ];
      for (const text of exposed) {
        expect(containsIpAddress(text)).toBe(false);
        for (const address of addresses) expect(text).not.toContain(address);
      }
      expect(entry.Subject?.length).toBeLessThanOrEqual(100);
      expect(entry.Subject).not.toMatch(/\n/);
      const body = JSON.parse(entry.Message ?? '{}') as Record<string, unknown>;
      expect(body.finding_id).toBe(entry.Id);
      expect(String(body.summary)).toMatch(/10\.20\.1\.\d+/);
      expect(JSON.stringify(body.athena)).toContain(`finding_id = '${entry.Id}'`);
    }
    const bySeverity = entries().map((e) => e.MessageAttributes?.severity?.StringValue);
    expect(new Set(bySeverity)).toEqual(new Set(['low', 'medium', 'high', 'critical']));
    expect(new Set(entries().map((e) => e.MessageAttributes?.src_zone?.StringValue))).toEqual(
      new Set(['imaging', 'guest-wifi']),
    );
  });

  it('publishes nothing again when the window runs a second time', async () => {
    // Prepare
    await publish();
    snsMock.resetHistory();
    vi.mocked(console.log).mockClear();

    // Act
    const output = await publish();

    // Assess
    expect(output.published).toBe(0);
    expect(output.deduplicated).toBe(23);
    expect(snsMock.commandCalls(PublishBatchCommand)).toHaveLength(0);
    const emitted = metrics.emitted();
    expect(metricSum(emitted, METRICS.findingsPublished)).toBe(0);
    expect(metricSum(emitted, METRICS.findingsDeduplicated)).toBe(23);
  });

  it('takes back the markers of entries SNS rejected, fails, and publishes just those on retry', async () => {
    // Prepare: SNS rejects two entries of the first request
    snsMock.on(PublishBatchCommand).callsFake(async (input) => {
      const ids = (input.PublishBatchRequestEntries ?? []).map((e: { Id: string }) => e.Id);
      return {
        Failed: ids
          .slice(0, 2)
          .map((Id: string) => ({ Id, Code: 'InternalError', SenderFault: false })),
      };
    });

    // Act
    const failure = await publish().catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(FindingsPublishError);
    const rejected = (failure as FindingsPublishError).findingIds;
    expect(rejected).toHaveLength(6); // two of each of the three requests
    expect(fake.keys(FINDINGS, BUCKET_LAYOUT.published)).toHaveLength(23 - 6);

    // Act: the state machine retries; SNS accepts everything now
    snsMock.reset();
    snsMock.on(PublishBatchCommand).resolves({ Failed: [] });
    const retry = await publish();

    // Assess
    expect(retry.published).toBe(6);
    expect(retry.deduplicated).toBe(17);
    expect(
      entries()
        .map((e) => e.Id)
        .sort(),
    ).toEqual([...rejected].sort());
  });

  it('takes back every marker of a request that failed as a whole', async () => {
    // Prepare
    snsMock
      .on(PublishBatchCommand)
      .rejectsOnce(new Error('connection reset'))
      .resolves({ Failed: [] });

    // Act
    const failure = await publish().catch((error: unknown) => error);

    // Assess
    expect((failure as FindingsPublishError).findingIds).toHaveLength(10);
    expect((failure as Error).message).toContain('connection reset');
    expect(fake.keys(FINDINGS, BUCKET_LAYOUT.published)).toHaveLength(13);
  });

  it('rejects a window that is not the detection’s aligned window, before any write', async () => {
    // Act + Assess
    await expect(
      publish({
        ...INPUT,
        window_start: '2026-11-29T09:30:00.000Z',
        window_end: '2026-11-29T10:30:00.000Z',
      }),
    ).rejects.toThrow(
      /publish input window: expected an aligned 3600000 ms window of port-scan-vertical/,
    );
    expect(s3Mock.calls()).toHaveLength(0);
    expect(snsMock.calls()).toHaveLength(0);
  });

  it('retries a throttled results read and publishes as usual', async () => {
    // Prepare: Athena throttles the first page once
    const pages = athenaMock.commandCalls(GetQueryResultsCommand).length;
    athenaMock
      .on(GetQueryResultsCommand)
      .rejectsOnce(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }))
      .callsFake(async (input) =>
        input.NextToken === undefined
          ? page(rows.slice(0, 12), true, 'page-2')
          : page(rows.slice(12), false),
      );

    // Act
    const output = await publish();

    // Assess
    expect(output.published).toBe(23);
    expect(athenaMock.commandCalls(GetQueryResultsCommand).length - pages).toBe(3);
  });

  it('fails with the query id when Athena refuses the results, before anything is written', async () => {
    // Prepare
    athenaMock
      .on(GetQueryResultsCommand)
      .rejects(
        new InvalidRequestException({ message: 'Query has not yet finished', $metadata: {} }),
      );

    // Act + Assess
    await expect(publish()).rejects.toThrow(
      /Athena call failed \(query qe-1\): Query has not yet finished/,
    );
    expect(s3Mock.calls()).toHaveLength(0);
    expect(snsMock.calls()).toHaveLength(0);
  });

  it('rejects an unknown detection id and names the known ones', async () => {
    await expect(publish({ ...INPUT, detection_id: 'port-scan-diagonal' })).rejects.toThrow(
      /publish input detection_id: expected one of .*port-scan-vertical.*, got "port-scan-diagonal"/,
    );
  });
});
