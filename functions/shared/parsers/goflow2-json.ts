import type { ParsedFlow } from '../flow-record.js';
import { badField } from './field-values.js';
import type { FormatProbe } from './format-probe.js';
import { isIpText } from './ip-text.js';
import {
  type LineOutcome,
  type LineParser,
  META,
  type ParseContext,
  quarantine,
} from './line-parser.js';
import { readLocalDateTime } from './local-time.js';
import { toProtocolNumber } from './protocol-number.js';

/**
 * GoFlow2 JSON lines: one flat JSON object per flow (NetFlow v5/v9, IPFIX or an sFlow packet
 * sample). Two key styles exist:
 * - `goflow2-v2` (GoFlow2 ≥ 2.0): snake_case keys, `time_*_ns` nanosecond epochs, `proto` and
 *   `etype` as names (`"TCP"`, `"IPv6"`);
 * - `goflow2-v1` (GoFlow2 1.x): CamelCase keys (`TimeFlowStart` seconds, `TimeFlowStartMs`
 *   milliseconds, `TimeReceived` seconds), `Proto` as a number.
 *
 * Records are read with a single pass over the line that notes where the values of the keys
 * below are (no `JSON.parse`, so no object per line and exact nanosecond arithmetic on the
 * digits); values of other keys are skipped, not validated.
 */

const ABSENT = 0;
const STRING = 1;
const SCALAR = 2;
const COMPOUND = 3;

const TYPE = 0;
const RECEIVED = 1;
const START = 2;
const END = 3;
const START_MS = 4;
const END_MS = 5;
const SAMPLING = 6;
const SAMPLER = 7;
const BYTES = 8;
const PACKETS = 9;
const SRC = 10;
const DST = 11;
const PROTO = 12;
const SRC_PORT = 13;
const DST_PORT = 14;
const FLAGS = 15;
const ICMP_TYPE = 16;
const ICMP_CODE = 17;
const ETYPE = 18;
const SLOTS = 19;

/** A key style: the key of each slot and the unit of each time slot (digits dropped or added). */
export interface Goflow2KeyStyle {
  readonly variant: string;
  /** Key per slot, '' when the style has none. */
  readonly keys: readonly string[];
  /** Decimal exponent from the time's unit to milliseconds: -6 for ns, 0 for ms, 3 for s. */
  readonly timeExponent: readonly number[];
}

const V2: Goflow2KeyStyle = {
  variant: 'goflow2-v2',
  keys: [
    'type',
    'time_received_ns',
    'time_flow_start_ns',
    'time_flow_end_ns',
    '',
    '',
    'sampling_rate',
    'sampler_address',
    'bytes',
    'packets',
    'src_addr',
    'dst_addr',
    'proto',
    'src_port',
    'dst_port',
    'tcp_flags',
    'icmp_type',
    'icmp_code',
    'etype',
  ],
  timeExponent: [0, -6, -6, -6, 0, 0],
};

const V1: Goflow2KeyStyle = {
  variant: 'goflow2-v1',
  keys: [
    'Type',
    'TimeReceived',
    'TimeFlowStart',
    'TimeFlowEnd',
    'TimeFlowStartMs',
    'TimeFlowEndMs',
    'SamplingRate',
    'SamplerAddress',
    'Bytes',
    'Packets',
    'SrcAddr',
    'DstAddr',
    'Proto',
    'SrcPort',
    'DstPort',
    'TCPFlags',
    'IcmpType',
    'IcmpCode',
    'Etype',
  ],
  timeExponent: [0, 3, 3, 3, 0, 0],
};

/** The record types GoFlow2 writes (its `FlowType` enum, without `FLOWUNKNOWN`). */
const FLOW_TYPES = ['SFLOW_5', 'NETFLOW_V5', 'NETFLOW_V9', 'IPFIX'];
/** Where a flow's start comes from, by preference: flow start, flow end, receive time. */
const START_SLOTS = [START_MS, START, END_MS, END, RECEIVED];
const END_SLOTS = [END_MS, END];
/** The names GoFlow2's `proto` renderer writes, looked up before the general reader. */
const RENDERED_PROTOCOLS = new Map([
  ['TCP', 6],
  ['UDP', 17],
  ['ICMP', 1],
  ['ICMPv6', 58],
  ['SCTP', 132],
]);
const PORT_PROTOCOLS = new Set([6, 17, 132]);
const ICMP_PROTOCOLS = new Set([1, 58]);
const TCP = 6;

