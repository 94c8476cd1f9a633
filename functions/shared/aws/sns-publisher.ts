import { PublishBatchCommand, type SNSClient } from '@aws-sdk/client-sns';
import { WardflowError } from '../errors.js';
import type { PublishBatchFn } from './publish-window.js';

/**
 * Publishes PublishBatch requests to one topic. Entries SNS reports as failed are returned by
 * id; an error of the whole call (after the SDK's own retries) is thrown.
 */
export function snsBatchPublisher(client: SNSClient, topicArn: string): PublishBatchFn {
  return async (entries) => {
    const response = await client.send(
      new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: [...entries] }),
    );
    const failed = response.Failed ?? [];
    // SNS names every failed entry by its Id; one without would be a finding left unaccounted.
    if (failed.some((failure) => failure.Id === undefined)) {
      throw new WardflowError(
        `PublishBatch reported ${failed.length} failure(s), one without an entry id`,
      );
    }
    return { failedIds: failed.map((failure) => failure.Id as string) };
  };
}
