import { toProtocolNumber } from './protocol-number.js';

/**
 * Which IANA protocol a Zeek connection is, from `proto` (an enum: `tcp`, `udp`, `icmp`,
 * `unknown_transport`) and, since Zeek 7.1, `ip_proto` (the IP header's protocol number).
 */

/**
 * Resolves the protocol number of a conn record.
 *
 * `ip_proto` wins when present: it is the number from the IP header. Without it, `icmp` over IPv6
 * is ICMPv6 (58), because Zeek names both ICMP flavours `icmp`.
 *
 * @param proto - the `proto` value, or null when unset.
 * @param ipProto - the `ip_proto` value, or null when the column is absent or unset.
 * @param ipv6 - whether the originator address is IPv6.
 * @returns the IANA number, or null when neither value names a protocol (`unknown_transport`
 * without `ip_proto`).
 */
export function resolveZeekProtocol(
  proto: string | null,
  ipProto: number | null,
  ipv6: boolean,
): number | null {
  if (ipProto !== null) return ipProto;
  switch (proto) {
    case 'tcp':
      return 6;
    case 'udp':
      return 17;
    case 'icmp':
      return ipv6 ? 58 : 1;
    case null:
      return null;
    default:
      return toProtocolNumber(proto);
  }
}

/**
 * Whether Zeek's `id.orig_p`/`id.resp_p` carry meaning for the protocol: ports for TCP, UDP and
 * SCTP; ICMP type (in `orig_p`) and code (in `resp_p`) for ICMP and ICMPv6, kept as Zeek wrote
 * them. For every other protocol the ports are null.
 */
export function zeekProtocolHasPorts(protocol: number): boolean {
  return protocol === 6 || protocol === 17 || protocol === 1 || protocol === 58 || protocol === 132;
}
