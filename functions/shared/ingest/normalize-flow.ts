import { COMMUNITY_ID_LENGTH, communityId, communityIdIpv4Into } from '../enrich/community-id.js';
import { DIRECTIONS, directionIndexOf, MIN_ZONE_CODE, type ZoneResolver } from '../enrich/zones.js';
import type { FlowRecord, ParsedFlow, SourceType } from '../flow-record.js';
import { copyWords } from '../lake/byte-words.js';
import type { NumberColumn } from '../lake/number-column.js';
import type { SegmentRows } from '../lake/segment-rows.js';
import type { StringColumn } from '../lake/string-column.js';
import type { ScannedFlow } from '../parsers/line-parser.js';

/**
 * Completes a parsed flow into the lake record: direction and zones from the configuration,
 * the Community ID of its 5-tuple, and the provenance reference.
 */
export function normalizeFlow(
  flow: ParsedFlow,
  sourceType: SourceType,
  rawRef: string,
  zones: ZoneResolver,
): FlowRecord {
  const { direction, src_zone, dst_zone } = zones.classify(flow.src_ip, flow.dst_ip);
  // Fields are listed rather than spread: `{ ...flow }` costs ~10 µs per record in V8 for an
  // object this wide, which alone would cap ingest near 100,000 records/s.
  return {
    start_time: flow.start_time,
    end_time: flow.end_time,
    src_ip: flow.src_ip,
    dst_ip: flow.dst_ip,
    src_port: flow.src_port,
    dst_port: flow.dst_port,
    protocol: flow.protocol,
    bytes_out: flow.bytes_out,
    packets_out: flow.packets_out,
    bytes_in: flow.bytes_in,
    packets_in: flow.packets_in,
    action: flow.action,
    tcp_flags: flow.tcp_flags,
    conn_state: flow.conn_state,
    sensor: flow.sensor,
    direction,
    src_zone,
    dst_zone,
    source_type: sourceType,
    community_id: communityId(
      flow.src_ip,
      flow.dst_ip,
      flow.protocol,
      flow.src_port,
      flow.dst_port,
    ),
    raw_ref: rawRef,
  };
}

/** What {@link normalizeScannedFlow} needs besides the flow. */
export interface ScannedFlowContext {
  readonly zones: ZoneResolver;
  /** The `raw_ref` prefix (object ref and a colon) as UTF-8, a view of it, and its UTF-16 length. */
  readonly refPrefix: Uint8Array;
  readonly refPrefixView: DataView;
  readonly refPrefixUtf16: number;
}

/**
 * {@link normalizeFlow} for a flow scanned from input bytes, straight into the lake's column
 * buffers with no record object and no string per value: addresses are copied from the input,
 * zones and the Community ID come from the parsed IPv4 addresses (from the text for other
 * addresses), and `raw_ref` is written from the prefix and the line number. Writes the row
 * `normalizeFlow` + `SegmentRows.add` would.
 */
