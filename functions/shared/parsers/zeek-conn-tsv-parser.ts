import type { ParsedFlow } from '../flow-record.js';
import { badField, readCount, readPort } from './field-values.js';
import { ipTextFamily } from './ip-text.js';
import { type LineOutcome, type LineParser, META, quarantine } from './line-parser.js';
import { ZEEK_CONN_FIELDS } from './zeek-conn-fields.js';
import { zeekHistoryToTcpFlags } from './zeek-history.js';
import { ZeekIgnoredFields } from './zeek-ignored-fields.js';
import { guessZeekLogKind, notConnRecordReason } from './zeek-log-kind.js';
import { resolveZeekProtocol, zeekProtocolHasPorts } from './zeek-protocol.js';
import { zeekSecondsToMillis } from './zeek-timestamp.js';
import {
  missingZeekTsvColumns,
  toZeekTsvColumns,
  type ZeekTsvColumns,
} from './zeek-tsv-columns.js';
import { readZeekDirective, ZEEK_DEFAULT_SEPARATOR } from './zeek-tsv-header.js';
import { ZeekTsvRow } from './zeek-tsv-row.js';

/** A counter that is present but not a count; NaN stands for absent or unset. */
const INVALID = -1;

const NO_FIELDS = quarantine('#fields: expected a header line naming the columns, got none');

/**
 * Reads a Zeek conn.log in TSV form, line by line, driven by its `#` directives.
 *
 * - `#fields` maps columns by name; a later `#fields` (concatenated or rotated files) replaces the
 *   schema, and a later `#path` that is not `conn` turns the following records into `skipped`.
 * - `#separator` (`\xHH` escapes), `#unset_field` and `#empty_field` are honoured.
 * - `sensor` is the `_node_name` column (cluster loggers) when set, else the default sensor.
 */
export class ZeekConnTsvParser implements LineParser {
  public readonly sourceType = 'zeek';
  private readonly ignored = new ZeekIgnoredFields();
  private readonly defaultSensor: string;
  private separator = ZEEK_DEFAULT_SEPARATOR;
  private unset = '-';
  private empty = '(empty)';
  /** The `#path` of the current header block, null until one is seen. */
  private path: string | null = null;
  private fields: readonly string[] = [];
  private columns: ZeekTsvColumns = toZeekTsvColumns([]);
  private row = new ZeekTsvRow(0, ZEEK_DEFAULT_SEPARATOR);
  /** The outcome every record of the current block gets when it cannot be a flow at all. */
  private blockOutcome: LineOutcome | null = NO_FIELDS;

  public constructor(defaultSensor: string) {
    this.defaultSensor = defaultSensor;
  }

  /** Columns outside Zeek's conn schema (label columns, `community_id`…), in order of appearance. */
  public get ignoredFields(): readonly string[] {
    return this.ignored.names;
  }

  public parseLine(line: string, _lineNumber: number): LineOutcome {
    if (line.length === 0) return META;
    const first = line.charCodeAt(0);
    if (first === 35) {
      this.readDirective(line);
      return META;
    }
    // Blank means what String#trim says (the pipeline's own test); only lines that start with a
    // control, space or non-ASCII character can be blank, so records skip the trim.
    if ((first <= 32 || first >= 127) && line.trim().length === 0) return META;
    if (this.blockOutcome !== null) return this.blockOutcome;
    const count = this.row.index(line);
    if (count !== this.fields.length) {
      return quarantine(`expected ${this.fields.length} fields from #fields, got ${count}`);
    }
    return this.toFlow();
  }

  private readDirective(line: string): void {
    const { name, values } = readZeekDirective(line, this.separator);
    const value = values[0];
    switch (name) {
      case 'separator':
        // A new header block starts: forget the previous block's path.
        if (value) this.separator = value;
        this.path = null;
        this.row = new ZeekTsvRow(this.fields.length, this.separator);
        break;
      case 'unset_field':
        this.unset = value ?? '-';
        break;
      case 'empty_field':
        this.empty = value ?? '(empty)';
        break;
      case 'path':
        this.path = value ?? null;
        this.applySchema();
        break;
      case 'fields':
        this.fields = values;
        this.columns = toZeekTsvColumns(values);
        this.row = new ZeekTsvRow(values.length, this.separator);
        if (this.applySchema()) {
          for (const field of values) if (!ZEEK_CONN_FIELDS.has(field)) this.ignored.note(field);
        }
        break;
    }
  }

  /**
   * Decides what the records of the current block are: flows, skipped or quarantined.
   *
   * @returns whether the block is a conn log with addresses (its extra columns are worth reporting).
   */
  private applySchema(): boolean {
    const fields = this.fields;
    if (fields.length === 0) {
      this.blockOutcome = NO_FIELDS;
      return false;
    }
    const kind = this.path ?? guessZeekLogKind((field) => fields.includes(field));
    if (kind !== 'conn') {
      this.blockOutcome = { kind: 'skipped', reason: notConnRecordReason(kind) };
      return false;
    }
    if (this.columns.origH < 0 || this.columns.respH < 0) {
      this.blockOutcome = {
        kind: 'skipped',
        reason: 'Zeek conn record without id.orig_h/id.resp_h columns, not a flow',
      };
      return false;
    }
    const missing = missingZeekTsvColumns(this.columns);
    this.blockOutcome =
      missing.length > 0
        ? quarantine(
            `#fields: expected columns ts, id.orig_h, id.orig_p, id.resp_h, id.resp_p and proto or ip_proto, missing ${missing.join(', ')}`,
          )
        : null;
    return true;
  }

