import type { WardflowConfig } from '../config.js';
import type { QueryEngine } from '../engines/query-engine.js';
import { Allowlist } from './allowlist.js';
import type { DetectionDefinition } from './detection-definition.js';
import { isEnabled } from './detection-params.js';
import type { Finding } from './finding.js';
import {
  prepareDetection,
  rowsToFindings,
  type SuppressedFinding,
  windowSql,
} from './window-queries.js';
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
  readonly suppressed: readonly SuppressedFinding[];
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

/**
 * Runs every enabled detection over aligned windows of event time that hold data, turns result
 * rows into findings, drops duplicates by finding id and moves allowlisted ones aside.
 */
export async function runDetections(options: DetectionRunOptions): Promise<DetectionRunResult> {
  const { engine, config } = options;
  const hours = await hoursWithData(engine);
  const allowlist = new Allowlist(config.allowlist);
  const findings = new Map<string, Finding>();
  const suppressed = new Map<string, SuppressedFinding>();
  let queries = 0;
  const ran: { detection_id: string; window: TimeWindow }[] = [];
  for (const definition of options.detections) {
    if (!isEnabled(definition, config)) continue;
    const prepared = prepareDetection(definition, config);
    const windows = alignedWindows(options.from, options.to, definition.windowMs).filter(
      (w) =>
        windowHasData(w, hours) && (options.notAfter === undefined || w.end <= options.notAfter),
    );
    options.onDetection?.(definition, windows.length);
    for (const window of windows) {
      const sql = windowSql(prepared, window);
      queries++;
      ran.push({ detection_id: definition.id, window });
      const found = rowsToFindings(prepared, await engine.query(sql), window, allowlist);
      for (const finding of found.findings) findings.set(finding.finding_id, finding);
      for (const entry of found.suppressed) suppressed.set(entry.finding.finding_id, entry);
    }
  }
  return {
    findings: [...findings.values()],
    suppressed: [...suppressed.values()],
    queries,
    windows: ran,
  };
}
