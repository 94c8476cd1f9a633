import type { FlowAction, ParsedFlow } from '../flow-record.js';
import { viewOf } from '../lake/byte-words.js';
import { badField, readCount, readPort } from './field-values.js';
import type { FormatProbe } from './format-probe.js';
import { isIpText } from './ip-text.js';
import {
  type LineOutcome,
  type LineParser,
  META,
  type ParseContext,
  quarantine,
  type ScannedFlow,
} from './line-parser.js';
import {
  ADDRESS_FIELD,
  COUNT_FIELD,
  scanVpcFields,
  TEXT_FIELD,
  VpcFieldScan,
} from './vpc-field-scan.js';
import { VPC_FIELD_NAMES, VPC_FIELDS_USED } from './vpc-fields.js';
import { parseVpcObjectKey } from './vpc-object-key.js';
import {
  appendSensorByte,
  appendSensorField,
  appendSensorText,
  clearSensor,
  type EncodedText,
  encodeText,
} from './vpc-sensor-bytes.js';

/** How many header tokens must be documented VPC field names before we call it a VPC log. */
const MIN_KNOWN_FIELDS = 3;

/**
 * Whether flows of a protocol carry ports (TCP, UDP, SCTP): VPC writes 0 ports for the others
 * (ICMP), which mean none.
 */
function hasPorts(protocol: number): boolean {
  return protocol === 6 || protocol === 17 || protocol === 132;
}

const ascii = (text: string) => Uint8Array.from(text, (ch) => ch.charCodeAt(0));
const OK = ascii('OK');
const ACCEPT = ascii('ACCEPT');
const REJECT = ascii('REJECT');
const DASH = ascii('-');
const COLON = 0x3a;
const SLASH = 0x2f;

/** `readAddress` result for a field that is not address text at all (the line is quarantined). */
const NOT_AN_ADDRESS = -2;

/**
 * Reads an address field: its IPv4 value when it is a strict dotted quad, -1 when it is other
 * address-shaped text (IPv6, or IPv4 with leading zeros, which enrichment reads from the text),
 * {@link NOT_AN_ADDRESS} when `parseLine` would quarantine it.
 */
function readAddress(bytes: Buffer, scan: VpcFieldScan, field: number): number {
  const v4 = scan.values[field] as number;
  if (v4 >= 0) return v4;
  const text = bytes.toString('latin1', scan.starts[field], scan.ends[field]);
  return isIpText(text) ? -1 : NOT_AN_ADDRESS;
}

/** Fields the scanner reads as numbers or addresses; every other one is only located. */
const FIELD_KINDS: ReadonlyMap<string, number> = new Map([
  ['srcaddr', ADDRESS_FIELD],
  ['dstaddr', ADDRESS_FIELD],
  ['pkt-srcaddr', ADDRESS_FIELD],
  ['pkt-dstaddr', ADDRESS_FIELD],
  ['srcport', COUNT_FIELD],
  ['dstport', COUNT_FIELD],
  ['protocol', COUNT_FIELD],
  ['packets', COUNT_FIELD],
  ['bytes', COUNT_FIELD],
  ['start', COUNT_FIELD],
  ['end', COUNT_FIELD],
  ['tcp-flags', COUNT_FIELD],
]);

/** Splits on runs of spaces: an AWS-published sample line contains a double space. */
export function splitVpcLine(line: string): string[] {
  const parts = line.trim().split(' ');
  return parts.includes('') ? parts.filter((p) => p !== '') : parts;
}

/** Column positions of the fields a record needs, from the header; -1 when absent. */
interface VpcColumns {
  readonly count: number;
  readonly accountId: number;
  readonly interfaceId: number;
  readonly srcaddr: number;
  readonly dstaddr: number;
  readonly pktSrcaddr: number;
  readonly pktDstaddr: number;
  readonly srcport: number;
  readonly dstport: number;
  readonly protocol: number;
  readonly packets: number;
  readonly bytes: number;
  readonly start: number;
  readonly end: number;
  readonly action: number;
  readonly logStatus: number;
  readonly vpcId: number;
  readonly tcpFlags: number;
  readonly region: number;
}