  /** A column's text, or the unset marker when the schema lacks the column. */
  private text(k: number): string {
    return k < 0 ? this.unset : this.row.field(k);
  }

  /** A counter column: NaN when absent or unset, INVALID when present but not a count. */
  private count(k: number): number {
    const text = this.text(k);
    if (text === this.unset) return Number.NaN;
    return readCount(text) ?? INVALID;
  }

  /** A string column: null when absent, unset or empty. */
  private optionalText(k: number): string | null {
    const text = this.text(k);
    return text === this.unset || text === this.empty ? null : text;
  }

  private toFlow(): LineOutcome {
    const c = this.columns;
    const unset = this.unset;
    const tsText = this.text(c.ts);
    const start = zeekSecondsToMillis(tsText);
    if (start === undefined) {
      return quarantine(badField('ts', 'epoch seconds such as 1655071198.444458', tsText));
    }
    let duration = 0;
    const durationText = this.text(c.duration);
    if (durationText !== unset) {
      const millis = zeekSecondsToMillis(durationText);
      if (millis === undefined) {
        return quarantine(badField('duration', 'non-negative seconds', durationText));
      }
      duration = millis;
    }
    const srcIp = this.text(c.origH);
    const family = ipTextFamily(srcIp);
    if (family === 0) return quarantine(badField('id.orig_h', 'an IPv4 or IPv6 address', srcIp));
    const dstIp = this.text(c.respH);
    if (ipTextFamily(dstIp) === 0) {
      return quarantine(badField('id.resp_h', 'an IPv4 or IPv6 address', dstIp));
    }
    let ipProto: number | null = null;
    const ipProtoText = this.text(c.ipProto);
    if (ipProtoText !== unset) {
      const n = readCount(ipProtoText);
      if (n === undefined || n > 255) {
        return quarantine(badField('ip_proto', 'an IP protocol number 0–255', ipProtoText));
      }
      ipProto = n;
    }
    const protoText = this.text(c.proto);
    const protocol = resolveZeekProtocol(
      protoText === unset ? null : protoText,
      ipProto,
      family === 6,
    );
    if (protocol === null) {
      return quarantine(badField('proto', 'tcp, udp, icmp or an ip_proto number', protoText));
    }
    let srcPort: number | null = null;
    let dstPort: number | null = null;
    if (zeekProtocolHasPorts(protocol)) {
      const origP = this.text(c.origP);
      srcPort = readPort(origP) ?? null;
      if (srcPort === null) return quarantine(badField('id.orig_p', 'a port 0–65535', origP));
      const respP = this.text(c.respP);
      dstPort = readPort(respP) ?? null;
      if (dstPort === null) return quarantine(badField('id.resp_p', 'a port 0–65535', respP));
    }
    const origBytes = this.count(c.origBytes);
    if (origBytes === INVALID) return this.badCount('orig_bytes', c.origBytes);
    const origIpBytes = this.count(c.origIpBytes);
    if (origIpBytes === INVALID) return this.badCount('orig_ip_bytes', c.origIpBytes);
    const origPkts = this.count(c.origPkts);
    if (origPkts === INVALID) return this.badCount('orig_pkts', c.origPkts);
    const respBytes = this.count(c.respBytes);
    if (respBytes === INVALID) return this.badCount('resp_bytes', c.respBytes);
    const respIpBytes = this.count(c.respIpBytes);
    if (respIpBytes === INVALID) return this.badCount('resp_ip_bytes', c.respIpBytes);
    const respPkts = this.count(c.respPkts);
    if (respPkts === INVALID) return this.badCount('resp_pkts', c.respPkts);
    // Zeek writes an empty string as the empty-field marker: a known history that proves no flag.
    const historyText = this.text(c.history);
    const history = historyText === unset ? null : historyText === this.empty ? '' : historyText;
    const flow: ParsedFlow = {
      start_time: start,
      end_time: start + duration,
      src_ip: srcIp,
      dst_ip: dstIp,
      src_port: srcPort,
      dst_port: dstPort,
      protocol,
      // IP-level bytes are what RITA scores; payload bytes only when those are unset.
      bytes_out: orNull(Number.isNaN(origIpBytes) ? origBytes : origIpBytes),
      packets_out: orNull(origPkts),
      bytes_in: orNull(Number.isNaN(respIpBytes) ? respBytes : respIpBytes),
      packets_in: orNull(respPkts),
      action: null,
      tcp_flags: protocol === 6 && history !== null ? zeekHistoryToTcpFlags(history) : null,
      conn_state: this.optionalText(c.connState),
      sensor: this.optionalText(c.nodeName) ?? this.defaultSensor,
    };
    return { kind: 'flow', flow };
  }

  private badCount(field: string, k: number): LineOutcome {
    return quarantine(badField(field, 'a count', this.text(k)));
  }
}

/** NaN (absent or unset counter) → null. */
function orNull(n: number): number | null {
  return Number.isNaN(n) ? null : n;
}
