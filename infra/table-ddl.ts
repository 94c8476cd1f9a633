import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseQueryFile } from '../functions/shared/detection/query-file.js';

/** One column of a table: its name and its Hive/Glue type, spaces removed. */
export interface TableColumn {
  readonly name: string;
  readonly type: string;
}

/** The storage of a table, as Glue records it. */
export interface TableStorage {
  readonly inputFormat: string;
  readonly outputFormat: string;
  readonly serde: string;
  /** Glue's `classification` table parameter (`parquet`, `json`). */
  readonly classification: string;
}

/** A `CREATE EXTERNAL TABLE` statement of `queries/tables/`, parsed. */
export interface TableDdl {
  /** File the statement came from. */
  readonly path: string;
  readonly name: string;
  readonly columns: readonly TableColumn[];
  readonly partitionKeys: readonly TableColumn[];
  readonly storage: TableStorage;
  /** `LOCATION`, with its `{{lake_location}}` placeholder as written. */
  readonly location: string;
  /** `TBLPROPERTIES`, with placeholders as written (partition projection lives here). */
  readonly properties: Readonly<Record<string, string>>;
}

/** A table DDL file holds something this parser does not read. */
export class TableDdlError extends Error {
  public constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'TableDdlError';
  }
}

const PARQUET: TableStorage = {
  inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  serde: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
  classification: 'parquet',
};
const TEXT_INPUT = 'org.apache.hadoop.mapred.TextInputFormat';
const TEXT_OUTPUT = 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat';
const JSON_SERDES = [
  'org.openx.data.jsonserde.JsonSerDe',
  'org.apache.hive.hcatalog.data.JsonSerDe',
];

/**
 * Parses the Athena DDL of one table: `CREATE EXTERNAL TABLE [IF NOT EXISTS] name (columns)
 * [PARTITIONED BY (columns)] [ROW FORMAT SERDE '…'] [STORED AS PARQUET] LOCATION '…'
 * [TBLPROPERTIES (…)]`. Nested types (`map<…>`, `array<…>`, `struct<…>`) are kept whole. Anything
 * else in the statement is an error rather than silently dropped, so the Glue table the CDK app
 * creates always says what the file says.
 *
 * @param path the file, for messages
 * @param text the file's content, header comments included
 */
export function parseTableDdl(path: string, text: string): TableDdl {
  const sql = stripComments(parseQueryFile(path, text).sql);
  const head =
    /^CREATE\s+EXTERNAL\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?`?([a-z_][a-z0-9_]*)`?\s*\(/i.exec(sql);
  if (head === null) {
    throw new TableDdlError(path, 'expected "CREATE EXTERNAL TABLE [IF NOT EXISTS] <name> ("');
  }
  const name = head[1] as string;
  let rest = sql.slice(head[0].length - 1);
  const columnsText = balanced(rest, path);
  rest = rest.slice(columnsText.length + 2).trim();
  const columns = parseColumns(columnsText, path);

  let partitionKeys: TableColumn[] = [];
  let serde: string | undefined;
  let storedAs: string | undefined;
  let location: string | undefined;
  let properties: Record<string, string> = {};
  while (rest !== '') {
    const partitioned = /^PARTITIONED\s+BY\s*(?=\()/i.exec(rest);
    const rowFormat = /^ROW\s+FORMAT\s+SERDE\s+'([^']+)'/i.exec(rest);
    const storedAsClause = /^STORED\s+AS\s+([A-Z]+)/i.exec(rest);
    const locationClause = /^LOCATION\s+'([^']+)'/i.exec(rest);
    const tblProperties = /^TBLPROPERTIES\s*(?=\()/i.exec(rest);
    if (partitioned !== null) {
      const inner = balanced(rest.slice(partitioned[0].length), path);
      partitionKeys = parseColumns(inner, path);
      rest = rest.slice(partitioned[0].length + inner.length + 2).trim();
    } else if (rowFormat !== null) {
      serde = rowFormat[1];
      rest = rest.slice(rowFormat[0].length).trim();
    } else if (storedAsClause !== null) {
      storedAs = (storedAsClause[1] as string).toUpperCase();
      rest = rest.slice(storedAsClause[0].length).trim();
    } else if (locationClause !== null) {
      location = locationClause[1];
      rest = rest.slice(locationClause[0].length).trim();
    } else if (tblProperties !== null) {
      const inner = balanced(rest.slice(tblProperties[0].length), path);
      properties = parseProperties(inner, path);
      rest = rest.slice(tblProperties[0].length + inner.length + 2).trim();
    } else if (rest === ';') {
      rest = '';
    } else {
      throw new TableDdlError(path, `unexpected clause ${JSON.stringify(rest.slice(0, 40))}`);
    }
  }
  if (location === undefined) throw new TableDdlError(path, 'expected a LOCATION clause');
  return {
    path,
    name,
    columns,
    partitionKeys,
    storage: storage(path, storedAs, serde),
    location,
    properties,
  };
}

