import { WardflowError } from '../errors.js';

/** Column types of an inline table parameter. */
export type RowColumnType = 'VARCHAR' | 'INTEGER' | 'BIGINT';

/** A typed query parameter; each kind renders as a literal both Trino and DuckDB read alike. */
export type SqlParameter =
  | { readonly kind: 'timestamp'; readonly value: Date }
  | { readonly kind: 'integer'; readonly value: number }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'strings'; readonly value: readonly string[] }
  | { readonly kind: 'integers'; readonly value: readonly number[] }
  /** A value that cannot be given yet: using it in a query is an error with this reason. */
  | { readonly kind: 'unavailable'; readonly reason: string }
  /** A small inline table, `(VALUES (…), …) AS alias(columns)`, usable in FROM and JOIN. */
  | {
      readonly kind: 'rows';
      readonly alias: string;
      readonly columns: readonly { readonly name: string; readonly type: RowColumnType }[];
      readonly value: readonly (readonly (string | number | null)[])[];
    };

/** Named parameters of one query. */
export type SqlParameters = Readonly<Record<string, SqlParameter>>;

/** A query's parameters do not match its placeholders, or a value is not of its kind. */
export class SqlParameterError extends WardflowError {
  public constructor(message: string) {
    super(message);
    this.name = 'SqlParameterError';
  }
}

/** Shorthands for building parameters. */
export const param = {
  timestamp: (value: Date): SqlParameter => ({ kind: 'timestamp', value }),
  integer: (value: number): SqlParameter => ({ kind: 'integer', value }),
  number: (value: number): SqlParameter => ({ kind: 'number', value }),
  string: (value: string): SqlParameter => ({ kind: 'string', value }),
  boolean: (value: boolean): SqlParameter => ({ kind: 'boolean', value }),
  strings: (value: readonly string[]): SqlParameter => ({ kind: 'strings', value }),
  integers: (value: readonly number[]): SqlParameter => ({ kind: 'integers', value }),
  unavailable: (reason: string): SqlParameter => ({ kind: 'unavailable', reason }),
  rows: (
    alias: string,
    columns: readonly { readonly name: string; readonly type: RowColumnType }[],
    value: readonly (readonly (string | number | null)[])[],
  ): SqlParameter => ({ kind: 'rows', alias, columns, value }),
};

/**
 * Renders one parameter as a SQL literal. Values are validated for their kind first: integers are
 * safe integers, numbers are finite, strings are quoted with `'` doubled, timestamps are valid
 * dates rendered as `TIMESTAMP 'YYYY-MM-DD HH:MM:SS.mmm'` (UTC). Lists render as `(a, b)` for
 * `IN :list`; an empty list renders as `(NULL)`, which matches nothing.
 */
export function renderParameter(name: string, p: SqlParameter): string {
  switch (p.kind) {
    case 'timestamp': {
      if (!(p.value instanceof Date) || Number.isNaN(p.value.getTime())) {
        throw new SqlParameterError(`:${name}: expected a valid timestamp, got ${String(p.value)}`);
      }
      return `TIMESTAMP '${p.value.toISOString().replace('T', ' ').replace('Z', '')}'`;
    }
    case 'integer':
      return renderInteger(name, p.value);
    case 'number':
      if (!Number.isFinite(p.value))
        throw new SqlParameterError(`:${name}: expected a finite number, got ${p.value}`);
      return Number.isInteger(p.value) ? `${p.value}.0` : String(p.value);
    case 'string':
      return quote(p.value);
    case 'boolean':
      return p.value ? 'TRUE' : 'FALSE';
    case 'strings':
      return p.value.length === 0 ? '(NULL)' : `(${p.value.map(quote).join(', ')})`;
    case 'integers':
      return p.value.length === 0
        ? '(NULL)'
        : `(${p.value.map((v) => renderInteger(name, v)).join(', ')})`;
    case 'rows':
      return renderRows(name, p);
    case 'unavailable':
      throw new SqlParameterError(`:${name}: ${p.reason}`);
  }
}

/**
 * Renders an inline table. Every value is cast to its column's type so both engines agree on the
 * types; an empty table is one all-NULL row filtered away, since `VALUES` cannot be empty.
 */
function renderRows(name: string, p: Extract<SqlParameter, { kind: 'rows' }>): string {
  const cast = (value: string | number | null, type: RowColumnType) => {
    if (value === null) return `CAST(NULL AS ${type})`;
    return type === 'VARCHAR'
      ? `CAST(${quote(String(value))} AS VARCHAR)`
      : `CAST(${renderInteger(name, Number(value))} AS ${type})`;
  };
  const names = p.columns.map((c) => c.name);
  if (p.value.length === 0) {
    const nulls = p.columns.map((c) => cast(null, c.type)).join(', ');
    return `(SELECT * FROM (VALUES (${nulls})) AS t(${names.join(', ')}) WHERE 1 = 0) AS ${p.alias}`;
  }
  const rows = p.value.map((row) => {
    if (row.length !== p.columns.length) {
      throw new SqlParameterError(
        `:${name}: expected ${p.columns.length} values per row, got ${row.length}`,
      );
    }
    return `(${row.map((v, i) => cast(v, (p.columns[i] as { type: RowColumnType }).type)).join(', ')})`;
  });
  return `(VALUES ${rows.join(', ')}) AS ${p.alias}(${names.join(', ')})`;
}

function renderInteger(name: string, value: number): string {
  if (!Number.isSafeInteger(value))
    throw new SqlParameterError(`:${name}: expected an integer, got ${value}`);
  return String(value);
}

function quote(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * Replaces every `:name` placeholder outside string literals, quoted identifiers and comments with
 * its rendered literal. A placeholder without a parameter is an error (the query and its caller
 * disagree); parameters the query does not use are fine (every query gets the window bounds).
 */
export function bindParameters(sql: string, parameters: SqlParameters): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] as string;
    if (c === "'" || c === '"') {
      const end = closingQuote(sql, i, c);
      out += sql.slice(i, end);
      i = end;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if (
      c === ':' &&
      sql[i + 1] !== ':' &&
      sql[i - 1] !== ':' &&
      /[a-z_]/.test(sql[i + 1] ?? '')
    ) {
      const match = /^[a-z_][a-z0-9_]*/.exec(sql.slice(i + 1)) as RegExpExecArray;
      const name = match[0];
      const p = parameters[name];
      if (p === undefined)
        throw new SqlParameterError(`:${name}: the query uses it but no value was given`);
      out += renderParameter(name, p);
      i += 1 + name.length;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function closingQuote(sql: string, start: number, quoteChar: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quoteChar) {
      if (sql[i + 1] === quoteChar) i += 2;
      else return i + 1;
    } else {
      i++;
    }
  }
  return sql.length;
}
