import type { Finding } from '../../../functions/shared/detection/finding.js';
import type { SqlRow, SqlValue } from '../../../functions/shared/engines/query-engine.js';

/** How far two numbers may be apart and still count as equal: `abs + rel × max(|a|, |b|)`. */
export interface Tolerance {
  readonly abs: number;
  readonly rel: number;
}

/**
 * Exact SQL on both engines: equal up to floating-point summation order (sum and avg of doubles
 * add in a different order on each engine).
 */
export const EXACT: Tolerance = { abs: 1e-9, rel: 1e-9 };

/**
 * Trino's `approx_percentile` (a t-digest) against DuckDB's exact `quantile_cont` (the compat
 * macro): on small samples Trino returns a sample near the requested rank, DuckDB interpolates
 * between the two neighbouring samples. Medians and quartiles: within 5 % of the value, or 1 unit
 * (a median of 3 against 2.5 over {1, 2, 3, 4}). `approx_distinct` (HyperLogLog): within 5 %.
 */
export const APPROXIMATE: Tolerance = { abs: 1, rel: 0.05 };

/**
 * Tail percentiles (p ≤ 0.1 or p ≥ 0.9) of small, heavy-tailed samples: the t-digest returns about
 * the extreme sample, DuckDB interpolates towards its neighbour, and the two can differ by the gap
 * between the largest samples (3.1 GB against 1.9 GB for a p99 over 48 hourly byte counts). Within
 * a factor of 2.
 */
export const TAIL: Tolerance = { abs: 1, rel: 0.5 };

const CLAUSE = /^(select|from|join|where|on|with|by|having|union|using)$/i;
/** `CAST(x AS DOUBLE)` is no alias. */
const TYPES =
  /^(double|real|bigint|integer|int|smallint|tinyint|varchar|boolean|timestamp|date|decimal|varbinary)$/i;

/** The text of the expression that ends just before `end`, back to its clause, comma or paren. */
function expressionBefore(sql: string, end: number): string {
  let depth = 0;
  let i = end - 1;
  for (; i >= 0; i--) {
    const c = sql[i] as string;
    if (c === ')') depth++;
    else if (c === '(') {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && c === ',') break;
    else if (depth === 0 && /[a-z]/i.test(c) && !/[a-z0-9_]/i.test(sql[i - 1] ?? ' ')) {
      const word = /^[a-z_]+/i.exec(sql.slice(i))?.[0] ?? '';
      if (CLAUSE.test(word)) {
        i += word.length - 1;
        break;
      }
    }
  }
  return sql.slice(i + 1, end);
}

/** The tolerance an approximate aggregate call starting at `at` (after its `(`) needs. */
function callTolerance(
  sql: string,
  name: string,
  open: number,
): { tolerance: Tolerance; end: number } {
  let depth = 1;
  let i = open;
  let lastComma = -1;
  for (; i < sql.length && depth > 0; i++) {
    if (sql[i] === '(') depth++;
    else if (sql[i] === ')') depth--;
    else if (sql[i] === ',' && depth === 1) lastComma = i;
  }
  if (name.toLowerCase() !== 'approx_percentile' || lastComma < 0)
    return { tolerance: APPROXIMATE, end: i };
  const p = Number(sql.slice(lastComma + 1, i - 1).trim());
  return { tolerance: p <= 0.1 || p >= 0.9 ? TAIL : APPROXIMATE, end: i };
}

function looser(a: Tolerance | undefined, b: Tolerance): Tolerance {
  return a === undefined || b.rel > a.rel ? b : a;
}

/**
 * The columns of a query whose values come from `approx_percentile` or `approx_distinct`, directly
 * or through expressions over such columns (a MAD over an approximate median, a z-score over both),
 * with the tolerance each needs: {@link TAIL} when a tail percentile feeds it, else
 * {@link APPROXIMATE}. Read from the SQL text: every `expression AS name`, to a fixed point.
 */