/**
 * Where the values of one JSON line are: a scanner for flat objects that records, for the keys of
 * one style, the kind and span of each value. Allocation-free after construction.
 */
class FlatJsonRecord {
  public readonly kinds = new Uint8Array(SLOTS);
  public readonly starts = new Int32Array(SLOTS);
  public readonly ends = new Int32Array(SLOTS);
  /** Keys grouped by length: [key, slot] pairs, so a key is matched without slicing it. */
  private readonly byLength: (readonly [string, number])[][] = [];

  public constructor(public readonly style: Goflow2KeyStyle) {
    style.keys.forEach((key, slot) => {
      if (key === '') return;
      const group = this.byLength[key.length] ?? [];
      group.push([key, slot]);
      this.byLength[key.length] = group;
    });
  }

  /** Scans a line; returns -1 when it is one JSON object, else the index where it stops being one. */
  public scan(line: string): number {
    this.kinds.fill(ABSENT);
    const len = line.length;
    let i = skipSpace(line, 0);
    if (line.charCodeAt(i) !== 123) return i;
    i = skipSpace(line, i + 1);
    if (line.charCodeAt(i) === 125) return endOfLine(line, i + 1);
    for (;;) {
      if (line.charCodeAt(i) !== 34) return i;
      const keyStart = i + 1;
      const keyEnd = stringEnd(line, keyStart);
      if (keyEnd < 0) return len;
      i = skipSpace(line, keyEnd + 1);
      if (line.charCodeAt(i) !== 58) return i;
      i = skipSpace(line, i + 1);
      const c = line.charCodeAt(i);
      let kind = SCALAR;
      let valueStart = i;
      let valueEnd: number;
      if (c === 34) {
        kind = STRING;
        valueStart = i + 1;
        valueEnd = stringEnd(line, valueStart);
        if (valueEnd < 0) return len;
        i = valueEnd + 1;
      } else if (c === 123 || c === 91) {
        kind = COMPOUND;
        i = compoundEnd(line, i);
        if (i < 0) return len;
        valueEnd = i;
      } else {
        while (i < len && !isDelimiter(line.charCodeAt(i))) i++;
        valueEnd = i;
        if (valueEnd === valueStart) return i;
        if (valueEnd - valueStart === 4 && line.startsWith('null', valueStart)) kind = ABSENT;
      }
      const slot = this.slotOf(line, keyStart, keyEnd);
      if (slot >= 0) {
        this.kinds[slot] = kind;
        this.starts[slot] = valueStart;
        this.ends[slot] = valueEnd;
      }
      i = skipSpace(line, i);
      const next = line.charCodeAt(i);
      if (next === 125) return endOfLine(line, i + 1);
      if (next !== 44) return i;
      i = skipSpace(line, i + 1);
    }
  }

  /** True when slot holds a string equal to `text`. */
  public stringIs(line: string, slot: number, text: string): boolean {
    const start = this.starts[slot] as number;
    return (
      this.kinds[slot] === STRING &&
      (this.ends[slot] as number) - start === text.length &&
      line.startsWith(text, start)
    );
  }

  /** The raw text of a value (strings without their quotes); '' when absent. */
  public text(line: string, slot: number): string {
    return this.kinds[slot] === ABSENT ? '' : line.slice(this.starts[slot], this.ends[slot]);
  }

  /**
   * Reads a non-negative integer (a JSON number or a string of digits) scaled by 10^exponent,
   * truncating dropped digits. Returns 0 when absent, -1 when not such a number.
   */
  public integer(line: string, slot: number, exponent = 0): number {
    const kind = this.kinds[slot];
    if (kind === ABSENT) return 0;
    if (kind === COMPOUND) return -1;
    const start = this.starts[slot] as number;
    const end = this.ends[slot] as number;
    const keep = end + Math.min(exponent, 0);
    if (end === start || keep - start > 16) return -1;
    let n = 0;
    for (let i = start; i < end; i++) {
      const d = line.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return -1;
      if (i < keep) n = n * 10 + d;
    }
    return exponent > 0 ? n * 10 ** exponent : n;
  }

