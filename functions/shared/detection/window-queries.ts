import type { WardflowConfig } from '../config.js';
import type { SqlRow } from '../engines/query-engine.js';
import { bindParameters, param, type SqlParameters } from '../engines/sql-parameters.js';
import type { Allowlist } from './allowlist.js';
import { configParameters } from './config-parameters.js';
import type { DetectionDefinition } from './detection-definition.js';
import { resolveParams, toSqlParameters } from './detection-params.js';
import { type Finding, toFinding } from './finding.js';
import type { QueryParamValue } from './query-file.js';
import type { TimeWindow } from './windows.js';

/**
 * One detection with its parameters resolved against the configuration: what every window's
 * query is bound with and what its rows are scored with. Built once per run, used per window,
 * by the local runner and by the cloud's plan and publish steps alike.
 */
export interface PreparedDetection {
  readonly definition: DetectionDefinition;
  /** The detection's parameter values (declared defaults, overridden by the config). */
  readonly values: Readonly<Record<string, QueryParamValue>>;
  /** The same values as typed SQL parameters, plus the config's (threat intel, zones, policy). */
  readonly parameters: SqlParameters;
}

/** A finding the allowlist suppressed, with the entry's reason (kept for the audit trail). */
export interface SuppressedFinding {
  readonly finding: Finding;
  readonly reason: string;
}

/** The findings of one detection window: raised ones and allowlisted ones. */
export interface WindowFindings {
  readonly findings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
}

/**
 * Resolves a detection's parameters against the configuration.
 *
 * @throws ConfigError when `detections.<id>.<param>` names an unknown parameter or has the wrong type
 */
export function prepareDetection(
  definition: DetectionDefinition,
  config: WardflowConfig,
): PreparedDetection {
  const values = resolveParams(definition, config);
  return {
    definition,
    values,
    parameters: { ...configParameters(config), ...toSqlParameters(values, definition.params) },
  };
}

/**
 * The parameters every detection query receives for one window (queries/README.md,
 * "Parameters"): the window bounds, the start of the baseline before it, and the same bounds as
 * `dt` partition values.
 */
export function windowParameters(window: TimeWindow, lookbackMs: number): SqlParameters {
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
  };
}

/** The detection's SQL for one window, every placeholder bound to a validated literal. */
export function windowSql(prepared: PreparedDetection, window: TimeWindow): string {
  return bindParameters(prepared.definition.sql, {
    ...windowParameters(window, prepared.definition.lookbackMs),
    ...prepared.parameters,
  });
}

/**
 * Turns the result rows of one window's query into findings: the detection's scorer (if any)
 * finishes or drops each row, each row becomes a finding, and findings the allowlist matches are
 * moved aside with their reason. A finding id seen twice keeps its first position and last value.
 */
export function rowsToFindings(
  prepared: PreparedDetection,
  rows: readonly SqlRow[],
  window: TimeWindow,
  allowlist: Allowlist,
): WindowFindings {
  const { definition, values } = prepared;
  const findings = new Map<string, Finding>();
  const suppressed = new Map<string, SuppressedFinding>();
  for (const queried of rows) {
    const row = definition.scorer === null ? queried : definition.scorer(queried, values);
    if (row === null) continue;
    const finding = toFinding(definition, row, window.start, window.end);
    const entry = allowlist.match(finding);
    if (entry !== null) suppressed.set(finding.finding_id, { finding, reason: entry.reason });
    else findings.set(finding.finding_id, finding);
  }
  return { findings: [...findings.values()], suppressed: [...suppressed.values()] };
}
