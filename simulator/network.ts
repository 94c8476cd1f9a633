import { hostAddress, type Ipv4Block, ipv4Text, parseIpv4Block } from './ipv4.js';
import { hashText, prngStream } from './prng.js';
import type { CollectorSpec, FlowLogSpec, HospitalProfile, ZoneSpec } from './profile.js';
import { SimulatorError } from './simulator-error.js';

/** An on-prem collector, keyed `<site>/<id>`. */
export interface Collector extends CollectorSpec {
  readonly key: string;
  readonly site: string;
}

/** A cloud host's network interface and the flow log that records it. */
export interface Eni {
  readonly id: string;
  readonly subnetId: string;
  readonly instanceId: string;
  readonly flowLog: FlowLogSpec;
}

/** A zone with its parsed security-group rules (cloud zones only). */
export interface Zone {
  readonly spec: ZoneSpec;
  readonly inbound:
    | readonly { readonly ports: ReadonlySet<number>; readonly from: readonly Ipv4Block[] }[]
    | null;
}

/** One simulated host. */
export interface Host {
  /** Position in `HospitalNetwork.hosts`; stable for a profile and host count. */
  readonly index: number;
  readonly ip: string;
  readonly role: string;
  readonly zone: Zone;
  readonly listens: ReadonlySet<number>;
  /** Who records its traffic on premises; null for cloud hosts. */
  readonly collector: Collector | null;
  /** Its ENI; null for on-prem hosts. */
  readonly eni: Eni | null;
}

/** Parses dotted IPv4 text into a 32-bit number. */
export function ipv4Value(text: string): number {
  const p = text.split('.');
  return ((Number(p[0]) << 24) | (Number(p[1]) << 16) | (Number(p[2]) << 8) | Number(p[3])) >>> 0;
}

function inBlock(value: number, block: Ipv4Block): boolean {
  return value >= block.base && value < block.base + block.size;
}

/** A stable AWS-style hex id (`eni-`, `i-`, `subnet-`) derived from a name. */
export function awsId(prefix: string, name: string, digits = 17): string {
  let text = '';
  let i = 0;
  while (text.length < digits) text += hashText(`${name}#${i++}`).toString(16).padStart(8, '0');
  return `${prefix}-${text.slice(0, digits)}`;
}

/**
 * The simulated network: hosts with addresses, roles, zones and observers, built from a profile
 * and a host count. Zone sizes scale with the host count; every role keeps its minimum.
 */
export class HospitalNetwork {
  public readonly hosts: Host[] = [];
  public readonly collectors: Collector[] = [];
  public readonly zones: Zone[] = [];
  private readonly byRole = new Map<string, Host[]>();
  private readonly byIp = new Map<string, Host>();
  private readonly pools = new Map<string, string[]>();
  private readonly enis = new Map<string, Host[]>();
  /** Numeric values of addresses seen by {@link admits}: splitting text per connection is slow. */
  private readonly values = new Map<string, number>();

