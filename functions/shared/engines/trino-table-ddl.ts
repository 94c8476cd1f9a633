import { WardflowError } from '../errors.js';

/** Where and how the tables of `queries/tables/` are created on Trino's Hive connector. */
export interface TrinoTableDdlOptions {
  /** Catalog of the Hive connector, e.g. `hive`. */
  readonly catalog: string;
  /** Schema the tables are created in, e.g. `wardflow`. */
  readonly schema: string;
  /**
   * Replaces `{{lake_location}}`: the lake's root as the catalog's file system names it, with a
   * trailing slash, e.g. `local:///lake/` or `s3://bucket/lake/`.
   */
  readonly lakeLocation: string;
}

/** One Athena `CREATE EXTERNAL TABLE`, as Trino's Hive connector statements. */
export interface TrinoTableDdl {
  /** The table's name, unqualified. */
  readonly table: string;
  /** `CREATE TABLE IF NOT EXISTS catalog.schema.table (…) WITH (…)`. */
  readonly createTable: string;
  /** The table's data location (`external_location`), `{{lake_location}}` substituted. */
  readonly location: string;
  /** Partition columns in order; empty for an unpartitioned table. */
  readonly partitionColumns: readonly string[];
  /**
   * Registers the partitions found under the location in the metastore (Trino has no partition
   * projection): run it after files arrive, and again when partitions come or go. Null for an
   * unpartitioned table.
   */
  readonly syncPartitions: string | null;
  /**
   * Trino session properties that stand for table properties Trino's Hive connector reads only
   * from the session when writing (`parquet.compression` → `<catalog>.compression_codec`).
   */
  readonly sessionProperties: Readonly<Record<string, string>>;
}

/** An Athena DDL statement cannot be translated for Trino; the message names what and why. */
export class TableDdlError extends WardflowError {
  public constructor(message: string) {
    super(message);
    this.name = 'TableDdlError';
  }
}

/** Hive storage formats and SerDe classes as Trino's Hive connector `format` names them. */
const STORED_AS: Readonly<Record<string, string>> = {
  PARQUET: 'PARQUET',
  ORC: 'ORC',
  AVRO: 'AVRO',
  TEXTFILE: 'TEXTFILE',
  SEQUENCEFILE: 'SEQUENCEFILE',
  RCFILE: 'RCBINARY',
};
const SERDES: Readonly<Record<string, string>> = {
  'org.openx.data.jsonserde.JsonSerDe': 'OPENX_JSON',
  'org.apache.hive.hcatalog.data.JsonSerDe': 'JSON',
  'org.apache.hadoop.hive.serde2.JsonSerDe': 'JSON',
  'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe': 'PARQUET',
  'org.apache.hadoop.hive.ql.io.orc.OrcSerde': 'ORC',
  'org.apache.hadoop.hive.serde2.avro.AvroSerDe': 'AVRO',
  'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe': 'TEXTFILE',
};
/** Hive's `parquet.compression` values as Trino's `compression_codec` session property takes them. */
const COMPRESSION: Readonly<Record<string, string>> = {
  SNAPPY: 'SNAPPY',
  GZIP: 'GZIP',
  ZSTD: 'ZSTD',
  LZ4: 'LZ4',
  UNCOMPRESSED: 'NONE',
  NONE: 'NONE',
};

/**
 * Translates the Athena (Hive-style) DDL of a `queries/tables/*.sql` file into statements for
 * Trino's Hive connector. Columns, types, partition keys, location and storage format are taken
 * as written (Hive type spellings become Trino's: `string` → `varchar`, `struct<…>` → `row(…)`,
 * `timestamp` → `timestamp(3)` as Athena's millisecond timestamps); only what is Athena-only is
 * translated: partition projection becomes partitions registered with
 * `system.sync_partition_metadata`, `storage.location.template` is checked to be the Hive layout
 * that registration finds, SerDe class names become Trino formats, and `parquet.compression`
 * becomes a session property. Anything else Trino would not honour is an error, never dropped.
 *
 * @throws TableDdlError naming the statement, the clause or property, and what was expected
 */
