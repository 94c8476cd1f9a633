import type { Finding } from './finding.js';
import type { Severity } from './query-file.js';

/** OCSF severity_id for each wardflow severity. */
const SEVERITY_ID: Readonly<Record<Severity, number>> = {
  informational: 1,
  low: 2,
  medium: 3,
  high: 4,
  critical: 5,
};

function epochMs(iso: string | null): number | null {
  return iso === null ? null : Date.parse(iso);
}

/**
 * Maps a finding to an OCSF 1.1 Detection Finding (class 2004, activity Create), so it can go
 * to Security Lake or any OCSF consumer. Fields without an OCSF home (metrics, HIPAA citations,
 * raw references) travel in `unmapped`.
 */
export function toOcsfDetectionFinding(finding: Finding): Record<string, unknown> {
  const endpoint = (ip: string | null, port: number | null, zone: string | null) =>
    ip === null
      ? undefined
      : { ip, ...(port === null ? {} : { port }), ...(zone === null ? {} : { zone }) };
  return {
    class_uid: 2004,
    class_name: 'Detection Finding',
    category_uid: 2,
    category_name: 'Findings',
    activity_id: 1,
    activity_name: 'Create',
    type_uid: 200401,
    severity_id: SEVERITY_ID[finding.severity],
    severity: finding.severity[0]?.toUpperCase() + finding.severity.slice(1),
    status_id: 1,
    time: epochMs(finding.first_seen) ?? Date.parse(finding.window_start),
    message: finding.summary,
    count: finding.evidence.flow_count,
    metadata: { version: '1.1.0', product: { name: 'wardflow', vendor_name: 'wardflow' } },
    finding_info: {
      uid: finding.finding_id,
      title: finding.title,
      desc: finding.summary,
      types: [finding.detection_id],
      analytic: { uid: finding.detection_id, name: finding.detection_id, type_id: 1, type: 'Rule' },
      first_seen_time: epochMs(finding.first_seen),
      last_seen_time: epochMs(finding.last_seen),
      attacks: finding.mitre.map((uid) => ({ technique: { uid } })),
    },
    evidences: [
      {
        src_endpoint: endpoint(finding.src_ip, null, finding.src_zone),
        dst_endpoint: endpoint(finding.dst_ip, finding.dst_port, finding.dst_zone),
        ...(finding.protocol === null
          ? {}
          : { connection_info: { protocol_num: finding.protocol } }),
      },
    ],
    unmapped: {
      window_start: finding.window_start,
      window_end: finding.window_end,
      metrics: finding.metrics,
      hipaa: finding.hipaa,
      raw_refs: finding.evidence.raw_refs,
    },
  };
}