  private slotOf(line: string, start: number, end: number): number {
    const group = this.byLength[end - start];
    if (group === undefined) return -1;
    for (const [key, slot] of group) if (line.startsWith(key, start)) return slot;
    return -1;
  }
}

function skipSpace(line: string, from: number): number {
  let i = from;
  for (;;) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10) return i;
    i++;
  }
}

/** -1 when only white space follows `from`, else where the extra text starts. */
function endOfLine(line: string, from: number): number {
  const i = skipSpace(line, from);
  return i >= line.length ? -1 : i;
}

/** Index of the quote closing a string whose first character is at `from`; -1 if unterminated. */
function stringEnd(line: string, from: number): number {
  let quote = line.indexOf('"', from);
  while (quote >= 0) {
    // Escaped when preceded by an odd run of backslashes.
    let backslash = quote - 1;
    while (backslash >= from && line.charCodeAt(backslash) === 92) backslash--;
    if ((quote - backslash) % 2 === 1) return quote;
    quote = line.indexOf('"', quote + 1);
  }
  return -1;
}

/** Index after the bracket closing the array/object opened at `from`; -1 if unterminated. */
function compoundEnd(line: string, from: number): number {
  let depth = 0;
  for (let i = from; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 34) {
      i = stringEnd(line, i + 1);
      if (i < 0) return -1;
    } else if (c === 123 || c === 91) {
      depth++;
    } else if ((c === 125 || c === 93) && --depth === 0) {
      return i + 1;
    }
  }
  return -1;
}

function isDelimiter(c: number): boolean {
  return (
    c === 44 || c === 125 || c === 93 || c === 32 || c === 9 || c === 34 || c === 58 || c === 123
  );
}

const PROBE_V2 = new FlatJsonRecord(V2);
const PROBE_V1 = new FlatJsonRecord(V1);

function isFlowType(record: FlatJsonRecord, line: string): boolean {
  for (const type of FLOW_TYPES) if (record.stringIs(line, TYPE, type)) return true;
  return false;
}

/** True when a scanned line is a GoFlow2 record: a known `type` and both address keys. */
function isGoflow2Record(record: FlatJsonRecord, line: string): boolean {
  return (
    record.scan(line) < 0 &&
    isFlowType(record, line) &&
    record.kinds[SRC] === STRING &&
    record.kinds[DST] === STRING
  );
}

/**
 * Recognises GoFlow2 JSON: the first line of the input that is a JSON object must carry a GoFlow2
 * `type` (`SFLOW_5`, `NETFLOW_V5`, `NETFLOW_V9`, `IPFIX`) and source/destination address keys in
 * one of the two key styles. Zeek JSON (`ts`, `id.orig_h`) and nfdump JSON (`"type":"FLOW"`) do not.
 */
export const probeGoflow2Json: FormatProbe = (head) => {
  const line = head.find((candidate) => candidate.charCodeAt(skipSpace(candidate, 0)) === 123);
  if (line === undefined) return null;
  const record = isGoflow2Record(PROBE_V2, line)
    ? PROBE_V2
    : isGoflow2Record(PROBE_V1, line)
      ? PROBE_V1
      : null;
  if (record === null) return null;
  const style = record.style;
  return {
    kind: 'flows',
    sourceType: 'goflow2',
    variant: style.variant,
    create: (context) => new Goflow2JsonParser(style, context),
  };
};

/**
 * Parses GoFlow2 JSON lines into flows.
 *
 * Decisions:
 * - **Sampling**: GoFlow2 does not scale counters; `bytes_out = bytes × max(sampling_rate, 1)`,
 *   likewise packets. (Distinct counts such as scan fan-out still undercount under sampling.)
 * - **Unidirectional**: NetFlow/IPFIX/sFlow records are one direction, so `bytes_in` and
 *   `packets_in` are null.
 * - **Times**: flow start/end when set; when one is 0 the other stands in, and when both are 0
 *   (as for sFlow samples) the receive time is used. Nanoseconds are truncated to milliseconds
 *   on the decimal digits, exactly. A time rendered as an RFC 3339 UTC string (GoFlow2's
 *   `datetime`/`datetimenano` renderers) is accepted too.
 * - **Protocol**: a name or a number. GoFlow2 2.x renders only ICMP, TCP, UDP, ICMPv6 and SCTP by
 *   name and writes `""` for every other protocol, which is quarantined as unknown: configure
 *   the `proto` renderer as `none` to keep GRE, ESP and the like.
 * - **ICMP**: type in `src_port`, code in `dst_port` (Community ID's convention), from
 *   `icmp_type`/`icmp_code`, or from NetFlow v5's packed `dst_port` (type × 256 + code) when
 *   those are 0. Other protocols without ports get null ports; `tcp_flags` (low 8 bits) only
 *   for TCP.
 * - **Not flows**: a record with no source and no destination address (an sFlow sample of ARP
 *   or another non-IP frame) is skipped, not quarantined.
 * - **Sensor**: `sampler_address`, the exporter that sent the record; `context.defaultSensor`
 *   when it is empty.
 */