export function toTrinoTableDdl(athenaDdl: string, options: TrinoTableDdlOptions): TrinoTableDdl[] {
  if (!options.lakeLocation.endsWith('/')) {
    throw new TableDdlError(
      `lakeLocation must end with "/", got ${JSON.stringify(options.lakeLocation)}`,
    );
  }
  const text = athenaDdl.replaceAll('{{lake_location}}', options.lakeLocation);
  const statements = splitStatements(tokenize(text));
  if (statements.length === 0) throw new TableDdlError('no statement in the DDL');
  return statements.map((tokens) => translateStatement(new TokenStream(tokens), options));
}

type Token =
  | { readonly kind: 'word'; readonly text: string }
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'punct'; readonly text: string };

/** Hive DDL tokens: words (backquoted ones too), 'strings' and punctuation; comments skipped. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (text.startsWith('--', i)) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new TableDdlError('unterminated /* comment');
      i = end + 2;
    } else if (c === "'" || c === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new TableDdlError(`unterminated string at offset ${i}`);
        const d = text[j] as string;
        if (d === '\\' && j + 1 < text.length) {
          value += text[j + 1];
          j += 2;
        } else if (d === c && text[j + 1] === c) {
          value += c;
          j += 2;
        } else if (d === c) {
          break;
        } else {
          value += d;
          j++;
        }
      }
      tokens.push({ kind: 'string', text: value });
      i = j + 1;
    } else if (c === '`') {
      const end = text.indexOf('`', i + 1);
      if (end < 0) throw new TableDdlError(`unterminated backquote at offset ${i}`);
      tokens.push({ kind: 'word', text: text.slice(i + 1, end) });
      i = end + 1;
    } else if (/[A-Za-z0-9_]/.test(c)) {
      const match = /^[A-Za-z0-9_.]+/.exec(text.slice(i)) as RegExpExecArray;
      tokens.push({ kind: 'word', text: match[0] });
      i += match[0].length;
    } else if ('(),<>:;='.includes(c)) {
      tokens.push({ kind: 'punct', text: c });
      i++;
    } else {
      throw new TableDdlError(`unexpected character ${JSON.stringify(c)} at offset ${i}`);
    }
  }
  return tokens;
}

function splitStatements(tokens: readonly Token[]): Token[][] {
  const statements: Token[][] = [[]];
  for (const token of tokens) {
    if (token.kind === 'punct' && token.text === ';') statements.push([]);
    else (statements.at(-1) as Token[]).push(token);
  }
  return statements.filter((s) => s.length > 0);
}

class TokenStream {
  private index = 0;

  public constructor(private readonly tokens: readonly Token[]) {}

  public get done(): boolean {
    return this.index >= this.tokens.length;
  }

  public peekWord(): string | null {
    const token = this.tokens[this.index];
    return token?.kind === 'word' ? token.text.toUpperCase() : null;
  }

  /** True (and consumed) when the next tokens are these keywords, case-insensitive. */
  public acceptWords(...words: string[]): boolean {
    const match = words.every((word, k) => {
      const token = this.tokens[this.index + k];
      return token?.kind === 'word' && token.text.toUpperCase() === word;
    });
    if (match) this.index += words.length;
    return match;
  }

  public expectWords(...words: string[]): void {
    if (!this.acceptWords(...words))
      throw new TableDdlError(`expected ${words.join(' ')}, got ${this.describeNext()}`);
  }

  public acceptPunct(text: string): boolean {
    const token = this.tokens[this.index];
    if (token?.kind === 'punct' && token.text === text) {
      this.index++;
      return true;
    }
    return false;
  }

  public expectPunct(text: string): void {
    if (!this.acceptPunct(text))
      throw new TableDdlError(`expected "${text}", got ${this.describeNext()}`);
  }

  public word(what: string): string {
    const token = this.tokens[this.index];
    if (token?.kind !== 'word')
      throw new TableDdlError(`expected ${what}, got ${this.describeNext()}`);
    this.index++;
    return token.text;
  }

  public string(what: string): string {
    const token = this.tokens[this.index];
    if (token?.kind !== 'string')
      throw new TableDdlError(`expected ${what} as a quoted string, got ${this.describeNext()}`);
    this.index++;
    return token.text;
  }

  public describeNext(): string {
    const token = this.tokens[this.index];
    if (token === undefined) return 'the end of the statement';
    return token.kind === 'string' ? `'${token.text}'` : JSON.stringify(token.text);
  }
}

