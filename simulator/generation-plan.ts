import { ATTACK_IDS, type AttackParams, buildAttack } from './attacks/attack-catalog.js';
import { scheduledJobs } from './behaviours/scheduled-jobs.js';
import type { Connection } from './connection.js';
import type { GroundTruth, GroundTruthAttack } from './ground-truth.js';
import { HospitalNetwork } from './network.js';
import { loadProfile } from './profile.js';
import { type Silence, SLOT_MS } from './recorder.js';
import { SimulatorError } from './simulator-error.js';

/** Default start: Monday 2026-11-23 00:00 UTC; output never depends on the clock. */
export const DEFAULT_START = '2026-11-23T00:00:00Z';

/** What to generate: the options of `generateHospital` that decide the bytes. */
export interface PlanOptions {
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
}

/** The validated run: network, time range, the scheduled connections and the ground truth. */
export interface GenerationPlan {
  readonly network: HospitalNetwork;
  readonly seed: number;
  readonly runStart: number;
  readonly runEnd: number;
  /** Job and attack connections, sorted by start (benign services are generated per slot). */
  readonly scheduled: readonly Connection[];
  readonly silences: readonly Silence[];
  readonly groundTruth: GroundTruth;
}

/**
 * Validates the options and builds everything that is not generated slot by slot. Pure and
 * deterministic: every worker builds the same plan from the same options.
 *
 * @throws SimulatorError for an unknown profile or attack, or options out of range
 */
export function planGeneration(options: PlanOptions): GenerationPlan {
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
  return {
    network,
    seed,
    runStart,
    runEnd,
    scheduled,
    silences,
    groundTruth: {
      generator: {
        seed,
        profile: profile.name,
        hosts: network.hosts.length,
        days: hours / 24,
        start: new Date(runStart).toISOString(),
        end: new Date(runEnd).toISOString(),
      },
      attacks: truth,
    },
  };
}
