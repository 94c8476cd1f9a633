import type { WardflowConfig } from '../config.js';
import type { Direction } from '../flow-record.js';
import { isIpv4Mapped, parseCidr, parseIpv4, parseIpv6Into } from './ip-address.js';
import { PrefixTrie } from './prefix-trie.js';

/** Zone of addresses outside the internal networks (and of unparseable addresses). */
export const EXTERNAL_ZONE = 'external';
/** Zone of internal addresses that no configured zone covers. */
export const UNZONED_ZONE = 'unzoned';

const EXTERNAL = -2;
const UNZONED = -1;

/** The zones and direction of one flow. */
export interface FlowClassification {
  readonly direction: Direction;
  readonly src_zone: string;
  readonly dst_zone: string;
}

/**
 * Assigns addresses to the configured zones and flows to a direction.
 *
 * - Zones are first match in config order, not longest match: an address covered by the CIDRs
 *   of several zones belongs to the zone listed first. Each lookup walks one prefix trie per
 *   family (at most 32 or 128 steps), never a scan of the zone list.
 * - An address is internal when it lies in `network.internal` or in any configured zone: a zone
 *   outside `network.internal` (a partner network, a cloud VPC with public addresses) is still
 *   part of the organisation, so its flows are `internal`/`outbound`, never `external`.
 * - Internal addresses in no zone are `unzoned`; everything else is `external`.
 * - IPv4-mapped IPv6 addresses (`::ffff:10.1.2.3`) are looked up as the IPv4 address they carry,
 *   and IPv4-mapped CIDRs (`::ffff:10.0.0.0/104`) as the IPv4 prefix.
 * - An address that does not parse is treated as `external`: the flow parsers have already
 *   validated addresses, so this only guards against a bug upstream and never throws mid-batch.
 *
 * Nothing is cached: the tries are sized by the config, not by the traffic.
 */
export class ZoneResolver {
  private readonly zoneNames: readonly string[];
  private readonly zones4 = new PrefixTrie<number>(32);
  private readonly zones6 = new PrefixTrie<number>(128);
  private readonly internal4 = new PrefixTrie<true>(32);
  private readonly internal6 = new PrefixTrie<true>(128);
  private readonly scratch = new Uint8Array(16);

  /**
   * @param config the `network` and `zones` sections, as returned by `parseConfig`
   * @throws AddressParseError when a CIDR is malformed (`parseConfig` has already rejected those)
   */
  public constructor(config: Pick<WardflowConfig, 'network' | 'zones'>) {
    this.zoneNames = config.zones.map((zone) => zone.name);
    config.zones.forEach((zone, index) => {
      for (const text of zone.cidrs) this.insert(text, index, this.zones4, this.zones6);
    });
    for (const text of config.network.internal) {
      this.insert(text, true, this.internal4, this.internal6);
    }
  }

  /** The zone name of `ip`: a configured zone, `unzoned` or `external`. */
  public zoneOf(ip: string): string {
    return this.nameOf(this.resolve(ip));
  }

  /** True when `ip` lies in `network.internal` or in a configured zone. */
  public isInternal(ip: string): boolean {
    return this.resolve(ip) !== EXTERNAL;
  }

  /**
   * Zones of both endpoints and the flow direction: both internal → `internal`, only the source
   * → `outbound`, only the destination → `inbound`, neither → `external`.
   */
  public classify(srcIp: string, dstIp: string): FlowClassification {
    const src = this.resolve(srcIp);
    const dst = this.resolve(dstIp);
    return {
      direction: directionOf(src, dst),
      src_zone: this.nameOf(src),
      dst_zone: this.nameOf(dst),
    };
  }

  /**
   * The zone code of an address text, for the allocation-free ingest path: pass it to `nameOf`
   * and `directionOf`. Codes are only meaningful to this resolver.
   */
  public codeOf(ip: string): number {
    return this.resolve(ip);
  }

  /** {@link ZoneResolver.codeOf} for an IPv4 address as an unsigned 32-bit number. */
  public codeOfIpv4(address: number): number {
    return this.resolve4(address);
  }

  /** The zone name of a code from `codeOf`/`codeOfIpv4`. */
  public nameOf(code: number): string {
    if (code === EXTERNAL) return EXTERNAL_ZONE;
    if (code === UNZONED) return UNZONED_ZONE;
    return this.zoneNames[code] as string;
  }

  /** Zone index, UNZONED or EXTERNAL. */
  private resolve(ip: string): number {
    const v4 = parseIpv4(ip);
    if (v4 >= 0) return this.resolve4(v4);
    const bytes = this.scratch;
    if (!parseIpv6Into(ip, bytes, 0)) return EXTERNAL;
    if (isIpv4Mapped(bytes)) {
      return this.resolve4(
        (bytes[12] as number) * 0x1000000 +
          (((bytes[13] as number) << 16) | ((bytes[14] as number) << 8) | (bytes[15] as number)),
      );
    }
    const zone = this.zones6.matchFirst(bytes);
    if (zone !== undefined) return zone;
    return this.internal6.matchFirst(bytes) === true ? UNZONED : EXTERNAL;
  }

  private resolve4(address: number): number {
    const zone = this.zones4.matchFirstUint32(address);
    if (zone !== undefined) return zone;
    return this.internal4.matchFirstUint32(address) === true ? UNZONED : EXTERNAL;
  }

  private insert<V>(text: string, value: V, trie4: PrefixTrie<V>, trie6: PrefixTrie<V>): void {
    const cidr = parseCidr(text);
    // The rank is the zone index for zones (first zone wins); internal networks all rank 0.
    const rank = typeof value === 'number' ? value : 0;
    if (cidr.family === 4) {
      trie4.insert(cidr.bytes, cidr.prefixLength, value, rank);
    } else if (cidr.prefixLength >= 96 && isIpv4Mapped(cidr.bytes)) {
      trie4.insert(cidr.bytes.slice(12), cidr.prefixLength - 96, value, rank);
    } else {
      trie6.insert(cidr.bytes, cidr.prefixLength, value, rank);
    }
  }
}

/** The direction of a flow from the zone codes of its endpoints (see `ZoneResolver.classify`). */
export function directionOf(srcCode: number, dstCode: number): Direction {
  if (srcCode !== EXTERNAL) return dstCode !== EXTERNAL ? 'internal' : 'outbound';
  return dstCode !== EXTERNAL ? 'inbound' : 'external';
}
