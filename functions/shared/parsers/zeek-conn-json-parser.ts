import type { ParsedFlow } from '../flow-record.js';
import { badField } from './field-values.js';
import { ipTextFamily } from './ip-text.js';
import { type LineOutcome, type LineParser, META, quarantine } from './line-parser.js';
import { ZEEK_CONN_FIELDS } from './zeek-conn-fields.js';
import { zeekHistoryToTcpFlags } from './zeek-history.js';
import { ZeekIgnoredFields } from './zeek-ignored-fields.js';
import {
  badJsonValue,
  INVALID_JSON_VALUE,
  type JsonRecord,
  nestedZeekJsonId,
  readJsonCount,
  readJsonPort,
  readZeekJsonId,
} from './zeek-json-values.js';
import { guessZeekLogKind, notConnRecordReason } from './zeek-log-kind.js';
import { resolveZeekProtocol, zeekProtocolHasPorts } from './zeek-protocol.js';
import { zeekJsonSecondsToMillis, zeekJsonTimeToMillis } from './zeek-timestamp.js';

/** Keys wardflow understands besides the conn fields: id key styles and stream envelopes. */
const KNOWN_KEYS: ReadonlySet<string> = new Set([
  ...ZEEK_CONN_FIELDS,
  'id',
  'id_orig_h',
  'id_orig_p',
  'id_resp_h',
  'id_resp_p',
  '_path',
  '@stream',
]);
const KNOWN_ID_KEYS: ReadonlySet<string> = new Set(['orig_h', 'orig_p', 'resp_h', 'resp_p']);
/** How many distinct skip outcomes are kept for reuse; stream names come from the input. */
const MAX_CACHED_KINDS = 32;
const ADDRESS = 'an IPv4 or IPv6 address';
const PORT = 'a port 0–65535';

/**
 * Reads Zeek conn records written as JSON lines, one object per line, in any key style (dotted,
 * underscore, nested `id`) and any `ts` style (epoch seconds, epoch milliseconds, ISO-8601).
 *
 * - Records whose `@stream` or `_path` is not `conn`, or that plainly belong to another log
 *   (`query`, `method`… and no conn field), are `skipped` (`Zeek dns record, not conn`).
 * - `sensor` is `_node_name` (cluster loggers) when present, else the default sensor.
 */
export class ZeekConnJsonParser implements LineParser {
  public readonly sourceType = 'zeek';
  private readonly ignored = new ZeekIgnoredFields();
  private readonly skippedByKind = new Map<string, LineOutcome>();
  /** The keys of the last conn record, in order; every one was checked when it was added. */
  private readonly previousKeys: string[] = [];
  private readonly defaultSensor: string;

  public constructor(defaultSensor: string) {
    this.defaultSensor = defaultSensor;
  }

  /** Keys outside Zeek's conn schema (`orig_l2_addr`, `community_id`, `@system`…), as first seen. */
  public get ignoredFields(): readonly string[] {
    return this.ignored.names;
  }

