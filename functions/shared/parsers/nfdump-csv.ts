import type { ParsedFlow } from '../flow-record.js';
import { badField, readCount, readPort } from './field-values.js';
import type { FormatProbe } from './format-probe.js';
import { isIpText } from './ip-text.js';
import {
  type LineOutcome,
  type LineParser,
  META,
  type ParseContext,
  quarantine,
} from './line-parser.js';
import { LocalTimeZone, readLocalDateTime } from './local-time.js';
import { readIcmpTypeCode, readSecondsAsMillis, readTcpFlagString } from './nfdump-fields.js';
import { type NfdumpColumns, readNfdumpHeader } from './nfdump-header.js';
import { readNfdumpProtocol } from './nfdump-protocol.js';

/** Protocols whose ports are ports (as in Community ID); ICMP carries type/code instead. */
const PORT_PROTOCOLS = new Set([6, 17, 132]);
const ICMP_PROTOCOLS = new Set([1, 58]);
const TCP = 6;
/** The second line of the legacy trailer (`Summary` / these names / their values). */
const SUMMARY_COLUMNS = 'flows,bytes,packets,avg_bps,avg_pps,avg_bpp';

/**
 * Recognises nfdump CSV by the names in its header line (see `nfdump-header.ts` for the legacy,
 * 1.7.5+ token and csv-fast families). A header without source address, destination address or
 * start time is not this format; one without a protocol column is nfdump but cannot give flows.
 */
export const probeNfdumpCsv: FormatProbe = (head) => {
  const first = head[0];
  if (first === undefined) return null;
  const header = readNfdumpHeader(first);
  if (header === null) return null;
  if (header.kind === 'unusable') return { kind: 'not-flows', reason: header.reason };
  const { columns } = header;
  return {
    kind: 'flows',
    sourceType: 'nfdump',
    variant: columns.variant,
    create: (context) => new NfdumpCsvParser(columns, context),
  };
};

/**
 * Parses the records of one nfdump CSV export into flows.
 *
 * Decisions where the format leaves a choice:
 * - **Times without a zone** (legacy `ts`/`te`, 1.7.5+ `%ts`/`%te`, and `%tsg`/`%teg`, which share
 *   their header names) are read in `context.timezone`; exports made with `TZ=UTC` (recommended)
 *   need the default `UTC`. Epoch `seconds.mmm` values (`%tsr`/`%ter`) are recognised by their
 *   look, whatever the column name; csv-fast times are epoch milliseconds. The all-zero time nfdump
 *   prints for an unset value quarantines a start and falls back to start (+ duration) for an end.
 * - **Legacy times have whole seconds**; they are kept as printed (`td` is not used to refine
 *   them, since the start's fraction is unknown). Without an end column, end = start + duration.
 *   An end before the start is quarantined, as nfdump itself reports it as a time error.
 * - **Counters**: `ipkt`/`ibyt` (1.7.5+: `packets`/`bytes` or `inPackets`/`inBytes`) are src→dst;
 *   `opkt`/`obyt` (`outPackets`/`outBytes`) dst→src. nfdump prints 0/0 both for "the exporter is
 *   unidirectional" (NetFlow v5/v9) and for "no reply", so a record with both reverse counters 0
 *   gets null, as DESIGN.md asks of unidirectional sources. Aggregated records (`flows` > 1) keep
 *   their counts as given.
 * - **Ports**: TCP, UDP and SCTP keep their ports; ICMP/ICMPv6 put the type in `src_port` and the
 *   code in `dst_port`, as Community ID does (read from `dstPort` `type.code`, from the packed
 *   `type×256+code` of legacy/csv-fast, or from `icmpType`/`icmpCode` columns); other protocols get
 *   null ports. `tcp_flags` is null for protocols other than TCP.
 * - **Sensor**: `context.defaultSensor` (the site/exporter from the object key). The `ra` router
 *   column is an exporter address, often `0.0.0.0` (nfpcapd), and names no site on its own.
 * - The legacy `Summary` trailer (three lines), blank lines and header lines (also repeated ones,
 *   from concatenated exports, which switch to the new column layout) are meta.
 */
export class NfdumpCsvParser implements LineParser {
  public readonly sourceType = 'nfdump' as const;
  private columns: NfdumpColumns;
  private readonly zone: LocalTimeZone;
  private readonly sensor: string;
  /** Start offset of each field of the current line; field i ends before bounds[i + 1] - 1. */
  private bounds: Int32Array;
  /** Trailer position: 0 none, 1 after `Summary`, 2 after its column names. */
  private trailer = 0;
  private lastTimeText = '';
  private lastTime: number | undefined;
  /** Values of the record being parsed, set by `readTimes` and `readPorts` (no object per line). */
  private start = 0;
  private end = 0;
  private srcPort: number | null = null;
  private dstPort: number | null = null;