  /**
   * @param profile the network description
   * @param totalHosts scales every role's `share`
   * @throws SimulatorError when a zone references an unknown collector or has no room
   */
  public constructor(
    public readonly profile: HospitalProfile,
    public readonly totalHosts: number,
  ) {
    const collectorsByKey = new Map<string, Collector>();
    for (const site of profile.sites) {
      for (const spec of site.collectors) {
        const collector = { ...spec, key: `${site.name}/${spec.id}`, site: site.name };
        collectorsByKey.set(collector.key, collector);
        this.collectors.push(collector);
      }
    }
    const flowLogs = new Map(profile.cloud.flow_logs.map((f) => [f.id, f]));
    for (const spec of profile.zones) {
      const block = parseIpv4Block(spec.cidr);
      const inbound = spec.cloud
        ? spec.cloud.inbound.map((r) => ({
            ports: new Set(r.ports),
            from: r.from.map(parseIpv4Block),
          }))
        : null;
      const zone: Zone = { spec, inbound };
      this.zones.push(zone);
      const collector = spec.collector === undefined ? null : collectorsByKey.get(spec.collector);
      if (collector === undefined)
        throw new SimulatorError(
          `zone ${spec.name}: unknown collector ${JSON.stringify(spec.collector)}`,
        );
      const flowLog = spec.cloud ? flowLogs.get(spec.cloud.flow_log) : undefined;
      if (spec.cloud && flowLog === undefined)
        throw new SimulatorError(`zone ${spec.name}: unknown flow log ${spec.cloud.flow_log}`);
      let n = 0;
      for (const role of spec.roles) {
        const count = Math.max(role.min, Math.round(role.share * totalHosts));
        const listens = new Set(profile.roles[role.role]?.listens ?? []);
        for (let i = 0; i < count; i++) {
          const ip = hostAddress(block, n++);
          const eni =
            spec.cloud && flowLog
              ? {
                  id: awsId('eni', ip),
                  subnetId: awsId('subnet', spec.cloud.subnet),
                  instanceId: awsId('i', ip),
                  flowLog,
                }
              : null;
          const host: Host = {
            index: this.hosts.length,
            ip,
            role: role.role,
            zone,
            listens,
            collector,
            eni,
          };
          this.hosts.push(host);
          this.byIp.set(ip, host);
          const list = this.byRole.get(role.role) ?? [];
          list.push(host);
          this.byRole.set(role.role, list);
        }
      }
    }
    for (const [name, pool] of Object.entries(profile.externals))
      this.pools.set(name, expandPool(name, pool.cidrs, pool.size));
  }

  /** Hosts of a role (empty when the profile has none). */
  public role(role: string): readonly Host[] {
    return this.byRole.get(role) ?? [];
  }

  /** The simulated host with this address, if any. */
  public host(ip: string): Host | undefined {
    return this.byIp.get(ip);
  }

  /** Addresses of an external pool. @throws SimulatorError when the profile has no such pool */
  public pool(name: string): readonly string[] {
    const pool = this.pools.get(name);
    if (pool === undefined)
      throw new SimulatorError(`unknown external pool ${JSON.stringify(name)}`);
    return pool;
  }

  /** Whether the destination's security group lets this source in on this port (on-prem: yes). */
  public admits(dst: Host, src: string, port: number): boolean {
    const rules = dst.zone.inbound;
    if (rules === null) return true;
    let value = this.values.get(src);
    if (value === undefined) {
      value = ipv4Value(src);
      this.values.set(src, value);
    }
    return rules.some((r) => r.ports.has(port) && r.from.some((b) => inBlock(value, b)));
  }

  /** All hosts recorded by one flow log, in host order. */
  public enisOf(flowLogId: string): readonly Host[] {
    let list = this.enis.get(flowLogId);
    if (list === undefined) {
      list = this.hosts.filter((h) => h.eni?.flowLog.id === flowLogId);
      this.enis.set(flowLogId, list);
    }
    return list;
  }
}

/** Deterministic, spread-out addresses of a pool (never .0 or .255). */
function expandPool(name: string, cidrs: readonly string[], size: number): string[] {
  const blocks = cidrs.map(parseIpv4Block);
  const rng = prngStream(hashText(name), 'pool');
  const seen = new Set<string>();
  const out: string[] = [];
  const capacity = blocks.reduce((s, b) => s + Math.max(1, b.size - 2), 0);
  const want = Math.min(size, capacity);
  while (out.length < want) {
    const block = blocks[out.length % blocks.length] as Ipv4Block;
    const offset = block.size <= 2 ? 0 : 1 + rng.int(block.size - 2);
    const value = block.base + offset;
    if ((value & 255) === 0 || (value & 255) === 255) continue;
    const ip = ipv4Text(value);
    if (seen.has(ip)) continue;
    seen.add(ip);
    out.push(ip);
  }
  return out;
}