function columnsOf(fields: readonly string[]): VpcColumns {
  const at = (name: string) => fields.indexOf(name);
  return {
    count: fields.length,
    accountId: at('account-id'),
    interfaceId: at('interface-id'),
    srcaddr: at('srcaddr'),
    dstaddr: at('dstaddr'),
    pktSrcaddr: at('pkt-srcaddr'),
    pktDstaddr: at('pkt-dstaddr'),
    srcport: at('srcport'),
    dstport: at('dstport'),
    protocol: at('protocol'),
    packets: at('packets'),
    bytes: at('bytes'),
    start: at('start'),
    end: at('end'),
    action: at('action'),
    logStatus: at('log-status'),
    vpcId: at('vpc-id'),
    tcpFlags: at('tcp-flags'),
    region: at('region'),
  };
}

/** Field names a record cannot be placed without; a format lacking one is not usable as flows. */
function missingRequired(columns: VpcColumns): string[] {
  const missing: string[] = [];
  if (columns.srcaddr < 0 && columns.pktSrcaddr < 0) missing.push('srcaddr');
  if (columns.dstaddr < 0 && columns.pktDstaddr < 0) missing.push('dstaddr');
  if (columns.protocol < 0) missing.push('protocol');
  if (columns.start < 0) missing.push('start');
  if (columns.end < 0) missing.push('end');
  return missing;
}

/** True when every token looks like a VPC field name and enough of them are documented ones. */
export function isVpcHeader(tokens: readonly string[]): boolean {
  if (tokens.length === 0 || !tokens.every((t) => /^[a-z][a-z0-9-]*$/.test(t))) return false;
  const known = tokens.filter((t) => VPC_FIELD_NAMES.has(t)).length;
  return known >= Math.min(MIN_KNOWN_FIELDS, tokens.length);
}

/**
 * Recognises AWS VPC flow logs as delivered to S3: the first line is the header of field names,
 * in any order (default v2 format or any custom format). Columns are mapped by that header, never
 * by position or token count.
 */
export const probeVpcFlowLog: FormatProbe = (head) => {
  const first = head[0];
  if (first === undefined) return null;
  const fields = splitVpcLine(first);
  if (!isVpcHeader(fields)) return null;
  const columns = columnsOf(fields);
  const missing = missingRequired(columns);
  if (missing.length > 0) {
    return {
      kind: 'not-flows',
      reason: `VPC flow log format without ${missing.join(', ')}: its records cannot be placed as flows`,
    };
  }
  const isDefault = fields.join(' ') === DEFAULT_V2_HEADER;
  return {
    kind: 'flows',
    sourceType: 'vpc',
    variant: isDefault ? 'vpc-v2-default' : 'vpc-custom',
    create: (context) => new VpcFlowLogParser(fields, context),
  };
};

/** The fixed default (v2) format, as its header line reads. */
export const DEFAULT_V2_HEADER =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';

/** Parses the records of one VPC flow log text file. */
export class VpcFlowLogParser implements LineParser {
  public readonly sourceType = 'vpc' as const;
  public readonly ignoredFields: readonly string[];
  private columns: VpcColumns;
  private readonly keyAccount: string | null;
  private readonly keyRegion: string | null;
  private readonly defaultSensor: string;
  private readonly keyAccountText: EncodedText | null;
  private readonly keyRegionText: EncodedText | null;
  private readonly defaultSensorText: EncodedText;
  private sawHeader = false;
  private readonly scan: VpcFieldScan;
  // The input bytes of the last line scanned, and a view of them for word-sized copies.
  private lineBytes: Uint8Array | undefined;
  private lineView: DataView = new DataView(new ArrayBuffer(0));