interface Column {
  readonly name: string;
  readonly type: string;
  readonly comment: string | null;
}

/** What the clauses after the column list say. */
interface Clauses {
  partitions: Column[];
  comment: string | null;
  serde: string | null;
  storedAs: string | null;
  location: string | null;
  properties: Map<string, string>;
}

function translateStatement(s: TokenStream, options: TrinoTableDdlOptions): TrinoTableDdl {
  s.expectWords('CREATE');
  s.expectWords('EXTERNAL', 'TABLE');
  s.acceptWords('IF', 'NOT', 'EXISTS');
  const table = s.word('a table name').toLowerCase();
  const fail = (message: string): never => {
    throw new TableDdlError(`table ${table}: ${message}`);
  };
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) fail('expected an unqualified table name');
  const columns = columnList(s, table);
  const clauses = readClauses(s, table);
  if (clauses.location === null) fail('LOCATION is required for an external table');
  const location = clauses.location as string;
  const format = storageFormat(clauses, fail);
  const partitionColumns = clauses.partitions.map((c) => c.name);
  const sessionProperties = translateProperties(clauses, location, options.catalog, fail);

  const qualified = [options.catalog, options.schema, table].map(quoteIdentifier).join('.');
  const columnLines = [...columns, ...clauses.partitions].map(
    (c) =>
      `  ${quoteIdentifier(c.name)} ${c.type}${c.comment === null ? '' : ` COMMENT ${quoteString(c.comment)}`}`,
  );
  const withLines = [
    `  external_location = ${quoteString(location)}`,
    `  format = ${quoteString(format)}`,
  ];
  if (partitionColumns.length > 0)
    withLines.push(`  partitioned_by = ARRAY[${partitionColumns.map(quoteString).join(', ')}]`);
  const createTable = [
    `CREATE TABLE IF NOT EXISTS ${qualified} (`,
    columnLines.join(',\n'),
    ')',
    ...(clauses.comment === null ? [] : [`COMMENT ${quoteString(clauses.comment)}`]),
    'WITH (',
    withLines.join(',\n'),
    ')',
  ].join('\n');
  const syncPartitions =
    partitionColumns.length === 0
      ? null
      : `CALL ${quoteIdentifier(options.catalog)}.system.sync_partition_metadata(schema_name => ${quoteString(options.schema)}, table_name => ${quoteString(table)}, mode => 'FULL')`;
  return { table, createTable, location, partitionColumns, syncPartitions, sessionProperties };
}

function columnList(s: TokenStream, table: string): Column[] {
  s.expectPunct('(');
  const columns: Column[] = [];
  do {
    const name = s.word(`a column name of ${table}`).toLowerCase();
    const type = hiveType(s, `${table}.${name}`);
    const comment = s.acceptWords('COMMENT') ? s.string('a column comment') : null;
    if (columns.some((c) => c.name === name))
      throw new TableDdlError(`table ${table}: column ${name} appears twice`);
    columns.push({ name, type, comment });
  } while (s.acceptPunct(','));
  s.expectPunct(')');
  return columns;
}

