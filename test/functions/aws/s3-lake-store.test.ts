import { readdirSync } from 'node:fs';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { S3LakeStore } from '../../../functions/shared/aws/s3-lake-store.js';
import { LakeWriteError } from '../../../functions/shared/errors.js';
import { useTempDirs } from '../../helpers/temp-dir.js';
import { FakeS3 } from '../handlers/fake-aws.js';

const s3Mock = mockClient(S3Client);
const tempDir = useTempDirs();

describe('Store: S3LakeStore', () => {
  let fake: FakeS3;
  beforeEach(() => {
    s3Mock.reset();
    fake = new FakeS3(s3Mock);
  });

  it('uploads a staged object on commit, with its length, and leaves no temporary file', async () => {
    // Prepare
    const temp = tempDir();
    const store = new S3LakeStore({
      client: new S3Client({}),
      bucket: 'lake',
      prefix: 'p/',
      tempDir: temp,
    });
    const staged = store.stage('flows/a.parquet');
    staged.sink.write(new Uint8Array([1, 2, 3]));
    staged.sink.write(new Uint8Array(2 * 1024 * 1024).fill(7));

    // Act
    expect(fake.keys('lake')).toEqual([]);
    await staged.commit();

    // Assess
    const body = fake.objects.get('lake/p/flows/a.parquet')?.body;
    expect(body?.length).toBe(3 + 2 * 1024 * 1024);
    expect([...(body?.subarray(0, 4) ?? [])]).toEqual([1, 2, 3, 7]);
    expect(s3Mock.commandCalls(PutObjectCommand)[0]?.args[0].input.ContentLength).toBe(
      body?.length,
    );
    expect(readdirSync(temp)).toEqual([]);
  });

  it('discards an aborted object without uploading it', async () => {
    const temp = tempDir();
    const store = new S3LakeStore({ client: new S3Client({}), bucket: 'lake', tempDir: temp });
    const staged = store.stage('flows/b.parquet');
    staged.sink.write(new Uint8Array([1]));
    await staged.abort();
    expect(fake.keys('lake')).toEqual([]);
    expect(readdirSync(temp)).toEqual([]);
  });

  it('reads, writes and removes small objects; a missing one reads as null', async () => {
    const store = new S3LakeStore({ client: new S3Client({}), bucket: 'lake' });
    expect(await store.readText('manifests/x.json')).toBeNull();
    await store.writeText('manifests/x.json', '{"a":1}');
    expect(await store.readText('manifests/x.json')).toBe('{"a":1}');
    expect(s3Mock.commandCalls(PutObjectCommand)[0]?.args[0].input.ChecksumAlgorithm).toBe('CRC32');
    await store.remove('manifests/x.json');
    await store.remove('manifests/never.json');
    expect(fake.keys('lake')).toEqual([]);
  });

  it('reports a failed upload with the object it was for', async () => {
    s3Mock.on(PutObjectCommand).rejects(new Error('AccessDenied'));
    const store = new S3LakeStore({ client: new S3Client({}), bucket: 'lake', tempDir: tempDir() });
    const staged = store.stage('flows/c.parquet');
    await expect(staged.commit()).rejects.toThrow(LakeWriteError);
    await expect(store.writeText('x', 'y')).rejects.toThrow(
      'writing s3://lake/x failed: AccessDenied',
    );
  });

  it('refuses a prefix that does not end in a slash', () => {
    expect(
      () => new S3LakeStore({ client: new S3Client({}), bucket: 'lake', prefix: 'lake' }),
    ).toThrow(`S3 lake prefix: expected '' or a prefix ending in '/', got "lake"`);
  });
});
