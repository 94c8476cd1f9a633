import { ATTACK_IDS, type AttackParams, buildAttack } from './attacks/attack-catalog.js';
import { BenignServices } from './behaviours/benign-services.js';
import { scheduledJobs } from './behaviours/scheduled-jobs.js';
import type { Connection } from './connection.js';
import type { GroundTruth, GroundTruthAttack } from './ground-truth.js';
import { HospitalNetwork } from './network.js';
import { OutputWriter } from './output-writer.js';
import { loadProfile } from './profile.js';
import { Recorder, type Silence, SLOT_MS } from './recorder.js';
import { SimulatorError } from './simulator-error.js';
import { wardflowConfigFor } from './wardflow-config.js';

/** Default start: Monday 2026-11-23 00:00 UTC; output never depends on the clock. */
export const DEFAULT_START = '2026-11-23T00:00:00Z';

/** Options of {@link generateHospital}. */
export interface GenerateOptions {
  /** Output folder (created). */
  readonly out: string;
  /** `clinic`, `hospital`, `large` or a profile file path. @default 'clinic' */
  readonly profile?: string;
  /** Total hosts; scales every zone. @default the profile's `hosts` */
  readonly hosts?: number;
  /** Whole days to generate. @default 1 */
  readonly days?: number;
  /** Hours to generate instead of days (tests use a few hours). @default days × 24 */
  readonly hours?: number;
  /** ISO UTC start, on a 5-minute boundary. @default DEFAULT_START */
  readonly start?: string;
  /** 32-bit seed. @default 1 */
  readonly seed?: number;
  /** `'all'`, `'none'`, or attack ids, optionally with parameter overrides. @default 'all' */
  readonly attacks?:
    | 'all'
    | 'none'
    | readonly (string | { readonly id: string; readonly params?: AttackParams })[];
  /** Called about once per generated slot. */
  readonly onProgress?: (done: number, total: number, records: number) => void;
}

/** What {@link generateHospital} wrote. */
export interface GenerateSummary {
  readonly hosts: number;
  readonly connections: number;
  /** Flow records written across all sources (NODATA rows and headers excluded). */
  readonly records: number;
  readonly files: number;
  readonly bytes: number;
  readonly groundTruth: GroundTruth;
}

/**
 * Generates a synthetic hybrid hospital network's flow exports (VPC flow logs, Zeek conn logs,
 * nfdump CSV) with labelled attacks, plus `wardflow.yaml`, `ground-truth.json` and `README.md`
 * at the root of `options.out`. The same options give the same bytes.
 *
 * @throws SimulatorError for an unknown profile or attack, or options out of range
 */
export async function generateHospital(options: GenerateOptions): Promise<GenerateSummary> {
  const profile = loadProfile(options.profile ?? 'clinic');
  const seed = (options.seed ?? 1) >>> 0;
  const hosts = options.hosts ?? profile.hosts;
  if (!Number.isInteger(hosts) || hosts < 20 || hosts > 50_000)
    throw new SimulatorError(`hosts: expected an integer 20–50000, got ${hosts}`);
  const days = options.days ?? 1;
  if (!Number.isInteger(days) || days < 1 || days > 366)
    throw new SimulatorError(`days: expected an integer 1–366, got ${days}`);
  const hours = options.hours ?? days * 24;
  const startText = options.start ?? DEFAULT_START;
  const runStart = Date.parse(startText);
  if (!Number.isFinite(runStart) || runStart % SLOT_MS !== 0)
    throw new SimulatorError(
      `start: expected an ISO UTC time on a 5-minute boundary, got ${JSON.stringify(startText)}`,
    );
  const runEnd = runStart + Math.round(hours * 3_600_000);
  if (runEnd - runStart < SLOT_MS || (runEnd - runStart) % SLOT_MS !== 0)
    throw new SimulatorError(`hours: expected a multiple of 5 minutes, got ${hours}`);

  const network = new HospitalNetwork(profile, hosts);
  const out = new OutputWriter(options.out);

  const requested = options.attacks ?? 'all';
  const selection =
    requested === 'all'
      ? ATTACK_IDS.map((id) => ({ id, params: {} }))
      : requested === 'none'
        ? []
        : requested.map((a) =>
            typeof a === 'string' ? { id: a, params: {} } : { id: a.id, params: a.params ?? {} },
          );
  const attackConnections: Connection[] = [];
  const silences: Silence[] = [];
  const truth: GroundTruthAttack[] = [];
  selection.forEach(({ id, params }, i) => {
    const built = buildAttack(id, params, network, seed, runStart, runEnd);
    attackConnections.push(...built.outcome.connections);
    silences.push(...built.outcome.silences);
    truth.push({
      id: `A${String(i + 1).padStart(2, '0')}-${id}`,
      scenario: id,
      description: built.definition.description,
      detections: [...built.definition.detections],
      entities: built.outcome.entities,
      window: {
        start: new Date(built.outcome.window.start).toISOString(),
        end: new Date(built.outcome.window.end).toISOString(),
      },
      params: built.params,
      connections: built.outcome.connections.length,
    });
  });

  const scheduled = [...scheduledJobs(network, seed, runStart, runEnd), ...attackConnections].sort(
    (a, b) => a.start - b.start,
  );
  const benign = new BenignServices(network, seed, runEnd);
  const recorder = new Recorder(network, out, seed, silences);
  const emit = (c: Connection) => recorder.record(c);
  const firstSlot = runStart / SLOT_MS;
  const lastSlot = runEnd / SLOT_MS;
  let next = 0;
  for (let slot = firstSlot; slot < lastSlot; slot++) {
    const slotEnd = (slot + 1) * SLOT_MS;
    benign.generateSlot(slot * SLOT_MS, emit);
    while (next < scheduled.length && (scheduled[next] as Connection).start < slotEnd)
      recorder.record(scheduled[next++] as Connection);
    await recorder.flushSlot(slot);
    options.onProgress?.(slot - firstSlot + 1, lastSlot - firstSlot, recorder.records);
  }
  await out.drain();

  const groundTruth: GroundTruth = {
    generator: {
      seed,
      profile: profile.name,
      hosts: network.hosts.length,
      days: hours / 24,
      start: new Date(runStart).toISOString(),
      end: new Date(runEnd).toISOString(),
    },
    attacks: truth,
  };
  await out.writePlain('ground-truth.json', `${JSON.stringify(groundTruth, null, 2)}\n`);
  await out.writePlain('wardflow.yaml', wardflowConfigFor(network).yaml);
  await out.writePlain('README.md', readmeText(groundTruth));
  return {
    hosts: network.hosts.length,
    connections: recorder.connections,
    records: recorder.records,
    files: out.files,
    bytes: out.bytes,
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
