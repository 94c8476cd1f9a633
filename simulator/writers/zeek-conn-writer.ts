import { type Connection, headerBytes, zeekHistory } from '../connection.js';
import { mix32 } from '../prng.js';
import { utcDashed, zeekInterval, zeekSeconds } from '../utc-text.js';

/** The conn.log columns of Zeek 7.1+ (with `ip_proto`). */
export const ZEEK_CONN_FIELDS =
  'ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents\tip_proto';
const ZEEK_CONN_TYPES =
  'time\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]\tcount';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A Zeek-looking connection uid (`C` + 17 base62 characters), derived from a sequence number. */
export function zeekUid(sequence: number): string {
  let out = 'C';
  let word = mix32(sequence);
  for (let i = 0; i < 17; i++) {
    if (i % 5 === 0) word = mix32(word ^ (sequence + i));
    out += BASE62[word % 62];
    word = Math.floor(word / 62);
  }
  return out;
}

/** True for the addresses Zeek's `Site::local_nets` would hold (RFC 1918 10/8 here). */
function isLocal(ip: string): boolean {
  return ip.startsWith('10.');
}

/** The TSV header block of a rotated conn.log opened at `open` (epoch ms). */
export function zeekTsvHeader(open: number): string {
  return `#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n#open\t${utcDashed(open)}\n#fields\t${ZEEK_CONN_FIELDS}\n#types\t${ZEEK_CONN_TYPES}`;
}

/** The `#close` line of a rotated conn.log. */
export function zeekTsvClose(close: number): string {
  return `#close\t${utcDashed(close)}`;
}

/** One conn.log TSV record. */
export function zeekTsvLine(c: Connection, uid: string): string {
  const h = headerBytes(c.proto);
  const duration = c.duration > 0 ? zeekInterval(c.duration) : '-';
  return `${zeekSeconds(c.start)}\t${uid}\t${c.src}\t${c.srcPort}\t${c.dst}\t${c.dstPort}\t${c.proto === 6 ? 'tcp' : 'udp'}\t${c.service ?? '-'}\t${duration}\t${c.origBytes}\t${c.respBytes}\t${c.state}\t${isLocal(c.src) ? 'T' : 'F'}\t${isLocal(c.dst) ? 'T' : 'F'}\t0\t${zeekHistory(c)}\t${c.origPkts}\t${c.origBytes + c.origPkts * h}\t${c.respPkts}\t${c.respBytes + c.respPkts * h}\t-\t${c.proto}`;
}

/** One conn.log JSON record (`LogAscii::use_json = T`: dotted keys, epoch `ts`, unset omitted). */
export function zeekJsonLine(c: Connection, uid: string): string {
  const h = headerBytes(c.proto);
  const service = c.service === null ? '' : `"service":"${c.service}",`;
  const duration = c.duration > 0 ? `"duration":${zeekInterval(c.duration)},` : '';
  return `{"ts":${zeekSeconds(c.start)},"uid":"${uid}","id.orig_h":"${c.src}","id.orig_p":${c.srcPort},"id.resp_h":"${c.dst}","id.resp_p":${c.dstPort},"proto":"${c.proto === 6 ? 'tcp' : 'udp'}",${service}${duration}"orig_bytes":${c.origBytes},"resp_bytes":${c.respBytes},"conn_state":"${c.state}","local_orig":${isLocal(c.src)},"local_resp":${isLocal(c.dst)},"missed_bytes":0,"history":"${zeekHistory(c)}","orig_pkts":${c.origPkts},"orig_ip_bytes":${c.origBytes + c.origPkts * h},"resp_pkts":${c.respPkts},"resp_ip_bytes":${c.respBytes + c.respPkts * h},"ip_proto":${c.proto}}`;
}
