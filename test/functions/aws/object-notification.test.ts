import { describe, expect, it } from 'vitest';
import {
  decodeEventKey,
  NotificationError,
  parseObjectNotification,
} from '../../../functions/shared/aws/object-notification.js';

function s3Record(eventName: string, key: string, extra: Record<string, unknown> = {}) {
  return {
    eventSource: 'aws:s3',
    eventName,
    s3: { bucket: { name: 'landing' }, object: { key, size: 1234, ...extra } },
  };
}

describe('Notification: parseObjectNotification', () => {
  it('reads created objects from an S3 notification, keys URL-decoded', () => {
    // Act
    const parsed = parseObjectNotification(
      JSON.stringify({
        Records: [
          s3Record('ObjectCreated:Put', 'AWSLogs/aws-account-id%3D123/red+flower.log.gz', {
            versionId: 'v7',
          }),
          s3Record('ObjectCreated:CompleteMultipartUpload', 'onprem/site/a.csv'),
        ],
      }),
    );

    // Assess
    expect(parsed).toEqual({
      kind: 'objects',
      objects: [
        {
          bucket: 'landing',
          key: 'AWSLogs/aws-account-id=123/red flower.log.gz',
          versionId: 'v7',
          size: 1234,
        },
        { bucket: 'landing', key: 'onprem/site/a.csv', versionId: null, size: 1234 },
      ],
      ignored: [],
    });
  });

  it('lists events other than object creation as ignored', () => {
    const parsed = parseObjectNotification(
      JSON.stringify({ Records: [s3Record('ObjectRemoved:Delete', 'a.log')] }),
    );
    expect(parsed).toEqual({ kind: 'objects', objects: [], ignored: ['ObjectRemoved:Delete'] });
  });

  it('reads an EventBridge Object Created event', () => {
    const parsed = parseObjectNotification(
      JSON.stringify({
        'detail-type': 'Object Created',
        source: 'aws.s3',
        detail: {
          bucket: { name: 'flowlogs' },
          object: { key: 'AWSLogs/1/x.log.gz', size: 5, etag: 'e', 'version-id': 'IYV3' },
        },
      }),
    );
    expect(parsed).toEqual({
      kind: 'objects',
      objects: [{ bucket: 'flowlogs', key: 'AWSLogs/1/x.log.gz', versionId: 'IYV3', size: 5 }],
      ignored: [],
    });
  });

  it('recognises the S3 test event', () => {
    const parsed = parseObjectNotification(
      JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'landing' }),
    );
    expect(parsed).toEqual({ kind: 'test-event', bucket: 'landing' });
  });

  it.each([
    ['not json', /message body: expected JSON/],
    ['[1]', /expected a JSON object, got object/],
    ['{"hello":1}', /got an object with keys hello/],
    [
      '{"Records":[{"eventName":"ObjectCreated:Put"}]}',
      /Records\[0\]\.s3: expected bucket and object/,
    ],
    [
      '{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":""},"object":{"key":"k"}}}]}',
      /Records\[0\]\.s3\.bucket\.name: expected a non-empty string, got ""/,
    ],
  ])('rejects %s with a message naming what was wrong', (body, message) => {
    expect(() => parseObjectNotification(body)).toThrow(NotificationError);
    expect(() => parseObjectNotification(body)).toThrow(message);
  });

  it('rejects a key with broken URL encoding', () => {
    expect(() => decodeEventKey('a%ZZ.log')).toThrow('object key "a%ZZ.log": invalid URL encoding');
  });
});