export function approximateColumns(sql: string): Map<string, Tolerance> {
  const text = sql.replace(/--[^\n]*/g, ' ');
  const aliases: { name: string; expression: string }[] = [];
  const as = /\bAS\s+([a-z_][a-z0-9_]*)\b(?!\s*\()/gi;
  for (let m = as.exec(text); m !== null; m = as.exec(text)) {
    if (!TYPES.test(m[1] as string))
      aliases.push({
        name: (m[1] as string).toLowerCase(),
        expression: expressionBefore(text, m.index),
      });
  }
  const columns = new Map<string, Tolerance>();
  for (const { name, expression } of aliases) {
    const call = /\b(approx_percentile|approx_distinct)\s*\(/gi;
    for (let m = call.exec(expression); m !== null; m = call.exec(expression)) {
      const { tolerance } = callTolerance(expression, m[1] as string, m.index + m[0].length);
      columns.set(name, looser(columns.get(name), tolerance));
    }
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const { name, expression } of aliases) {
      for (const word of expression.toLowerCase().match(/[a-z_][a-z0-9_]*/g) ?? []) {
        const source = columns.get(word);
        if (source === undefined || word === name) continue;
        const next = looser(columns.get(name), source);
        if (next !== columns.get(name)) {
          columns.set(name, next);
          changed = true;
        }
      }
    }
  }
  return columns;
}

/** True when the two values are equal, numbers within the tolerance, element by element. */
export function valuesMatch(a: unknown, b: unknown, tolerance: Tolerance): boolean {
  if (a === null || a === undefined || b === null || b === undefined)
    return (a ?? null) === (b ?? null);
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
    return Math.abs(a - b) <= tolerance.abs + tolerance.rel * Math.max(Math.abs(a), Math.abs(b));
  }
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, i) => valuesMatch(item, b[i], tolerance));
  return a === b;
}

function show(value: unknown): string {
  return value instanceof Date ? value.toISOString() : JSON.stringify(value);
}

/** A finding whose raw references differ between the engines, to be checked against the lake. */
export interface RawRefsToCheck {
  readonly label: string;
  readonly refs: readonly string[];
  readonly src_ip: string | null;
  readonly dst_ip: string | null;
}

/** Checks that raw references name flow records of their finding's entity; returns the problems. */
export type RawRefCheck = (findings: readonly RawRefsToCheck[]) => Promise<string[]>;

/** How {@link findingDifferences} compares what may legitimately differ. */
export interface FindingComparison {
  /** Metrics computed from approximate aggregates, with their tolerance ({@link approximateColumns}). */
  readonly approximate: ReadonlyMap<string, Tolerance>;
  /** The detection's title and summary templates: not compared when they show approximate metrics. */
  readonly templates: readonly string[];
  readonly checkRefs: RawRefCheck;
}

const ENTITY_FIELDS = [
  'severity',
  'src_ip',
  'dst_ip',
  'dst_port',
  'protocol',
  'src_zone',
  'dst_zone',
  'first_seen',
  'last_seen',
  'window_start',
  'window_end',
  'title',
  'summary',
] as const;

/**
 * Differences between two engines' findings, keyed by finding id: a finding only one engine
 * raised, or a field that differs. Entity, times, severity, title, summary and evidence count
 * must be equal; metrics equal within {@link EXACT}, or the metric's tolerance in
 * `comparison.approximate`. Title and summary are skipped when their templates show an approximate
 * metric. Raw references must be as many; where the lists differ (records with the same start time
 * are ordered, and `min_by` picked, as each engine likes) `checkRefs` confirms that Trino's name
 * flow records of the finding's entity.
 */
export async function findingDifferences(
  trino: readonly Finding[],
  duckdb: readonly Finding[],
  comparison: FindingComparison,
): Promise<string[]> {
  const { approximate } = comparison;
  const showsApproximate = [...approximate.keys()].some((k) =>
    comparison.templates.some((template) => template.includes(`{${k}}`)),
  );
  const differences: string[] = [];
  const toCheck: RawRefsToCheck[] = [];
  const byId = new Map(duckdb.map((f) => [f.finding_id, f]));
  const trinoIds = new Set(trino.map((f) => f.finding_id));
  for (const f of duckdb) {
    if (!trinoIds.has(f.finding_id))
      differences.push(`only DuckDB raised ${f.finding_id}: ${f.detection_id} ${f.title}`);
  }
  for (const t of trino) {
    const d = byId.get(t.finding_id);
    if (d === undefined) {
      differences.push(`only Trino raised ${t.finding_id}: ${t.detection_id} ${t.title}`);
      continue;
    }
    const label = `${t.finding_id} (${t.detection_id})`;
    for (const field of ENTITY_FIELDS) {
      if ((field === 'title' || field === 'summary') && showsApproximate) continue;
      if (t[field] !== d[field])
        differences.push(`${label} ${field}: Trino ${show(t[field])}, DuckDB ${show(d[field])}`);
    }
    if (t.evidence.flow_count !== d.evidence.flow_count) {
      differences.push(
        `${label} evidence.flow_count: Trino ${t.evidence.flow_count}, DuckDB ${d.evidence.flow_count}`,
      );
    }
    if (t.evidence.raw_refs.length !== d.evidence.raw_refs.length) {
      differences.push(
        `${label} evidence.raw_refs: Trino has ${t.evidence.raw_refs.length}, DuckDB ${d.evidence.raw_refs.length}`,
      );
    } else if (!valuesMatch([...t.evidence.raw_refs], [...d.evidence.raw_refs], EXACT)) {
      toCheck.push({ label, refs: t.evidence.raw_refs, src_ip: t.src_ip, dst_ip: t.dst_ip });
    }
    const keys = new Set([...Object.keys(t.metrics), ...Object.keys(d.metrics)]);
    for (const key of keys) {
      if (!valuesMatch(t.metrics[key], d.metrics[key], approximate.get(key) ?? EXACT)) {
        differences.push(
          `${label} metrics.${key}: Trino ${show(t.metrics[key])}, DuckDB ${show(d.metrics[key])}`,
        );
      }
    }
  }
  if (toCheck.length > 0) differences.push(...(await comparison.checkRefs(toCheck)));
  return differences;
}

