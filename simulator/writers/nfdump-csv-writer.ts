import { nfdumpDuration, utcMillis, utcSeconds } from '../utc-text.js';

/** The legacy 48-column header (nfdump 1.6.13 – 1.7.4 `-o csv`). */
export const NFDUMP_LEGACY_HEADER =
  'ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out,sas,das,smk,dmk,dtos,dir,nh,' +
  'nhb,svln,dvln,ismc,odmc,idmc,osmc,mpls1,mpls2,mpls3,mpls4,mpls5,mpls6,mpls7,mpls8,mpls9,mpls10,' +
  'cl,sl,al,ra,eng,exid,tr';

/** The default header of nfdump ≥ 1.7.5 `-o csv`. */
export const NFDUMP_DEFAULT_HEADER =
  'firstSeen,duration,proto,srcAddr,srcPort,dstAddr,dstPort,packets,bytes,flows';

const ZERO_MACS = '00:00:00:00:00:00,00:00:00:00:00:00,00:00:00:00:00:00,00:00:00:00:00:00';
const ZERO_MPLS = '0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0';
const LATENCIES = '    0.000,    0.000,    0.000';

/** One unidirectional NetFlow record as nfdump prints it. */
export interface NfdumpRecordFields {
  /** Epoch ms of the first and last packet. */
  readonly start: number;
  readonly end: number;
  readonly src: string;
  readonly srcPort: number;
  readonly dst: string;
  readonly dstPort: number;
  readonly proto: number;
  readonly packets: number;
  readonly bytes: number;
  /** TCP flags as nfdump prints them, `CEUAPRSF` with `.` for unset. */
  readonly flags: string;
}

/** A 1.7.5+ default CSV line (times local, here UTC; duration in seconds.mmm; protocol number). */
export function nfdumpDefaultLine(r: NfdumpRecordFields): string {
  return `${utcMillis(r.start)},${nfdumpDuration(r.end - r.start)},${r.proto},${r.src},${r.srcPort},${r.dst},${r.dstPort},${r.packets},${r.bytes},1`;
}

/**
 * A legacy 48-column line, as `TZ=UTC nfdump -o csv` prints it: whole-second local times,
 * protocol names, 8-character flags, zero MACs and MPLS labels, padded latencies.
 *
 * @param exporter the exporter address (`ra`)
 * @param received when the collector received the record (`tr`), epoch ms
 */
export function nfdumpLegacyLine(
  r: NfdumpRecordFields,
  exporter: string,
  received: number,
): string {
  const ts = Math.floor(r.start / 1000) * 1000;
  const te = Math.floor(r.end / 1000) * 1000;
  const pr = r.proto === 6 ? 'TCP' : r.proto === 17 ? 'UDP' : 'ICMP';
  return `${utcSeconds(ts)},${utcSeconds(te)},${nfdumpDuration(te - ts)},${r.src},${r.dst},${r.srcPort},${r.dstPort},${pr},${r.flags},0,0,${r.packets},${r.bytes},0,0,1,2,0,0,0,0,0,0,0.0.0.0,0.0.0.0,0,0,${ZERO_MACS},${ZERO_MPLS},${LATENCIES},${exporter},1/0,1,${utcMillis(received)}`;
}

/** The legacy `Summary` trailer nfdump prints after the records (without `-q`). */
export function nfdumpSummary(
  flows: number,
  bytes: number,
  packets: number,
  seconds: number,
): string {
  const bps = seconds > 0 ? Math.floor((bytes * 8) / seconds) : 0;
  const pps = seconds > 0 ? Math.floor(packets / seconds) : 0;
  const bpp = packets > 0 ? Math.floor(bytes / packets) : 0;
  return `Summary\nflows,bytes,packets,avg_bps,avg_pps,avg_bpp\n${flows},${bytes},${packets},${bps},${pps},${bpp}`;
}
