import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateHospital } from '../simulator/generate-hospital.js';

/**
 * Generates one day of the `hospital` profile (or `BENCH_PROFILE`, `BENCH_HOSTS`, `BENCH_DAYS`,
 * `BENCH_THREADS`) and prints flows/s against the issue's target: a day of a 2,000-host hospital
 * in under 2 minutes. The load average is printed too: on a shared machine it explains spread.
 */
const profile = process.env.BENCH_PROFILE ?? 'hospital';
const days = Number(process.env.BENCH_DAYS ?? 1);
const hosts = process.env.BENCH_HOSTS ? Number(process.env.BENCH_HOSTS) : undefined;
const threads = process.env.BENCH_THREADS ? Number(process.env.BENCH_THREADS) : undefined;
const out = mkdtempSync(join(tmpdir(), 'wardflow-bench-generate-'));
const loadBefore = loadavg()[0] ?? 0;
const began = performance.now();
try {
  const summary = await generateHospital({ out, profile, days, hosts, seed: 1, threads });
  const seconds = (performance.now() - began) / 1000;
  const perDay = seconds / days;
  console.log(
    `profile ${profile}: hosts ${summary.hosts}, days ${days}, threads ${threads ?? `default (${Math.min(4, availableParallelism())})`}`,
  );
  console.log(
    `connections ${summary.connections}, flows ${summary.records}, files ${summary.files}, ${(summary.bytes / 1e6).toFixed(1)} MB written`,
  );
  console.log(`${seconds.toFixed(1)} s, ${Math.round(summary.records / seconds)} flows/s`);
  console.log(
    `load average (1 min) before ${loadBefore.toFixed(2)}, after ${(loadavg()[0] ?? 0).toFixed(2)}, ${availableParallelism()} cores`,
  );
  console.log(
    `target (one hospital day < 120 s): ${perDay < 120 ? 'met' : 'NOT met'} (${perDay.toFixed(1)} s per day)`,
  );
} finally {
  rmSync(out, { recursive: true, force: true });
}