  public constructor(header: readonly string[], context: ParseContext) {
    this.columns = columnsOf(header);
    this.ignoredFields = header.filter((f) => !VPC_FIELDS_USED.has(f));
    const key = parseVpcObjectKey(context.objectRef);
    this.keyAccount = key.accountId;
    this.keyRegion = key.region;
    this.defaultSensor = context.defaultSensor;
    this.keyAccountText = key.accountId === null ? null : encodeText(key.accountId);
    this.keyRegionText = key.region === null ? null : encodeText(key.region);
    this.defaultSensorText = encodeText(context.defaultSensor);
    this.scan = new VpcFieldScan(
      Uint8Array.from(header, (field) => FIELD_KINDS.get(field) ?? TEXT_FIELD),
    );
  }

  /**
   * `parseLine` straight from the input bytes, without a string or an array per record: fields
   * are located by index and numbers and IPv4 addresses read from the bytes. Any line the
   * scanner does not accept as a plain, valid record (header, wrong field count, a bad or
   * unusual value, anything but printable ASCII) is left to `parseLine`, so outcomes and
   * quarantine reasons are exactly `parseLine`'s.
   */
  public scanLine(bytes: Buffer, lineStart: number, limit: number, flow: ScannedFlow): boolean {
    const c = this.columns;
    const scan = this.scan;
    const scanned = scanVpcFields(bytes, lineStart, limit, scan);
    flow.lineEnd = scan.lineEnd;
    if (!scanned || !this.sawHeader) return false;
    if (c.logStatus >= 0 && !scan.equals(bytes, c.logStatus, OK)) return false;
    // Packet-level addresses name the real endpoints behind NAT gateways and secondary IPs.
    const src = this.pickField(bytes, c.pktSrcaddr, c.srcaddr);
    const dst = this.pickField(bytes, c.pktDstaddr, c.dstaddr);
    if (src < 0 || dst < 0) return false;
    const srcIpv4 = readAddress(bytes, scan, src);
    const dstIpv4 = readAddress(bytes, scan, dst);
    if (srcIpv4 === NOT_AN_ADDRESS || dstIpv4 === NOT_AN_ADDRESS) return false;
    const protocol = scan.count(c.protocol);
    const start = scan.count(c.start);
    const end = scan.count(c.end);
    if (protocol < 0 || protocol > 255 || start < 0 || end < start) return false;
    let srcPort: number | null = null;
    let dstPort: number | null = null;
    if (hasPorts(protocol)) {
      srcPort = scan.optionalCount(c.srcport);
      dstPort = scan.optionalCount(c.dstport);
      if (
        srcPort === -1 ||
        (srcPort !== null && srcPort > 65535) ||
        dstPort === -1 ||
        (dstPort !== null && dstPort > 65535)
      ) {
        return false;
      }
    }
    const packets = scan.optionalCount(c.packets);
    const byteCount = scan.optionalCount(c.bytes);
    const tcpFlags = scan.optionalCount(c.tcpFlags);
    if (
      packets === -1 ||
      byteCount === -1 ||
      tcpFlags === -1 ||
      (tcpFlags !== null && tcpFlags > 255)
    ) {
      return false;
    }
    let action: FlowAction | null = null;
    if (c.action >= 0) {
      if (scan.equals(bytes, c.action, ACCEPT)) action = 'accept';
      else if (scan.equals(bytes, c.action, REJECT)) action = 'reject';
      else if (!scan.equals(bytes, c.action, DASH)) return false;
    }
    flow.startTime = start * 1000;
    flow.endTime = end * 1000;
    flow.protocol = protocol;
    flow.srcPort = srcPort ?? -1;
    flow.dstPort = dstPort ?? -1;
    flow.bytesOut = byteCount ?? -1;
    flow.packetsOut = packets ?? -1;
    flow.bytesIn = -1;
    flow.packetsIn = -1;
    flow.tcpFlags = tcpFlags ?? -1;
    flow.action = action;
    flow.connState = null;
    flow.srcStart = scan.starts[src] as number;
    flow.srcEnd = scan.ends[src] as number;
    flow.dstStart = scan.starts[dst] as number;
    flow.dstEnd = scan.ends[dst] as number;
    flow.srcIpv4 = srcIpv4;
    flow.dstIpv4 = dstIpv4;
    this.scanSensor(bytes, flow);
    return true;
  }