export function normalizeScannedFlow(
  flow: ScannedFlow,
  bytes: Buffer,
  lineNumber: number,
  context: ScannedFlowContext,
  rows: SegmentRows,
): void {
  const { zones } = context;
  const c = rows.columnsFor(flow.startTime);
  c.startTime.append(flow.startTime);
  c.endTime.append(flow.endTime);
  let srcCode: number;
  let dstCode: number;
  const idAt = c.communityId.reserve(COMMUNITY_ID_LENGTH);
  let idEnd: number;
  let id: string | null = null;
  if (flow.srcIpv4 >= 0 && flow.dstIpv4 >= 0) {
    // Strict dotted quads and their numbers map one to one, so the number keys the text.
    const { srcStart, srcEnd, dstStart, dstEnd } = flow;
    c.srcIp.appendKeyed(flow.srcIpv4, bytes, srcStart, srcEnd, srcEnd - srcStart);
    c.dstIp.appendKeyed(flow.dstIpv4, bytes, dstStart, dstEnd, dstEnd - dstStart);
    srcCode = zones.codeOfIpv4(flow.srcIpv4);
    dstCode = zones.codeOfIpv4(flow.dstIpv4);
    idEnd = communityIdIpv4Into(
      c.communityId.heap,
      idAt,
      flow.srcIpv4,
      flow.dstIpv4,
      flow.protocol,
      flow.srcPort,
      flow.dstPort,
    );
  } else {
    // IPv6, or IPv4 text that is no strict dotted quad: the text paths, as for other parsers.
    const src = bytes.toString('latin1', flow.srcStart, flow.srcEnd);
    const dst = bytes.toString('latin1', flow.dstStart, flow.dstEnd);
    c.srcIp.appendString(src);
    c.dstIp.appendString(dst);
    srcCode = zones.codeOf(src);
    dstCode = zones.codeOf(dst);
    // A port of -1 (none) makes the id null where the protocol needs ports, as null does.
    id = communityId(src, dst, flow.protocol, flow.srcPort, flow.dstPort);
    idEnd = -1;
  }
  appendCount(c.srcPort, flow.srcPort);
  appendCount(c.dstPort, flow.dstPort);
  c.protocol.append(flow.protocol);
  appendCount(c.bytesOut, flow.bytesOut);
  appendCount(c.packetsOut, flow.packetsOut);
  appendCount(c.bytesIn, flow.bytesIn);
  appendCount(c.packetsIn, flow.packetsIn);
  if (flow.action === null) c.action.appendNull();
  else c.action.appendKeyedString(flow.action === 'accept' ? 0 : 1, flow.action);
  appendCount(c.tcpFlags, flow.tcpFlags);
  if (flow.connState === null) c.connState.appendNull();
  else c.connState.appendString(flow.connState);
  const direction = directionIndexOf(srcCode, dstCode);
  c.direction.appendKeyedString(direction, DIRECTIONS[direction] as string);
  c.srcZone.appendKeyedString(srcCode - MIN_ZONE_CODE, zones.nameOf(srcCode));
  c.dstZone.appendKeyedString(dstCode - MIN_ZONE_CODE, zones.nameOf(dstCode));
  c.sensor.appendBytes(flow.sensor, 0, flow.sensorLength, flow.sensorUtf16);
  if (idEnd >= 0) c.communityId.commit(idEnd);
  else if (id !== null) c.communityId.appendString(id);
  else c.communityId.appendNull();
  appendRawRef(c.rawRef, context, lineNumber);
}

/** Appends a count, -1 meaning null. */
function appendCount(column: NumberColumn, value: number): void {
  if (value < 0) column.appendNull();
  else column.append(value);
}

/** Appends the prefix and the decimal line number, unique in the object. */
function appendRawRef(column: StringColumn, context: ScannedFlowContext, lineNumber: number): void {
  const prefix = context.refPrefix;
  const digits = decimalDigits(lineNumber);
  const at = column.reserve(prefix.length + digits);
  copyWords(context.refPrefixView, 0, column.heapView, at, prefix.length);
  const end = at + prefix.length + digits;
  const heap = column.heap;
  let i = end;
  let rest = lineNumber;
  // Exact double arithmetic above 31 bits; integer division (much cheaper) below, in practice
  // for every line.
  while (rest > 0x7fffffff) {
    const digit = rest % 10;
    heap[--i] = 48 + digit;
    rest = (rest - digit) / 10;
  }
  do {
    const quotient = (rest / 10) | 0;
    heap[--i] = 48 + rest - quotient * 10;
    rest = quotient;
  } while (rest > 0);
  column.commitDistinct(end, context.refPrefixUtf16 + digits);
}

/** The number of decimal digits of a non-negative integer. */
function decimalDigits(n: number): number {
  let digits = 1;
  for (let bound = 10; n >= bound; bound *= 10) digits++;
  return digits;
}
