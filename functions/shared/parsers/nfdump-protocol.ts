import { toProtocolNumber } from './protocol-number.js';

/**
 * The protocol names nfdump prints (its `protoList`, index = IANA number 0–137; numbers where
 * it has no name). Legacy CSV writes these names in `pr`; from 1.7.5 `proto` is a number.
 * Names are nfdump's own abbreviations (`Trnk1`, `UDP-L`), not IANA keywords, hence this table.
 */
const NFDUMP_PROTOCOL_NAMES = (
  '0 ICMP IGMP GGP IPIP ST TCP CBT EGP IGP BBN NVPII PUP ARGUS ENCOM XNET CHAOS UDP MUX DCN HMP ' +
  'PRM XNS Trnk1 Trnk2 Leaf1 Leaf2 RDP IRTP ISO-4 NETBK MFESP MEINP DCCP 3PC IDPR XTP DDP IDPR ' +
  'TP++ IL IPv6 SDRP Rte6 Frag6 IDRP RSVP GRE MHRP BNA ESP AH INLSP SWIPE NARP MOBIL TLSP SKIP ' +
  'ICMP6 NOHE6 OPTS6 HOST CFTP NET SATNT KLAN RVD IPPC FS SATM VISA IPCV CPNX CPHB WSN PVP ' +
  'BSATM SUNND WBMON WBEXP ISOIP VMTP SVMTP VINES TTP NSIGP DGP TCF EIGRP OSPF S-RPC LARP MTP ' +
  'AX.25 OS MICP SCCSP ETHIP ENCAP 99 GMTP IFMP PNNI PIM ARIS SCPS QNX A/N IPcmp SNP CpqPP ' +
  'IPXIP VRRP PGM 0hop L2TP DDX IATP STP SRP UTI SMP SM PTP ISIS4 FIRE CRTP CRUDP 128 IPLT SPS ' +
  'PIPE SCTP FC 134 MHEAD UDP-L MPLS'
).split(' ');

/** Lower-cased names; 35 and 38 are both "IDPR" in nfdump, and the first (IDPR proper) wins. */
const BY_NAME = new Map<string, number>();
/** The exact texts nfdump prints (names and `0`–`255`): one lookup for almost every record. */
const BY_TEXT = new Map<string, number>();
NFDUMP_PROTOCOL_NAMES.forEach((name, number) => {
  if (!BY_NAME.has(name.toLowerCase())) BY_NAME.set(name.toLowerCase(), number);
  if (!BY_TEXT.has(name)) BY_TEXT.set(name, number);
});
for (let number = 0; number <= 255; number++) BY_TEXT.set(String(number), number);

/**
 * Reads an nfdump protocol: a number (`6`, or legacy `%-5i` padding such as `200  `) or one of
 * nfdump's names (`TCP`, `ICMP6`, `GRE`), case-insensitively.
 *
 * @returns the IANA protocol number, or null when the text is neither.
 */
export function readNfdumpProtocol(text: string): number | null {
  const exact = BY_TEXT.get(text);
  if (exact !== undefined) return exact;
  const common = toProtocolNumber(text);
  if (common !== null) return common;
  return BY_NAME.get(text.trim().toLowerCase()) ?? null;
}
