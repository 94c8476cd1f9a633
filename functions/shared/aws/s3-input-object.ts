import { GetObjectCommand, type GetObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { WardflowError } from '../errors.js';
import type { InputObject } from '../ingest/ingest-object.js';
import type { CreatedObject } from './object-notification.js';

/**
 * Largest landing object the normalizer reads, compressed size. VPC flow log files are at most
 * 75 MB; on-prem exports are rotated far below this. Larger objects fail (and reach the DLQ)
 * rather than run the function out of time or temporary storage.
 */
export const DEFAULT_MAX_OBJECT_BYTES = 512 * 1024 * 1024;

/** A landing object exceeds the size the normalizer accepts. */
export class ObjectTooLargeError extends WardflowError {
  public constructor(message: string) {
    super(message);
    this.name = 'ObjectTooLargeError';
  }
}

/** A landing object opened for ingest. */
export interface OpenedS3Object {
  /** What `ingestObject` reads; streams the body, never holding it whole. */
  readonly input: InputObject;
  /** The ETag of the bytes read, without quotes. */
  readonly etag: string;
  readonly contentLength: number;
  /** Releases the connections of bodies not read to the end (an ingest that threw). Idempotent. */
  release(): void;
}

/**
 * The sensor for records that name none: the site of an `onprem/<site>/…` key (the landing
 * layout on-prem collectors ship to), else the key's folder, else the bucket, as the local
 * command uses the file's folder.
 */
export function defaultSensorOfKey(bucket: string, key: string): string {
  const site = /(?:^|\/)onprem\/([^/]+)\//.exec(key);
  if (site?.[1] !== undefined) return site[1];
  const parts = key.split('/');
  return parts.length >= 2 ? (parts[parts.length - 2] as string) || bucket : bucket;
}

/**
 * The identity of an object's ingest: bucket, key and the ETag of the bytes read. A repeated
 * delivery of the notification, and the same bytes put again (a new version in a versioned
 * bucket), give the same identity, so the ingest replaces its own lake files instead of adding
 * a second copy; different bytes under the same key are a different input and keep their own.
 */
export function s3InputIdentity(bucket: string, key: string, etag: string): string {
  return `s3://${bucket}/${key}#${etag}`;
}

function bodyOf(output: GetObjectCommandOutput, what: string): AsyncIterable<Uint8Array> {
  const body = output.Body as unknown;
  if (typeof body === 'object' && body !== null && Symbol.asyncIterator in body) {
    return body as AsyncIterable<Uint8Array>;
  }
  throw new WardflowError(`${what}: expected a streaming body from GetObject, got none`);
}

function destroy(body: AsyncIterable<Uint8Array> | null): void {
  const stream = body as { destroy?: () => void } | null;
  stream?.destroy?.();
}

/**
 * Opens a landing object for ingest with one GetObject (the version the event names, when it
 * names one). The body is handed to the first `open()`; should the ingest read the object again,
 * later calls fetch the same bytes again, pinned by version and ETag.
 *
 * @throws ObjectTooLargeError when the object exceeds `maxObjectBytes` (nothing is downloaded)
 */
export async function openS3Object(
  client: S3Client,
  object: CreatedObject,
  maxObjectBytes = DEFAULT_MAX_OBJECT_BYTES,
): Promise<OpenedS3Object> {
  const ref = `s3://${object.bucket}/${object.key}`;
  if (object.size !== null && object.size > maxObjectBytes) {
    throw new ObjectTooLargeError(
      `${ref}: expected at most ${maxObjectBytes} bytes, the notification says ${object.size}`,
    );
  }
  const get = (etag?: string) =>
    client.send(
      new GetObjectCommand({
        Bucket: object.bucket,
        Key: object.key,
        VersionId: object.versionId ?? undefined,
        IfMatch: etag === undefined ? undefined : `"${etag}"`,
      }),
    );
  const first = await get();
  let pending: AsyncIterable<Uint8Array> | null = bodyOf(first, ref);
  const contentLength = first.ContentLength ?? 0;
  if (contentLength > maxObjectBytes) {
    destroy(pending);
    throw new ObjectTooLargeError(
      `${ref}: expected at most ${maxObjectBytes} bytes, got ${contentLength}`,
    );
  }
  const opened: AsyncIterable<Uint8Array>[] = [pending];
  const etag = (first.ETag ?? '').replaceAll('"', '');
  if (etag === '') {
    destroy(pending);
    throw new WardflowError(`${ref}: expected an ETag from GetObject, got none`);
  }
  const input: InputObject = {
    ref,
    identity: s3InputIdentity(object.bucket, object.key, etag),
    defaultSensor: defaultSensorOfKey(object.bucket, object.key),
    open: () => {
      if (pending !== null) {
        const body = pending;
        pending = null;
        return body;
      }
      return (async function* () {
        const body = bodyOf(await get(etag), ref);
        opened.push(body);
        yield* body;
      })();
    },
  };
  return {
    input,
    etag,
    contentLength,
    release: () => {
      for (const body of opened) destroy(body);
      pending = null;
    },
  };
}
