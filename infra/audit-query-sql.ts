import type { WardflowConfig } from '../functions/shared/config.js';
import { configParameters } from '../functions/shared/detection/config-parameters.js';
import type { QueryFile } from '../functions/shared/detection/query-file.js';
import {
  bindParameters,
  param,
  type SqlParameter,
  type SqlParameters,
} from '../functions/shared/engines/sql-parameters.js';

/** An audit query as stored in Athena: SQL with `?` for what the auditor supplies. */
export interface NamedQuerySql {
  /** The SQL: configuration parameters bound, the others as `?` in order of appearance. */
  readonly sql: string;
  /** The names of the `?` placeholders, in order (a name repeats where the SQL repeats it). */
  readonly parameters: readonly string[];
}

const MARK = '__wardflow_placeholder__';

/**
 * Renders an audit query for a named query in the audit workgroup. Parameters that come from
 * the configuration (zone tags, segmentation policy, threat intelligence) are bound as literals
 * at synth time with the same binder the engines use; the period bounds and other values an
 * auditor chooses become Athena execution parameters (`?`), which the console prompts for.
 */
export function renderNamedQuerySql(file: QueryFile, config: WardflowConfig): NamedQuerySql {
  const known = configParameters(config);
  const parameters = new Proxy({} as Record<string, SqlParameter>, {
    get: (_target, name: string) => known[name] ?? param.string(`${MARK}${name}`),
  }) as SqlParameters;
  const bound = bindParameters(file.sql, parameters);
  const names: string[] = [];
  const sql = bound.replace(
    new RegExp(`'${MARK}([a-z_][a-z0-9_]*)'`, 'g'),
    (_match, name: string, offset: number) => {
      names.push(name);
      // `x IN :list` needs parentheses around a single execution parameter.
      return /\bIN\s*$/i.test(bound.slice(0, offset)) ? '(?)' : '?';
    },
  );
  return { sql, parameters: names };
}

/**
 * The named query's description: the header's title, then what each `?` stands for (Athena
 * limits descriptions to 1024 characters).
 */
export function namedQueryDescription(file: QueryFile, rendered: NamedQuerySql): string {
  const params =
    rendered.parameters.length === 0
      ? ''
      : ` Parameters in order: ${rendered.parameters.map((p) => `${p} (${parameterHint(p)})`).join(', ')}.`;
  const text = `${file.header.title}.${params}`;
  return text.length <= 1024 ? text : `${text.slice(0, 1023)}…`;
}

function parameterHint(name: string): string {
  if (name.endsWith('_dt_start') || name.endsWith('_dt_end')) return "'YYYY-MM-DD'";
  if (name.endsWith('_start') || name.endsWith('_end')) return "TIMESTAMP 'YYYY-MM-DD HH:MM:SS'";
  return "a quoted value such as '10.20.1.7'";
}