  public parseLine(line: string, _lineNumber: number): LineOutcome {
    if (line.length === 0) return META;
    const first = line.charCodeAt(0);
    // Blank means what String#trim says (the pipeline's own test); only lines that start with a
    // control, space or non-ASCII character can be blank, so records skip the trim.
    if ((first <= 32 || first >= 127) && line.trim().length === 0) return META;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return quarantine(badField('record', 'valid JSON, one object per line', line));
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return quarantine(badField('record', 'a JSON object', line));
    }
    const record = parsed as JsonRecord;
    const stream = record['@stream'] ?? record._path;
    if (typeof stream === 'string' && stream !== 'conn') return this.skipped(stream);
    if (record.conn_state === undefined && record.orig_pkts === undefined) {
      const kind = guessZeekLogKind((field) => Object.hasOwn(record, field));
      if (kind !== 'conn' && kind !== 'unknown') return this.skipped(kind);
    }
    this.noteKeys(record);
    return this.toFlow(record);
  }

  private skipped(kind: string): LineOutcome {
    let outcome = this.skippedByKind.get(kind);
    if (outcome === undefined) {
      outcome = { kind: 'skipped', reason: notConnRecordReason(kind) };
      if (this.skippedByKind.size < MAX_CACHED_KINDS) this.skippedByKind.set(kind, outcome);
    }
    return outcome;
  }

  private noteKeys(record: JsonRecord): void {
    // Records of one log mostly share their key order: keys in the same place as in the previous
    // record were checked then, so only the rest meet the set lookups.
    const previous = this.previousKeys;
    let i = 0;
    let same = true;
    for (const key in record) {
      if (same && previous[i] === key) {
        i++;
        continue;
      }
      if (same) {
        same = false;
        previous.length = i;
      }
      previous.push(key);
      if (!KNOWN_KEYS.has(key)) this.ignored.note(key);
    }
    if (same) previous.length = i;
    const nested = nestedZeekJsonId(record);
    if (nested === undefined) return;
    for (const key in nested) {
      if (!KNOWN_ID_KEYS.has(key)) this.ignored.note(`id.${key}`);
    }
  }

  private toFlow(record: JsonRecord): LineOutcome {
    const ts = record.ts;
    const start = zeekJsonTimeToMillis(ts);
    if (start === undefined) {
      return quarantine(
        badJsonValue('ts', 'epoch seconds, epoch milliseconds or an ISO-8601 time', ts),
      );
    }
    let duration = 0;
    const durationValue = record.duration;
    if (durationValue !== undefined && durationValue !== null) {
      const millis = zeekJsonSecondsToMillis(durationValue);
      if (millis === undefined) {
        return quarantine(badJsonValue('duration', 'non-negative seconds', durationValue));
      }
      duration = millis;
    }
    const nested = nestedZeekJsonId(record);
    const srcIp = readZeekJsonId(record, nested, 'id.orig_h', 'id_orig_h', 'orig_h');
    const family = typeof srcIp === 'string' ? ipTextFamily(srcIp) : 0;
    if (typeof srcIp !== 'string' || family === 0) {
      return quarantine(badJsonValue('id.orig_h', ADDRESS, srcIp));
    }
    const dstIp = readZeekJsonId(record, nested, 'id.resp_h', 'id_resp_h', 'resp_h');
    if (typeof dstIp !== 'string' || ipTextFamily(dstIp) === 0) {
      return quarantine(badJsonValue('id.resp_h', ADDRESS, dstIp));
    }
    const ipProto = readJsonCount(record.ip_proto);
    if (ipProto !== null && (ipProto === INVALID_JSON_VALUE || ipProto > 255)) {
      return quarantine(badJsonValue('ip_proto', 'an IP protocol number 0–255', record.ip_proto));
    }
    const proto = record.proto;
    if (proto !== undefined && proto !== null && typeof proto !== 'string') {
      return quarantine(badJsonValue('proto', 'tcp, udp, icmp or an ip_proto number', proto));
    }
    const protocol = resolveZeekProtocol(proto ?? null, ipProto, family === 6);
    if (protocol === null) {
      return quarantine(badJsonValue('proto', 'tcp, udp, icmp or an ip_proto number', proto));
    }
    let srcPort: number | null = null;
    let dstPort: number | null = null;
    if (zeekProtocolHasPorts(protocol)) {
      const origP = readZeekJsonId(record, nested, 'id.orig_p', 'id_orig_p', 'orig_p');
      srcPort = readJsonPort(origP) ?? null;
      if (srcPort === null) return quarantine(badJsonValue('id.orig_p', PORT, origP));
      const respP = readZeekJsonId(record, nested, 'id.resp_p', 'id_resp_p', 'resp_p');
      dstPort = readJsonPort(respP) ?? null;
      if (dstPort === null) return quarantine(badJsonValue('id.resp_p', PORT, respP));
    }
    const origBytes = readJsonCount(record.orig_bytes);
    if (origBytes === INVALID_JSON_VALUE) return badCount('orig_bytes', record.orig_bytes);
    const origIpBytes = readJsonCount(record.orig_ip_bytes);
    if (origIpBytes === INVALID_JSON_VALUE) return badCount('orig_ip_bytes', record.orig_ip_bytes);
    const origPkts = readJsonCount(record.orig_pkts);
    if (origPkts === INVALID_JSON_VALUE) return badCount('orig_pkts', record.orig_pkts);
    const respBytes = readJsonCount(record.resp_bytes);
    if (respBytes === INVALID_JSON_VALUE) return badCount('resp_bytes', record.resp_bytes);
    const respIpBytes = readJsonCount(record.resp_ip_bytes);
    if (respIpBytes === INVALID_JSON_VALUE) return badCount('resp_ip_bytes', record.resp_ip_bytes);
    const respPkts = readJsonCount(record.resp_pkts);
    if (respPkts === INVALID_JSON_VALUE) return badCount('resp_pkts', record.resp_pkts);
    const connState = record.conn_state;
    if (connState !== undefined && connState !== null && typeof connState !== 'string') {
      return quarantine(badJsonValue('conn_state', 'a string such as "SF"', connState));
    }
    const history = record.history;
    if (history !== undefined && history !== null && typeof history !== 'string') {
      return quarantine(badJsonValue('history', 'a string such as "ShADadFf"', history));
    }
    const nodeName = record._node_name;
    const flow: ParsedFlow = {
      start_time: start,
      end_time: start + duration,
      src_ip: srcIp,
      dst_ip: dstIp,
      src_port: srcPort,
      dst_port: dstPort,
      protocol,
      // IP-level bytes are what RITA scores; payload bytes only when those are unset.
      bytes_out: origIpBytes ?? origBytes,
      packets_out: origPkts,
      bytes_in: respIpBytes ?? respBytes,
      packets_in: respPkts,
      action: null,
      tcp_flags:
        protocol === 6 && typeof history === 'string' ? zeekHistoryToTcpFlags(history) : null,
      conn_state: connState ? connState : null,
      sensor: typeof nodeName === 'string' && nodeName !== '' ? nodeName : this.defaultSensor,
    };
    return { kind: 'flow', flow };
  }
}

function badCount(field: string, value: unknown): LineOutcome {
  return quarantine(badJsonValue(field, 'a count', value));
}
