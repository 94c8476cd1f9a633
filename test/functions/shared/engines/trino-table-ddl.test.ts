import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUERIES_DIR } from '../../../../functions/shared/detection/detection-catalog.js';
import {
  TableDdlError,
  toTrinoTableDdl,
} from '../../../../functions/shared/engines/trino-table-ddl.js';

const OPTIONS = { catalog: 'hive', schema: 'wardflow', lakeLocation: 'local:///lake/' } as const;
const TABLES = join(QUERIES_DIR, 'tables');
const files = readdirSync(TABLES)
  .filter((name) => name.endsWith('.sql'))
  .sort();

/** A minimal Athena table around the given clauses, for one property or clause at a time. */
function ddl(clauses: string, columns = 'a string'): string {
  return `CREATE EXTERNAL TABLE IF NOT EXISTS t (${columns})\nPARTITIONED BY (dt string)\n${clauses}`;
}

describe('Trino table DDL: every file of queries/tables/', () => {
  it('finds table files to translate', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  it.each(files.map((name) => [name] as const))('translates %s', (name) => {
    // Prepare
    const text = readFileSync(join(TABLES, name), 'utf8');

    // Act
    const tables = toTrinoTableDdl(text, OPTIONS);

    // Assess: one table per CREATE, named, located under the lake, nothing Athena-only left.
    expect(tables.length).toBe(text.match(/CREATE EXTERNAL TABLE/gi)?.length);
    for (const table of tables) {
      expect(table.createTable).toMatch(
        new RegExp(`^CREATE TABLE IF NOT EXISTS "hive"\\."wardflow"\\."${table.table}" \\(`),
      );
      expect(table.location).toMatch(/^local:\/\/\/lake\/[a-z_]+\/$/);
      expect(table.createTable).toContain(`external_location = '${table.location}'`);
      expect(table.createTable).not.toMatch(
        /projection|storage\.location|\{\{|TBLPROPERTIES|SERDE/i,
      );
      expect(table.createTable).not.toMatch(/\bstring\b|\bstruct\b|</i);
      for (const column of table.partitionColumns)
        expect(table.createTable).toContain(`"${column}" varchar`);
      if (table.partitionColumns.length > 0) {
        expect(table.syncPartitions).toBe(
          `CALL "hive".system.sync_partition_metadata(schema_name => 'wardflow', table_name => '${table.table}', mode => 'FULL')`,
        );
      }
    }
  });

  it('translates the flows table column by column, partition keys last', () => {
    // Act
    const [flows] = toTrinoTableDdl(readFileSync(join(TABLES, 'flows.sql'), 'utf8'), OPTIONS);

    // Assess
    expect(flows?.table).toBe('flows');
    expect(flows?.partitionColumns).toEqual(['source_type', 'dt', 'hr']);
    expect(flows?.createTable).toContain(
      '  "start_time" timestamp(3),\n  "end_time" timestamp(3),',
    );
    expect(flows?.createTable).toContain('  "src_port" integer,');
    expect(flows?.createTable).toContain('  "bytes_out" bigint,');
    expect(flows?.createTable).toContain(
      '  "raw_ref" varchar,\n  "source_type" varchar,\n  "dt" varchar,\n  "hr" varchar\n)',
    );
    expect(flows?.createTable).toContain("format = 'PARQUET'");
    expect(flows?.createTable).toContain("partitioned_by = ARRAY['source_type', 'dt', 'hr']");
  });

  it('translates nested Hive types and the OpenX JSON SerDe of the findings table', () => {
    // Act
    const [findings] = toTrinoTableDdl(readFileSync(join(TABLES, 'findings.sql'), 'utf8'), OPTIONS);

    // Assess
    expect(findings?.createTable).toContain('"metrics" map(varchar, varchar)');
    expect(findings?.createTable).toContain('"mitre" array(varchar)');
    expect(findings?.createTable).toContain(
      '"evidence" row("flow_count" bigint, "raw_refs" array(varchar))',
    );
    expect(findings?.createTable).toContain("format = 'OPENX_JSON'");
  });
});

describe('Trino table DDL: what it translates and what it refuses', () => {
  it('maps Hive scalar and parameterised types to Trino spellings', () => {
    const [table] = toTrinoTableDdl(
      ddl(
        "STORED AS PARQUET LOCATION 's3://b/t/'",
        'a tinyint, b smallint, c int, d float, e double, f boolean, g date, h binary, i decimal(12,3), j decimal, k varchar(20), l char(2), m array<map<string,array<int>>>',
      ),
      OPTIONS,
    );
    expect(table?.createTable).toContain(
      '"a" tinyint,\n  "b" smallint,\n  "c" integer,\n  "d" real,\n  "e" double,\n  "f" boolean,\n  "g" date,\n  "h" varbinary,\n  "i" decimal(12, 3),\n  "j" decimal(10, 0),\n  "k" varchar(20),\n  "l" char(2),\n  "m" array(map(varchar, array(integer)))',
    );
  });

  it('keeps column and table comments and backquoted names', () => {
    const [table] = toTrinoTableDdl(
      "CREATE EXTERNAL TABLE `t` (`a` string COMMENT 'it''s a') COMMENT 'the table' STORED AS ORC LOCATION 's3://b/t/'",
      OPTIONS,
    );
    expect(table?.createTable).toContain(`"a" varchar COMMENT 'it''s a'`);
    expect(table?.createTable).toContain("COMMENT 'the table'");
    expect(table?.createTable).toContain("format = 'ORC'");
    expect(table?.partitionColumns).toEqual([]);
    expect(table?.syncPartitions).toBeNull();
  });

  it('substitutes {{lake_location}} and checks the location template is the Hive layout', () => {
    const [table] = toTrinoTableDdl(
      ddl(
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Athena's location template syntax
        "STORED AS PARQUET LOCATION '{{lake_location}}t/' TBLPROPERTIES ('projection.enabled'='true', 'projection.dt.type'='date', 'storage.location.template'='{{lake_location}}t/dt=${dt}')",
      ),
      OPTIONS,
    );
    expect(table?.location).toBe('local:///lake/t/');
  });

  it('turns parquet.compression into the session property Trino writes with', () => {
    const [table] = toTrinoTableDdl(
      ddl("STORED AS PARQUET LOCATION 's3://b/t/' TBLPROPERTIES ('parquet.compression'='SNAPPY')"),
      OPTIONS,
    );
    expect(table?.sessionProperties).toEqual({ 'hive.compression_codec': 'SNAPPY' });
  });

  it('splits a file holding several statements', () => {
    const text = `${ddl("STORED AS PARQUET LOCATION 's3://b/t/'")};\n${ddl("STORED AS PARQUET LOCATION 's3://b/u/'").replace(' t (', ' u (')};`;
    expect(toTrinoTableDdl(text, OPTIONS).map((t) => t.table)).toEqual(['t', 'u']);
  });

  it.each([
    [
      'a location template Trino cannot find partitions in',
      ddl(
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Athena's location template syntax
        "STORED AS PARQUET LOCATION 's3://b/t/' TBLPROPERTIES ('storage.location.template'='s3://b/t/${dt}/')",
      ),
      /storage\.location\.template "s3:\/\/b\/t\/\$\{dt\}\/" is not the Hive layout "s3:\/\/b\/t\/dt=\$\{dt\}\/"/,
    ],
    [
      'a projection of a column that is not a partition key',
      ddl(
        "STORED AS PARQUET LOCATION 's3://b/t/' TBLPROPERTIES ('projection.enabled'='true', 'projection.a.type'='enum')",
      ),
      /projection\.a\.type projects a, which is not a partition column \(dt\)/,
    ],
    [
      'projection enabled with a partition key left unprojected',
      ddl("STORED AS PARQUET LOCATION 's3://b/t/' TBLPROPERTIES ('projection.enabled'='true')"),
      /partition projection enabled but dt not projected/,
    ],
    [
      'a table property without a translation',
      ddl("STORED AS PARQUET LOCATION 's3://b/t/' TBLPROPERTIES ('classification'='parquet')"),
      /table t: table property "classification" has no translation for Trino/,
    ],
    [
      'an unknown SerDe',
      ddl("ROW FORMAT SERDE 'com.example.Serde' LOCATION 's3://b/t/'"),
      /SerDe com\.example\.Serde has no Trino format/,
    ],
    [
      'SerDe properties',
      ddl(
        "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' WITH SERDEPROPERTIES ('ignore.malformed.json'='true') LOCATION 's3://b/t/'",
      ),
      /SERDEPROPERTIES ignore\.malformed\.json have no translation/,
    ],
    [
      'a SerDe that contradicts the storage format',
      ddl(
        "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' STORED AS PARQUET LOCATION 's3://b/t/'",
      ),
      /contradicts STORED AS PARQUET/,
    ],
    ['a table without a location', ddl('STORED AS PARQUET'), /table t: LOCATION is required/],
    [
      'an unknown Hive type',
      ddl("STORED AS PARQUET LOCATION 's3://b/t/'", 'a uniontype'),
      /t\.a: unknown Hive type "uniontype"/,
    ],
    [
      'a partition key that is not a string',
      "CREATE EXTERNAL TABLE t (a string) PARTITIONED BY (dt int) STORED AS PARQUET LOCATION 's3://b/t/'",
      /partition column dt is integer/,
    ],
    [
      'a managed table',
      "CREATE TABLE t (a string) LOCATION 's3://b/t/'",
      /expected EXTERNAL TABLE, got "TABLE"/,
    ],
    [
      'an unknown clause',
      ddl("STORED AS PARQUET LOCATION 's3://b/t/' CLUSTERED BY (a) INTO 4 BUCKETS"),
      /unexpected "CLUSTERED" after the columns/,
    ],
  ])('refuses %s', (_case, text, message) => {
    expect(() => toTrinoTableDdl(text, OPTIONS)).toThrow(TableDdlError);
    expect(() => toTrinoTableDdl(text, OPTIONS)).toThrow(message);
  });

  it('refuses a lake location without a trailing slash', () => {
    expect(() =>
      toTrinoTableDdl(ddl("STORED AS PARQUET LOCATION '{{lake_location}}t/'"), {
        ...OPTIONS,
        lakeLocation: 'local:///lake',
      }),
    ).toThrow('lakeLocation must end with "/", got "local:///lake"');
  });
});
