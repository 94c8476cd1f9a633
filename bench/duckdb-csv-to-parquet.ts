import { DuckDBInstance } from '@duckdb/node-api';

/**
 * The in-run reference for the ingest benchmark: DuckDB's own C++ CSV reader and Parquet writer
 * converting the same gzipped VPC log (header line, space separated) to one Parquet file.
 * Usage: tsx bench/duckdb-csv-to-parquet.ts <input.log.gz> <output.parquet>
 */
const [input, output] = process.argv.slice(2);
if (input === undefined || output === undefined)
  throw new Error('usage: <input.log.gz> <output.parquet>');
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
await connection.run(
  `COPY (SELECT * FROM read_csv(${quote(input)}, delim = ' ', header = true)) TO ${quote(output)} (FORMAT parquet)`,
);
connection.closeSync();
