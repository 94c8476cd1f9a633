/**
 * DuckDB macros that give Trino's (Athena engine v3's) function names their Trino meaning, so the
 * SQL in `queries/` runs unchanged on both engines. Each entry is `[name, definition]`; the
 * portability test allows in queries exactly the functions both engines share plus these names.
 *
 * Not covered on purpose (rewrite the query instead): `cardinality` and `contains` (DuckDB owns
 * those names with other meanings), `date_add` (use `ts + INTERVAL '1' HOUR`), `from_unixtime`
 * (time zone typed on Trino). Integer division differs too: Trino truncates `7 / 2` to 3, DuckDB
 * gives 3.5, so queries always divide `CAST(x AS DOUBLE)`.
 */
export const TRINO_COMPAT_MACROS: readonly (readonly [string, string])[] = [
  // Trino: ISO day of week, Monday = 1 … Sunday = 7.
  ['day_of_week', 'CREATE OR REPLACE MACRO day_of_week(ts) AS isodow(ts)'],
  ['to_unixtime', 'CREATE OR REPLACE MACRO to_unixtime(ts) AS epoch(ts)'],
  ['regexp_like', 'CREATE OR REPLACE MACRO regexp_like(s, pattern) AS regexp_matches(s, pattern)'],
  ['bitwise_and', 'CREATE OR REPLACE MACRO bitwise_and(a, b) AS (a & b)'],
  // Trino's approx_percentile is a t-digest estimate; the exact continuous quantile stays within
  // the tolerance the engine-parity tests allow.
  ['approx_percentile', 'CREATE OR REPLACE MACRO approx_percentile(x, p) AS quantile_cont(x, p)'],
  ['approx_distinct', 'CREATE OR REPLACE MACRO approx_distinct(x) AS approx_count_distinct(x)'],
  // Trino: slice(array, start, length), 1-based.
  [
    'slice',
    'CREATE OR REPLACE MACRO slice(a, start, length) AS list_slice(a, start, start + length - 1)',
  ],
];
