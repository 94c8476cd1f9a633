import type { WardflowConfig } from '../config.js';
import { athenaBaselineInsert, baselinePartitionPrefix } from '../detection/baseline-rollups.js';
import type { DetectionDefinition } from '../detection/detection-definition.js';
import { isEnabled } from '../detection/detection-params.js';
import type { QueryFile } from '../detection/query-file.js';
import { prepareDetection, windowSql } from '../detection/window-queries.js';
import type { TimeWindow } from '../detection/windows.js';
import { WardflowError } from '../errors.js';
import {
  inputObject,
  numberField,
  type StepInput,
  StepInputError,
  stringField,
  timeField,
} from './step-input.js';

/** Input of a detection run, from its EventBridge schedule. */
export interface DetectionPlanInput {
  readonly kind: 'detections';
  /** The schedule's time (EventBridge `time`, the scheduled time, not the invocation's). */
  readonly time: Date;
  /** How late flow logs may arrive: a window runs once it closed this long before `time`. */
  readonly lagMs: number;
  /**
   * Time between two scheduled runs: each run takes the windows that closed in the last period,
   * so consecutive runs cover every window once.
   * @default - the shortest window of the enabled detections (the schedule runs that often)
   */
  readonly periodMs?: number;
}

/** Input of a baseline refresh, from its daily EventBridge schedule. */
export interface BaselinePlanInput {
  readonly kind: 'baselines';
  /** The schedule's time. */
  readonly time: Date;
  /** How late flow logs may arrive: a day is rolled up once it ended this long before `time`. */
  readonly lagMs: number;
  /**
   * How many of the latest ended days to roll up (again). Two by default: yesterday, and the day
   * before for the flow logs that arrived late, or whose refresh failed the day before.
   * @default 2
   */
  readonly days: number;
}

/** The inputs the plan task accepts, by `kind`. */
export type PlanInput = DetectionPlanInput | BaselinePlanInput;

/** One detection query for one window, ready for Athena's StartQueryExecution. */
export interface PlannedQuery {
  readonly detection_id: string;
  readonly window_start: string;
  readonly window_end: string;
  readonly sql: string;
}

/** One baseline rollup for one day, as an INSERT INTO for Athena. */
export interface PlannedBaselineQuery {
  readonly baseline_id: string;
  readonly dt: string;
  readonly sql: string;
}

/** Output of the plan task: the state machine maps over `queries`. */
export interface PlanOutput {
  readonly queries: readonly (PlannedQuery | PlannedBaselineQuery)[];
  /**
   * Lake paths (relative to the lake root, ending in `/`) the handler empties before the
   * INSERTs run, so that refreshing a day replaces its rows instead of adding to them.
   */
  readonly clear_prefixes?: readonly string[];
}

/** What planning reads besides its input. */
export interface PlanContext {
  readonly detections: readonly DetectionDefinition[];
  /** The materialized baseline rollups (`-- materialize: daily` in queries/baselines/). */
  readonly rollups: readonly QueryFile[];
  readonly config: WardflowConfig;
}

/**
 * Largest plan the task returns. Step Functions caps a state's output at 256 KiB; the rest is
 * left for the state machine's own fields around it.
 */
export const MAX_PLAN_BYTES = 240 * 1024;

/** A plan would not fit the Step Functions payload limit. */
export class PlanTooLargeError extends WardflowError {
  public constructor(message: string) {
    super(message);
    this.name = 'PlanTooLargeError';
  }
}

const TASK = 'plan';
const MINUTE_MS = 60_000;

/** The input kinds and their parsers; a new kind is one more entry. */
const PARSERS: Readonly<Record<PlanInput['kind'], (input: StepInput) => PlanInput>> = {
  detections: parseDetectionPlanInput,
  baselines: parseBaselinePlanInput,
};

const DAY_MS = 86_400_000;
/** Most days one refresh may cover: Athena's INSERT INTO writes at most 100 partitions. */
const MAX_BASELINE_DAYS = 31;

/**
 * Validates the plan task's input.
 *
 * @throws StepInputError naming the field, what was expected and what arrived
 */
export function parsePlanInput(raw: unknown): PlanInput {
  const input = inputObject(raw, TASK);
  const kind = stringField(input, 'kind', TASK);
  const parse = PARSERS[kind as PlanInput['kind']];
  if (parse === undefined) {
    throw new StepInputError(
      `${TASK} input kind: expected one of ${Object.keys(PARSERS).join(', ')}, got ${JSON.stringify(kind)}`,
    );
  }
  return parse(input);
}

