/**
 * `npx tsx bench/parquet-writers.ts` — which Parquet writer the flow lake uses: wardflow's own
 * writer (each codec) against hyparquet-writer and DuckDB's appender + `COPY TO` in the same run,
 * on 1,000,000 synthetic rows shaped like `FLOW_COLUMNS`. Prints ms, rows/s and file size; every
 * output is read back with DuckDB to check its row count. `BENCH_ROWS` changes the row count.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DuckDBInstance } from '@duckdb/node-api';
import { fileWriter, ParquetWriter, schemaFromColumnData } from 'hyparquet-writer';
import { snappyCompress as hyparquetSnappy } from 'hyparquet-writer/src/snappy.js';
import { FLOW_COLUMNS } from '../functions/shared/flow-record.js';
import { openFileSink } from '../functions/shared/lake/byte-sink.js';
import {
  ParquetFileWriter,
  type ParquetWriterOptions,
} from '../functions/shared/lake/parquet-writer.js';
import { snappyCompress } from '../functions/shared/lake/snappy-compress.js';

type Value = number | string | null;

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
/** Same as FlowLakeWriter's default row group. */
const ROW_GROUP_ROWS = 131_072;
const RUNS = 3;
const WORK = mkdtempSync(join(tmpdir(), 'wardflow-bench-parquet-'));

/** mulberry32: a seeded PRNG, so every run writes the same rows. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Builds the column arrays of `rows` realistic flow records (one hour of one VPC). */
function syntheticFlowColumns(rows: number): Value[][] {
  const random = prng(20261129);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  // Addresses are built per row, as a parser makes a fresh string for every field it reads.
  const internalHost = (): string => {
    const i = Math.floor(random() * 3000);
    return `10.${(i >> 12) & 255}.${(i >> 6) & 63}.${i & 63}`;
  };
  const external = Array.from({ length: 2000 }, () =>
    [1, 2, 3, 4].map(() => Math.floor(random() * 223) + 1),
  );
  const externalHost = (): string => {
    const [a, b, c, d] = pick(external);
    return `${a}.${b}.${c}.${d}`;
  };
  const zones = ['ward-a', 'ward-b', 'imaging', 'lab', 'admin', 'guest-wifi', 'dmz', 'internet'];
  const sensors = Array.from(
    { length: 12 },
    (_, i) => `vpc-0a1b2c3d/eni-0${(i * 7919).toString(16).padStart(16, '0')}`,
  );
  const servicePorts = [443, 443, 443, 80, 53, 22, 3389, 445, 8080, 5432, 1433, 123, 2575, 104];
  // Community ids are a base64 SHA-1 of the 5-tuple: 20 bytes -> 28 characters, here random.
  const hashBytes = Buffer.alloc(20 * rows);
  for (let i = 0; i < hashBytes.length; i++) hashBytes[i] = random() * 256;
  const columns: Value[][] = FLOW_COLUMNS.map(() => new Array<Value>(rows));
  const hourStart = Date.UTC(2026, 10, 29, 13);
  for (let r = 0; r < rows; r++) {
    const protocol = random() < 0.8 ? 6 : random() < 0.75 ? 17 : 1;
    const outbound = random() < 0.6;
    const start = hourStart + Math.floor((r / rows) * 3_600_000) - Math.floor(random() * 60_000);
    const object = Math.floor(r / 50_000);
    const row: Value[] = [
      start,
      start + Math.floor(random() * 60_000),
      internalHost(),
      outbound ? externalHost() : internalHost(),
      protocol === 1 ? null : 32768 + Math.floor(random() * 28_000),
      protocol === 1 ? null : pick(servicePorts),
      protocol,
      Math.floor(40 * 2 ** (random() * 20)),
      1 + Math.floor(2 ** (random() * 10)),
      null,
      null,
      random() < 0.97 ? 'accept' : 'reject',
      protocol === 6 ? pick([2, 18, 19, 27, 31, 4, 20]) : null,
      null,
      outbound ? 'outbound' : pick(['inbound', 'internal', 'internal']),
      pick(zones),
      outbound ? 'internet' : pick(zones),
      pick(sensors),
      `1:${hashBytes.toString('base64', r * 20, r * 20 + 20)}`,
      `AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/29/flows-${object}.log.gz:${(r % 50_000) + 2}`,
    ];
    for (let c = 0; c < row.length; c++) (columns[c] as Value[])[r] = row[c] as Value;
  }
  return columns;
}

