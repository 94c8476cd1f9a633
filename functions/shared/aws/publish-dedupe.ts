import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { BUCKET_LAYOUT } from '../deployment-contract.js';
import { WardflowError } from '../errors.js';

/** Whether this run is the first to publish a finding. */
export type ClaimOutcome = 'new' | 'duplicate';

/** Markers of published findings, shared by every run: the dedupe across retries and reruns. */
export interface PublishMarkers {
  /** Marks a finding as published; `duplicate` when an earlier run already did. */
  claim(findingId: string): Promise<ClaimOutcome>;
  /** Takes a mark back after its publish failed, so the next run publishes the finding. */
  release(findingId: string): Promise<void>;
}

/** A marker could not be written or removed. */
export class PublishMarkerError extends WardflowError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PublishMarkerError';
  }
}

/** The key of a finding's marker in the findings bucket. */
export function markerKey(findingId: string): string {
  return `${BUCKET_LAYOUT.published}${findingId}`;
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

/**
 * Publish markers as empty S3 objects `published/<finding_id>`, written with `If-None-Match: *`:
 * S3 accepts the first write of a key and answers every later one with 412 Precondition Failed,
 * atomically, so two runs racing on the same finding publish it once.
 */
export class S3PublishMarkers implements PublishMarkers {
  public constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  public async claim(findingId: string): Promise<ClaimOutcome> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: markerKey(findingId),
          Body: '',
          ContentLength: 0,
          IfNoneMatch: '*',
          // The findings bucket has Object Lock, which refuses uploads without a checksum.
          ChecksumAlgorithm: 'CRC32',
        }),
      );
      return 'new';
    } catch (error) {
      if (statusOf(error) === 412 || (error as Error)?.name === 'PreconditionFailed') {
        return 'duplicate';
      }
      // 409 ConditionalRequestConflict: another run is writing the same marker right now. Failing
      // lets the state machine retry, and the retry then sees that run's marker.
      throw new PublishMarkerError(`marking finding ${findingId} as published failed`, {
        cause: error,
      });
    }
  }

  public async release(findingId: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteObjectCommand({ Bucket: this.bucket, Key: markerKey(findingId) }),
      );
    } catch (error) {
      throw new PublishMarkerError(`taking back the marker of finding ${findingId} failed`, {
        cause: error,
      });
    }
  }
}
