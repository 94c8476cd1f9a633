import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import { WardflowError } from '../errors.js';

/** An `s3://bucket/key` reference is malformed, or the object cannot be read. */
export class S3ObjectError extends WardflowError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'S3ObjectError';
  }
}

/** Bucket and key of an `s3://bucket/key` URI. */
export function parseS3Uri(uri: string): { readonly bucket: string; readonly key: string } {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/.exec(uri);
  if (match === null) {
    throw new S3ObjectError(
      `expected an S3 URI such as s3://bucket/key, got ${JSON.stringify(uri)}`,
    );
  }
  return { bucket: match[1] as string, key: match[2] as string };
}

/** The text of a small object (a threat-intel list) named by an `s3://` URI. */
export async function readS3Text(client: S3Client, uri: string): Promise<string> {
  const { bucket, key } = parseS3Uri(uri);
  try {
    const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (response.Body === undefined) throw new Error('the response has no body');
    return await response.Body.transformToString('utf-8');
  } catch (error) {
    throw new S3ObjectError(`cannot read ${uri}`, { cause: error });
  }
}

/**
 * Deletes every object under `prefix` (a "folder" of the bucket), a page of up to 1,000 keys at
 * a time; returns how many were deleted. Deleting an empty prefix is not an error.
 */
export async function emptyPrefix(
  client: S3Client,
  bucket: string,
  prefix: string,
): Promise<number> {
  if (!prefix.endsWith('/')) {
    // A prefix without the slash would also match sibling folders (dt=2026-11-2 vs dt=2026-11-23).
    throw new S3ObjectError(`expected a prefix ending in "/", got ${JSON.stringify(prefix)}`);
  }
  let deleted = 0;
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    const keys = (page.Contents ?? []).flatMap((o) =>
      o.Key === undefined ? [] : [{ Key: o.Key }],
    );
    if (keys.length > 0) {
      const result = await client.send(
        new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }),
      );
      const failed = result.Errors ?? [];
      if (failed.length > 0) {
        throw new S3ObjectError(
          `deleting s3://${bucket}/${prefix}: ${failed.length} object(s) not deleted, first ${failed[0]?.Key}: ${failed[0]?.Code} ${failed[0]?.Message}`,
        );
      }
      deleted += keys.length;
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return deleted;
}
