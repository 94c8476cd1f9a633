import { describe, expect, it } from 'vitest';
import type { DetectionDefinition } from '../../../../functions/shared/detection/detection-definition.js';
import {
  findingId,
  renderTemplate,
  toFinding,
} from '../../../../functions/shared/detection/finding.js';
import { toOcsfDetectionFinding } from '../../../../functions/shared/detection/ocsf-finding.js';

const DEFINITION = {
  id: 'port-scan-horizontal',
  severity: 'medium',
  mitre: ['T1046'],
  hipaa: ['164.312(b)'],
  findingTemplate: '{src_ip} probed port {dst_port} on {distinct_hosts} hosts',
  summaryTemplate: '{src_ip} ({src_zone}) probed {distinct_hosts} hosts; failed {failed_ratio}.',
} as unknown as DetectionDefinition;

const ROW = {
  src_ip: '10.20.1.7',
  dst_port: 445,
  protocol: 6,
  src_zone: 'imaging',
  distinct_hosts: 212,
  failed_ratio: 0.93,
  flow_count: 431,
  first_seen: new Date('2026-11-29T10:05:00Z'),
  last_seen: new Date('2026-11-29T10:45:00Z'),
  raw_refs: Array.from({ length: 30 }, (_, i) => `a.log:${i + 2}`),
};

const START = new Date('2026-11-29T10:00:00Z');
const END = new Date('2026-11-29T11:00:00Z');

describe('Function: toFinding', () => {
  it("builds DESIGN.md's finding: entity, metrics, references, evidence, summary", () => {
    // Act
    const finding = toFinding(DEFINITION, ROW, START, END);

    // Assess
    expect(finding).toMatchObject({
      detection_id: 'port-scan-horizontal',
      title: '10.20.1.7 probed port 445 on 212 hosts',
      severity: 'medium',
      window_start: '2026-11-29T10:00:00.000Z',
      window_end: '2026-11-29T11:00:00.000Z',
      first_seen: '2026-11-29T10:05:00.000Z',
      src_ip: '10.20.1.7',
      dst_ip: null,
      dst_port: 445,
      dst_zone: null,
      metrics: { distinct_hosts: 212, failed_ratio: 0.93 },
      mitre: ['T1046'],
      hipaa: ['164.312(b)'],
      summary: '10.20.1.7 (imaging) probed 212 hosts; failed 0.93.',
    });
    expect(finding.evidence.flow_count).toBe(431);
    expect(finding.evidence.raw_refs).toHaveLength(20);
    expect(Object.keys(finding)).toContain('dst_ip');
  });

  it('lets a severity column override the header', () => {
    expect(toFinding(DEFINITION, { ...ROW, severity: 'high' }, START, END).severity).toBe('high');
    expect(toFinding(DEFINITION, { ...ROW, severity: 'bogus' }, START, END).severity).toBe(
      'medium',
    );
  });

  it('gives the same id for the same detection, entity and window, and another otherwise', () => {
    const a = toFinding(DEFINITION, ROW, START, END);
    const again = toFinding(DEFINITION, { ...ROW, flow_count: 999 }, START, END);
    const later = toFinding(DEFINITION, ROW, END, new Date(END.getTime() + 3_600_000));
    expect(again.finding_id).toBe(a.finding_id);
    expect(later.finding_id).not.toBe(a.finding_id);
    expect(findingId('x', ['10.0.0.1', null, 445, 6], START)).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('Function: toFinding, entities without addresses', () => {
  it('tells apart findings that differ only by sensor (source silence)', () => {
    const row = { src_ip: null, dst_ip: null, flow_count: 0 };
    const a = toFinding(DEFINITION, { ...row, sensor: 'main-campus/dist-rtr1' }, START, END);
    const b = toFinding(DEFINITION, { ...row, sensor: 'main-campus/dist-rtr2' }, START, END);
    expect(a.finding_id).not.toBe(b.finding_id);
  });
});

describe('Function: toFinding, entity_key column', () => {
  const row = { sensor: 'main-campus', silent_minutes: 115, flow_count: 0 };

  it('tells apart findings of one sensor by their entity_key, and keeps it out of the metrics', () => {
    // Act: two streams of one site, silent in the same window.
    const a = toFinding(
      DEFINITION,
      { ...row, entity_key: 'nfdump main-campus rtr2 100' },
      START,
      END,
    );
    const b = toFinding(DEFINITION, { ...row, entity_key: 'zeek main-campus dmz 100' }, START, END);

    // Assess
    expect(a.finding_id).not.toBe(b.finding_id);
    expect(a.metrics).toEqual({ sensor: 'main-campus', silent_minutes: 115 });
  });

  it('gives the same id when only the metrics change (a silence that went on longer)', () => {
    const a = toFinding(DEFINITION, { ...row, entity_key: 'zeek main-campus dmz 100' }, START, END);
    const b = toFinding(
      DEFINITION,
      { ...row, entity_key: 'zeek main-campus dmz 100', silent_minutes: 240 },
      START,
      END,
    );
    expect(b.finding_id).toBe(a.finding_id);
  });
});

describe('Function: renderTemplate', () => {
  it('formats numbers and leaves unknown placeholders visible', () => {
    expect(renderTemplate('{a} {b} {c} {d}', { a: 1234567, b: 0.12345, c: null })).toBe(
      '1234567 0.12 unknown {d}',
    );
  });
});

describe('Function: toOcsfDetectionFinding', () => {
  it('maps to OCSF Detection Finding, class 2004', () => {
    const ocsf = toOcsfDetectionFinding(toFinding(DEFINITION, ROW, START, END));
    expect(ocsf).toMatchObject({
      class_uid: 2004,
      category_uid: 2,
      activity_id: 1,
      type_uid: 200401,
      severity_id: 3,
      finding_info: {
        title: '10.20.1.7 probed port 445 on 212 hosts',
        attacks: [{ technique: { uid: 'T1046' } }],
      },
      evidences: [{ src_endpoint: { ip: '10.20.1.7', zone: 'imaging' } }],
    });
  });
});
