import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  defaultSensorOfKey,
  ObjectTooLargeError,
  openS3Object,
} from '../../../functions/shared/aws/s3-input-object.js';
import { FakeS3 } from '../handlers/fake-aws.js';

const s3Mock = mockClient(S3Client);

async function read(iterable: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of iterable) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts).toString('utf8');
}

describe('Input: openS3Object', () => {
  let fake: FakeS3;
  beforeEach(() => {
    s3Mock.reset();
    fake = new FakeS3(s3Mock);
  });

  it('names the input by bucket, key and the ETag of the bytes it reads', async () => {
    // Prepare
    const first = fake.put('landing', 'onprem/site-a/conn.log', Buffer.from('one\n'));
    fake.put('landing', 'onprem/site-a/conn.log', Buffer.from('two\n'));

    // Act: an unversioned bucket; the event about the first bytes arrives after the second put
    const opened = await openS3Object(new S3Client({}), {
      bucket: 'landing',
      key: 'onprem/site-a/conn.log',
      versionId: null,
      size: 4,
    });

    // Assess
    expect(opened.input.ref).toBe('s3://landing/onprem/site-a/conn.log');
    expect(opened.input.identity).toBe(`s3://landing/onprem/site-a/conn.log#${opened.etag}`);
    expect(opened.etag).not.toBe(first.ETag.replaceAll('"', ''));
    expect(opened.input.defaultSensor).toBe('site-a');
    expect(await read(opened.input.open())).toBe('two\n');
  });

  it('reads the same bytes again on a second open, pinned by ETag', async () => {
    // Prepare
    fake.put('landing', 'k.log', Buffer.from('same\n'));
    const opened = await openS3Object(new S3Client({}), {
      bucket: 'landing',
      key: 'k.log',
      versionId: null,
      size: null,
    });
    await read(opened.input.open());

    // Act
    const again = await read(opened.input.open());

    // Assess
    expect(again).toBe('same\n');
    expect(s3Mock.commandCalls(GetObjectCommand)[1]?.args[0].input.IfMatch).toBe(
      `"${opened.etag}"`,
    );
  });

  it('refuses an object larger than the limit', async () => {
    fake.put('landing', 'big.log', Buffer.alloc(100));
    await expect(
      openS3Object(
        new S3Client({}),
        { bucket: 'landing', key: 'big.log', versionId: null, size: null },
        10,
      ),
    ).rejects.toThrow(
      new ObjectTooLargeError('s3://landing/big.log: expected at most 10 bytes, got 100'),
    );
  });
});

describe('Input: defaultSensorOfKey', () => {
  it.each([
    ['onprem/clinic-north/nfdump/nfcapd.202611291000.csv', 'clinic-north'],
    ['AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/29/x.log.gz', '29'],
    ['exports/zeek/conn.log', 'zeek'],
    ['conn.log', 'landing'],
  ])('reads %s as %s', (key, sensor) => {
    expect(defaultSensorOfKey('landing', key)).toBe(sensor);
  });
});
