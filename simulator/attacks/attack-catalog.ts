import type { Connection, ConnState } from '../connection.js';
import type { HospitalNetwork, Host } from '../network.js';
import { type Prng, prngStream } from '../prng.js';
import type { Silence } from '../recorder.js';
import { SimulatorError } from '../simulator-error.js';
import { makeConnection } from '../traffic.js';

/** Parameters of one attack: numbers, or text for names (roles, sources, addresses). */
export type AttackParams = Readonly<Record<string, number | string>>;

/** What building one attack yields: its flows, who is involved, and any silenced source. */
export interface AttackOutcome {
  readonly connections: Connection[];
  readonly entities: {
    readonly src_ip: string | null;
    readonly dst_ip: string | null;
    readonly dst_port: number | null;
    readonly sensor?: string;
    readonly source?: string;
  };
  readonly window: { readonly start: number; readonly end: number };
  readonly silences: readonly Silence[];
}

/** Where and when an attack runs. */
export interface AttackContext {
  readonly network: HospitalNetwork;
  readonly rng: Prng;
  readonly runStart: number;
  readonly runEnd: number;
}

/** One entry of the attack catalogue. */
export interface AttackDefinition {
  readonly id: string;
  readonly description: string;
  /** Detection ids of DESIGN.md's catalogue that should fire on it. */
  readonly detections: readonly string[];
  /** Every parameter with its default; `start_hour` is hours after the run start. */
  readonly defaults: AttackParams;
  build(ctx: AttackContext, p: Readonly<Record<string, number | string>>): AttackOutcome;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;

function num(p: Readonly<Record<string, number | string>>, key: string): number {
  return Number(p[key]);
}

function pickHost(ctx: AttackContext, role: string): Host {
  const hosts = ctx.network.role(role);
  if (hosts.length === 0)
    throw new SimulatorError(
      `attack needs a host of role ${JSON.stringify(role)}, the profile has none`,
    );
  return ctx.rng.pick(hosts);
}

function begin(ctx: AttackContext, p: Readonly<Record<string, number | string>>): number {
  return ctx.runStart + Math.round(num(p, 'start_hour') * HOUR);
}

function windowOf(
  connections: readonly Connection[],
  fallbackStart: number,
): { start: number; end: number } {
  let start = Number.POSITIVE_INFINITY;
  let end = fallbackStart;
  for (const c of connections) {
    start = Math.min(start, c.start);
    end = Math.max(end, c.start + c.duration + 1);
  }
  return { start: Number.isFinite(start) ? start : fallbackStart, end };
}

interface Spray {
  readonly src: Host | string;
  readonly dst: Host | string;
  readonly port: number;
  readonly out: number;
  readonly in: number;
  readonly duration: number;
  readonly state?: ConnState;
}

/** Connections spread evenly over the attack's minutes (with a little jitter). */
function spray(
  ctx: AttackContext,
  p: Readonly<Record<string, number | string>>,
  items: readonly Spray[],
): Connection[] {
  const start = begin(ctx, p);
  const span = num(p, 'minutes') * MINUTE;
  return items.map((it, i) => {
    const at =
      start +
      Math.floor((span * i) / Math.max(1, items.length)) +
      ctx.rng.int(Math.max(1, Math.floor(span / Math.max(1, items.length) / 2)));
    return makeConnection(
      ctx.network,
      ctx.rng,
      {
        start: at,
        duration: it.duration,
        src: it.src,
        dst: it.dst,
        dstPort: it.port,
        proto: 6,
        outBytes: it.out,
        inBytes: it.in,
        state: it.state,
      },
      ctx.runEnd,
    );
  });
}

function outcome(
  connections: Connection[],
  p: Readonly<Record<string, number | string>>,
  ctx: AttackContext,
  entities: AttackOutcome['entities'],
): AttackOutcome {
  return { connections, entities, window: windowOf(connections, begin(ctx, p)), silences: [] };
}

function exfil(id: string, description: string, defaults: AttackParams): AttackDefinition {
  return {
    id,
    description,
    detections: ['egress-volume-anomaly', 'new-external-destination'],
    defaults,
    build(ctx, p) {
      const src = pickHost(ctx, String(p.source_role));
      const total = num(p, 'total_mb') * 1e6;
      const n = Math.max(1, Math.round(num(p, 'connections')));
      const items: Spray[] = [];
      for (let i = 0; i < n; i++) {
        const bytes = (total / n) * (0.8 + 0.4 * ctx.rng.float());
        items.push({
          src,
          dst: String(p.destination),
          port: 443,
          out: bytes,
          in: bytes / 200,
          duration: (bytes / (num(p, 'mbps') * 1e6)) * 1000,
        });
      }
      return outcome(spray(ctx, p, items), p, ctx, {
        src_ip: src.ip,
        dst_ip: String(p.destination),
        dst_port: 443,
      });
    },
  };
}

function lateral(id: string, port: number, start: number): AttackDefinition {
  return {
    id,
    description: `a compromised workstation reaches many internal hosts over ${port === 445 ? 'SMB' : port === 3389 ? 'RDP' : 'WinRM'} (port ${port}) and logs in`,
    detections: ['lateral-movement'],
    defaults: { start_hour: start, minutes: 20, targets: 25, source_role: 'workstation' },
    build(ctx, p) {
      const src = pickHost(ctx, String(p.source_role));
      const candidates = ctx.network.hosts.filter(
        (h) => h !== src && h.eni === null && h.listens.has(port),
      );
      const items: Spray[] = [];
      for (let i = 0; i < Math.min(num(p, 'targets'), candidates.length); i++) {
        items.push({
          src,
          dst: candidates[(i * 7919) % candidates.length] as Host,
          port,
          out: ctx.rng.lognormal(40_000, 1),
          in: ctx.rng.lognormal(60_000, 1),
          duration: 2000 + ctx.rng.int(60_000),
        });
      }
      return outcome(spray(ctx, p, items), p, ctx, {
        src_ip: src.ip,
        dst_ip: null,
        dst_port: port,
      });
    },
  };
}

function bruteForce(id: string, port: number, start: number): AttackDefinition {
  return {
    id,
    description: `an Internet host tries passwords against the VPN gateway over ${port === 22 ? 'SSH' : 'RDP'}: many short connections`,
    detections: ['brute-force'],
    defaults: {
      start_hour: start,
      minutes: 30,
      attempts_per_minute: 20,
      attacker: port === 22 ? '198.51.100.23' : '198.51.100.24',
    },
    build(ctx, p) {
      const dst = pickHost(ctx, 'vpn-gateway');
      const n = Math.round(num(p, 'attempts_per_minute') * num(p, 'minutes'));
      const items: Spray[] = [];
      for (let i = 0; i < n; i++) {
        items.push({
          src: String(p.attacker),
          dst,
          port,
          out: 1500 + ctx.rng.int(800),
          in: 2500 + ctx.rng.int(1000),
          duration: 800 + ctx.rng.int(2500),
          state: ctx.rng.chance(0.2) ? 'RSTO' : 'SF',
        });
      }
      return outcome(spray(ctx, p, items), p, ctx, {
        src_ip: String(p.attacker),
        dst_ip: dst.ip,
        dst_port: port,
      });
    },
  };
}

function contact(
  id: string,
  description: string,
  detections: readonly string[],
  defaults: AttackParams,
): AttackDefinition {
  return {
    id,
    description,
    detections,
    defaults,
    build(ctx, p) {
      const src = pickHost(ctx, String(p.source_role));
      const port = num(p, 'port');
      const items: Spray[] = [];
      for (let i = 0; i < num(p, 'connections'); i++) {
        items.push({
          src,
          dst: String(p.destination),
          port,
          out: ctx.rng.lognormal(num(p, 'bytes_out'), 0.5),
          in: ctx.rng.lognormal(num(p, 'bytes_in'), 0.5),
          duration: 300 + ctx.rng.int(3000),
        });
      }
      return outcome(spray(ctx, p, items), p, ctx, {
        src_ip: src.ip,
        dst_ip: String(p.destination),
        dst_port: port,
      });
    },
  };
}

/** The attack catalogue, in the order `--attacks all` injects them. */
export const ATTACKS: readonly AttackDefinition[] = [
  exfil(
    'exfil-slow',
    'the scheduling system uploads patient data to an Internet host in modest chunks through the night',
    {
      start_hour: 1,
      minutes: 360,
      total_mb: 2400,
      connections: 36,
      mbps: 2,
      source_role: 'scheduling-server',
      destination: '203.0.113.45',
    },
  ),
  exfil(
    'exfil-fast',
    'the scheduling system uploads gigabytes to an Internet host within minutes',
    {
      start_hour: 14.2,
      minutes: 20,
      total_mb: 3000,
      connections: 6,
      mbps: 20,
      source_role: 'scheduling-server',
      destination: '203.0.113.46',
    },
  ),
  {
    id: 'scan-horizontal',
    description:
      'a compromised workstation probes one port on many hosts of the workstation networks (most closed or absent)',
    detections: ['port-scan-horizontal'],
    defaults: {
      start_hour: 10.25,
      minutes: 15,
      targets: 200,
      port: 445,
      source_role: 'workstation',
    },
    build(ctx, p) {
      const src = pickHost(ctx, String(p.source_role));
      const port = num(p, 'port');
      const zone = src.zone.spec.name;
      const peers = ctx.network.hosts.filter((h) => h.zone.spec.name === zone && h !== src);
      const items: Spray[] = [];
      const n = num(p, 'targets');
      for (let i = 0; i < n; i++) {
        // Every third probe hits an address where no host lives: no answer at all.
        const target: Host | string =
          i % 3 === 2 || peers.length === 0
            ? `${src.ip.split('.').slice(0, 2).join('.')}.250.${1 + (i % 250)}`
            : (peers[(i * 31) % peers.length] as Host);
        items.push({
          src,
          dst: target,
          port,
          out: 0,
          in: 0,
          duration: 1,
          state: typeof target === 'string' ? 'S0' : target.listens.has(port) ? 'RSTO' : 'REJ',
        });
      }
      return outcome(spray(ctx, p, items), p, ctx, {
        src_ip: src.ip,
        dst_ip: null,
        dst_port: port,
      });
    },
  },
  {
    id: 'scan-vertical',
    description: 'a compromised workstation probes every port from 1 to N on one server',
    detections: ['port-scan-vertical'],
    defaults: {
      start_hour: 11,
      minutes: 20,
      ports: 1024,
      source_role: 'workstation',
      target_role: 'lab-system',
    },
    build(ctx, p) {
      const src = pickHost(ctx, String(p.source_role));
      const dst = pickHost(ctx, String(p.target_role));
      const items: Spray[] = [];
      for (let port = 1; port <= num(p, 'ports'); port++)
        items.push({
          src,
          dst,
          port,
          out: 0,
          in: 0,
          duration: 1,
          state: dst.listens.has(port) ? 'RSTO' : 'REJ',
        });
      return outcome(spray(ctx, p, items), p, ctx, {
        src_ip: src.ip,
        dst_ip: dst.ip,
        dst_port: null,
      });
    },
  },
  lateral('lateral-smb', 445, 15),
  lateral('lateral-winrm', 5985, 15.66),
  lateral('lateral-rdp', 3389, 16.16),
  {
    id: 'beaconing',
    description:
      'malware on an imaging workstation calls home at a fixed interval with jitter and small, steady sizes',
    detections: ['beaconing', 'new-external-destination'],
    defaults: {
      start_hour: 8,
      minutes: 720,
      interval_s: 60,
      jitter: 0.1,
      source_role: 'imaging-workstation',
      destination: '203.0.113.77',
      port: 443,
    },
    build(ctx, p) {
      const src = pickHost(ctx, String(p.source_role));
      const start = begin(ctx, p);
      const end = start + num(p, 'minutes') * MINUTE;
      const interval = num(p, 'interval_s') * 1000;
      const connections: Connection[] = [];
      for (let t = start; t < end; t += interval) {
        const at = Math.round(t + (ctx.rng.float() * 2 - 1) * num(p, 'jitter') * interval);
        connections.push(
          makeConnection(
            ctx.network,
            ctx.rng,
            {
              start: Math.max(start, at),
              duration: 150 + ctx.rng.int(200),
              src,
              dst: String(p.destination),
              dstPort: num(p, 'port'),
              proto: 6,
              outBytes: 310 + ctx.rng.int(40),
              inBytes: 180 + ctx.rng.int(30),
              service: 'ssl',
            },
            ctx.runEnd,
          ),
        );
      }
      return outcome(connections, p, ctx, {
        src_ip: src.ip,
        dst_ip: String(p.destination),
        dst_port: num(p, 'port'),
      });
    },
  },
  bruteForce('brute-force-ssh', 22, 3),
  bruteForce('brute-force-rdp', 3389, 4),
  {
    id: 'guest-to-ehr',
    description: 'a device on guest Wi-Fi reaches the EHR database (segmentation violation)',
    detections: ['segmentation-violation'],
    defaults: { start_hour: 12.5, minutes: 15, connections: 30, port: 1433 },
    build(ctx, p) {
      const src = pickHost(ctx, 'guest-device');
      const dst = pickHost(ctx, 'ehr-db');
      const items: Spray[] = [];
      for (let i = 0; i < num(p, 'connections'); i++)
        items.push({
          src,
          dst,
          port: num(p, 'port'),
          out: ctx.rng.lognormal(2000, 1),
          in: ctx.rng.lognormal(8000, 1),
          duration: 500 + ctx.rng.int(5000),
        });
      return outcome(spray(ctx, p, items), p, ctx, {
        src_ip: src.ip,
        dst_ip: dst.ip,
        dst_port: num(p, 'port'),
      });
    },
  },
  contact(
    'hl7-egress',
    'the HL7 interface engine sends cleartext MLLP messages to an Internet host',
    ['cleartext-phi-protocol', 'new-external-destination'],
    {
      start_hour: 9.5,
      minutes: 20,
      connections: 200,
      port: 2575,
      bytes_out: 1800,
      bytes_in: 120,
      source_role: 'hl7-engine',
      destination: '203.0.113.90',
    },
  ),
  contact(
    'device-new-external',
    'a bedside monitor contacts an Internet address it never used',
    ['new-external-destination', 'device-behavior-drift'],
    {
      start_hour: 13,
      minutes: 20,
      connections: 10,
      port: 443,
      bytes_out: 5000,
      bytes_in: 20000,
      source_role: 'bedside-monitor',
      destination: '203.0.113.120',
    },
  ),
  {
    id: 'source-silence',
    description: 'a NetFlow exporter stops delivering files (collector down or tampered with)',
    detections: ['source-silence'],
    defaults: { start_hour: 17, minutes: 120, source: '' },
    build(ctx, p) {
      const key =
        String(p.source) ||
        (ctx.network.collectors.filter((c) => c.source === 'nfdump').at(-1)?.key ?? '');
      const collector = ctx.network.collectors.find((c) => c.key === key);
      if (collector === undefined)
        throw new SimulatorError(
          `source-silence: unknown source ${JSON.stringify(key)}; expected <site>/<collector id>`,
        );
      const start = begin(ctx, p);
      const end = Math.min(ctx.runEnd, start + num(p, 'minutes') * MINUTE);
      return {
        connections: [],
        entities: {
          src_ip: null,
          dst_ip: null,
          dst_port: null,
          sensor: collector.site,
          source: `onprem/${collector.site}/${collector.source}/${collector.id}`,
        },
        window: { start, end },
        silences: [{ source: collector.key, start, end }],
      };
    },
  },
  contact(
    'threat-intel-contact',
    'a workstation contacts an address on the threat-intel list',
    ['threat-intel-match'],
    {
      start_hour: 18.5,
      minutes: 5,
      connections: 3,
      port: 443,
      bytes_out: 900,
      bytes_in: 4000,
      source_role: 'workstation',
      destination: '203.0.113.66',
    },
  ),
  {
    id: 'long-session',
    description:
      'a workstation holds one session to an Internet host open for hours (reverse shell or tunnel)',
    detections: ['long-connection'],
    defaults: {
      start_hour: 5,
      minutes: 360,
      port: 443,
      source_role: 'admin-workstation',
      destination: '203.0.113.88',
    },
    build(ctx, p) {
      const src = pickHost(ctx, String(p.source_role));
      const duration = num(p, 'minutes') * MINUTE;
      const c = makeConnection(
        ctx.network,
        ctx.rng,
        {
          start: begin(ctx, p),
          duration,
          src,
          dst: String(p.destination),
          dstPort: num(p, 'port'),
          proto: 6,
          outBytes: (duration / 1000) * 40,
          inBytes: (duration / 1000) * 60,
          service: 'ssl',
        },
        ctx.runEnd,
      );
      return outcome([c], p, ctx, {
        src_ip: src.ip,
        dst_ip: String(p.destination),
        dst_port: num(p, 'port'),
      });
    },
  },
];

/** Attack ids, for `--attacks`. */
export const ATTACK_IDS: readonly string[] = ATTACKS.map((a) => a.id);

/**
 * Builds one attack with its defaults overridden by `overrides`.
 *
 * @throws SimulatorError for an unknown id or parameter, or a window outside the run
 */
export function buildAttack(
  id: string,
  overrides: AttackParams,
  network: HospitalNetwork,
  seed: number,
  runStart: number,
  runEnd: number,
): { definition: AttackDefinition; params: AttackParams; outcome: AttackOutcome } {
  const definition = ATTACKS.find((a) => a.id === id);
  if (definition === undefined)
    throw new SimulatorError(
      `unknown attack ${JSON.stringify(id)}; expected one of ${ATTACK_IDS.join(', ')}`,
    );
  for (const key of Object.keys(overrides)) {
    if (!(key in definition.defaults))
      throw new SimulatorError(
        `attack ${id}: unknown parameter ${JSON.stringify(key)}; expected one of ${Object.keys(definition.defaults).join(', ')}`,
      );
  }
  const params = { ...definition.defaults, ...overrides };
  const start = runStart + Number(params.start_hour) * HOUR;
  if (start < runStart || start + Number(params.minutes) * MINUTE > runEnd) {
    throw new SimulatorError(
      `attack ${id}: window of ${params.minutes} minutes from hour ${params.start_hour} does not fit in the generated ${(runEnd - runStart) / HOUR} hours; set start_hour/minutes or generate more days`,
    );
  }
  const rng = prngStream(seed, `attack:${id}`);
  return {
    definition,
    params,
    outcome: definition.build({ network, rng, runStart, runEnd }, params),
  };
}
