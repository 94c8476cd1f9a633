import { S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyPrefix, parseS3Uri, readS3Text } from '../../../functions/shared/aws/s3-objects.js';
import { FakeS3 } from '../handlers/fake-aws.js';

describe('S3 objects', () => {
  const stub = mockClient(S3Client);
  afterEach(() => stub.reset());

  it('splits an s3:// URI into bucket and key', () => {
    expect(parseS3Uri('s3://intel-bucket/feeds/blocklist.txt')).toEqual({
      bucket: 'intel-bucket',
      key: 'feeds/blocklist.txt',
    });
    expect(() => parseS3Uri('https://intel-bucket/feed.txt')).toThrow(
      'expected an S3 URI such as s3://bucket/key, got "https://intel-bucket/feed.txt"',
    );
    expect(() => parseS3Uri('s3://intel-bucket/')).toThrow(/expected an S3 URI/);
  });

  it('empties exactly one folder, page by page', async () => {
    const s3 = new FakeS3(stub);
    for (const n of [1, 2, 3, 4, 5])
      s3.put('lake', `baselines/dt=2026-11-2/${n}.parquet`, Buffer.from('x'));
    s3.put('lake', 'baselines/dt=2026-11-23/keep.parquet', Buffer.from('x'));
    const deleted = await emptyPrefix(new S3Client({}), 'lake', 'baselines/dt=2026-11-2/');
    expect(deleted).toBe(5);
    expect(s3.keys('lake')).toEqual(['baselines/dt=2026-11-23/keep.parquet']);
  });

  it('refuses a prefix that would also match sibling folders', async () => {
    await expect(emptyPrefix(new S3Client({}), 'lake', 'baselines/dt=2026-11-2')).rejects.toThrow(
      'expected a prefix ending in "/", got "baselines/dt=2026-11-2"',
    );
  });

  it('reads a list and names the object it cannot read', async () => {
    const s3 = new FakeS3(stub);
    s3.put('intel', 'feed.txt', Buffer.from('192.0.2.1\n'));
    expect(await readS3Text(new S3Client({}), 's3://intel/feed.txt')).toBe('192.0.2.1\n');
    await expect(readS3Text(new S3Client({}), 's3://intel/missing.txt')).rejects.toThrow(
      'cannot read s3://intel/missing.txt',
    );
  });
});
