import { availableParallelism } from 'node:os';
import { type PlanOptions, planGeneration } from './generation-plan.js';
import type { GroundTruth } from './ground-truth.js';
import { partitionOutputs } from './output-partition.js';
import { runOutputWorkers } from './output-worker-pool.js';
import { OutputWriter } from './output-writer.js';
import { type RenderCounts, renderOutputs } from './render-outputs.js';
import { SimulatorError } from './simulator-error.js';
import { wardflowConfigFor } from './wardflow-config.js';

export { DEFAULT_START } from './generation-plan.js';

/** Options of {@link generateHospital}. */
export interface GenerateOptions extends PlanOptions {
  /** Output folder (created). */
  readonly out: string;
  /**
   * Worker threads that write the outputs (each generates every connection and writes its
   * share of the collectors and flow logs). 1 runs on the calling thread. The bytes do not
   * depend on it.
   * @default - the machine's available parallelism, at most 4
   */
  readonly threads?: number;
  /** Called about once per generated slot. */
  readonly onProgress?: (done: number, total: number, records: number) => void;
}

/** What {@link generateHospital} wrote. */
export interface GenerateSummary {
  readonly hosts: number;
  readonly connections: number;
  /** Flow records written across all sources (NODATA rows, headers, silenced records excluded). */
  readonly records: number;
  readonly files: number;
  readonly bytes: number;
  readonly groundTruth: GroundTruth;
}

/**
 * Generates a synthetic hybrid hospital network's flow exports (VPC flow logs, Zeek conn logs,
 * nfdump CSV) with labelled attacks, plus `wardflow.yaml`, `ground-truth.json` and `README.md`
 * at the root of `options.out`. The same options give the same bytes, whatever `threads`.
 *
 * @throws SimulatorError for an unknown profile or attack, or options out of range
 */
export async function generateHospital(options: GenerateOptions): Promise<GenerateSummary> {
  const plan = planGeneration(options);
  const threads = options.threads ?? Math.min(4, availableParallelism());
  if (!Number.isInteger(threads) || threads < 1 || threads > 64)
    throw new SimulatorError(`threads: expected an integer 1–64, got ${threads}`);
  let counts: RenderCounts[];
  if (threads === 1) {
    counts = [await renderOutputs(plan, options.out, null, options.onProgress)];
  } else {
    const { onProgress, out, threads: _, ...planOptions } = options;
    counts = await runOutputWorkers(
      partitionOutputs(plan.network, threads).map((outputs) => ({
        options: planOptions,
        root: out,
        outputs,
      })),
      onProgress,
    );
  }
  const out = new OutputWriter(options.out);
  const groundTruth = plan.groundTruth;
  await out.writePlain('ground-truth.json', `${JSON.stringify(groundTruth, null, 2)}\n`);
  await out.writePlain('wardflow.yaml', wardflowConfigFor(plan.network).yaml);
  await out.writePlain('README.md', readmeText(groundTruth));
  return {
    hosts: plan.network.hosts.length,
    connections: counts[0]?.connections ?? 0,
    records: counts.reduce((n, c) => n + c.records, 0),
    files: counts.reduce((n, c) => n + c.files, 0) + out.files,
    bytes: counts.reduce((n, c) => n + c.bytes, 0) + out.bytes,
    groundTruth,
  };
}

function readmeText(truth: GroundTruth): string {
  const g = truth.generator;
  return `# Synthetic hospital flows (wardflow generate)

Profile \`${g.profile}\`, ${g.hosts} hosts, ${g.start} – ${g.end}, seed ${g.seed}. Synthetic data: no real addresses.

- \`AWSLogs/…\` — VPC flow logs as AWS delivers them to S3 (5-minute gzip files, header line).
- \`onprem/<site>/zeek/<sensor>/conn.YYYY-MM-DD-HH-MM.log.gz\` — Zeek conn logs (TSV or JSON).
- \`onprem/<site>/nfdump/<exporter>/nfcapd.YYYYMMDDHHmm.csv.gz\` — nfdump CSV (1.7.5+ default or legacy 48 columns).
- \`wardflow.yaml\` — zones, segmentation policy, scanner allowlist, threat intel.
- \`ground-truth.json\` — ${truth.attacks.length} injected attack(s) with the detections that should fire.

\`\`\`sh
wardflow ingest . --config wardflow.yaml --lake lake
\`\`\`
`;
}