interface Result {
  readonly name: string;
  /** Wall-clock time of the best run. */
  readonly ms: number;
  /** CPU time (user + system, all threads) of that run: shows when the machine was contended. */
  readonly cpuMs: number;
  readonly bytes: number;
}

/** Collects garbage before each timed run, so one writer's garbage is not billed to the next. */
v8.setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function outputPath(name: string): string {
  return join(WORK, `${name.replaceAll(/[^a-z0-9]+/gi, '-')}.parquet`);
}

async function timeBest(
  name: string,
  runs: number,
  write: (path: string) => void | Promise<void>,
): Promise<Result> {
  const path = outputPath(name);
  let best = Number.POSITIVE_INFINITY;
  let bestCpu = Number.POSITIVE_INFINITY;
  for (let run = 0; run < runs; run++) {
    collectGarbage();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await write(path);
    const ms = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    if (ms < best) {
      best = ms;
      bestCpu = (cpu.user + cpu.system) / 1000;
    }
  }
  return { name, ms: best, cpuMs: bestCpu, bytes: statSync(path).size };
}

/** Row groups as the lake writer hands them over: one array per column, 131,072 rows each. */
function toRowGroups(columns: Value[][]): Value[][][] {
  const groups: Value[][][] = [];
  for (let start = 0; start < ROWS; start += ROW_GROUP_ROWS) {
    groups.push(columns.map((values) => values.slice(start, start + ROW_GROUP_ROWS)));
  }
  return groups;
}

function writeWardflow(groups: Value[][][], options: ParquetWriterOptions) {
  return (path: string): void => {
    const sink = openFileSink(path);
    const writer = new ParquetFileWriter(sink, FLOW_COLUMNS, options);
    for (const group of groups) writer.writeRowGroup(group);
    writer.finish();
    sink.close();
  };
}

/** hyparquet-writer wants bigint for INT64; converted before timing (TIMESTAMP takes numbers). */
function toHyparquetColumns(columns: Value[][]): (Value | bigint)[][] {
  return FLOW_COLUMNS.map((column, i) => {
    const values = columns[i] as Value[];
    return column.type === 'INT64' ? values.map((v) => (v === null ? null : BigInt(v))) : values;
  });
}

async function writeHyparquet(columns: (Value | bigint)[][], path: string): Promise<void> {
  const columnData = FLOW_COLUMNS.map((column, i) => ({
    name: column.name,
    data: columns[i] as (Value | bigint)[],
    type: column.type === 'TIMESTAMP_MILLIS' ? ('TIMESTAMP' as const) : column.type,
    nullable: column.nullable,
  }));
  const writer = new ParquetWriter({
    writer: fileWriter(path),
    schema: schemaFromColumnData({ columnData }),
    statistics: false,
  });
  await writer.write({ columnData, rowGroupSize: ROW_GROUP_ROWS });
  await writer.finish();
}

const DUCKDB_TYPES = {
  TIMESTAMP_MILLIS: 'BIGINT',
  STRING: 'VARCHAR',
  INT32: 'INTEGER',
  INT64: 'BIGINT',
};

/** DuckDB's appender, row by row, into an in-memory table, then `COPY TO` (SNAPPY default). */
async function writeDuckdb(columns: Value[][], path: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const ddl = FLOW_COLUMNS.map((c) => `${c.name} ${DUCKDB_TYPES[c.type]}`).join(', ');
  await connection.run(`CREATE TABLE flows (${ddl})`);
  const appender = await connection.createAppender('flows');
  const types = FLOW_COLUMNS.map((c) => c.type);
  for (let r = 0; r < ROWS; r++) {
    for (let c = 0; c < types.length; c++) {
      const value = (columns[c] as Value[])[r] as Value;
      const type = types[c];
      if (value === null) appender.appendNull();
      else if (type === 'STRING') appender.appendVarchar(value as string);
      else if (type === 'INT32') appender.appendInteger(value as number);
      else appender.appendBigInt(BigInt(value));
    }
    appender.endRow();
  }
  appender.closeSync();
  // Epoch milliseconds are appended as BIGINT (cheaper than timestamp value objects) and become
  // timestamps in the COPY.
  const select = FLOW_COLUMNS.map((c) =>
    c.type === 'TIMESTAMP_MILLIS' ? `epoch_ms(${c.name}) AS ${c.name}` : c.name,
  ).join(', ');
  await connection.run(`COPY (SELECT ${select} FROM flows) TO '${path}' (FORMAT parquet)`);
  connection.closeSync();
}

