import { type Connection, headerBytes } from './connection.js';
import { LineBuffer } from './line-buffer.js';
import type { Collector, HospitalNetwork, Host } from './network.js';
import type { OutputWriter } from './output-writer.js';
import { hashText } from './prng.js';
import {
  NFDUMP_DEFAULT_HEADER,
  NFDUMP_LEGACY_HEADER,
  type NfdumpRecordFields,
  nfdumpDefaultLine,
  nfdumpLegacyLine,
  nfdumpSummary,
} from './writers/nfdump-csv-writer.js';
import { VpcFlowLogWriter, type VpcRecordFields } from './writers/vpc-flow-log-writer.js';
import {
  zeekJsonLine,
  zeekTsvClose,
  zeekTsvHeader,
  zeekTsvLine,
  zeekUid,
} from './writers/zeek-conn-writer.js';

/** Collectors rotate files every 5 minutes; AWS delivers 5-minute files. */
export const SLOT_MS = 300_000;
/** NetFlow active timeout (nfpcapd/softflowd default): long flows are exported every 300 s. */
const ACTIVE_TIMEOUT_MS = 300_000;

/** One pending file: its bytes so far and the totals nfdump's trailer needs. */
interface PendingFile {
  readonly buffer: LineBuffer;
  flows: number;
  bytes: number;
  packets: number;
  readonly enis: Set<string> | null;
}

/** Files waiting for their 5-minute slot to complete, for one output. */
class SlotLines {
  public readonly slots = new Map<number, PendingFile>();

  /** @param header the file's leading text for a slot start (epoch ms), or null for none */
  public constructor(private readonly header: (slotStart: number) => string | null) {}

  public at(slot: number, withEnis: boolean): PendingFile {
    let entry = this.slots.get(slot);
    if (entry === undefined) {
      const buffer = new LineBuffer();
      const header = this.header(slot * SLOT_MS);
      if (header !== null) buffer.text(`${header}\n`);
      entry = { buffer, flows: 0, bytes: 0, packets: 0, enis: withEnis ? new Set() : null };
      this.slots.set(slot, entry);
    }
    return entry;
  }

  public take(slot: number): PendingFile {
    const entry = this.at(slot, false);
    this.slots.delete(slot);
    return entry;
  }
}

/** A period during which a collector delivers nothing (the source-silence scenario). */
export interface Silence {
  /** `<site>/<collector id>` or a VPC flow log id. */
  readonly source: string;
  readonly start: number;
  readonly end: number;
}

const FLAG_CHARS = 'CEUAPRSF';

/** nfdump's 8-character flag string of a TCP flag mask. */
export function nfdumpFlags(mask: number): string {
  let out = '';
  for (let i = 0; i < 8; i++) out += mask & (128 >> i) ? (FLAG_CHARS[i] as string) : '.';
  return out;
}

/**
 * Renders connections into the records each source would have produced and keeps them per output
 * file and 5-minute slot until the slot is complete. Records go to the file of the slot their last
 * packet falls in (Zeek logs a connection when it ends; nfcapd and AWS file by end time), so once
 * every connection starting in a slot is generated, that slot's files are final.
 */
export class Recorder {
  private readonly collectorLines = new Map<string, SlotLines>();
  private readonly flowLogLines = new Map<string, SlotLines>();
  private readonly vpcWriters = new Map<string, VpcFlowLogWriter>();
  /** Records written so far (all sources; a silenced source's dropped records excluded). */
  public records = 0;
  /** Connections recorded so far. */
  public connections = 0;

