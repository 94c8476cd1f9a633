/**
 * `npm run bench:detect` — the full detection catalog, baseline refresh included, over one
 * generated day of the hospital profile at two sizes, ~1 million and ~10 million flows, on embedded DuckDB: seconds for each and
 * their ratio, to show the cost grows linearly. Target: 10 million flows in ≤ 60 s on this 2-core
 * machine. Generated data and lakes are cached under `.bench/` (deterministic by seed).
 */
import { existsSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { detectInLake } from '../cli/commands/detect.js';
import { ingestPaths } from '../cli/commands/ingest.js';
import { loadConfigFile } from '../functions/shared/config-file.js';
import { loadDetectionCatalog } from '../functions/shared/detection/detection-catalog.js';
import { generateHospital } from '../simulator/generate-hospital.js';

const WORK = join(import.meta.dirname, '..', '.bench');

interface Size {
  readonly name: string;
  readonly hosts?: number;
}

async function prepare(size: Size): Promise<{ lake: string; config: string; flows: number }> {
  const base = join(WORK, `detect-${size.name}`);
  const exports = join(base, 'exports');
  const lake = join(base, 'lake');
  if (!existsSync(join(exports, 'ground-truth.json'))) {
    process.stderr.write(`generating ${size.name}…\n`);
    await generateHospital({
      out: exports,
      profile: 'hospital',
      hosts: size.hosts,
      days: 1,
      seed: 7,
    });
  }
  const config = join(exports, 'wardflow.yaml');
  let flows = 0;
  if (!existsSync(join(lake, 'flows'))) {
    process.stderr.write(`ingesting ${size.name}…\n`);
    flows = (await ingestPaths([exports], lake, await loadConfigFile(config))).records_written;
  }
  return { lake, config, flows };
}

const detections = loadDetectionCatalog();
const results: {
  name: string;
  flows: number;
  seconds: number;
  findings: number;
  queries: number;
}[] = [];
for (const size of [{ name: 'small', hosts: 200 }, { name: 'full' }] as Size[]) {
  const { lake, config, flows } = await prepare(size);
  // The run materializes the baselines too: "full catalog plus baselines", never a warm rollup.
  rmSync(join(lake, 'baselines'), { recursive: true, force: true });
  const started = process.hrtime.bigint();
  const result = await detectInLake(lake, await loadConfigFile(config), detections);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { DuckDbEngine } = await import('../functions/shared/engines/duckdb-engine.js');
  const { attachLocalFlows } = await import('../functions/shared/engines/local-lake-tables.js');
  const engine = await DuckDbEngine.open();
  await attachLocalFlows(engine, lake);
  const [row] = await engine.query('SELECT count(*) AS n FROM flows');
  await engine.close();
  results.push({
    name: size.name,
    flows: Number(row?.n ?? flows),
    seconds,
    findings: result?.findings.length ?? 0,
    queries: result?.queries ?? 0,
  });
}

console.log(
  `# Detection benchmark (${detections.length} detections, DuckDB, ${cpus().length} cores, load ${loadavg()[0]?.toFixed(1)})\n`,
);
console.log('| lake | flows | seconds | flows/s | queries | findings |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const r of results) {
  console.log(
    `| ${r.name} | ${r.flows.toLocaleString('en-US')} | ${r.seconds.toFixed(1)} | ${Math.round(r.flows / r.seconds).toLocaleString('en-US')} | ${r.queries} | ${r.findings} |`,
  );
}
const [small, full] = results as [(typeof results)[0], (typeof results)[0]];
console.log(
  `\nflows ratio ${(full.flows / small.flows).toFixed(1)}×, time ratio ${(full.seconds / small.seconds).toFixed(1)}×`,
);
console.log(
  `full day: ${full.seconds.toFixed(1)} s for ${full.flows.toLocaleString('en-US')} flows (target ≤ 60 s for ~10 M) ${full.seconds <= 60 ? 'MET' : 'NOT MET'}`,
);
