/**
 * `npm run bench:ingest` — ingest throughput and memory, each against a reference measured in the
 * same run (issue: flow lake).
 *
 * 1. Throughput: a 1,000,000-record gzipped VPC v2 log. `wardflow ingest` (the real command, as a
 *    user runs it) against DuckDB's C++ `read_csv` → Parquet on the same file. Target: wardflow
 *    at ≥ 0.5× DuckDB's records/s.
 * 2. Memory: peak RSS of `wardflow ingest` on a ~75 MB gzipped VPC object (the largest object AWS
 *    delivers), next to DuckDB's on the same file. Target: ≤ 512 MB, to fit a 512 MB Lambda.
 *
 * Each process's CPU time (user + system, all threads) is printed beside its wall time: on a
 * shared machine it moves less with the load. Inputs are generated once into `.bench/`
 * (deterministic) and reused.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeVpcBenchLog } from './vpc-log-generator.js';

const ROOT = join(import.meta.dirname, '..');
const WORK = join(ROOT, '.bench');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const RECORDS = 1_000_000;
const LAMBDA_OBJECT_BYTES = 75 * 1024 * 1024;

interface Run {
  readonly seconds: number;
  readonly maxRssMb: number;
  /** User + system CPU of every thread of the process. */
  readonly cpuSeconds: number;
}

function runMeasured(args: readonly string[]): Run {
  const started = process.hrtime.bigint();
  const child = spawnSync(
    process.execPath,
    ['--import', join(ROOT, 'bench/max-rss-reporter.mjs'), ...args],
    {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (child.status !== 0) {
    throw new Error(`${args.join(' ')} exited ${child.status}: ${child.stderr.slice(-2000)}`);
  }
  const rss = /WARDFLOW_BENCH_MAX_RSS_KB=(\d+)/.exec(child.stderr);
  const cpu = /WARDFLOW_BENCH_CPU_US=(\d+)/.exec(child.stderr);
  return {
    seconds,
    maxRssMb: rss ? Number(rss[1]) / 1024 : Number.NaN,
    cpuSeconds: cpu ? Number(cpu[1]) / 1e6 : Number.NaN,
  };
}

function wardflowIngest(input: string): Run {
  const lake = mkdtempSync(join(tmpdir(), 'wardflow-bench-lake-'));
  try {
    return runMeasured([join(ROOT, 'bin/wardflow.js'), 'ingest', input, '--lake', lake, '--json']);
  } finally {
    rmSync(lake, { recursive: true, force: true });
  }
}

function duckdbReference(input: string): Run {
  const out = mkdtempSync(join(tmpdir(), 'wardflow-bench-duckdb-'));
  try {
    return runMeasured([
      '--import',
      'tsx',
      join(ROOT, 'bench/duckdb-csv-to-parquet.ts'),
      input,
      join(out, 'flows.parquet'),
    ]);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The 1/5/15-minute load averages: the machine is shared, so every table says how loaded it was. */
function load(): string {
  return `load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} on ${availableParallelism()} cores`;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function ensureInput(path: string, records: number): Promise<void> {
  if (existsSync(path)) return;
  process.stderr.write(`generating ${path} (${records} records)…\n`);
  await writeVpcBenchLog(path, records);
}

mkdirSync(WORK, { recursive: true });
const oneMillion = join(WORK, 'vpc-v2-1m.log.gz');
await ensureInput(oneMillion, RECORDS);
const bytesPerRecord = statSync(oneMillion).size / RECORDS;
const lambdaRecords = Math.floor(LAMBDA_OBJECT_BYTES / bytesPerRecord);
const lambdaObject = join(WORK, `vpc-v2-${lambdaRecords}.log.gz`);
await ensureInput(lambdaObject, lambdaRecords);

console.log(`# Ingest benchmark (${RUNS} runs each, median; node ${process.version})`);
console.log(
  `input: ${RECORDS} VPC v2 records, ${(statSync(oneMillion).size / 1e6).toFixed(1)} MB gzipped\n`,
);
console.log(`${load()} (before)\n`);
const ours: Run[] = [];
const reference: Run[] = [];
for (let i = 0; i < RUNS; i++) {
  // Interleave so that machine noise hits both alike.
  ours.push(wardflowIngest(oneMillion));
  reference.push(duckdbReference(oneMillion));
}
const oursSeconds = median(ours.map((r) => r.seconds));
const refSeconds = median(reference.map((r) => r.seconds));
const ratio = refSeconds / oursSeconds;
console.log('| contender | median s | records/s | median cpu s |');
console.log('|---|---:|---:|---:|');
console.log(
  `| wardflow ingest | ${oursSeconds.toFixed(2)} | ${Math.round(RECORDS / oursSeconds).toLocaleString('en')} | ${median(ours.map((r) => r.cpuSeconds)).toFixed(2)} |`,
);
console.log(
  `| DuckDB read_csv → Parquet (reference) | ${refSeconds.toFixed(2)} | ${Math.round(RECORDS / refSeconds).toLocaleString('en')} | ${median(reference.map((r) => r.cpuSeconds)).toFixed(2)} |`,
);
console.log(`\n${load()} (after)`);
console.log(
  `\nthroughput ratio wardflow/DuckDB: ${ratio.toFixed(2)}× (target ≥ 0.50×) ${ratio >= 0.5 ? 'MET' : 'NOT MET'}`,
);

const sizeMb = statSync(lambdaObject).size / (1024 * 1024);
const loadBefore = load();
const oursMemory = wardflowIngest(lambdaObject);
const refMemory = duckdbReference(lambdaObject);
console.log(
  `\n# Peak RSS on a ${sizeMb.toFixed(1)} MB gzipped VPC object (${lambdaRecords} records)\n`,
);
console.log('| contender | peak RSS MB | seconds | cpu s |');
console.log('|---|---:|---:|---:|');
console.log(
  `| wardflow ingest | ${oursMemory.maxRssMb.toFixed(0)} | ${oursMemory.seconds.toFixed(1)} | ${oursMemory.cpuSeconds.toFixed(1)} |`,
);
console.log(
  `| DuckDB read_csv → Parquet (reference) | ${refMemory.maxRssMb.toFixed(0)} | ${refMemory.seconds.toFixed(1)} | ${refMemory.cpuSeconds.toFixed(1)} |`,
);
console.log(`\n${loadBefore} (before), ${load()} (after)`);
console.log(
  `\nwardflow peak RSS ${oursMemory.maxRssMb.toFixed(0)} MB (target ≤ 512 MB) ${oursMemory.maxRssMb <= 512 ? 'MET' : 'NOT MET'}`,
);
