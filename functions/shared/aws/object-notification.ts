import { WardflowError } from '../errors.js';

/** One object a notification says was created. */
export interface CreatedObject {
  readonly bucket: string;
  /** The object key, URL-decoded. */
  readonly key: string;
  /** The version the event is about, or null in an unversioned bucket. */
  readonly versionId: string | null;
  /** Size in bytes as the event reports it, or null when it does not. */
  readonly size: number | null;
}

/** What one SQS message body from the landing bucket says. */
export type ObjectNotification =
  | {
      readonly kind: 'objects';
      readonly objects: readonly CreatedObject[];
      /** Event names in the message that are not object creations (kept for the log). */
      readonly ignored: readonly string[];
    }
  /** `s3:TestEvent`, sent once when a notification configuration is put on a bucket. */
  | { readonly kind: 'test-event'; readonly bucket: string | null };

/** An SQS message body that is not an S3 or EventBridge object notification. */
export class NotificationError extends WardflowError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NotificationError';
  }
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new NotificationError(
      `${what}: expected a non-empty string, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function size(value: unknown): number | null {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/**
 * Decodes an object key as S3 writes it into notifications: URL-encoded, with `+` for a space
 * (`red flower.jpg` arrives as `red+flower.jpg`). EventBridge keys are decoded the same way;
 * keys without `%` or `+` (AWS flow log keys) are unchanged either way.
 */
export function decodeEventKey(key: string): string {
  try {
    return decodeURIComponent(key.replaceAll('+', ' '));
  } catch (error) {
    throw new NotificationError(`object key ${JSON.stringify(key)}: invalid URL encoding`, {
      cause: error,
    });
  }
}

/**
 * Reads one SQS message body delivered from the landing bucket: an S3 event notification
 * (`Records[]`, only `ObjectCreated:*` records become objects), an EventBridge `Object Created`
 * event from `aws.s3`, or the `s3:TestEvent` S3 sends when notifications are configured.
 *
 * @throws NotificationError for anything else, naming what was expected and what was found
 */
export function parseObjectNotification(body: string): ObjectNotification {
  let message: unknown;
  try {
    message = JSON.parse(body);
  } catch (error) {
    throw new NotificationError('message body: expected JSON', { cause: error });
  }
  if (!isObject(message)) {
    throw new NotificationError(`message body: expected a JSON object, got ${typeof message}`);
  }
  if (message.Event === 's3:TestEvent') {
    return {
      kind: 'test-event',
      bucket: typeof message.Bucket === 'string' ? message.Bucket : null,
    };
  }
  if (Array.isArray(message.Records)) return fromS3Records(message.Records);
  if (message.source === 'aws.s3' && typeof message['detail-type'] === 'string') {
    return fromEventBridge(message);
  }
  const keys = Object.keys(message).slice(0, 5).join(', ');
  throw new NotificationError(
    `message body: expected an S3 notification (Records), an EventBridge aws.s3 event or s3:TestEvent, got an object with keys ${keys || 'none'}`,
  );
}

function fromS3Records(records: unknown[]): ObjectNotification {
  const objects: CreatedObject[] = [];
  const ignored: string[] = [];
  records.forEach((record, i) => {
    const where = `Records[${i}]`;
    if (!isObject(record)) throw new NotificationError(`${where}: expected an object`);
    const eventName = text(record.eventName, `${where}.eventName`);
    if (!eventName.startsWith('ObjectCreated:')) {
      ignored.push(eventName);
      return;
    }
    const s3 = record.s3;
    if (!isObject(s3) || !isObject(s3.bucket) || !isObject(s3.object)) {
      throw new NotificationError(`${where}.s3: expected bucket and object`);
    }
    const versionId = s3.object.versionId;
    objects.push({
      bucket: text(s3.bucket.name, `${where}.s3.bucket.name`),
      key: decodeEventKey(text(s3.object.key, `${where}.s3.object.key`)),
      versionId: typeof versionId === 'string' && versionId !== '' ? versionId : null,
      size: size(s3.object.size),
    });
  });
  return { kind: 'objects', objects, ignored };
}

function fromEventBridge(event: Json): ObjectNotification {
  const detailType = event['detail-type'] as string;
  if (detailType !== 'Object Created')
    return { kind: 'objects', objects: [], ignored: [detailType] };
  const detail = event.detail;
  if (!isObject(detail) || !isObject(detail.bucket) || !isObject(detail.object)) {
    throw new NotificationError('detail: expected bucket and object');
  }
  const versionId = detail.object['version-id'];
  return {
    kind: 'objects',
    objects: [
      {
        bucket: text(detail.bucket.name, 'detail.bucket.name'),
        key: decodeEventKey(text(detail.object.key, 'detail.object.key')),
        versionId: typeof versionId === 'string' && versionId !== '' ? versionId : null,
        size: size(detail.object.size),
      },
    ],
    ignored: [],
  };
}