const SCALARS: Readonly<Record<string, string>> = {
  STRING: 'varchar',
  TINYINT: 'tinyint',
  SMALLINT: 'smallint',
  INT: 'integer',
  INTEGER: 'integer',
  BIGINT: 'bigint',
  BOOLEAN: 'boolean',
  FLOAT: 'real',
  DOUBLE: 'double',
  DATE: 'date',
  // Athena's timestamp holds milliseconds; so does the Hive connector's default precision.
  TIMESTAMP: 'timestamp(3)',
  BINARY: 'varbinary',
};

/** Reads one Hive type and returns its Trino spelling. */
function hiveType(s: TokenStream, what: string): string {
  const name = s.word(`a type for ${what}`).toUpperCase();
  if (name === 'ARRAY') {
    s.expectPunct('<');
    const element = hiveType(s, `${what}[]`);
    s.expectPunct('>');
    return `array(${element})`;
  }
  if (name === 'MAP') {
    s.expectPunct('<');
    const key = hiveType(s, `${what} key`);
    s.expectPunct(',');
    const value = hiveType(s, `${what} value`);
    s.expectPunct('>');
    return `map(${key}, ${value})`;
  }
  if (name === 'STRUCT') {
    s.expectPunct('<');
    const fields: string[] = [];
    do {
      const field = s.word(`a field name of ${what}`).toLowerCase();
      s.expectPunct(':');
      fields.push(`${quoteIdentifier(field)} ${hiveType(s, `${what}.${field}`)}`);
    } while (s.acceptPunct(','));
    s.expectPunct('>');
    return `row(${fields.join(', ')})`;
  }
  if (name === 'DECIMAL' || name === 'VARCHAR' || name === 'CHAR') {
    const size: string[] = [];
    if (s.acceptPunct('(')) {
      do size.push(s.word(`a size of ${what}`));
      while (s.acceptPunct(','));
      s.expectPunct(')');
    }
    if (!size.every((n) => /^\d+$/.test(n)))
      throw new TableDdlError(
        `${what}: expected numeric sizes in ${name}(…), got ${size.join(', ')}`,
      );
    if (name === 'DECIMAL') return `decimal(${size.length === 0 ? '10, 0' : size.join(', ')})`;
    return size.length === 0 ? name.toLowerCase() : `${name.toLowerCase()}(${size.join(', ')})`;
  }
  const scalar = SCALARS[name];
  if (scalar === undefined)
    throw new TableDdlError(`${what}: unknown Hive type ${JSON.stringify(name.toLowerCase())}`);
  return scalar;
}

function readClauses(s: TokenStream, table: string): Clauses {
  const clauses: Clauses = {
    partitions: [],
    comment: null,
    serde: null,
    storedAs: null,
    location: null,
    properties: new Map(),
  };
  while (!s.done) {
    if (s.acceptWords('PARTITIONED', 'BY')) {
      clauses.partitions = columnList(s, table);
    } else if (s.acceptWords('COMMENT')) {
      clauses.comment = s.string('a table comment');
    } else if (s.acceptWords('ROW', 'FORMAT', 'SERDE')) {
      clauses.serde = s.string('a SerDe class');
      if (s.acceptWords('WITH', 'SERDEPROPERTIES')) {
        const serdeProperties = propertyList(s);
        if (serdeProperties.size > 0) {
          throw new TableDdlError(
            `table ${table}: SERDEPROPERTIES ${[...serdeProperties.keys()].join(', ')} have no translation for Trino`,
          );
        }
      }
    } else if (s.acceptWords('STORED', 'AS')) {
      if (s.peekWord() === 'INPUTFORMAT') {
        throw new TableDdlError(
          `table ${table}: STORED AS INPUTFORMAT … has no translation; use STORED AS <format> or a SerDe`,
        );
      }
      clauses.storedAs = s.word('a storage format').toUpperCase();
    } else if (s.acceptWords('LOCATION')) {
      clauses.location = s.string('a location');
    } else if (s.acceptWords('TBLPROPERTIES')) {
      clauses.properties = propertyList(s);
    } else {
      throw new TableDdlError(`table ${table}: unexpected ${s.describeNext()} after the columns`);
    }
  }
  for (const column of clauses.partitions) {
    if (column.type !== 'varchar') {
      throw new TableDdlError(
        `table ${table}: partition column ${column.name} is ${column.type}; the lake's partition keys are strings`,
      );
    }
  }
  return clauses;
}

