import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateHospital } from '../simulator/generate-hospital.js';

/**
 * Generates one day of the `hospital` profile (or `BENCH_PROFILE`, `BENCH_HOSTS`, `BENCH_DAYS`)
 * and prints flows/s against the target: a day of a 2,000-host hospital in under 2 minutes.
 */
const profile = process.env.BENCH_PROFILE ?? 'hospital';
const days = Number(process.env.BENCH_DAYS ?? 1);
const hosts = process.env.BENCH_HOSTS ? Number(process.env.BENCH_HOSTS) : undefined;
const out = mkdtempSync(join(tmpdir(), 'wardflow-bench-generate-'));
const began = performance.now();
try {
  const summary = await generateHospital({ out, profile, days, hosts, seed: 1 });
  const seconds = (performance.now() - began) / 1000;
  const perDay = seconds / days;
  console.log(`profile ${profile}: hosts ${summary.hosts}, days ${days}`);
  console.log(
    `connections ${summary.connections}, flow records ${summary.records}, files ${summary.files}, ${(summary.bytes / 1e6).toFixed(1)} MB written`,
  );
  console.log(`${seconds.toFixed(1)} s, ${Math.round(summary.records / seconds)} flows/s`);
  console.log(
    `target (one hospital day < 120 s): ${perDay < 120 ? 'met' : 'NOT met'} (${perDay.toFixed(1)} s per day)`,
  );
} finally {
  rmSync(out, { recursive: true, force: true });
}
