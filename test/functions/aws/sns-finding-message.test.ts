import { describe, expect, it } from 'vitest';
import { containsIpAddress } from '../../../functions/shared/aws/ip-text.js';
import {
  entryBytes,
  findingAttributes,
  findingMessage,
  findingSubject,
  MAX_SUMMARY_LENGTH,
} from '../../../functions/shared/aws/sns-finding-message.js';
import type { Finding } from '../../../functions/shared/detection/finding.js';

const POINTER = {
  findingsBucket: 'findings-bucket',
  database: 'wardflow_db',
  workGroup: 'wardflow',
  queryExecutionId: 'qe-9',
};

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    finding_id: 'a'.repeat(32),
    detection_id: 'lateral-movement',
    title: '10.20.1.7 reached 31 hosts over SMB',
    severity: 'high',
    window_start: '2026-11-29T00:00:00.000Z',
    window_end: '2026-11-30T00:00:00.000Z',
    first_seen: null,
    last_seen: null,
    src_ip: '10.20.1.7',
    dst_ip: '10.10.0.5',
    dst_port: 445,
    protocol: 6,
    src_zone: 'imaging',
    dst_zone: 'ehr-db',
    metrics: { distinct_hosts: 31 },
    mitre: ['T1021.002'],
    hipaa: ['164.312(b)'],
    evidence: { flow_count: 90, raw_refs: ['s3://landing/x.log:3'] },
    summary: '10.20.1.7 (imaging) opened SMB sessions to 31 hosts, among them 10.10.0.5.',
    ...overrides,
  };
}

describe('Message: findingMessage', () => {
  it('carries severity, detection id and source zone as string attributes, nothing else', () => {
    const entry = findingMessage(finding(), 'An internal host opens admin sessions', POINTER);
    expect(entry.MessageAttributes).toEqual({
      severity: { DataType: 'String', StringValue: 'high' },
      detection_id: { DataType: 'String', StringValue: 'lateral-movement' },
      src_zone: { DataType: 'String', StringValue: 'imaging' },
    });
    expect(entry.Id).toBe('a'.repeat(32));
  });

  it('leaves the zone out when the finding has none, and when the zone name reads as an address', () => {
    expect(Object.keys(findingAttributes(finding({ src_zone: null })))).toEqual([
      'severity',
      'detection_id',
    ]);
    expect(Object.keys(findingAttributes(finding({ src_zone: '10.20.0.0' })))).toEqual([
      'severity',
      'detection_id',
    ]);
  });

  it('keeps addresses out of the subject, even from a title that names one', () => {
    // Act
    const plain = findingSubject(finding(), 'An internal host opens admin sessions');
    const named = findingSubject(finding(), 'Traffic to 203.0.113.66 seen');

    // Assess
    expect(plain).toBe('[wardflow] HIGH lateral-movement: An internal host opens admin sessions');
    expect(named).toBe('[wardflow] HIGH lateral-movement');
    expect(containsIpAddress(named)).toBe(false);
  });

  it('fits the subject on one line of at most 100 characters', () => {
    const subject = findingSubject(finding(), `A very\nlong title ${'word '.repeat(40)}`);
    expect(subject.length).toBe(100);
    expect(subject).not.toMatch(/\n/);
    expect(subject.endsWith('…')).toBe(true);
  });

  it('puts the summary and a pointer to the finding into the body', () => {
    // Act
    const body = JSON.parse(findingMessage(finding(), 'title', POINTER).Message as string);

    // Assess
    expect(body.summary).toBe(finding().summary);
    expect(body.findings_object).toBe(
      's3://findings-bucket/findings/dt=2026-11-29/detection_id=lateral-movement/20261129T0000.jsonl',
    );
    expect(body.athena).toEqual({
      workgroup: 'wardflow',
      database: 'wardflow_db',
      finding_query: `SELECT * FROM findings WHERE dt = '2026-11-29' AND detection_id = 'lateral-movement' AND finding_id = '${'a'.repeat(32)}'`,
      evidence_query: `SELECT raw_ref FROM evidence WHERE dt = '2026-11-29' AND detection_id = 'lateral-movement' AND finding_id = '${'a'.repeat(32)}'`,
      detection_query_execution_id: 'qe-9',
    });
    expect(body).not.toHaveProperty('src_ip');
  });

  it('bounds the summary it carries', () => {
    const body = JSON.parse(
      findingMessage(finding({ summary: 'x'.repeat(5000) }), 'title', POINTER).Message as string,
    );
    expect(body.summary).toHaveLength(MAX_SUMMARY_LENGTH);
  });

  it('counts body, subject and attributes towards the size', () => {
    const entry = {
      Id: 'i',
      Message: 'ab',
      Subject: 'c',
      MessageAttributes: { k: { DataType: 'String', StringValue: 'é' } },
    };
    expect(entryBytes(entry)).toBe(2 + 1 + 1 + 6 + 2);
  });
});