  /**
   * @param outputs collector keys (`<site>/<id>`) and flow log ids to render; the others are
   * skipped (a worker renders its share of the outputs)
   * @default outputs - every output
   */
  public constructor(
    private readonly network: HospitalNetwork,
    private readonly out: OutputWriter,
    private readonly seed: number,
    private readonly silences: readonly Silence[],
    outputs: ReadonlySet<string> | null = null,
  ) {
    for (const c of network.collectors)
      if (outputs === null || outputs.has(c.key))
        this.collectorLines.set(c.key, new SlotLines(headerOf(c)));
    for (const f of network.profile.cloud.flow_logs) {
      if (outputs !== null && !outputs.has(f.id)) continue;
      const writer = new VpcFlowLogWriter(f, network.profile.cloud);
      this.flowLogLines.set(f.id, new SlotLines(() => writer.header));
      this.vpcWriters.set(f.id, writer);
    }
  }

  /** Renders one connection at every source (of this recorder's outputs) that sees it. */
  public record(c: Connection): void {
    // Zeek uids come from the connection's place in the run, not from what this recorder has
    // rendered: a worker that renders only some outputs still gives every record its uid.
    const sequence = this.connections++;
    const a = c.srcHost?.collector ?? null;
    const b = c.dstHost?.collector ?? null;
    if (a !== null) this.recordAt(a, c, sequence * 2);
    if (b !== null && b !== a) this.recordAt(b, c, sequence * 2 + 1);
    if (c.srcHost?.eni) this.recordVpc(c.srcHost, c, true);
    if (c.dstHost?.eni) this.recordVpc(c.dstHost, c, false);
  }

  private recordAt(collector: Collector, c: Connection, uidSequence: number): void {
    const lines = this.collectorLines.get(collector.key);
    if (lines === undefined) return;
    const end = c.start + c.duration;
    if (collector.source === 'zeek') {
      const uid = zeekUid(uidSequence);
      const entry = lines.at(Math.floor(end / SLOT_MS), false);
      entry.buffer.push(collector.format === 'json' ? zeekJsonLine(c, uid) : zeekTsvLine(c, uid));
      return;
    }
    // NetFlow is unidirectional: one record per direction per active-timeout chunk.
    const h = headerBytes(c.proto);
    const chunks = Math.max(1, Math.min(Math.ceil(c.duration / ACTIVE_TIMEOUT_MS), c.origPkts));
    this.nfdumpDirection(
      collector,
      lines,
      c,
      chunks,
      false,
      c.origPkts,
      c.origBytes + c.origPkts * h,
    );
    if (c.respPkts > 0)
      this.nfdumpDirection(
        collector,
        lines,
        c,
        chunks,
        true,
        c.respPkts,
        c.respBytes + c.respPkts * h,
      );
  }

  private nfdumpDirection(
    collector: Collector,
    lines: SlotLines,
    c: Connection,
    chunks: number,
    reverse: boolean,
    packets: number,
    bytes: number,
  ): void {
    const legacy = collector.format === 'legacy';
    let donePk = 0;
    let doneBy = 0;
    for (let i = 0; i < chunks; i++) {
      const from = c.start + Math.floor((c.duration * i) / chunks);
      const to =
        i === chunks - 1
          ? c.start + c.duration
          : c.start + Math.floor((c.duration * (i + 1)) / chunks);
      const pk = Math.round((packets * (i + 1)) / chunks) - donePk;
      const by = Math.round((bytes * (i + 1)) / chunks) - doneBy;
      if (pk <= 0) continue;
      donePk += pk;
      doneBy += by;
      const record: NfdumpRecordFields = {
        start: from,
        end: to,
        src: reverse ? c.dst : c.src,
        srcPort: reverse ? c.dstPort : c.srcPort,
        dst: reverse ? c.src : c.dst,
        dstPort: reverse ? c.srcPort : c.dstPort,
        proto: c.proto,
        packets: pk,
        bytes: by,
        flags:
          c.proto === 6
            ? nfdumpFlags(tcpMask(c, reverse, i === 0, i === chunks - 1, true))
            : '........',
      };
      const entry = lines.at(Math.floor(to / SLOT_MS), false);
      entry.buffer.push(
        legacy ? nfdumpLegacyLine(record, collector.address, to + 1500) : nfdumpDefaultLine(record),
      );
      entry.flows++;
      entry.bytes += by;
      entry.packets += pk;
    }
  }

