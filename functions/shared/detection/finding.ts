import { createHash } from 'node:crypto';
import type { SqlRow, SqlValue } from '../engines/query-engine.js';
import type { DetectionDefinition } from './detection-definition.js';
import { SEVERITIES, type Severity } from './query-file.js';

/** Raw references kept per finding: enough to trace, bounded so a finding stays small. */
export const MAX_RAW_REFS = 20;

/** A finding in wardflow's native JSON (DESIGN.md, "Finding"). */
export interface Finding {
  readonly finding_id: string;
  readonly detection_id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly window_start: string;
  readonly window_end: string;
  readonly first_seen: string | null;
  readonly last_seen: string | null;
  readonly src_ip: string | null;
  readonly dst_ip: string | null;
  readonly dst_port: number | null;
  readonly protocol: number | null;
  readonly src_zone: string | null;
  readonly dst_zone: string | null;
  readonly metrics: Readonly<Record<string, number | string | boolean | null>>;
  readonly mitre: readonly string[];
  readonly hipaa: readonly string[];
  readonly evidence: { readonly flow_count: number; readonly raw_refs: readonly string[] };
  readonly summary: string;
}

/** Result columns with a fixed meaning; every other column is a metric. */
const ENTITY_COLUMNS = [
  'src_ip',
  'dst_ip',
  'dst_port',
  'protocol',
  'src_zone',
  'dst_zone',
] as const;
const RESERVED = new Set<string>([
  ...ENTITY_COLUMNS,
  'first_seen',
  'last_seen',
  'flow_count',
  'raw_refs',
  'severity',
  // Part of the finding id (entityKey), not a measurement.
  'entity_key',
]);

function asString(value: SqlValue | undefined): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : String(value);
}

function asNumber(value: SqlValue | undefined): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

function asMetric(value: SqlValue): number | string | boolean | null {
  if (
    value === null ||
    typeof value === 'number' ||
    typeof value === 'string' ||
    typeof value === 'boolean'
  ) {
    return typeof value === 'number' ? Math.round(value * 1000) / 1000 : value;
  }
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

/**
 * What else identifies the entity when addresses do not: a query's `entity_key` column, else its
 * `sensor` (source-silence findings have no addresses, and two silent sources are two findings).
 */
function entityKey(row: SqlRow): string | null {
  return asString(row.entity_key ?? row.sensor);
}

/** Fills `{column}` placeholders from a row; fractions print with two decimals. */
export function renderTemplate(
  template: string,
  values: Readonly<Record<string, unknown>>,
): string {
  return template.replace(/\{([a-z_][a-z0-9_]*)\}/g, (whole, key: string) => {
    const value = values[key];
    if (value === undefined) return whole;
    if (value === null) return 'unknown';
    // No thousands separators: ports read as ports ("port 3389"), and counts stay greppable.
    if (typeof value === 'number')
      return Number.isInteger(value) ? String(value) : value.toFixed(2);
    return String(value);
  });
}

/**
 * The stable id of a finding: a hash of the detection, the entity (source, destination, port,
 * protocol) and the window it was found in. Windows are aligned to multiples of their length, so
 * repeated or overlapping runs produce the same id for the same finding and never duplicate it.
 */
export function findingId(
  detectionId: string,
  entity: readonly (string | number | null)[],
  windowStart: Date,
): string {
  const key = JSON.stringify([detectionId, ...entity, windowStart.toISOString()]);
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

/** Turns one result row of a detection query into a finding. */
export function toFinding(
  definition: DetectionDefinition,
  row: SqlRow,
  windowStart: Date,
  windowEnd: Date,
): Finding {
  const entity = {
    src_ip: asString(row.src_ip),
    dst_ip: asString(row.dst_ip),
    dst_port: asNumber(row.dst_port),
    protocol: asNumber(row.protocol),
    src_zone: asString(row.src_zone),
    dst_zone: asString(row.dst_zone),
  };
  const metrics: Record<string, number | string | boolean | null> = {};
  for (const [key, value] of Object.entries(row)) {
    if (!RESERVED.has(key)) metrics[key] = asMetric(value);
  }
  const rowSeverity = asString(row.severity);
  const severity =
    rowSeverity !== null && (SEVERITIES as readonly string[]).includes(rowSeverity)
      ? (rowSeverity as Severity)
      : definition.severity;
  const refs = Array.isArray(row.raw_refs) ? row.raw_refs.map(String).slice(0, MAX_RAW_REFS) : [];
  const values = { ...entity, ...metrics, flow_count: asNumber(row.flow_count) };
  return {
    finding_id: findingId(
      definition.id,
      [entity.src_ip, entity.dst_ip, entity.dst_port, entity.protocol, entityKey(row)],
      windowStart,
    ),
    detection_id: definition.id,
    title: renderTemplate(definition.findingTemplate, values),
    severity,
    window_start: windowStart.toISOString(),
    window_end: windowEnd.toISOString(),
    first_seen: asString(row.first_seen),
    last_seen: asString(row.last_seen),
    ...entity,
    metrics,
    mitre: definition.mitre,
    hipaa: definition.hipaa,
    evidence: { flow_count: asNumber(row.flow_count) ?? 0, raw_refs: refs },
    summary: renderTemplate(definition.summaryTemplate, values),
  };
}