  /**
   * Creates a parser for records laid out as the header said.
   *
   * @param columns the header's column map, from {@link readNfdumpHeader}
   * @param context the input's time zone (for zone-less times) and default sensor
   * @throws TimeZoneError when `context.timezone` is not an IANA time zone name
   */
  public constructor(columns: NfdumpColumns, context: ParseContext) {
    this.columns = columns;
    this.zone = new LocalTimeZone(context.timezone);
    this.sensor = context.defaultSensor;
    this.bounds = new Int32Array(columns.names.length + 2);
  }

  /** Columns that are not nfdump's (site-added labels); their values are not read. */
  public get ignoredFields(): readonly string[] {
    return this.columns.ignored;
  }

  public parseLine(line: string, _lineNumber: number): LineOutcome {
    if (isBlank(line)) return META;
    const trailer = this.trailer;
    if (trailer !== 0) {
      this.trailer = 0;
      if (trailer === 1 && line === SUMMARY_COLUMNS) {
        this.trailer = 2;
        return META;
      }
      if (trailer === 2 && isNumberList(line)) return META;
    }
    if (line === 'Summary') {
      this.trailer = 1;
      return META;
    }
    if (
      line === this.columns.headerLine ||
      (isLetter(line.charCodeAt(0)) && this.switchHeader(line))
    ) {
      return META;
    }
    return this.parseRecord(line);
  }

  /** Adopts a header line met inside the file (concatenated exports); false if it is not one. */
  private switchHeader(line: string): boolean {
    const header = readNfdumpHeader(line);
    if (header?.kind !== 'columns') return false;
    this.columns = header.columns;
    this.bounds = new Int32Array(header.columns.names.length + 2);
    return true;
  }

  private parseRecord(line: string): LineOutcome {
    const c = this.columns;
    const count = this.split(line);
    if (count !== c.names.length) {
      return quarantine(
        `record: expected ${c.names.length} comma-separated fields as in the header, got ${count}`,
      );
    }
    const srcIp = this.field(line, c.srcAddr);
    if (!isIpText(srcIp)) return this.bad(c.srcAddr, 'an IPv4 or IPv6 address', srcIp);
    const dstIp = this.field(line, c.dstAddr);
    if (!isIpText(dstIp)) return this.bad(c.dstAddr, 'an IPv4 or IPv6 address', dstIp);
    const protocolText = this.field(line, c.protocol);
    const protocol = readNfdumpProtocol(protocolText);
    if (protocol === null) return this.bad(c.protocol, 'a protocol name or number', protocolText);

    const timeError = this.readTimes(line);
    if (timeError !== null) return timeError;
    const portError = this.readPorts(line, protocol);
    if (portError !== null) return portError;

    let tcpFlags: number | null = null;
    if (protocol === TCP && c.flags >= 0) {
      const text = this.field(line, c.flags);
      tcpFlags = readTcpFlagString(text) ?? null;
      if (tcpFlags === null) {
        return this.bad(c.flags, 'TCP flags CEUAPRSF or UAPRSF with . for unset', text);
      }
    }

    const bytesOut = this.count(line, c.bytesOut);
    if (bytesOut === undefined) return this.badCount(line, c.bytesOut);
    const packetsOut = this.count(line, c.packetsOut);
    if (packetsOut === undefined) return this.badCount(line, c.packetsOut);
    let bytesIn = this.count(line, c.bytesIn);
    if (bytesIn === undefined) return this.badCount(line, c.bytesIn);
    let packetsIn = this.count(line, c.packetsIn);
    if (packetsIn === undefined) return this.badCount(line, c.packetsIn);
    if (!bytesIn && !packetsIn) {
      // 0/0 reverse counters: a unidirectional exporter (or no reply); either way, not reported.
      bytesIn = null;
      packetsIn = null;
    }

    const flow: ParsedFlow = {
      start_time: this.start,
      end_time: this.end,
      src_ip: srcIp,
      dst_ip: dstIp,
      src_port: this.srcPort,
      dst_port: this.dstPort,
      protocol,
      bytes_out: bytesOut,
      packets_out: packetsOut,
      bytes_in: bytesIn,
      packets_in: packetsIn,
      action: null,
      tcp_flags: tcpFlags,
      conn_state: null,
      sensor: this.sensor,
    };
    return { kind: 'flow', flow };
  }

  /** Sets `start` and `end` from the record; returns the quarantine outcome when it cannot. */
  private readTimes(line: string): LineOutcome | null {
    const c = this.columns;
    const startText = this.field(line, c.start);
    const start = this.readTime(startText);
    if (start === undefined) return this.bad(c.start, this.timeShape(), startText);
    if (start === 0) return this.bad(c.start, 'a set flow start time', startText);
    let end = 0;
    if (c.end >= 0) {
      const endText = this.field(line, c.end);
      end = this.readTime(endText) ?? -1;
      if (end === -1) return this.bad(c.end, this.timeShape(), endText);
      // nfdump itself reports "last < first" as a time error in the record.
      if (end !== 0 && end < start) {
        return this.bad(c.end, `a time not before ${c.names[c.start]}`, endText);
      }
    }
    if (end === 0 && c.duration >= 0) {
      const durationText = this.field(line, c.duration);
      const duration = readSecondsAsMillis(durationText);
      if (duration === undefined)
        return this.bad(c.duration, 'seconds such as 1.500', durationText);
      end = start + duration;
    }
    this.start = start;
    this.end = end === 0 ? start : end;
    return null;
  }

