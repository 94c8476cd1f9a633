import { parseDuration } from './duration.js';
import {
  type QueryFile,
  QueryFileError,
  type QueryParamValue,
  SEVERITIES,
  type Severity,
} from './query-file.js';
import { ROW_SCORERS, type RowScorer } from './row-scorers.js';

/** A detection from `queries/detections/<id>.sql`, with its header validated. */
export interface DetectionDefinition {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  /** ATT&CK technique ids (`T1046`, `T1021.002`). */
  readonly mitre: readonly string[];
  /** HIPAA Security Rule citations (`164.312(b)`). */
  readonly hipaa: readonly string[];
  readonly params: Readonly<Record<string, QueryParamValue>>;
  /** Length of one detection window. */
  readonly windowMs: number;
  /** History before each window that the query reads as its baseline (0 when it needs none). */
  readonly lookbackMs: number;
  /** Template of a finding's title, `{column}` replaced from the row. */
  readonly findingTemplate: string;
  /** Template of a finding's one-sentence summary. */
  readonly summaryTemplate: string;
  /** What the detection is based on (published algorithm, reference rule). */
  readonly basedOn: string;
  readonly description: string;
  readonly runbook: string;
  /** Name of the row scorer in {@link ROW_SCORERS} that finishes the query's rows, if any. */
  readonly scorer: RowScorer | null;
  readonly sql: string;
  readonly path: string;
}

const REQUIRED = [
  'severity',
  'mitre',
  'hipaa',
  'window',
  'finding',
  'summary',
  'based-on',
  'description',
  'runbook',
];
const KNOWN = new Set(['id', 'title', 'params', 'lookback', 'scorer', ...REQUIRED]);
const MITRE = /^T\d{4}(\.\d{3})?$/;
const HIPAA = /^164\.\d{3}\([a-z0-9]+\)(\(\w+\))*$/;

function list(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** Validates a detection query file's header into its definition. */
export function toDetectionDefinition(file: QueryFile): DetectionDefinition {
  const { header, path } = file;
  const f = header.fields;
  for (const key of Object.keys(f)) {
    if (!KNOWN.has(key))
      throw new QueryFileError(
        path,
        `unknown header key "${key}"; expected one of ${[...KNOWN].join(', ')}`,
      );
  }
  for (const key of REQUIRED) {
    if (!f[key]) throw new QueryFileError(path, `header lacks "${key}"`);
  }
  const severity = f.severity as string;
  if (!(SEVERITIES as readonly string[]).includes(severity)) {
    throw new QueryFileError(
      path,
      `severity: expected one of ${SEVERITIES.join(', ')}, got ${JSON.stringify(severity)}`,
    );
  }
  const mitre = list(f.mitre as string);
  for (const id of mitre) {
    if (!MITRE.test(id))
      throw new QueryFileError(
        path,
        `mitre: expected ATT&CK ids like T1046 or T1021.002, got ${JSON.stringify(id)}`,
      );
  }
  const hipaa = list(f.hipaa as string);
  for (const citation of hipaa) {
    if (!HIPAA.test(citation))
      throw new QueryFileError(
        path,
        `hipaa: expected citations like 164.312(b), got ${JSON.stringify(citation)}`,
      );
  }
  const scorerName = f.scorer;
  const scorer = scorerName === undefined ? null : (ROW_SCORERS[scorerName] ?? null);
  if (scorerName !== undefined && scorer === null) {
    throw new QueryFileError(
      path,
      `scorer: no scorer named ${JSON.stringify(scorerName)}; known: ${Object.keys(ROW_SCORERS).join(', ') || 'none'}`,
    );
  }
  return {
    id: header.id,
    title: header.title,
    severity: severity as Severity,
    mitre,
    hipaa,
    params: header.params,
    windowMs: parseDuration(f.window as string, `${path}: window`),
    lookbackMs: f.lookback ? parseDuration(f.lookback, `${path}: lookback`) : 0,
    findingTemplate: f.finding as string,
    summaryTemplate: f.summary as string,
    basedOn: f['based-on'] as string,
    description: f.description as string,
    runbook: f.runbook as string,
    scorer,
    sql: file.sql,
    path,
  };
}