async function countRows(path: string): Promise<number> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll(
    `SELECT count(*) AS n FROM read_parquet('${path}')`,
  );
  connection.closeSync();
  return Number(reader.getRowObjectsJS()[0]?.n);
}

/** Both Snappy implementations on the same bytes: the UNCOMPRESSED file in 1 MiB pieces. */
function compareSnappy(path: string): Result[] {
  const bytes = readFileSync(path);
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += 1 << 20)
    pieces.push(bytes.subarray(at, at + (1 << 20)));
  const implementations: [string, (input: Uint8Array) => Uint8Array][] = [
    ['snappy-compress.ts (ours)', (input) => snappyCompress(input)],
    ['hyparquet-writer/src/snappy.js', hyparquetSnappy],
  ];
  return implementations.map(([name, compress]) => {
    collectGarbage();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    let size = 0;
    for (const piece of pieces) size += compress(piece).length;
    const ms = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    return { name: `${name}, ${(bytes.length / 1e6).toFixed(0)} MB in`, ms, cpuMs, bytes: size };
  });
}

function print(title: string, results: readonly Result[], perRow: boolean): void {
  console.log(`\n${title}`);
  const rows = results.map((r) => [
    r.name,
    r.ms.toFixed(0),
    r.cpuMs.toFixed(0),
    perRow ? Math.round((ROWS / r.ms) * 1000).toLocaleString('en-US') : '',
    (r.bytes / 1e6).toFixed(1),
  ]);
  const header = ['', 'ms', 'cpu ms', perRow ? 'rows/s' : '', 'MB'];
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => (row[i] as string).length)),
  );
  for (const row of [header, ...rows]) {
    const cells = row.map((cell, i) =>
      i === 0 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number),
    );
    console.log(`  ${cells.join('  ')}`);
  }
}

const WARDFLOW_VARIANTS: [string, ParquetWriterOptions, number][] = [
  ['wardflow UNCOMPRESSED', { compression: 'UNCOMPRESSED' }, RUNS],
  ['wardflow SNAPPY (default)', {}, RUNS],
  ['wardflow SNAPPY, every chunk compressed', { minCompressionSavings: 0 }, RUNS],
  ['wardflow GZIP level 1', { compression: 'GZIP', gzipLevel: 1 }, RUNS],
  ['wardflow GZIP level 6', { compression: 'GZIP', gzipLevel: 6 }, 1],
  ['wardflow SNAPPY, no dictionaries', { maxDictionaryBytes: 0 }, RUNS],
];

try {
  const builtAt = performance.now();
  const columns = syntheticFlowColumns(ROWS);
  const groups = toRowGroups(columns);
  console.log(
    `${ROWS.toLocaleString('en-US')} synthetic flow rows built in ${(performance.now() - builtAt).toFixed(0)} ms`,
  );
  const results: Result[] = [];
  for (const [name, options, runs] of WARDFLOW_VARIANTS) {
    results.push(await timeBest(name, runs, writeWardflow(groups, options)));
  }
  const hyparquetColumns = toHyparquetColumns(columns);
  results.push(
    await timeBest('hyparquet-writer 0.17 SNAPPY, no statistics', 1, (path) =>
      writeHyparquet(hyparquetColumns, path),
    ),
  );
  results.push(
    await timeBest('DuckDB appender + COPY TO (SNAPPY)', 1, (path) => writeDuckdb(columns, path)),
  );
  for (const result of results) {
    const rows = await countRows(outputPath(result.name));
    if (rows !== ROWS)
      throw new Error(`${result.name}: DuckDB read ${rows} rows, expected ${ROWS}`);
  }
  print(
    `Writers, ${ROWS.toLocaleString('en-US')} rows in row groups of ${ROW_GROUP_ROWS} (wardflow: best of ${RUNS}, GZIP 6 and others: one run; every file read back by DuckDB):`,
    results,
    true,
  );
  print(
    'Snappy implementations on the same bytes:',
    compareSnappy(outputPath('wardflow UNCOMPRESSED')),
    false,
  );
} finally {
  rmSync(WORK, { recursive: true, force: true });
}
