import { PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  markerKey,
  PublishMarkerError,
  S3PublishMarkers,
} from '../../../functions/shared/aws/publish-dedupe.js';
import { FakeS3 } from '../handlers/fake-aws.js';

const s3Mock = mockClient(S3Client);

describe('Dedupe: S3PublishMarkers', () => {
  beforeEach(() => {
    s3Mock.reset();
  });

  it('claims a finding once: the second conditional write is a duplicate', async () => {
    // Prepare
    const fake = new FakeS3(s3Mock);
    const markers = new S3PublishMarkers(new S3Client({}), 'findings');

    // Act
    const first = await markers.claim('f1');
    const second = await markers.claim('f1');

    // Assess
    expect([first, second]).toEqual(['new', 'duplicate']);
    expect(fake.keys('findings')).toEqual(['published/f1']);
    expect(s3Mock.commandCalls(PutObjectCommand)[0]?.args[0].input).toMatchObject({
      Bucket: 'findings',
      Key: markerKey('f1'),
      IfNoneMatch: '*',
      ChecksumAlgorithm: 'CRC32',
    });
  });

  it('claims again after a release', async () => {
    const fake = new FakeS3(s3Mock);
    const markers = new S3PublishMarkers(new S3Client({}), 'findings');
    await markers.claim('f2');
    await markers.release('f2');
    expect(fake.keys('findings')).toEqual([]);
    expect(await markers.claim('f2')).toBe('new');
  });

  it('fails on anything but success or 412, such as a concurrent write (409)', async () => {
    s3Mock.on(PutObjectCommand).rejects(
      new S3ServiceException({
        name: 'ConditionalRequestConflict',
        $fault: 'client',
        $metadata: { httpStatusCode: 409 },
        message: 'conflict',
      }),
    );
    const markers = new S3PublishMarkers(new S3Client({}), 'findings');
    await expect(markers.claim('f3')).rejects.toThrow(PublishMarkerError);
  });
});