/** Arrays without ORDER BY come in any order: compared sorted. */
function canonical(value: SqlValue | undefined): unknown {
  if (!Array.isArray(value)) return value;
  return [...value].sort((a, b) => String(a).localeCompare(String(b)));
}

function isFraction(value: unknown): boolean {
  return typeof value === 'number' && !Number.isInteger(value);
}

/**
 * A row's exact part, for pairing rows across engines: the columns that are neither approximate
 * nor fractional numbers (floating-point sums may differ in the last digits), as text.
 */
function rowKey(row: SqlRow, approximate: ReadonlyMap<string, Tolerance>): string {
  return JSON.stringify(
    Object.keys(row)
      .sort()
      .map((k) => {
        const v = canonical(row[k]);
        if (approximate.has(k) || isFraction(v)) return '~';
        return v instanceof Date ? v.toISOString() : v;
      }),
  );
}

/**
 * Differences between two engines' result rows, as a multiset: same columns, same number of
 * rows, every Trino row paired with a DuckDB row of the same exact part ({@link rowKey}), and the
 * rest equal within {@link EXACT} or the column's tolerance in `approximate`. Row order is not
 * compared (ties in ORDER BY come out either way), nor the order inside arrays.
 */
export function rowDifferences(
  trino: readonly SqlRow[],
  duckdb: readonly SqlRow[],
  approximate: ReadonlyMap<string, Tolerance>,
  limit = 20,
): string[] {
  const differences: string[] = [];
  if (trino.length !== duckdb.length)
    differences.push(`row count: Trino ${trino.length}, DuckDB ${duckdb.length}`);
  const columns = (rows: readonly SqlRow[]) => JSON.stringify(Object.keys(rows[0] ?? {}).sort());
  if (trino.length > 0 && duckdb.length > 0 && columns(trino) !== columns(duckdb))
    differences.push(`columns: Trino ${columns(trino)}, DuckDB ${columns(duckdb)}`);
  const buckets = new Map<string, SqlRow[]>();
  for (const row of duckdb) {
    const key = rowKey(row, approximate);
    buckets.set(key, [...(buckets.get(key) ?? []), row]);
  }
  const mismatches = (t: SqlRow, d: SqlRow) =>
    Object.keys(t).filter(
      (k) => !valuesMatch(canonical(t[k]), canonical(d[k]), approximate.get(k) ?? EXACT),
    );
  for (const row of trino) {
    const bucket = buckets.get(rowKey(row, approximate)) ?? [];
    let best = -1;
    let bestMismatches: string[] = [];
    bucket.forEach((candidate, i) => {
      const found = mismatches(row, candidate);
      if (best < 0 || found.length < bestMismatches.length) {
        best = i;
        bestMismatches = found;
      }
    });
    if (best >= 0 && bestMismatches.length === 0) {
      bucket.splice(best, 1);
      continue;
    }
    if (best < 0) {
      differences.push(`Trino row without a DuckDB row of the same keys: ${show(row)}`);
    } else {
      const near = bucket[best] as SqlRow;
      bucket.splice(best, 1);
      const detail = bestMismatches.map(
        (k) => `${k}: Trino ${show(row[k])}, DuckDB ${show(near[k])}`,
      );
      differences.push(`row ${show(row)} differs in ${detail.join('; ')}`);
    }
    if (differences.length >= limit) return differences;
  }
  for (const rest of buckets.values()) {
    for (const row of rest) {
      if (differences.length >= limit) return differences;
      differences.push(`DuckDB row without a Trino row: ${show(row)}`);
    }
  }
  return differences;
}