  /** `pick` over the scan: the preferred column unless absent, `-` or `unknown`; else fallback. */
  private pickField(bytes: Uint8Array, preferred: number, fallback: number): number {
    if (preferred >= 0 && !this.scan.isAbsent(bytes, preferred)) return preferred;
    // The fallback column is always there when the preferred one is not (missingRequired).
    return fallback;
  }

  /** `sensorOf` over the scan, written into `flow.sensor`. */
  private scanSensor(bytes: Uint8Array, flow: ScannedFlow): void {
    const c = this.columns;
    const scan = this.scan;
    if (bytes !== this.lineBytes) {
      this.lineBytes = bytes;
      this.lineView = viewOf(bytes);
    }
    const line = this.lineView;
    clearSensor(flow);
    const eni = scan.present(bytes, c.interfaceId);
    const vpc = scan.present(bytes, c.vpcId);
    if (vpc >= 0) {
      appendSensorField(flow, line, scan, vpc);
    } else {
      const account = scan.present(bytes, c.accountId);
      if (account < 0 && this.keyAccountText === null) {
        if (eni >= 0) appendSensorField(flow, line, scan, eni);
        else appendSensorText(flow, this.defaultSensorText);
        return;
      }
      if (account >= 0) appendSensorField(flow, line, scan, account);
      else appendSensorText(flow, this.keyAccountText as EncodedText);
      const region = scan.present(bytes, c.region);
      if (region >= 0 || this.keyRegionText !== null) {
        appendSensorByte(flow, COLON);
        if (region >= 0) appendSensorField(flow, line, scan, region);
        else appendSensorText(flow, this.keyRegionText as EncodedText);
      }
    }
    if (eni >= 0) {
      appendSensorByte(flow, SLASH);
      appendSensorField(flow, line, scan, eni);
    }
  }

  public parseLine(line: string, _lineNumber: number): LineOutcome {
    if (line.trim() === '') return META;
    const v = splitVpcLine(line);
    if (!this.sawHeader) {
      // The probe saw this header already; it is the file's first non-blank line.
      this.sawHeader = true;
      return META;
    }
    const c = this.columns;
    if (v.length !== c.count) {
      return quarantine(`record: expected ${c.count} fields from the header, got ${v.length}`);
    }
    const status = c.logStatus >= 0 ? v[c.logStatus] : undefined;
    if (status === 'NODATA' || status === 'SKIPDATA') {
      return { kind: 'skipped', reason: status };
    }
    if (status !== undefined && status !== 'OK') {
      return quarantine(badField('log-status', 'OK, NODATA or SKIPDATA', status));
    }
    return this.toFlow(v);
  }