  /** Records at one ENI: both directions, per aggregation window, as its security group decides. */
  private recordVpc(host: Host, c: Connection, outbound: boolean): void {
    const eni = host.eni;
    if (eni === null) return;
    const lines = this.flowLogLines.get(eni.flowLog.id);
    if (lines === undefined) return;
    const writer = this.vpcWriters.get(eni.flowLog.id) as VpcFlowLogWriter;
    const windowMs = this.network.profile.cloud.aggregation_seconds * 1000;
    const h = headerBytes(c.proto);
    const accepted = outbound || this.network.admits(host, c.src, c.dstPort);
    const end = c.start + c.duration;
    const first = Math.floor(c.start / windowMs);
    const last = Math.floor(end / windowMs);
    const directions: boolean[] = accepted && c.respPkts > 0 ? [false, true] : [false];
    for (const reverse of directions) {
      const packets = reverse ? c.respPkts : c.origPkts;
      const bytes = reverse ? c.respBytes + c.respPkts * h : c.origBytes + c.origPkts * h;
      let donePk = 0;
      let doneBy = 0;
      for (let w = first; w <= last; w++) {
        const from = Math.max(c.start, w * windowMs);
        const to = Math.min(end, (w + 1) * windowMs - 1);
        const frac = c.duration === 0 ? 1 : (to - c.start) / c.duration;
        const pk = (w === last ? packets : Math.round(packets * frac)) - donePk;
        const by = (w === last ? bytes : Math.round(bytes * frac)) - doneBy;
        if (pk <= 0) continue;
        donePk += pk;
        doneBy += by;
        const sending = reverse ? !outbound : outbound;
        const dstIp = reverse ? c.src : c.dst;
        const record: VpcRecordFields = {
          src: reverse ? c.dst : c.src,
          dst: dstIp,
          srcPort: reverse ? c.dstPort : c.srcPort,
          dstPort: reverse ? c.srcPort : c.dstPort,
          proto: c.proto,
          packets: pk,
          bytes: by,
          start: Math.floor(from / 1000),
          end: Math.floor(to / 1000),
          action: accepted ? 'ACCEPT' : 'REJECT',
          tcpFlags: tcpMask(c, reverse, w === first, w === last, false),
          direction: sending ? 'egress' : 'ingress',
          trafficPath: sending ? trafficPath(dstIp, this.network) : null,
        };
        const entry = lines.at(Math.floor(to / SLOT_MS), true);
        entry.buffer.push(writer.line(eni, record));
        entry.enis?.add(eni.id);
      }
    }
  }

  /**
   * Writes every file of one slot (epoch ms of its start). Records of a silenced source are
   * dropped here, so {@link records} counts only what reaches the output.
   */
  public async flushSlot(slot: number): Promise<void> {
    const slotStart = slot * SLOT_MS;
    for (const collector of this.network.collectors) {
      const lines = this.collectorLines.get(collector.key);
      if (lines === undefined) continue;
      const entry = lines.take(slot);
      if (this.silenced(collector.key, slotStart)) continue;
      // Zeek JSON logs with no connection are empty files; ingest would skip them, so keep a
      // rotation without connections out of the output, as log shippers do with empty files.
      if (collector.format === 'json' && entry.buffer.lines === 0) continue;
      if (collector.format === 'tsv') entry.buffer.text(`${zeekTsvClose(slotStart + SLOT_MS)}\n`);
      if (collector.format === 'legacy')
        entry.buffer.text(
          `${nfdumpSummary(entry.flows, entry.bytes, entry.packets, SLOT_MS / 1000)}\n`,
        );
      this.records += entry.buffer.lines;
      await this.out.writeGzip(collectorPath(collector, slotStart), entry.buffer.bytes());
    }
    for (const flowLog of this.network.profile.cloud.flow_logs) {
      const lines = this.flowLogLines.get(flowLog.id);
      if (lines === undefined) continue;
      const entry = lines.take(slot);
      if (this.silenced(flowLog.id, slotStart)) continue;
      this.records += entry.buffer.lines;
      const writer = this.vpcWriters.get(flowLog.id) as VpcFlowLogWriter;
      // An ENI with no traffic in the file's five minutes reports NODATA for them.
      for (const host of this.network.enisOf(flowLog.id)) {
        const eni = host.eni;
        if (eni && !entry.enis?.has(eni.id))
          entry.buffer.text(
            `${writer.noData(eni, slotStart / 1000, (slotStart + SLOT_MS) / 1000 - 1)}\n`,
          );
      }
      await this.out.writeGzip(this.vpcPath(flowLog.id, slotStart), entry.buffer.bytes());
    }
  }

