import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectLockConfigurationCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../../cli/commands/ingest.js';
import { createNormalizeHandler } from '../../../functions/normalize/handler.js';
import { createPlanHandler } from '../../../functions/plan/handler.js';
import { createPublishHandler } from '../../../functions/publish/handler.js';
import { containsIpAddress } from '../../../functions/shared/aws/ip-text.js';
import type { PublishWindowOutput } from '../../../functions/shared/aws/publish-window.js';
import type { WardflowConfig } from '../../../functions/shared/config.js';
import { loadConfigFile } from '../../../functions/shared/config-file.js';
import {
  BUCKET_LAYOUT,
  ENVIRONMENT,
  METRICS,
} from '../../../functions/shared/deployment-contract.js';
import { loadDetectionCatalog } from '../../../functions/shared/detection/detection-catalog.js';
import type { StoredFinding } from '../../../functions/shared/detection/findings-lake.js';
import { runDetections } from '../../../functions/shared/detection/runner.js';
import { DuckDbEngine } from '../../../functions/shared/engines/duckdb-engine.js';
import { prepareLocalBaselines } from '../../../functions/shared/engines/local-baselines.js';
import { attachLocalFlows } from '../../../functions/shared/engines/local-lake-tables.js';
import type { SqlRow } from '../../../functions/shared/engines/query-engine.js';
import { SOURCE_TYPES } from '../../../functions/shared/flow-record.js';
import { generateHospital } from '../../../simulator/generate-hospital.js';
import type { GroundTruth } from '../../../simulator/ground-truth.js';
import { captureMetrics, lambdaContext, metricSum } from '../../functions/handlers/fake-aws.js';
import { type MotoServer, startMoto } from './moto-server.js';

/**
 * Part 2 of the integration tier: the normalize, plan and publish handlers against S3, SQS and
 * SNS served by moto, on flow exports from the project's simulator. The detection SQL runs on
 * DuckDB over the Parquet the normalizer wrote to the emulated lake bucket.
 */

const REGION = 'us-east-1';
const LANDING = 'wardflow-landing';
const LAKE = 'wardflow-lake';
const FINDINGS = 'wardflow-findings';
/** The filter policy of the SOC's paging subscription. */
const PAGED_SEVERITIES = ['high', 'critical'];
/** Attacks whose hours the test uploads: a medium finding (filtered out) and a critical one. */
const SCENARIOS = ['scan-vertical', 'guest-to-ehr'];
const HOUR = 3_600_000;

/** The 5-minute slot a generated export covers, from its file name. */
function slotOf(file: string): number | null {
  const name = basename(file);
  const vpc = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_/.exec(name);
  const zeek = /^conn\.(\d{4})-(\d{2})-(\d{2})-(\d{2})-(\d{2})\./.exec(name);
  const nfdump = /^nfcapd\.(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})\./.exec(name);
  const m = vpc ?? zeek ?? nfdump;
  if (m === null) return null;
  return Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00Z`);
}

function walk(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    return entry.isDirectory() ? walk(path) : [path];
  });
}

function sqsRecord(message: {
  MessageId?: string;
  ReceiptHandle?: string;
  Body?: string;
}): SQSRecord {
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 'moto',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:${REGION}:123456789012:landing-events`,
    awsRegion: REGION,
  };
}