/** Parses every `*.sql` in a folder, sorted by file name. */
export function loadTableDdls(folder: string): TableDdl[] {
  return readdirSync(folder)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => parseTableDdl(join(folder, file), readFileSync(join(folder, file), 'utf8')));
}

function storage(
  path: string,
  storedAs: string | undefined,
  serde: string | undefined,
): TableStorage {
  if (storedAs === 'PARQUET' && (serde === undefined || serde === PARQUET.serde)) return PARQUET;
  if (storedAs === undefined && serde !== undefined && JSON_SERDES.includes(serde)) {
    return { inputFormat: TEXT_INPUT, outputFormat: TEXT_OUTPUT, serde, classification: 'json' };
  }
  throw new TableDdlError(
    path,
    `unsupported storage (STORED AS ${storedAs ?? '-'}, SERDE ${serde ?? '-'}); expected STORED AS PARQUET or a JSON SerDe`,
  );
}

/** The text between the opening parenthesis at the start of `text` and its match. */
function balanced(text: string, path: string): string {
  if (!text.startsWith('('))
    throw new TableDdlError(path, `expected "(" at ${JSON.stringify(text.slice(0, 20))}`);
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')' && --depth === 0) return text.slice(1, i);
  }
  throw new TableDdlError(path, 'unbalanced parentheses');
}

/** Splits at commas outside `<…>`, `(…)` and quotes. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") quoted = !quoted;
    else if (!quoted && (c === '<' || c === '(')) depth++;
    else if (!quoted && (c === '>' || c === ')')) depth--;
    else if (!quoted && depth === 0 && c === ',') {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

function parseColumns(text: string, path: string): TableColumn[] {
  return splitTopLevel(text).map((part) => {
    const m = /^`?([a-z_][a-z0-9_]*)`?\s+(\S[\s\S]*)$/i.exec(part);
    if (m === null)
      throw new TableDdlError(path, `expected "<column> <type>", got ${JSON.stringify(part)}`);
    const type = (m[2] as string).replace(/\s+/g, '').toLowerCase();
    if (!/^[a-z0-9_<>,:()]+$/.test(type)) {
      throw new TableDdlError(path, `column ${m[1]}: unreadable type ${JSON.stringify(m[2])}`);
    }
    return { name: (m[1] as string).toLowerCase(), type };
  });
}

function parseProperties(text: string, path: string): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const part of splitTopLevel(text)) {
    const m = /^'([^']+)'\s*=\s*'([^']*)'$/.exec(part);
    if (m === null)
      throw new TableDdlError(path, `expected "'key' = 'value'", got ${JSON.stringify(part)}`);
    properties[m[1] as string] = m[2] as string;
  }
  return properties;
}

/** Removes `--` comments outside quotes (the header is already gone). */
function stripComments(sql: string): string {
  return sql
    .split('\n')
    .map((line) => {
      let quoted = false;
      for (let i = 0; i < line.length; i++) {
        if (line[i] === "'") quoted = !quoted;
        else if (!quoted && line[i] === '-' && line[i + 1] === '-') return line.slice(0, i);
      }
      return line;
    })
    .join('\n')
    .trim();
}
