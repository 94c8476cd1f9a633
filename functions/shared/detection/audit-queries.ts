import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WardflowConfig } from '../config.js';
import { param, type SqlParameters } from '../engines/sql-parameters.js';
import { configParameters } from './config-parameters.js';
import { QUERIES_DIR } from './detection-catalog.js';
import { parseQueryFile, type QueryFile, QueryFileError } from './query-file.js';

/** Loads every `queries/audit/<id>.sql`; ids equal file names (they become Athena named queries). */
export function loadAuditQueries(folder = join(QUERIES_DIR, 'audit')): QueryFile[] {
  return readdirSync(folder)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => {
      const path = join(folder, name);
      const file = parseQueryFile(path, readFileSync(path, 'utf8'));
      if (file.header.id !== name.slice(0, -4)) {
        throw new QueryFileError(
          path,
          `id ${JSON.stringify(file.header.id)} does not match the file name`,
        );
      }
      if (!file.header.fields.description)
        throw new QueryFileError(path, 'header lacks "description"');
      return file;
    });
}

/** The parameters of an audit over `[from, to)`: the period bounds and the configuration's. */
export function auditParameters(config: WardflowConfig, from: Date, to: Date): SqlParameters {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return {
    period_start: param.timestamp(from),
    period_end: param.timestamp(to),
    period_dt_start: param.string(day(from)),
    period_dt_end: param.string(day(new Date(to.getTime() - 1))),
    ...configParameters(config),
  };
}
