import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SimulatorError } from './simulator-error.js';

/** The shipped profiles (simulator/profiles/<name>.json). */
export const PROFILE_NAMES = ['clinic', 'hospital', 'large'] as const;
/** A shipped profile name. */
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** One flow collector on premises: a Zeek sensor or a NetFlow exporter rendered by nfdump. */
export interface CollectorSpec {
  readonly id: string;
  readonly source: 'zeek' | 'nfdump';
  /** zeek: `tsv` or `json`; nfdump: `legacy` (48 columns, ≤ 1.7.4) or `default` (1.7.5+). */
  readonly format: 'tsv' | 'json' | 'legacy' | 'default';
  /** The exporter's own address (`ra` in legacy nfdump CSV). */
  readonly address: string;
}

/** A site: a campus or clinic with its collectors. */
export interface SiteSpec {
  readonly name: string;
  readonly collectors: readonly CollectorSpec[];
}

/** A security-group inbound rule of a cloud zone. */
export interface InboundRuleSpec {
  readonly ports: readonly number[];
  readonly from: readonly string[];
}

/** Hosts of one role inside a zone; count = max(min, round(share × hosts)). */
export interface RoleCountSpec {
  readonly role: string;
  readonly share: number;
  readonly min: number;
}

/** A zone of the network: where it is observed and what lives in it. */
export interface ZoneSpec {
  readonly name: string;
  readonly cidr: string;
  readonly tags: readonly string[];
  /** On-prem: `<site>/<collector id>`. */
  readonly collector?: string;
  /** Cloud: the subnet's flow log id, and its security group inbound rules. */
  readonly cloud?: {
    readonly flow_log: string;
    readonly subnet: string;
    readonly inbound: readonly InboundRuleSpec[];
  };
  readonly roles: readonly RoleCountSpec[];
}

/** A VPC flow log as configured in AWS: id and format. */
export interface FlowLogSpec {
  readonly id: string;
  readonly format: 'default' | 'custom-v5';
}

/** The AWS half: account, region, VPC and its flow logs. */
export interface CloudSpec {
  readonly account: string;
  readonly region: string;
  readonly vpc_id: string;
  readonly az_id: string;
  /** VPC aggregation interval: 60 or 600 seconds. */
  readonly aggregation_seconds: 60 | 600;
  readonly flow_logs: readonly FlowLogSpec[];
}

/** A pool of Internet addresses a service uses. */
export interface ExternalPoolSpec {
  readonly cidrs: readonly string[];
  /** How many distinct addresses the pool holds. */
  readonly size: number;
}

/**
 * One kind of benign traffic between roles (or a role and an external pool).
 * - `poisson`: connections at random times, `per_hour` per source host at full activity;
 * - `periodic`: every `period_s` seconds ± `jitter` (fraction), from a per-host phase;
 * - `session`: back-to-back sessions of `session_s` seconds (monitor streams, MLLP links, VPN).
 */
export interface ServiceSpec {
  readonly name: string;
  readonly from: string;
  /** A role, or `ext:<pool>`. */
  readonly to: string;
  readonly proto: 'tcp' | 'udp';
  readonly port: number;
  readonly kind: 'poisson' | 'periodic' | 'session';
  readonly rhythm: RhythmName;
  readonly per_hour?: number;
  readonly period_s?: number;
  readonly jitter?: number;
  readonly session_s?: number;
  /** Median payload bytes each way, and log-normal spread. */
  readonly out_bytes: number;
  readonly in_bytes: number;
  readonly sigma?: number;
  /** Median duration in seconds (transfers take at least bytes / throughput). */
  readonly duration_s: number;
  /** Throughput in MB/s that bounds transfer time. @default 50 */
  readonly mbps?: number;
  /** Share of connections that go to the source's usual peer rather than any peer. @default 0.8 */
  readonly sticky?: number;
  readonly service?: string;
  /** The peer opens the connection to the `from` host (patients to the portal, staff to the VPN). */
  readonly inbound?: boolean;
}

/** Named activity curves (see rhythm.ts). */
export type RhythmName = 'office' | 'clinical' | 'flat' | 'guest';

/** Scheduled benign jobs: backups, scanner runs, deployments, new destinations. */
export interface JobsSpec {
  readonly backup: {
    readonly server_role: string;
    readonly client_roles: readonly string[];
    readonly port: number;
    readonly hour: number;
    readonly hours: number;
    readonly median_gb: number;
  };
  readonly scanner: {
    readonly role: string;
    readonly target_zones: readonly string[];
    readonly ports: readonly number[];
    readonly hour: number;
    readonly minutes: number;
    readonly weekdays: readonly number[];
  };
  readonly deployment: {
    readonly server_role: string;
    readonly target_role: string;
    readonly share: number;
    readonly hour: number;
    readonly minutes: number;
    readonly weekdays: readonly number[];
  };
  readonly new_destinations: {
    readonly roles: readonly string[];
    readonly per_day: number;
    readonly cidr: string;
    readonly port: number;
  };
}

/** Per-role listening ports (what a probe finds open). */
export type RoleSpecs = Readonly<Record<string, { readonly listens: readonly number[] }>>;

/** A network description: the file the generator reads. */
export interface HospitalProfile {
  readonly name: string;
  readonly description: string;
  readonly hosts: number;
  readonly internal: readonly string[];
  readonly cloud: CloudSpec;
  readonly sites: readonly SiteSpec[];
  readonly zones: readonly ZoneSpec[];
  readonly roles: RoleSpecs;
  readonly externals: Readonly<Record<string, ExternalPoolSpec>>;
  readonly services: readonly ServiceSpec[];
  readonly jobs: JobsSpec;
  readonly threat_intel: readonly string[];
}

/** Folder of the shipped profiles. */
export const PROFILES_DIR = join(import.meta.dirname, 'profiles');

/**
 * Reads a shipped profile by name, or a profile file by path.
 *
 * @throws SimulatorError when the name is unknown or the file is not a profile
 */
export function loadProfile(nameOrPath: string): HospitalProfile {
  const path = (PROFILE_NAMES as readonly string[]).includes(nameOrPath)
    ? join(PROFILES_DIR, `${nameOrPath}.json`)
    : nameOrPath;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new SimulatorError(
      `profile ${JSON.stringify(nameOrPath)}: expected one of ${PROFILE_NAMES.join(', ')} or a JSON profile file`,
      { cause: error },
    );
  }
  const profile = raw as HospitalProfile;
  for (const key of [
    'name',
    'hosts',
    'cloud',
    'sites',
    'zones',
    'roles',
    'externals',
    'services',
    'jobs',
  ] as const) {
    if (profile[key] === undefined) throw new SimulatorError(`profile ${path}: missing key ${key}`);
  }
  return profile;
}
