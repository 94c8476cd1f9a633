import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUERIES_ROOT } from '../../infra/paths.js';
import { loadTableDdls, parseTableDdl, TableDdlError } from '../../infra/table-ddl.js';

const TABLES = join(QUERIES_ROOT, 'tables');
const HEADER = '-- id: t\n-- title: A test table\n';

describe('Function: parseTableDdl', () => {
  describe.each(readdirSync(TABLES).filter((f) => f.endsWith('.sql')))(
    'queries/tables/%s',
    (file) => {
      it('reads every column, partition key and projection property of the file', () => {
        // Prepare
        const text = readFileSync(join(TABLES, file), 'utf8');
        const create = text.slice(text.indexOf('CREATE EXTERNAL TABLE'));
        const body = create.slice(create.indexOf('(') + 1, create.indexOf('\n)'));
        const columns = body.split('\n').filter((line) => /^\s{2}[a-z_]+ [a-z]/.test(line)).length;
        const partitions = /PARTITIONED BY \(([^)]*)\)/.exec(create)?.[1]?.split(',').length ?? 0;

        // Act
        const ddl = parseTableDdl(file, text);

        // Assess
        expect(ddl.name).toBe(file.replace(/\.sql$/, ''));
        expect(ddl.columns).toHaveLength(columns);
        expect(ddl.partitionKeys).toHaveLength(partitions);
        expect(ddl.location.startsWith('{{lake_location}}')).toBe(true);
        expect(ddl.properties['projection.enabled']).toBe('true');
        for (const key of ddl.partitionKeys) {
          expect(Object.keys(ddl.properties)).toContain(`projection.${key.name}.type`);
        }
      });
    },
  );

  it('reads the flows table as Parquet with its three partition keys', () => {
    // Act
    const flows = loadTableDdls(TABLES).find((t) => t.name === 'flows');

    // Assess
    expect(flows?.storage.classification).toBe('parquet');
    expect(flows?.storage.serde).toBe(
      'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
    );
    expect(flows?.partitionKeys.map((k) => k.name)).toEqual(['source_type', 'dt', 'hr']);
    expect(flows?.columns[0]).toEqual({ name: 'start_time', type: 'timestamp' });
  });

  it('keeps nested types whole, without spaces', () => {
    // Act
    const ddl = parseTableDdl(
      'nested.sql',
      `${HEADER}CREATE EXTERNAL TABLE IF NOT EXISTS t (\n  m map<string, string>,\n  e struct<flow_count: bigint, raw_refs: array<string>>\n)\nROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'\nLOCATION '{{lake_location}}t/'`,
    );

    // Assess
    expect(ddl.columns).toEqual([
      { name: 'm', type: 'map<string,string>' },
      { name: 'e', type: 'struct<flow_count:bigint,raw_refs:array<string>>' },
    ]);
    expect(ddl.storage).toMatchObject({
      classification: 'json',
      inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
    });
    expect(ddl.partitionKeys).toEqual([]);
  });

  it.each([
    ['a view', `${HEADER}CREATE VIEW v AS SELECT 1`, /expected "CREATE EXTERNAL TABLE/],
    [
      'a clause it does not know',
      `${HEADER}CREATE EXTERNAL TABLE t (a int)\nCLUSTERED BY (a) INTO 4 BUCKETS\nLOCATION 'x'`,
      /unexpected clause "CLUSTERED BY/,
    ],
    [
      'no location',
      `${HEADER}CREATE EXTERNAL TABLE t (a int)\nSTORED AS PARQUET`,
      /expected a LOCATION clause/,
    ],
    [
      'an unsupported storage',
      `${HEADER}CREATE EXTERNAL TABLE t (a int)\nSTORED AS ORC\nLOCATION 'x'`,
      /unsupported storage \(STORED AS ORC/,
    ],
    [
      'a malformed property',
      `${HEADER}CREATE EXTERNAL TABLE t (a int)\nSTORED AS PARQUET\nLOCATION 'x'\nTBLPROPERTIES ('a' 'b')`,
      /expected "'key' = 'value'"/,
    ],
  ])('refuses %s instead of dropping it', (_, text, message) => {
    // Act & Assess
    expect(() => parseTableDdl('bad.sql', text)).toThrow(TableDdlError);
    expect(() => parseTableDdl('bad.sql', text)).toThrow(message);
  });
});