  private silenced(source: string, at: number): boolean {
    return this.silences.some((s) => s.source === source && at >= s.start && at < s.end);
  }

  /** `AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD/<account>_vpcflowlogs_<region>_<fl>_<YYYYMMDDTHHmmZ>_<hash>.log.gz` */
  private vpcPath(flowLogId: string, slotStart: number): string {
    const cloud = this.network.profile.cloud;
    const iso = new Date(slotStart).toISOString();
    const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
    const hash = hashText(`${this.seed}/${flowLogId}/${slotStart}`).toString(16).padStart(8, '0');
    return `AWSLogs/${cloud.account}/vpcflowlogs/${cloud.region}/${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/${cloud.account}_vpcflowlogs_${cloud.region}_${flowLogId}_${stamp}_${hash}.log.gz`;
  }
}

/** The leading text of a collector's files: column header, or Zeek's TSV header block. */
function headerOf(collector: Collector): (slotStart: number) => string | null {
  if (collector.source === 'zeek')
    return collector.format === 'json' ? () => null : (slotStart) => zeekTsvHeader(slotStart);
  const header = collector.format === 'legacy' ? NFDUMP_LEGACY_HEADER : NFDUMP_DEFAULT_HEADER;
  return () => header;
}

/** On-prem file path: `onprem/<site>/zeek/<sensor>/conn.YYYY-MM-DD-HH-MM.log.gz` or `onprem/<site>/nfdump/<exporter>/nfcapd.YYYYMMDDHHmm.csv.gz`. */
export function collectorPath(collector: Collector, slotStart: number): string {
  const iso = new Date(slotStart).toISOString();
  if (collector.source === 'zeek') {
    return `onprem/${collector.site}/zeek/${collector.id}/conn.${iso.slice(0, 10)}-${iso.slice(11, 13)}-${iso.slice(14, 16)}.log.gz`;
  }
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}`;
  return `onprem/${collector.site}/nfdump/${collector.id}/nfcapd.${stamp}.csv.gz`;
}

/**
 * TCP flags one direction shows in one piece of a connection: SYN (SYN-ACK back) in the first,
 * FIN or RST in the last. VPC counts no bare ACK (AWS: "only ACK packets → 0"); NetFlow does.
 */
function tcpMask(
  c: Connection,
  reverse: boolean,
  first: boolean,
  last: boolean,
  netflow: boolean,
): number {
  if (c.proto !== 6) return 0;
  const answered = c.state !== 'S0' && c.state !== 'REJ';
  let mask = netflow && answered ? 16 | 8 : 0;
  if (first) mask |= reverse ? (c.state === 'REJ' ? 0 : 18) : 2;
  if (reverse && c.state === 'REJ') mask |= netflow ? 20 : 4;
  if (last && c.state === 'SF') mask |= 1;
  if (last && ((c.state === 'RSTO' && !reverse) || (c.state === 'RSTR' && reverse))) mask |= 4;
  return mask;
}

function trafficPath(dst: string, network: HospitalNetwork): number {
  const host = network.host(dst);
  if (host === undefined) return 2;
  return host.eni ? 1 : 3;
}
