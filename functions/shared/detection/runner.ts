import type { WardflowConfig } from '../config.js';
import type { QueryEngine } from '../engines/query-engine.js';
import { bindParameters, param, type SqlParameters } from '../engines/sql-parameters.js';
import { Allowlist } from './allowlist.js';
import { configParameters } from './config-parameters.js';
import type { DetectionDefinition } from './detection-definition.js';
import { isEnabled, resolveParams, toSqlParameters } from './detection-params.js';
import { type Finding, toFinding } from './finding.js';
import { alignedWindows, type TimeWindow, windowHasData } from './windows.js';

/** What one detection run covers and with what. */
export interface DetectionRunOptions {
  readonly engine: QueryEngine;
  readonly detections: readonly DetectionDefinition[];
  readonly config: WardflowConfig;
  /** Start of the covered span; windows are aligned, so the first may begin earlier. */
  readonly from: Date;
  /** End of the covered span (exclusive). */
  readonly to: Date;
  /**
   * Windows ending after this time are not run yet: flow logs arrive late (VPC delivery to S3 is
   * typically ~10 minutes, sometimes more), so a window is closed only once `now − lag` has passed.
   * @default - every window of the span runs
   */
  readonly notAfter?: Date;
  /** Called before each detection runs, for progress display. */
  readonly onDetection?: (definition: DetectionDefinition, windows: number) => void;
}

/** The findings of a run, and the ones the allowlist suppressed (kept for the audit trail). */
export interface DetectionRunResult {
  readonly findings: readonly Finding[];
  readonly suppressed: readonly { readonly finding: Finding; readonly reason: string }[];
  /** Queries run, for the run summary. */
  readonly queries: number;
  /** Every (detection, window) that ran, so stored findings of a window can be replaced. */
  readonly windows: readonly { readonly detection_id: string; readonly window: TimeWindow }[];
}

/** The hours (since the epoch) that hold flows, from the partition columns alone. */
export async function hoursWithData(engine: QueryEngine): Promise<Set<number>> {
  const rows = await engine.query('SELECT DISTINCT dt, hr FROM flows');
  const hours = new Set<number>();
  for (const row of rows) {
    hours.add(Math.floor(Date.parse(`${String(row.dt)}T${String(row.hr)}:00:00Z`) / 3_600_000));
  }
  return hours;
}

/** The event-time span of the data: first flow start to just after the last. */
export async function dataSpan(engine: QueryEngine): Promise<TimeWindow | null> {
  const [row] = await engine.query(
    'SELECT min(start_time) AS first, max(start_time) AS last FROM flows',
  );
  if (!(row?.first instanceof Date) || !(row.last instanceof Date)) return null;
  return { start: row.first, end: new Date(row.last.getTime() + 1) };
}

function windowParameters(
  window: TimeWindow,
  lookbackMs: number,
  config: WardflowConfig,
): SqlParameters {
  const baselineStart = new Date(window.start.getTime() - lookbackMs);
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return {
    window_start: param.timestamp(window.start),
    window_end: param.timestamp(window.end),
    baseline_start: param.timestamp(baselineStart),
    // Partition bounds: Athena prunes partitions only on partition columns, never on start_time.
    window_dt_start: param.string(day(window.start)),
    window_dt_end: param.string(day(new Date(window.end.getTime() - 1))),
    baseline_dt_start: param.string(day(baselineStart)),
    ...configParameters(config),
  };
}

/**
 * Runs every enabled detection over aligned windows of event time that hold data, turns result
 * rows into findings, drops duplicates by finding id and moves allowlisted ones aside.
 */
export async function runDetections(options: DetectionRunOptions): Promise<DetectionRunResult> {
  const { engine, config } = options;
  const hours = await hoursWithData(engine);
  const allowlist = new Allowlist(config.allowlist);
  const findings = new Map<string, Finding>();
  const suppressed = new Map<string, { finding: Finding; reason: string }>();
  let queries = 0;
  const ran: { detection_id: string; window: TimeWindow }[] = [];
  for (const definition of options.detections) {
    if (!isEnabled(definition, config)) continue;
    const values = resolveParams(definition, config);
    const detectionParams = toSqlParameters(values, definition.params);
    const windows = alignedWindows(options.from, options.to, definition.windowMs).filter(
      (w) =>
        windowHasData(w, hours) && (options.notAfter === undefined || w.end <= options.notAfter),
    );
    options.onDetection?.(definition, windows.length);
    for (const window of windows) {
      const sql = bindParameters(definition.sql, {
        ...windowParameters(window, definition.lookbackMs, config),
        ...detectionParams,
      });
      queries++;
      ran.push({ detection_id: definition.id, window });
      for (const queried of await engine.query(sql)) {
        const row = definition.scorer === null ? queried : definition.scorer(queried, values);
        if (row === null) continue;
        const finding = toFinding(definition, row, window.start, window.end);
        const entry = allowlist.match(finding);
        if (entry !== null) suppressed.set(finding.finding_id, { finding, reason: entry.reason });
        else findings.set(finding.finding_id, finding);
      }
    }
  }
  return {
    findings: [...findings.values()],
    suppressed: [...suppressed.values()],
    queries,
    windows: ran,
  };
}