function propertyList(s: TokenStream): Map<string, string> {
  const properties = new Map<string, string>();
  s.expectPunct('(');
  if (s.acceptPunct(')')) return properties;
  do {
    const key = s.string('a property name');
    s.expectPunct('=');
    properties.set(key, s.string(`the value of ${key}`));
  } while (s.acceptPunct(','));
  s.expectPunct(')');
  return properties;
}

function storageFormat(clauses: Clauses, fail: (message: string) => never): string {
  const fromSerde = clauses.serde === null ? null : SERDES[clauses.serde];
  if (fromSerde === undefined) fail(`SerDe ${clauses.serde} has no Trino format`);
  const fromStoredAs = clauses.storedAs === null ? null : STORED_AS[clauses.storedAs];
  if (fromStoredAs === undefined) fail(`STORED AS ${clauses.storedAs} has no Trino format`);
  // A SerDe over the default text input (Athena's JSON tables) decides the format.
  if (fromSerde !== null && fromStoredAs !== null && fromStoredAs !== 'TEXTFILE') {
    if (fromSerde !== fromStoredAs)
      fail(`SerDe ${clauses.serde} contradicts STORED AS ${clauses.storedAs}`);
  }
  const format = fromSerde ?? fromStoredAs;
  if (format === null || format === undefined) fail('neither STORED AS nor ROW FORMAT SERDE given');
  return format as string;
}

/**
 * Checks and translates TBLPROPERTIES. Partition projection is Athena-only: it is dropped, after
 * checking it projects exactly the partition columns, because partitions are registered instead.
 * `storage.location.template` must be the Hive layout under the location, the only one Trino's
 * partition registration finds. Any other property is an error: silently dropping it could change
 * what the table reads.
 */
function translateProperties(
  clauses: Clauses,
  location: string,
  catalog: string,
  fail: (message: string) => never,
): Record<string, string> {
  const partitions = clauses.partitions.map((c) => c.name);
  const session: Record<string, string> = {};
  const projected = new Set<string>();
  for (const [key, value] of clauses.properties) {
    if (key === 'projection.enabled') {
      if (value !== 'true' && value !== 'false')
        fail(`projection.enabled must be "true" or "false", got ${JSON.stringify(value)}`);
    } else if (key.startsWith('projection.')) {
      const column = key.slice('projection.'.length).split('.')[0] as string;
      if (!partitions.includes(column))
        fail(
          `${key} projects ${column}, which is not a partition column (${partitions.join(', ')})`,
        );
      projected.add(column);
    } else if (key === 'storage.location.template') {
      const base = location.endsWith('/') ? location : `${location}/`;
      const hive = `${base}${partitions.map((p) => `${p}=\${${p}}/`).join('')}`;
      if (value.replace(/\/?$/, '/') !== hive) {
        fail(
          `storage.location.template ${JSON.stringify(value)} is not the Hive layout ${JSON.stringify(hive)}; Trino registers partitions only in that layout`,
        );
      }
    } else if (key === 'parquet.compression') {
      const codec = COMPRESSION[value.toUpperCase()];
      if (codec === undefined)
        fail(`parquet.compression ${JSON.stringify(value)} is not a codec Trino writes`);
      session[`${catalog}.compression_codec`] = codec as string;
    } else {
      fail(`table property ${JSON.stringify(key)} has no translation for Trino`);
    }
  }
  if (clauses.properties.get('projection.enabled') === 'true') {
    const missing = partitions.filter((p) => !projected.has(p));
    if (missing.length > 0)
      fail(`partition projection enabled but ${missing.join(', ')} not projected`);
  }
  return session;
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function quoteString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