export class Goflow2JsonParser implements LineParser {
  public readonly sourceType = 'goflow2' as const;
  public readonly ignoredFields: readonly string[] = [];
  private readonly record: FlatJsonRecord;
  private readonly keys: readonly string[];
  private readonly exponents: readonly number[];
  private readonly defaultSensor: string;

  /**
   * Creates a parser for one input.
   *
   * @param style the key style the probe recognised
   * @param context the input's default sensor (used when a record has no `sampler_address`)
   */
  public constructor(style: Goflow2KeyStyle, context: ParseContext) {
    this.record = new FlatJsonRecord(style);
    this.keys = style.keys;
    this.exponents = style.timeExponent;
    this.defaultSensor = context.defaultSensor;
  }

  public parseLine(line: string, _lineNumber: number): LineOutcome {
    const r = this.record;
    const stop = r.scan(line);
    if (stop >= 0) {
      if (skipSpace(line, 0) >= line.length) return META;
      return quarantine(
        badField('record', `one JSON object (malformed at character ${stop + 1})`, line),
      );
    }
    if (!isFlowType(r, line)) {
      return this.bad(TYPE, 'SFLOW_5, NETFLOW_V5, NETFLOW_V9 or IPFIX', line);
    }
    const srcIp = r.text(line, SRC);
    const dstIp = r.text(line, DST);
    if (srcIp === '' && dstIp === '') {
      return {
        kind: 'skipped',
        reason: `not an IP flow (${this.keys[ETYPE]} ${JSON.stringify(r.text(line, ETYPE))})`,
      };
    }
    if (r.kinds[SRC] !== STRING || !isIpText(srcIp)) {
      return this.bad(SRC, 'an IPv4 or IPv6 address', line);
    }
    if (r.kinds[DST] !== STRING || !isIpText(dstIp)) {
      return this.bad(DST, 'an IPv4 or IPv6 address', line);
    }
    const protocolText = r.text(line, PROTO);
    const protocol =
      r.kinds[PROTO] === ABSENT
        ? null
        : (RENDERED_PROTOCOLS.get(protocolText) ?? toProtocolNumber(protocolText));
    if (protocol === null) return this.bad(PROTO, 'a protocol name or number', line);

    const start = this.firstTime(line, START_SLOTS);
    if (start < 0) return this.bad(-start - 1, this.timeShape(-start - 1), line);
    if (start === 0) return this.bad(RECEIVED, 'a receive time when the flow times are 0', line);
    let end = this.firstTime(line, END_SLOTS);
    if (end < 0) return this.bad(-end - 1, this.timeShape(-end - 1), line);
    if (end === 0) end = start;
    if (end < start) return this.bad(END, `a time not before ${this.keys[START]}`, line);

    const rate = r.integer(line, SAMPLING);
    if (rate < 0) return this.bad(SAMPLING, 'a non-negative integer', line);
    const scale = Math.max(rate, 1);
    const bytes = r.integer(line, BYTES);
    if (bytes < 0) return this.bad(BYTES, 'a non-negative integer count', line);
    const packets = r.integer(line, PACKETS);
    if (packets < 0) return this.bad(PACKETS, 'a non-negative integer count', line);
    const bytesOut = r.kinds[BYTES] === ABSENT ? null : bytes * scale;
    const packetsOut = r.kinds[PACKETS] === ABSENT ? null : packets * scale;
    if (!Number.isSafeInteger(bytesOut ?? 0) || !Number.isSafeInteger(packetsOut ?? 0)) {
      return this.bad(BYTES, 'counts below 2^53 once scaled by the sampling rate', line);
    }

    let srcPort: number | null = null;
    let dstPort: number | null = null;
    if (PORT_PROTOCOLS.has(protocol)) {
      srcPort = this.port(line, SRC_PORT);
      if (srcPort === -1) return this.bad(SRC_PORT, 'a port 0–65535', line);
      dstPort = this.port(line, DST_PORT);
      if (dstPort === -1) return this.bad(DST_PORT, 'a port 0–65535', line);
    } else if (ICMP_PROTOCOLS.has(protocol)) {
      const type = r.integer(line, ICMP_TYPE);
      if (type < 0 || type > 255) return this.bad(ICMP_TYPE, 'an ICMP type 0–255', line);
      const code = r.integer(line, ICMP_CODE);
      if (code < 0 || code > 255) return this.bad(ICMP_CODE, 'an ICMP code 0–255', line);
      // NetFlow v5 has no ICMP fields: its exporters pack type × 256 + code into the dst port.
      const packed =
        type !== 0 || code !== 0 ? type * 256 + code : (this.port(line, DST_PORT) ?? 0);
      if (packed === -1) return this.bad(DST_PORT, 'a port 0–65535', line);
      srcPort = packed >> 8;
      dstPort = packed & 0xff;
    }
    let tcpFlags: number | null = null;
    if (protocol === TCP && r.kinds[FLAGS] !== ABSENT) {
      tcpFlags = r.integer(line, FLAGS);
      if (tcpFlags < 0) return this.bad(FLAGS, 'an integer', line);
      tcpFlags &= 0xff;
    }
    const sampler = r.kinds[SAMPLER] === STRING ? r.text(line, SAMPLER) : '';

    const flow: ParsedFlow = {
      start_time: start,
      end_time: end,
      src_ip: srcIp,
      dst_ip: dstIp,
      src_port: srcPort,
      dst_port: dstPort,
      protocol,
      bytes_out: bytesOut,
      packets_out: packetsOut,
      bytes_in: null,
      packets_in: null,
      action: null,
      tcp_flags: tcpFlags,
      conn_state: null,
      sensor: sampler === '' ? this.defaultSensor : sampler,
    };
    return { kind: 'flow', flow };
  }

