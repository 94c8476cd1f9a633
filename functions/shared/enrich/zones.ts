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

/** The smallest zone code (`ZoneResolver.codeOf`): code − MIN_ZONE_CODE is a small index. */
export const MIN_ZONE_CODE = EXTERNAL;

/** Slots of the IPv4 code cache (a power of two). */
const CACHE_SLOTS = 4096;

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
 * IPv4 codes are cached in a fixed table of 4,096 entries keyed by an address's leading bits,
 * as many as the longest configured prefix (so the key decides the code): memory stays sized by
 * the config, not by the traffic.
 */
export class ZoneResolver {
  private readonly zoneNames: readonly string[];
  private readonly zones4 = new PrefixTrie<number>(32);
  private readonly zones6 = new PrefixTrie<number>(128);
  private readonly internal4 = new PrefixTrie<true>(32);
  private readonly internal6 = new PrefixTrie<true>(128);
  private readonly scratch = new Uint8Array(16);
  /** The longest IPv4 prefix configured: an address's code depends on these leading bits only. */
  private prefixBits4 = 0;
  // A direct-mapped cache of IPv4 codes by those leading bits (a /24 for typical zones), as
  // addresses of one subnet follow each other: the tag, and the code + 3 (0 = empty slot).
  private readonly cacheTags = new Int32Array(CACHE_SLOTS);
  private readonly cacheCodes = new Int32Array(CACHE_SLOTS);

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
   * and `directionOf`. Codes are only meaningful to this resolver; every code is at least
   * {@link MIN_ZONE_CODE}.
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
    const bits = this.prefixBits4;
    const tag = bits === 0 ? 0 : (address >>> (32 - bits)) | 0;
    const slot = (Math.imul(tag, 0x9e3779b1) >>> 20) & (CACHE_SLOTS - 1);
    const cached = this.cacheCodes[slot] as number;
    if (cached !== 0 && this.cacheTags[slot] === tag) return cached - 3;
    const code = this.lookup4(address);
    this.cacheTags[slot] = tag;
    this.cacheCodes[slot] = code + 3;
    return code;
  }

  private lookup4(address: number): number {
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
      this.prefixBits4 = Math.max(this.prefixBits4, cidr.prefixLength);
    } else if (cidr.prefixLength >= 96 && isIpv4Mapped(cidr.bytes)) {
      trie4.insert(cidr.bytes.slice(12), cidr.prefixLength - 96, value, rank);
      this.prefixBits4 = Math.max(this.prefixBits4, cidr.prefixLength - 96);
    } else {
      trie6.insert(cidr.bytes, cidr.prefixLength, value, rank);
    }
  }
}

/** The directions, indexed by {@link directionIndexOf}. */
export const DIRECTIONS: readonly Direction[] = ['external', 'inbound', 'outbound', 'internal'];

/**
 * The index in {@link DIRECTIONS} of a flow's direction, from the zone codes of its endpoints
 * (see `ZoneResolver.classify`): a small integer for code that keys on it.
 */
export function directionIndexOf(srcCode: number, dstCode: number): number {
  return (srcCode !== EXTERNAL ? 2 : 0) + (dstCode !== EXTERNAL ? 1 : 0);
}

/** The direction of a flow from the zone codes of its endpoints (see `ZoneResolver.classify`). */
export function directionOf(srcCode: number, dstCode: number): Direction {
  return DIRECTIONS[directionIndexOf(srcCode, dstCode)] as Direction;
}