  /**
   * Sets `srcPort` and `dstPort`: ports for TCP/UDP/SCTP, ICMP type and code for ICMP, null for
   * the rest. Returns the quarantine outcome when a value is malformed.
   */
  private readPorts(line: string, protocol: number): LineOutcome | null {
    const c = this.columns;
    this.srcPort = null;
    this.dstPort = null;
    if (PORT_PROTOCOLS.has(protocol)) {
      if (c.srcPort >= 0) {
        const text = this.field(line, c.srcPort);
        this.srcPort = readPort(text) ?? null;
        if (this.srcPort === null) return this.bad(c.srcPort, 'a port 0–65535', text);
      }
      if (c.dstPort >= 0) {
        const text = this.field(line, c.dstPort);
        this.dstPort = readPort(text) ?? null;
        if (this.dstPort === null) return this.bad(c.dstPort, 'a port 0–65535', text);
      }
    } else if (ICMP_PROTOCOLS.has(protocol)) {
      if (c.icmpType >= 0 && c.icmpCode >= 0) {
        const typeText = this.field(line, c.icmpType);
        const type = readCount(typeText) ?? 256;
        if (type > 255) return this.bad(c.icmpType, 'an ICMP type 0–255', typeText);
        const codeText = this.field(line, c.icmpCode);
        const code = readCount(codeText) ?? 256;
        if (code > 255) return this.bad(c.icmpCode, 'an ICMP code 0–255', codeText);
        this.srcPort = type;
        this.dstPort = code;
      } else if (c.dstPort >= 0) {
        const text = this.field(line, c.dstPort);
        const packed = readIcmpTypeCode(text);
        if (packed === undefined)
          return this.bad(c.dstPort, 'an ICMP type.code or type×256+code', text);
        this.srcPort = packed >> 8;
        this.dstPort = packed & 0xff;
      }
    }
    return null;
  }

  /**
   * Reads a time by its look: a date (`YYYY-MM-DD HH:MM:SS[.mmm]`, local time), epoch
   * `seconds.mmm`, or (csv-fast) epoch milliseconds.
   *
   * @returns epoch ms; 0 for nfdump's "unset" value; `undefined` when malformed.
   */
  private readTime(text: string): number | undefined {
    // Consecutive records mostly share their times (and legacy ts often equals te).
    if (text === this.lastTimeText) return this.lastTime;
    const time = this.readTimeUncached(text);
    this.lastTimeText = text;
    this.lastTime = time;
    return time;
  }

  private readTimeUncached(text: string): number | undefined {
    if (text.charCodeAt(4) === 45) {
      if (text.startsWith('0000-00-00')) return 0;
      const wall = readLocalDateTime(text);
      return wall === undefined ? undefined : this.zone.toEpochMs(wall);
    }
    if (this.columns.family === 'fast' && !text.includes('.')) return readCount(text);
    return readSecondsAsMillis(text);
  }

  private timeShape(): string {
    switch (this.columns.family) {
      case 'legacy':
        return 'a local time YYYY-MM-DD HH:MM:SS';
      case 'fast':
        return 'epoch milliseconds';
      default:
        return 'a time YYYY-MM-DD HH:MM:SS.mmm or epoch seconds.mmm';
    }
  }

  /** A counter, null when the header lacks its column, `undefined` when malformed. */
  private count(line: string, index: number): number | null | undefined {
    return index < 0 ? null : readCount(this.field(line, index));
  }

  private badCount(line: string, index: number): LineOutcome {
    return this.bad(index, 'a non-negative integer count', this.field(line, index));
  }

  private bad(index: number, expected: string, got: string): LineOutcome {
    return quarantine(badField(this.columns.names[index] ?? `column ${index + 1}`, expected, got));
  }

  /** Finds the field boundaries of a line; returns the number of fields. */
  private split(line: string): number {
    const bounds = this.bounds;
    const limit = bounds.length - 1;
    let count = 0;
    let from = 0;
    for (;;) {
      const comma = line.indexOf(',', from);
      count++;
      if (comma < 0) {
        if (count <= limit) bounds[count] = line.length + 1;
        return count;
      }
      if (count <= limit) bounds[count] = comma + 1;
      from = comma + 1;
    }
  }

  /** Field `index` of the line split last, without the padding nfdump puts in some columns. */
  private field(line: string, index: number): string {
    let start = this.bounds[index] as number;
    let end = (this.bounds[index + 1] as number) - 1;
    while (start < end && line.charCodeAt(start) === 32) start++;
    while (end > start && line.charCodeAt(end - 1) === 32) end--;
    return line.slice(start, end);
  }
}

function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** True for the values line of the `Summary` trailer (`4593,241025,4652,58357,140,51`). */
function isNumberList(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || c === 44 || c === 46)) return false;
  }
  return true;
}
