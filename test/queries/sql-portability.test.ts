import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUERIES_DIR } from '../../functions/shared/detection/detection-catalog.js';
import { DuckDbEngine } from '../../functions/shared/engines/duckdb-engine.js';
import { TRINO_COMPAT_MACROS } from '../../functions/shared/engines/trino-compat.js';

/**
 * Functions that mean the same in Trino (Athena engine v3) and DuckDB, checked against both
 * engines' documentation; queries may call these, plus the names the macro layer provides.
 * `count_if` is left out on purpose: over only NULL conditions DuckDB returns NULL, Trino 0.
 * Adding a name here is a claim about both engines: check it, and the integration tier runs every
 * query on a real Trino.
 */
const SHARED_FUNCTIONS = new Set([
  'abs',
  'arbitrary',
  'concat_ws',
  'lpad',
  'rpad',
  'array_agg',
  'avg',
  'ceil',
  'concat',
  'count',
  'date_diff',
  'date_trunc',
  'exp',
  'floor',
  'greatest',
  'hour',
  'least',
  'length',
  'ln',
  'log10',
  'lower',
  'max',
  'max_by',
  'min',
  'min_by',
  'minute',
  'power',
  'round',
  'sign',
  'split_part',
  'sqrt',
  'stddev',
  'stddev_pop',
  'stddev_samp',
  'strpos',
  'substr',
  'sum',
  'upper',
  'variance',
  'var_pop',
  'var_samp',
  'lag',
  'lead',
  'row_number',
  'rank',
  'dense_rank',
  'first_value',
  'last_value',
  'regexp_extract',
  'replace',
  'trim',
  'nullif',
  'array_sort',
  'year',
  'month',
  'day',
  'bool_or',
  'bool_and',
  'mod',
]);

/** Words followed by `(` that are syntax, not function calls. */
const SYNTAX = new Set([
  'in',
  'as',
  'values',
  'over',
  'and',
  'or',
  'not',
  'exists',
  'cast',
  'try_cast',
  'filter',
  'within',
  'using',
  'on',
  'from',
  'select',
  'where',
  'when',
  'then',
  'else',
  'interval',
  'with',
  'partition',
  'by',
  'row',
  'rows',
  'range',
  'is',
  'between',
  'join',
  'unnest',
  'distinct',
  'case',
  'array',
  'map',
  'if',
  'extract',
  'any',
  'all',
  'lateral',
  'table',
  'external',
  'tblproperties',
  'stored',
  'partitioned',
  'exists',
  'date',
  'timestamp',
  'decimal',
  'varchar',
  'having',
  'group',
  'order',
  'limit',
  // A special form in DuckDB's grammar rather than a catalog function; the same in both engines.
  'coalesce',
]);

const COMPAT = new Set(TRINO_COMPAT_MACROS.map(([name]) => name));

function sqlFiles(): { path: string; sql: string }[] {
  const files: { path: string; sql: string }[] = [];
  for (const folder of ['detections', 'baselines', 'audit']) {
    const dir = join(QUERIES_DIR, folder);
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.sql'))) {
      files.push({ path: `${folder}/${name}`, sql: readFileSync(join(dir, name), 'utf8') });
    }
  }
  return files;
}

/** Function names called in a statement, comments and string literals removed. */
function calledFunctions(sql: string): string[] {
  const code = sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/"(?:[^"]|"")*"/g, '""');
  const names = new Set<string>();
  // A name after AS with a parenthesis is a table alias with its column names (`AS r (role)`).
  for (const match of code.matchAll(/(?<!\bAS\s+)\b([a-zA-Z_][a-zA-Z0-9_]*)\s*\(/gi)) {
    const name = (match[1] as string).toLowerCase();
    if (!SYNTAX.has(name)) names.add(name);
  }
  return [...names].sort();
}

describe('Queries: portability between Trino and DuckDB', () => {
  let engine: DuckDbEngine;
  beforeAll(async () => {
    engine = await DuckDbEngine.open({ threads: 1 });
  });
  afterAll(async () => {
    await engine.close();
  });

  it.each(sqlFiles().map((f) => [f.path, f.sql] as const))(
    '%s calls only shared or shimmed functions',
    (_path, sql) => {
      const unknown = calledFunctions(sql).filter(
        (name) => !SHARED_FUNCTIONS.has(name) && !COMPAT.has(name),
      );
      expect(unknown).toEqual([]);
    },
  );

  it('finds every allowlisted function in DuckDB', async () => {
    const rows = await engine.query('SELECT DISTINCT function_name FROM duckdb_functions()');
    const available = new Set(rows.map((r) => String(r.function_name)));
    const missing = [...SHARED_FUNCTIONS, ...COMPAT].filter((name) => !available.has(name));
    expect(missing).toEqual([]);
  });

  it('gives the macros their Trino meaning', async () => {
    const [row] = await engine.query(
      "SELECT day_of_week(TIMESTAMP '2026-11-29 10:00:00') AS dow, to_unixtime(TIMESTAMP '1970-01-01 00:00:02.5') AS unix, bitwise_and(22, 18) AS bits, regexp_like('ehr-db', '^ehr') AS re, slice(ARRAY['a', 'b', 'c', 'd'], 2, 2) AS sl",
    );
    expect(row).toEqual({ dow: 7, unix: 2.5, bits: 18, re: true, sl: ['b', 'c'] });
  });

  it('extracts the functions a statement calls, ignoring comments and strings', () => {
    expect(
      calledFunctions(
        "SELECT count(*), max_by(a, b) -- sum(x)\nFROM t WHERE x IN ('f(y)') AND CAST(z AS DOUBLE) > 0",
      ),
    ).toEqual(['count', 'max_by']);
  });
});
