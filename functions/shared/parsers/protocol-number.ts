/** IANA protocol numbers for the names flow exporters print (Zeek, nfdump, GoFlow2, pmacct). */
const PROTOCOL_NUMBERS: Readonly<Record<string, number>> = {
  icmp: 1,
  igmp: 2,
  ipip: 4,
  ipv4: 4,
  tcp: 6,
  egp: 8,
  udp: 17,
  ipv6: 41,
  rsvp: 46,
  gre: 47,
  esp: 50,
  ah: 51,
  icmp6: 58,
  icmpv6: 58,
  'ipv6-icmp': 58,
  eigrp: 88,
  ospf: 89,
  ospfigp: 89,
  pim: 103,
  vrrp: 112,
  l2tp: 115,
  sctp: 132,
};

/**
 * Reads a protocol given as an IANA number (`6`) or a name (`TCP`, `tcp`, `ICMP6`).
 *
 * @returns the protocol number, or null when the text is neither a number in 0–255 nor a known name.
 */
export function toProtocolNumber(text: string): number | null {
  const trimmed = text.trim();
  if (/^\d{1,3}$/.test(trimmed)) {
    const n = Number(trimmed);
    return n <= 255 ? n : null;
  }
  return PROTOCOL_NUMBERS[trimmed.toLowerCase()] ?? null;
}