describe('Integration: handlers against moto (S3, SQS, SNS)', () => {
  const work = mkdtempSync(join(tmpdir(), 'wardflow-moto-'));
  const exports = join(work, 'exports');
  const started = Date.now();
  let moto: MotoServer | undefined;
  let s3: S3Client;
  let sqs: SQSClient;
  let sns: SNSClient;
  let landingQueue: string;
  let pagedQueue: string;
  let allQueue: string;
  let uploads: string[];
  let config: WardflowConfig;
  let configPath: string;
  let metrics: ReturnType<typeof captureMetrics>;
  let normalize: ReturnType<typeof createNormalizeHandler>;
  const failures: string[] = [];
  const testEvents: string[] = [];
  const timings: string[] = [];

  function timed<T>(what: string, since: number, value: T): T {
    timings.push(`${what}: ${((Date.now() - since) / 1000).toFixed(1)} s`);
    return value;
  }

  beforeAll(async () => {
    moto = await startMoto();
    const clientConfig = {
      region: REGION,
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    };
    // Streamed uploads with aws-chunked checksums are not for emulators (reference notes).
    s3 = new S3Client({
      ...clientConfig,
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    sqs = new SQSClient(clientConfig);
    sns = new SNSClient(clientConfig);

    // Buckets as the stack makes them: versioned landing, lake, Object Lock findings.
    for (const bucket of [LANDING, LAKE])
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(
      new PutBucketVersioningCommand({
        Bucket: LANDING,
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    );
    await s3.send(new CreateBucketCommand({ Bucket: FINDINGS, ObjectLockEnabledForBucket: true }));
    await s3.send(
      new PutObjectLockConfigurationCommand({
        Bucket: FINDINGS,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } },
        },
      }),
    );

    // Landing bucket → SQS, as the ingest pipeline wires it.
    landingQueue = (await sqs.send(new CreateQueueCommand({ QueueName: 'landing-events' })))
      .QueueUrl as string;
    const queueArn = async (url: string) =>
      (
        await sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
        )
      ).Attributes?.QueueArn as string;
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: LANDING,
        NotificationConfiguration: {
          QueueConfigurations: [
            { QueueArn: await queueArn(landingQueue), Events: ['s3:ObjectCreated:*'] },
          ],
        },
      }),
    );

    // Findings topic with two SOC subscriptions: a pager filtered on severity (raw delivery),
    // and a ticket queue that takes everything (SNS envelope, so the subject is visible).
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'wardflow-findings' })))
      .TopicArn as string;
    pagedQueue = (await sqs.send(new CreateQueueCommand({ QueueName: 'soc-paging' })))
      .QueueUrl as string;
    allQueue = (await sqs.send(new CreateQueueCommand({ QueueName: 'soc-tickets' })))
      .QueueUrl as string;
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: await queueArn(pagedQueue),
        Attributes: {
          FilterPolicy: JSON.stringify({ severity: PAGED_SEVERITIES }),
          RawMessageDelivery: 'true',
        },
      }),
    );
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: await queueArn(allQueue),
      }),
    );

    // Real exports from the simulator: the hours of two attacks, from every source.
    const generating = Date.now();
    await generateHospital({ out: exports, profile: 'clinic', days: 1, seed: 3, threads: 1 });
    const truth = JSON.parse(
      readFileSync(join(exports, 'ground-truth.json'), 'utf8'),
    ) as GroundTruth;
    const attacks = truth.attacks.filter((a) => SCENARIOS.includes(a.scenario));
    expect(attacks.map((a) => a.scenario).sort()).toEqual([...SCENARIOS].sort());
    const from =
      Math.floor(Math.min(...attacks.map((a) => Date.parse(a.window.start))) / HOUR) * HOUR;
    const to = Math.ceil(Math.max(...attacks.map((a) => Date.parse(a.window.end))) / HOUR) * HOUR;
    uploads = walk(exports).filter((file) => {
      const slot = slotOf(file);
      return slot !== null && slot >= from && slot < to;
    });
    // A file in the landing bucket that is not a flow export: acknowledged, never a failure.
    uploads.push(join(exports, 'README.md'));
    config = await loadConfigFile(join(exports, 'wardflow.yaml'));
    configPath = join(work, 'wardflow.config.json');
    writeFileSync(configPath, JSON.stringify(config));
    timed(`generate (${uploads.length} objects of ${from}..${to})`, generating, null);

    metrics = captureMetrics();
    normalize = createNormalizeHandler({
      s3,
      env: { [ENVIRONMENT.lakeBucket]: LAKE, [ENVIRONMENT.configFile]: configPath },
      tempDir: mkdtempSync(join(work, 'stage-')),
    });
  });

  afterAll(async () => {
    await moto?.stop();
    rmSync(work, { recursive: true, force: true });
    process.stderr.write(
      `moto tier timings:\n  ${[...timings, `total: ${((Date.now() - started) / 1000).toFixed(1)} s`].join('\n  ')}\n`,
    );
  });

  async function putAll(): Promise<void> {
    for (const file of uploads) {
      await s3.send(
        new PutObjectCommand({
          Bucket: LANDING,
          Key: relative(exports, file).split('\\').join('/'),
          Body: readFileSync(file),
        }),
      );
    }
  }

  /** Receives the landing notifications and runs them through the handler, as Lambda's SQS poller does. */
  async function drainLanding(objects: number): Promise<number> {
    let seen = 0;
    const deadline = Date.now() + 60_000;
    while (seen < objects && Date.now() < deadline) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: landingQueue,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
        }),
      );
      if (Messages.length === 0) continue;
      for (const message of Messages) {
        const body = JSON.parse(message.Body ?? '{}') as { Records?: unknown[]; Event?: string };
        seen += body.Records?.length ?? 0;
        if (body.Event === 's3:TestEvent') testEvents.push(message.MessageId ?? '');
      }
      const response = await normalize({ Records: Messages.map(sqsRecord) }, lambdaContext());
      const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
      failures.push(...failed);
      const done = Messages.filter((m) => !failed.has(m.MessageId ?? ''));
      if (done.length > 0) {
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: landingQueue,
            Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
          }),
        );
      }
    }
    return seen;
  }

  async function listAll(bucket: string, prefix = '') {
    const objects: { key: string; etag: string }[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) objects.push({ key: o.Key ?? '', etag: o.ETag ?? '' });
      token = page.NextContinuationToken;
    } while (token !== undefined);
    return objects.sort((a, b) => a.key.localeCompare(b.key));
  }

  /** Copies the lake bucket's flows into a local folder for DuckDB. */
  async function downloadLake(): Promise<string> {
    const folder = mkdtempSync(join(work, 'lake-'));
    for (const { key } of await listAll(LAKE, BUCKET_LAYOUT.flows)) {
      const object = await s3.send(new GetObjectCommand({ Bucket: LAKE, Key: key }));
      const target = join(folder, key);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(
        target,
        await (
          object.Body as { transformToByteArray(): Promise<Uint8Array> }
        ).transformToByteArray(),
      );
    }
    return folder;
  }

  async function countRows(lake: string): Promise<number> {
    const engine = await DuckDbEngine.open({ threads: 1 });
    try {
      await attachLocalFlows(engine, lake);
      const [row] = await engine.query('SELECT count(*) AS n FROM flows');
      return Number(row?.n);
    } finally {
      await engine.close();
    }
  }

  async function receiveAll(queueUrl: string) {
    const messages = [];
    for (let empty = 0; empty < 2; ) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          MessageAttributeNames: ['All'],
        }),
      );
      if (Messages.length === 0) empty++;
      messages.push(...Messages);
      if (Messages.length > 0) {
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
          }),
        );
      }
    }
    return messages;
  }

  let lakeKeys: { key: string; etag: string }[] = [];
  let lakeRows = 0;

  it('normalizes what lands in S3 into Parquet, with conservation counts that match a local ingest', async () => {
    // Act
    const since = Date.now();
    await putAll();
    const seen = await drainLanding(uploads.length);
    timed(`normalize ${uploads.length} objects`, since, null);

    // Assess
    expect(seen).toBe(uploads.length);
    expect(failures).toEqual([]);
    lakeKeys = await listAll(LAKE);
    const parquet = lakeKeys.filter((o) => o.key.startsWith(BUCKET_LAYOUT.flows));
    for (const type of ['vpc', 'zeek', 'nfdump']) {
      expect(parquet.some((o) => o.key.startsWith(`flows/source_type=${type}/`))).toBe(true);
    }
    expect(lakeKeys.filter((o) => o.key.startsWith(BUCKET_LAYOUT.manifests))).toHaveLength(
      uploads.length - 1,
    );
    const local = await ingestPaths(
      uploads.filter((f) => !f.endsWith('README.md')),
      join(work, 'local-lake'),
      config,
    );
    const emitted = metrics.emitted();
    for (const type of SOURCE_TYPES) {
      const dims = { [METRICS.sourceTypeDimension]: type };
      const files = local.files.filter((f) => f.source_type === type);
      const sum = (
        key: 'records_in' | 'records_written' | 'records_quarantined' | 'records_skipped',
      ) => files.reduce((total, f) => total + f[key], 0);
      expect(metricSum(emitted, METRICS.recordsIn, dims)).toBe(sum('records_in'));
      expect(metricSum(emitted, METRICS.recordsWritten, dims)).toBe(sum('records_written'));
      expect(metricSum(emitted, METRICS.recordsQuarantined, dims)).toBe(sum('records_quarantined'));
      expect(metricSum(emitted, METRICS.recordsSkipped, dims)).toBe(sum('records_skipped'));
    }
    expect(metricSum(emitted, METRICS.recordsIn)).toBe(
      metricSum(emitted, METRICS.recordsWritten) +
        metricSum(emitted, METRICS.recordsQuarantined) +
        metricSum(emitted, METRICS.recordsSkipped),
    );
    expect(metricSum(emitted, METRICS.objectsFailed)).toBe(0);
    lakeRows = await countRows(await downloadLake());
    expect(lakeRows).toBe(local.records_written);
    expect(lakeRows).toBeGreaterThan(0);
  });

  it('replaces its own files, never duplicates, when the same objects are put again', async () => {
    // Act: the same bytes again (new versions in the versioned landing bucket)
    const since = Date.now();
    await putAll();
    const seen = await drainLanding(uploads.length);
    timed('normalize the same objects again', since, null);

    // Assess
    expect(seen).toBe(uploads.length);
    expect(failures).toEqual([]);
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: LANDING }));
    expect(versions.Versions?.length).toBe(2 * uploads.length);
    expect(await listAll(LAKE)).toEqual(lakeKeys);
    expect(await countRows(await downloadLake())).toBe(lakeRows);
    // Whether moto sends S3's test event on configuration or not, it is never a failure.
    expect(failures.filter((id) => testEvents.includes(id))).toEqual([]);
    timings.push(`S3 test events received and acknowledged: ${testEvents.length}`);
  });

  describe('detect and publish', () => {
    const detections = loadDetectionCatalog();
    const rowsById = new Map<string, readonly SqlRow[]>();
    let engine: DuckDbEngine;
    let plan: ReturnType<typeof createPlanHandler>;
    let publish: ReturnType<typeof createPublishHandler>;
    let runs: Date[];
    let published = 0;

    beforeAll(async () => {
      engine = await DuckDbEngine.open({ threads: 1 });
      const lake = await downloadLake();
      await attachLocalFlows(engine, lake);
      // Athena's stand-in needs the baselines the baseline refresh materializes in the cloud.
      await prepareLocalBaselines(engine, lake, config);
      const [span] = await engine.query(
        'SELECT min(start_time) AS first, max(start_time) AS last FROM flows',
      );
      const firstFlow = span?.first;
      const lastFlow = span?.last;
      if (!(firstFlow instanceof Date) || !(lastFlow instanceof Date)) {
        throw new Error(`expected flows in the lake, got ${JSON.stringify(span)}`);
      }
      // The schedule: hourly, five minutes past the hour with five minutes of lag, from the
      // first hour of data to the run that closes its day.
      const first = Math.floor(firstFlow.getTime() / HOUR) * HOUR + HOUR;
      const last = Math.ceil(lastFlow.getTime() / (24 * HOUR)) * 24 * HOUR;
      runs = [];
      for (let t = first; t <= last; t += HOUR) runs.push(new Date(t + 5 * 60_000));
      const env = {
        [ENVIRONMENT.findingsBucket]: FINDINGS,
        [ENVIRONMENT.findingsTopicArn]: `arn:aws:sns:${REGION}:123456789012:wardflow-findings`,
        [ENVIRONMENT.athenaWorkgroup]: 'wardflow',
        [ENVIRONMENT.glueDatabase]: 'wardflow',
        [ENVIRONMENT.configFile]: configPath,
      };
      plan = createPlanHandler({ env });
      publish = createPublishHandler({
        s3,
        sns,
        env,
        results: async (id) => rowsById.get(id) ?? [],
      });
    });

    afterAll(async () => {
      await engine?.close();
    });

    /** One pass of the schedule: plan, run each query on DuckDB, publish its window. */
    async function runSchedule(): Promise<PublishWindowOutput[]> {
      const outputs: PublishWindowOutput[] = [];
      for (const time of runs) {
        const { queries } = await plan(
          { kind: 'detections', time: time.toISOString(), lag_minutes: 5, period_minutes: 60 },
          lambdaContext(),
        );
        for (const query of queries) {
          if (!('detection_id' in query)) throw new Error('a detection run planned a baseline');
          const id = `duckdb-${rowsById.size + 1}`;
          rowsById.set(id, await engine.query(query.sql));
          outputs.push(
            await publish(
              {
                detection_id: query.detection_id,
                window_start: query.window_start,
                window_end: query.window_end,
                query_execution_id: id,
              },
              lambdaContext(),
            ),
          );
        }
      }
      return outputs;
    }

    async function storedFindings(): Promise<StoredFinding[]> {
      const stored: StoredFinding[] = [];
      for (const { key } of await listAll(FINDINGS, BUCKET_LAYOUT.findings)) {
        const object = await s3.send(new GetObjectCommand({ Bucket: FINDINGS, Key: key }));
        const text = await (
          object.Body as { transformToString(): Promise<string> }
        ).transformToString();
        for (const line of text.split('\n')) if (line !== '') stored.push(JSON.parse(line));
      }
      return stored;
    }

    it('publishes each new finding once, to the subscribers whose filter allows its severity', async () => {
      // Act
      const since = Date.now();
      const outputs = await runSchedule();
      timed(`plan + DuckDB + publish over ${runs.length} scheduled runs`, since, null);

      // Assess: the stored findings are the local runner's, for every window it ran
      const stored = await storedFindings();
      const raised = stored.filter((f) => f.status === 'new');
      // The schedule ran every window ending in (first run − 1 h, last run]; so does the runner.
      const local = await runDetections({
        engine,
        detections,
        config,
        from: new Date((runs[0]?.getTime() as number) - 5 * 60_000 - HOUR),
        to: new Date((runs.at(-1)?.getTime() as number) - 5 * 60_000),
      });
      expect(raised.map((f) => f.finding_id).sort()).toEqual(
        local.findings.map((f) => f.finding_id).sort(),
      );
      expect(
        stored
          .filter((f) => f.status === 'suppressed')
          .map((f) => f.finding_id)
          .sort(),
      ).toEqual(local.suppressed.map((s) => s.finding.finding_id).sort());
      published = outputs.reduce((sum, o) => sum + o.published, 0);
      timings.push(
        `findings: ${raised.length} raised (${stored.length - raised.length} suppressed), ${published} published, ${raised.filter((f) => PAGED_SEVERITIES.includes(f.severity)).length} paged`,
      );
      expect(published).toBe(raised.length);
      const markers = await listAll(FINDINGS, BUCKET_LAYOUT.published);
      expect(markers.map((m) => m.key.slice(BUCKET_LAYOUT.published.length)).sort()).toEqual(
        raised.map((f) => f.finding_id).sort(),
      );
      // Both sides of the filter are exercised
      const paged = raised.filter((f) => PAGED_SEVERITIES.includes(f.severity));
      expect(paged.length).toBeGreaterThan(0);
      expect(paged.length).toBeLessThan(raised.length);

      const tickets = await receiveAll(allQueue);
      expect(tickets).toHaveLength(raised.length);
      for (const ticket of tickets) {
        const envelope = JSON.parse(ticket.Body ?? '{}') as {
          Subject: string;
          Message: string;
          MessageAttributes: Record<string, { Type: string; Value: string }>;
        };
        const body = JSON.parse(envelope.Message) as { finding_id: string; severity: string };
        const finding = raised.find((f) => f.finding_id === body.finding_id);
        expect(finding).toBeDefined();
        expect(Object.keys(envelope.MessageAttributes).sort()).toEqual(
          finding?.src_zone === null
            ? ['detection_id', 'severity']
            : ['detection_id', 'severity', 'src_zone'],
        );
        expect(envelope.MessageAttributes.severity?.Value).toBe(finding?.severity);
        expect(envelope.MessageAttributes.detection_id?.Value).toBe(finding?.detection_id);
        const exposed = [
          envelope.Subject,
          ...Object.values(envelope.MessageAttributes).map((a) => a.Value),
        ];
        for (const text of exposed) {
          expect(containsIpAddress(text)).toBe(false);
          for (const ip of [finding?.src_ip, finding?.dst_ip])
            if (ip) expect(text).not.toContain(ip);
        }
      }

      const pages = await receiveAll(pagedQueue);
      expect(
        pages.map((m) => (JSON.parse(m.Body ?? '{}') as { finding_id: string }).finding_id).sort(),
      ).toEqual(paged.map((f) => f.finding_id).sort());
      for (const page of pages) {
        expect(PAGED_SEVERITIES).toContain(page.MessageAttributes?.severity?.StringValue);
        expect(page.MessageAttributes?.detection_id?.StringValue).toMatch(/^[a-z-]+$/);
      }
    });

    it('publishes nothing new when the same run is repeated', async () => {
      // Act
      const since = Date.now();
      const outputs = await runSchedule();
      timed('repeat of the schedule', since, null);

      // Assess
      expect(outputs.reduce((sum, o) => sum + o.published, 0)).toBe(0);
      expect(outputs.reduce((sum, o) => sum + o.deduplicated, 0)).toBe(published);
      expect(await receiveAll(allQueue)).toEqual([]);
      expect(await receiveAll(pagedQueue)).toEqual([]);
      expect(await listAll(FINDINGS, BUCKET_LAYOUT.published)).toHaveLength(published);
    });
  });
});