  private toFlow(v: readonly string[]): LineOutcome {
    const c = this.columns;
    // Packet-level addresses name the real endpoints behind NAT gateways and secondary IPs.
    const src = pick(v, c.pktSrcaddr, c.srcaddr);
    const dst = pick(v, c.pktDstaddr, c.dstaddr);
    if (!isIpText(src)) return quarantine(badField('srcaddr', 'an IP address', src));
    if (!isIpText(dst)) return quarantine(badField('dstaddr', 'an IP address', dst));
    const protocolText = v[c.protocol] as string;
    const protocol = readCount(protocolText);
    if (protocol === undefined || protocol > 255) {
      return quarantine(badField('protocol', 'an IANA protocol number 0–255', protocolText));
    }
    const startText = v[c.start] as string;
    const start = readCount(startText);
    if (start === undefined) return quarantine(badField('start', 'Unix seconds', startText));
    const endText = v[c.end] as string;
    const end = readCount(endText);
    if (end === undefined) return quarantine(badField('end', 'Unix seconds', endText));
    if (end < start) return quarantine(`end: expected >= start (${start}), got ${end}`);

    const withPorts = hasPorts(protocol);
    const srcPort = withPorts ? optional(v, c.srcport, readPort) : null;
    if (srcPort === undefined)
      return quarantine(badField('srcport', 'a port 0–65535', at(v, c.srcport)));
    const dstPort = withPorts ? optional(v, c.dstport, readPort) : null;
    if (dstPort === undefined)
      return quarantine(badField('dstport', 'a port 0–65535', at(v, c.dstport)));
    const packets = optional(v, c.packets, readCount);
    if (packets === undefined) return quarantine(badField('packets', 'a count', at(v, c.packets)));
    const bytes = optional(v, c.bytes, readCount);
    if (bytes === undefined) return quarantine(badField('bytes', 'a count', at(v, c.bytes)));
    const tcpFlags = optional(v, c.tcpFlags, readCount);
    if (tcpFlags === undefined || (tcpFlags !== null && tcpFlags > 255)) {
      return quarantine(badField('tcp-flags', 'an integer 0–255', at(v, c.tcpFlags)));
    }
    const actionText = c.action >= 0 ? (v[c.action] as string) : '-';
    let action: FlowAction | null = null;
    if (actionText === 'ACCEPT') action = 'accept';
    else if (actionText === 'REJECT') action = 'reject';
    else if (actionText !== '-')
      return quarantine(badField('action', 'ACCEPT or REJECT', actionText));

    const flow: ParsedFlow = {
      start_time: start * 1000,
      end_time: end * 1000,
      src_ip: src,
      dst_ip: dst,
      src_port: srcPort,
      dst_port: dstPort,
      protocol,
      bytes_out: bytes,
      packets_out: packets,
      bytes_in: null,
      packets_in: null,
      action,
      tcp_flags: tcpFlags,
      conn_state: null,
      sensor: this.sensorOf(v),
    };
    return { kind: 'flow', flow };
  }

  /** `vpc-id/interface-id`; without a VPC id, the account and region (record, else S3 key). */
  private sensorOf(v: readonly string[]): string {
    const c = this.columns;
    const eni = present(v, c.interfaceId);
    const vpc = present(v, c.vpcId);
    if (vpc !== null) return eni === null ? vpc : `${vpc}/${eni}`;
    const account = present(v, c.accountId) ?? this.keyAccount;
    const region = present(v, c.region) ?? this.keyRegion;
    const scope = account === null ? null : region === null ? account : `${account}:${region}`;
    if (scope === null) return eni ?? this.defaultSensor;
    return eni === null ? scope : `${scope}/${eni}`;
  }
}

function at(v: readonly string[], index: number): string {
  return index >= 0 ? (v[index] as string) : '-';
}

/** The value at `index` unless absent or `-` (AWS's "not applicable"), else null. */
function present(v: readonly string[], index: number): string | null {
  if (index < 0) return null;
  const text = v[index] as string;
  return text === '-' || text === 'unknown' ? null : text;
}

/** First of two columns that holds a value; `-` when neither does. */
function pick(v: readonly string[], preferred: number, fallback: number): string {
  const first = present(v, preferred);
  if (first !== null) return first;
  return at(v, fallback);
}

/**
 * Reads an optional numeric column: null when the format lacks it or the value is `-`,
 * undefined when the value is present but not acceptable.
 */
function optional(
  v: readonly string[],
  index: number,
  read: (text: string) => number | undefined,
): number | null | undefined {
  if (index < 0) return null;
  const text = v[index] as string;
  return text === '-' ? null : read(text);
}