function parseDetectionPlanInput(input: StepInput): DetectionPlanInput {
  const lag = numberField(input, 'lag_minutes', TASK, 0);
  if (lag === undefined) {
    throw new StepInputError(
      `${TASK} input lag_minutes: expected a number of at least 0, got nothing`,
    );
  }
  const period = numberField(input, 'period_minutes', TASK, 1);
  return {
    kind: 'detections',
    time: timeField(input, 'time', TASK),
    lagMs: Math.round(lag * MINUTE_MS),
    periodMs: period === undefined ? undefined : Math.round(period * MINUTE_MS),
  };
}

function parseBaselinePlanInput(input: StepInput): BaselinePlanInput {
  const lag = numberField(input, 'lag_minutes', TASK, 0) ?? 0;
  const days = numberField(input, 'days', TASK, 1) ?? 2;
  if (!Number.isInteger(days) || days > MAX_BASELINE_DAYS) {
    throw new StepInputError(
      `${TASK} input days: expected a whole number of days from 1 to ${MAX_BASELINE_DAYS}, got ${days}`,
    );
  }
  return {
    kind: 'baselines',
    time: timeField(input, 'time', TASK),
    lagMs: Math.round(lag * MINUTE_MS),
    days,
  };
}

/**
 * Plans a baseline refresh: every materialized rollup for each of the `days` latest UTC days that
 * ended at or before `time − lag`, oldest first, as the INSERT INTO that stores it, with the
 * partition prefixes to empty first.
 */
export function planBaselineQueries(
  input: BaselinePlanInput,
  context: PlanContext,
): { queries: PlannedBaselineQuery[]; clear_prefixes: string[] } {
  const lastEnded = Math.floor((input.time.getTime() - input.lagMs) / DAY_MS);
  const queries: PlannedBaselineQuery[] = [];
  const prefixes: string[] = [];
  for (let k = input.days; k >= 1; k--) {
    const dt = new Date((lastEnded - k) * DAY_MS).toISOString().slice(0, 10);
    for (const rollup of context.rollups) {
      queries.push({
        baseline_id: rollup.header.id,
        dt,
        sql: athenaBaselineInsert(rollup, dt, context.config),
      });
      prefixes.push(baselinePartitionPrefix(rollup.header.id, dt));
    }
  }
  return { queries, clear_prefixes: prefixes };
}

/**
 * The aligned windows of `sizeMs` (multiples of the size since the epoch, as the local runner
 * cuts them) whose end lies in `(after, notAfter]`.
 */
export function windowsClosedIn(after: Date, notAfter: Date, sizeMs: number): TimeWindow[] {
  const windows: TimeWindow[] = [];
  const first = Math.floor(after.getTime() / sizeMs) + 1;
  const last = Math.floor(notAfter.getTime() / sizeMs);
  for (let k = first; k <= last; k++) {
    windows.push({ start: new Date((k - 1) * sizeMs), end: new Date(k * sizeMs) });
  }
  return windows;
}

/**
 * Plans a detection run: for each enabled detection, every window that closed in the period
 * before `time − lag`, with its SQL bound exactly as the local runner binds it.
 */
export function planDetectionQueries(
  input: DetectionPlanInput,
  context: PlanContext,
): PlannedQuery[] {
  const enabled = context.detections.filter((d) => isEnabled(d, context.config));
  if (enabled.length === 0) return [];
  const periodMs = input.periodMs ?? Math.min(...enabled.map((d) => d.windowMs));
  const notAfter = new Date(input.time.getTime() - input.lagMs);
  const after = new Date(notAfter.getTime() - periodMs);
  const queries: PlannedQuery[] = [];
  for (const definition of enabled) {
    const prepared = prepareDetection(definition, context.config);
    for (const window of windowsClosedIn(after, notAfter, definition.windowMs)) {
      queries.push({
        detection_id: definition.id,
        window_start: window.start.toISOString(),
        window_end: window.end.toISOString(),
        sql: windowSql(prepared, window),
      });
    }
  }
  return queries;
}

/**
 * Plans one run of the kind its input names.
 *
 * @throws StepInputError for invalid input
 * @throws PlanTooLargeError when the plan exceeds {@link MAX_PLAN_BYTES}
 */
export function planRun(raw: unknown, context: PlanContext): PlanOutput {
  const input = parsePlanInput(raw);
  let output: PlanOutput;
  switch (input.kind) {
    case 'detections':
      output = { queries: planDetectionQueries(input, context) };
      break;
    case 'baselines':
      output = planBaselineQueries(input, context);
      break;
  }
  const bytes = Buffer.byteLength(JSON.stringify(output));
  if (bytes > MAX_PLAN_BYTES) {
    throw new PlanTooLargeError(
      `plan of ${output.queries.length} queries: expected at most ${MAX_PLAN_BYTES} bytes of output, got ${bytes}; run the schedule more often (a shorter period) or split the detections over several schedules`,
    );
  }
  return output;
}
