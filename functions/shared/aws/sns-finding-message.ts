import type { MessageAttributeValue, PublishBatchRequestEntry } from '@aws-sdk/client-sns';
import type { Finding } from '../detection/finding.js';
import { evidencePath, findingsPath } from '../detection/findings-lake.js';
import { WardflowError } from '../errors.js';
import { containsIpAddress } from './ip-text.js';

/** SNS caps a subject at 100 characters, on one line. */
export const MAX_SUBJECT_LENGTH = 100;

/** Longest summary carried in a message; the full finding is one query away. */
export const MAX_SUMMARY_LENGTH = 1_000;

/** Where a message's reader finds the whole finding and its evidence. */
export interface FindingPointer {
  /** Bucket holding `findings/` and `evidence/`. */
  readonly findingsBucket: string;
  /** Glue database of the `findings` and `evidence` tables. */
  readonly database: string;
  /** Athena workgroup to run the pointer queries in. */
  readonly workGroup: string;
  /** The detection query that raised the finding. */
  readonly queryExecutionId: string;
}

/**
 * The fields a message is built from: no address fields. The summary, which names addresses,
 * goes into the encrypted body only.
 */
export type MessageFinding = Pick<
  Finding,
  | 'finding_id'
  | 'detection_id'
  | 'severity'
  | 'summary'
  | 'window_start'
  | 'window_end'
  | 'src_zone'
  | 'dst_zone'
>;

/** The fields of subject and attributes: closed values, no free text from flows. */
export type HeaderFinding = Pick<Finding, 'finding_id' | 'detection_id' | 'severity' | 'src_zone'>;

/** A subject or attribute would carry an IP address; nothing is published. */
export class MessageContentError extends WardflowError {
  public constructor(message: string) {
    super(message);
    this.name = 'MessageContentError';
  }
}

/**
 * The message attributes subscriptions filter on: `severity`, `detection_id` and, when the
 * finding has one, `src_zone` (a zone name from the config). A zone name that reads as an
 * address is left out rather than sent in clear text.
 */
export function findingAttributes(finding: HeaderFinding): Record<string, MessageAttributeValue> {
  const attributes: Record<string, MessageAttributeValue> = {
    severity: { DataType: 'String', StringValue: finding.severity },
    detection_id: { DataType: 'String', StringValue: finding.detection_id },
  };
  if (
    finding.src_zone !== null &&
    finding.src_zone !== '' &&
    !containsIpAddress(finding.src_zone)
  ) {
    attributes.src_zone = { DataType: 'String', StringValue: finding.src_zone };
  }
  for (const [name, value] of Object.entries(attributes)) {
    if (containsIpAddress(value.StringValue ?? '')) {
      throw new MessageContentError(
        `finding ${finding.finding_id}: attribute ${name} would carry an IP address; expected none`,
      );
    }
  }
  return attributes;
}

/**
 * The subject: severity, detection id and the detection's title from its query header, on one
 * line, at most 100 characters. Finding titles and summaries name addresses, so they stay in
 * the (encrypted) body.
 */
export function findingSubject(finding: HeaderFinding, detectionTitle: string): string {
  const head = `[wardflow] ${finding.severity.toUpperCase()} ${finding.detection_id}`;
  const full = `${head}: ${detectionTitle}`.replaceAll(/\s+/g, ' ').trim();
  const subject = containsIpAddress(full) ? head : full;
  if (containsIpAddress(subject)) {
    throw new MessageContentError(
      `finding ${finding.finding_id}: the subject would carry an IP address; expected none`,
    );
  }
  return subject.length <= MAX_SUBJECT_LENGTH
    ? subject
    : `${subject.slice(0, MAX_SUBJECT_LENGTH - 1)}…`;
}

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * The message body (JSON, encrypted by the topic's key): the summary and a pointer to the
 * whole finding — its object in the findings bucket and the Athena queries that read it and
 * its evidence.
 */
export function findingBody(finding: MessageFinding, pointer: FindingPointer): string {
  const windowStart = new Date(finding.window_start);
  const where = `dt = ${sqlString(finding.window_start.slice(0, 10))} AND detection_id = ${sqlString(finding.detection_id)} AND finding_id = ${sqlString(finding.finding_id)}`;
  const summary =
    finding.summary.length <= MAX_SUMMARY_LENGTH
      ? finding.summary
      : `${finding.summary.slice(0, MAX_SUMMARY_LENGTH - 1)}…`;
  return JSON.stringify({
    finding_id: finding.finding_id,
    detection_id: finding.detection_id,
    severity: finding.severity,
    summary,
    window_start: finding.window_start,
    window_end: finding.window_end,
    src_zone: finding.src_zone,
    dst_zone: finding.dst_zone,
    findings_object: `s3://${pointer.findingsBucket}/${findingsPath(finding.detection_id, windowStart)}`,
    evidence_object: `s3://${pointer.findingsBucket}/${evidencePath(finding.detection_id, windowStart)}`,
    athena: {
      workgroup: pointer.workGroup,
      database: pointer.database,
      finding_query: `SELECT * FROM findings WHERE ${where}`,
      evidence_query: `SELECT raw_ref FROM evidence WHERE ${where}`,
      detection_query_execution_id: pointer.queryExecutionId,
    },
  });
}

/** One PublishBatch entry for a finding; its id is the finding id (32 hex characters). */
export function findingMessage(
  finding: MessageFinding,
  detectionTitle: string,
  pointer: FindingPointer,
): PublishBatchRequestEntry {
  return {
    Id: finding.finding_id,
    Subject: findingSubject(finding, detectionTitle),
    Message: findingBody(finding, pointer),
    MessageAttributes: findingAttributes(finding),
  };
}

/**
 * Bytes an entry counts against SNS's 256 KiB limit: body, subject, and every attribute's
 * name, type and value.
 */
export function entryBytes(entry: PublishBatchRequestEntry): number {
  let bytes = Buffer.byteLength(entry.Message ?? '') + Buffer.byteLength(entry.Subject ?? '');
  for (const [name, value] of Object.entries(entry.MessageAttributes ?? {})) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value.DataType ?? '');
    bytes += Buffer.byteLength(value.StringValue ?? '') + (value.BinaryValue?.length ?? 0);
  }
  return bytes;
}