  /**
   * The first non-zero time among the slots, in epoch ms. Returns 0 when all are 0 or absent,
   * and -(slot + 1) when a slot's value is malformed.
   */
  private firstTime(line: string, slots: readonly number[]): number {
    for (const slot of slots) {
      const ms = this.time(line, slot);
      if (ms < 0) return -slot - 1;
      if (ms > 0) return ms;
    }
    return 0;
  }

  /** One time slot in epoch ms: 0 when absent or 0, -1 when malformed. */
  private time(line: string, slot: number): number {
    const r = this.record;
    const start = r.starts[slot] as number;
    const end = r.ends[slot] as number;
    if (r.kinds[slot] === STRING && end - start > 4 && line.charCodeAt(start + 4) === 45) {
      // RFC 3339 in UTC, as GoFlow2's datetime renderers write it: 2023-04-15T18:28:15.157626Z.
      if (line.charCodeAt(end - 1) !== 90) return -1;
      return readLocalDateTime(line, start, end - 1) ?? -1;
    }
    return r.integer(line, slot, this.exponents[slot]);
  }

  private timeShape(slot: number): string {
    const exponent = this.exponents[slot];
    const unit = exponent === -6 ? 'nanoseconds' : exponent === 3 ? 'seconds' : 'milliseconds';
    return `integer ${unit} since the epoch or an RFC 3339 UTC time`;
  }

  /** A port: null when the key is absent, -1 when not a port number. */
  private port(line: string, slot: number): number | null {
    if (this.record.kinds[slot] === ABSENT) return null;
    const port = this.record.integer(line, slot);
    return port > 65535 ? -1 : port;
  }

  private bad(slot: number, expected: string, line: string): LineOutcome {
    const key = this.keys[slot] ?? 'record';
    if (this.record.kinds[slot] === ABSENT)
      return quarantine(`${key}: expected ${expected}, got no value`);
    return quarantine(badField(key, expected, this.record.text(line, slot)));
  }
}
