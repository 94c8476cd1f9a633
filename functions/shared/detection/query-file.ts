import { WardflowError } from '../errors.js';

/** Finding severities, lowest first (DESIGN.md). */
export const SEVERITIES = ['informational', 'low', 'medium', 'high', 'critical'] as const;

/** A finding's severity. */
export type Severity = (typeof SEVERITIES)[number];

/** A declared parameter's default value; its JavaScript type is the parameter's type. */
export type QueryParamValue = number | boolean | string;

/** The `-- key: value` header of a query file, parsed and validated. */
export interface QueryHeader {
  readonly id: string;
  readonly title: string;
  /** Header keys as written, lower-case, for keys this type does not name. */
  readonly fields: Readonly<Record<string, string>>;
  /** Declared parameters and their defaults, in declaration order. */
  readonly params: Readonly<Record<string, QueryParamValue>>;
}

/** A query file: its header and the SQL after it. */
export interface QueryFile {
  readonly path: string;
  readonly header: QueryHeader;
  /** The statement, without the header comments. */
  readonly sql: string;
}

/** A query file's header is missing a key or holds a bad value. */
export class QueryFileError extends WardflowError {
  public constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'QueryFileError';
  }
}

/**
 * Parses a query file: `-- key: value` lines up to the first line that is not a comment; a line
 * `--   more text` (two or more spaces after `--`) continues the previous key. `id` and `title`
 * are required; `params` is `name=default, …` with integers, decimals, `true`/`false` or bare words.
 */
export function parseQueryFile(path: string, text: string): QueryFile {
  const lines = text.split('\n');
  const fields: Record<string, string> = {};
  let last: string | undefined;
  let i = 0;
  for (; i < lines.length; i++) {
    const line = (lines[i] as string).trimEnd();
    if (!line.startsWith('--')) break;
    const continuation = /^--\s{2,}(\S.*)$/.exec(line);
    const entry = /^--\s?([a-z][a-z0-9-]*):\s*(.*)$/.exec(line);
    if (entry !== null) {
      last = entry[1] as string;
      if (fields[last] !== undefined)
        throw new QueryFileError(path, `header key "${last}" appears twice`);
      fields[last] = (entry[2] as string).trim();
    } else if (continuation !== null && last !== undefined) {
      fields[last] = `${fields[last]} ${continuation[1]}`.trim();
    } else if (line.replace(/^--\s*/, '') !== '') {
      throw new QueryFileError(
        path,
        `line ${i + 1}: expected "-- key: value", got ${JSON.stringify(line)}`,
      );
    }
  }
  const sql = lines.slice(i).join('\n').trim();
  if (sql === '') throw new QueryFileError(path, 'no SQL after the header');
  const id = fields.id;
  if (id === undefined || id === '') throw new QueryFileError(path, 'header lacks "id"');
  const title = fields.title;
  if (title === undefined || title === '') throw new QueryFileError(path, 'header lacks "title"');
  return {
    path,
    header: { id, title, fields, params: parseParams(path, fields.params ?? '') },
    sql,
  };
}

function parseParams(path: string, text: string): Record<string, QueryParamValue> {
  const params: Record<string, QueryParamValue> = {};
  if (text.trim() === '') return params;
  for (const part of text.split(',')) {
    const match = /^\s*([a-z][a-z0-9_]*)\s*=\s*(\S+)\s*$/.exec(part);
    if (match === null) {
      throw new QueryFileError(
        path,
        `params: expected "name=default", got ${JSON.stringify(part.trim())}`,
      );
    }
    const [, name, raw] = match as unknown as [string, string, string];
    params[name] = /^-?\d+(\.\d+)?$/.test(raw)
      ? Number(raw)
      : raw === 'true'
        ? true
        : raw === 'false'
          ? false
          : raw;
  }
  return params;
}
