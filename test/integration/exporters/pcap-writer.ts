import { isIPv4 } from 'node:net';

/**
 * A small libpcap file writer: Ethernet frames carrying IPv4 or IPv6 with TCP, UDP or ICMP,
 * checksums computed, microsecond timestamps. Enough for softflowd to read a capture as it would
 * read one taken on a mirror port; no dependency, so the integration tier needs no Python.
 */

/** TCP flag bits as in the header (and in NetFlow's tcpControlBits). */
export const TCP = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16 } as const;

const PROTO_ICMP = 1;
const PROTO_TCP = 6;
const PROTO_UDP = 17;
const PROTO_ICMPV6 = 58;
/** Linux client options on every segment after the SYN: NOP, NOP, timestamps (12 bytes). */
const TS_OPTIONS = [1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0];
/** Linux SYN options: MSS 1460, SACK permitted, timestamps, NOP, window scale 7 (20 bytes). */
const SYN_OPTIONS = [2, 4, 5, 180, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7];

/** One TCP segment to encode. */
export interface TcpSegment {
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly seq: number;
  readonly ack: number;
  readonly flags: number;
  readonly payload?: Uint8Array;
  /**
   * TCP options, a multiple of 4 bytes.
   * @default - Linux's: MSS, SACK permitted, timestamps and window scale on a SYN, timestamps
   *   on every other segment
   */
  readonly options?: readonly number[];
}

/** One UDP datagram to encode. */
export interface UdpDatagram {
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly payload: Uint8Array;
}

/** One ICMP (IPv4) or ICMPv6 message to encode. */
export interface IcmpMessage {
  readonly src: string;
  readonly dst: string;
  readonly type: number;
  readonly code: number;
  /** Identifier and sequence (echo) or the rest of the header, then data. */
  readonly body: Uint8Array;
}

/** Collects frames with their capture times and writes them as one pcap file, in time order. */
export class PcapWriter {
  private readonly frames: { readonly timeUs: number; readonly frame: Uint8Array }[] = [];
  /** Protocol, addresses and ports (ICMP: type/code) of every packet, one entry per direction. */
  private readonly keys = new Set<string>();

  /** Number of frames added so far. */
  public get size(): number {
    return this.frames.length;
  }

  /**
   * Number of distinct unidirectional flows: packets sharing protocol, source and destination
   * address and port (ICMP: type and code). What a NetFlow v9 / IPFIX exporter reports as
   * records when no flow times out or is split, as each direction of a conversation is its own.
   */
  public get directedFlows(): number {
    return this.keys.size;
  }

  /** Adds a TCP segment captured at `timeUs` (epoch microseconds). */
  public tcp(timeUs: number, segment: TcpSegment): void {
    const options = segment.options ?? (segment.flags & TCP.SYN ? SYN_OPTIONS : TS_OPTIONS);
    if (options.length % 4 !== 0 || options.length > 40) {
      throw new RangeError(`TCP options must be 0-40 bytes in 4-byte words, got ${options.length}`);
    }
    const payload = segment.payload ?? new Uint8Array(0);
    const header = new Uint8Array(20 + options.length + payload.length);
    const view = new DataView(header.buffer);
    view.setUint16(0, segment.srcPort);
    view.setUint16(2, segment.dstPort);
    view.setUint32(4, segment.seq >>> 0);
    view.setUint32(8, segment.ack >>> 0);
    header[12] = ((20 + options.length) / 4) << 4;
    header[13] = segment.flags;
    view.setUint16(14, 64240);
    header.set(options, 20);
    header.set(payload, 20 + options.length);
    this.keys.add(`6 ${segment.src} ${segment.srcPort} ${segment.dst} ${segment.dstPort}`);
    this.add(timeUs, segment.src, segment.dst, PROTO_TCP, header, 16);
  }

  /** Adds a UDP datagram captured at `timeUs` (epoch microseconds). */
  public udp(timeUs: number, datagram: UdpDatagram): void {
    const body = new Uint8Array(8 + datagram.payload.length);
    const view = new DataView(body.buffer);
    view.setUint16(0, datagram.srcPort);
    view.setUint16(2, datagram.dstPort);
    view.setUint16(4, body.length);
    body.set(datagram.payload, 8);
    this.keys.add(`17 ${datagram.src} ${datagram.srcPort} ${datagram.dst} ${datagram.dstPort}`);
    this.add(timeUs, datagram.src, datagram.dst, PROTO_UDP, body, 6);
  }

  /** Adds an ICMP message (ICMPv6 between IPv6 addresses) captured at `timeUs`. */
  public icmp(timeUs: number, message: IcmpMessage): void {
    const body = new Uint8Array(4 + message.body.length);
    body[0] = message.type;
    body[1] = message.code;
    body.set(message.body, 4);
    const v4 = isIPv4(message.src);
    this.keys.add(`icmp ${message.src} ${message.dst} ${message.type}/${message.code}`);
    this.add(timeUs, message.src, message.dst, v4 ? PROTO_ICMP : PROTO_ICMPV6, body, 2, !v4);
  }

  /** The pcap file: global header (Ethernet link type) and the frames sorted by time. */
  public toBuffer(): Buffer {
    const sorted = [...this.frames].sort((a, b) => a.timeUs - b.timeUs);
    const total = 24 + sorted.reduce((sum, f) => sum + 16 + f.frame.length, 0);
    const out = Buffer.alloc(total);
    out.writeUInt32LE(0xa1b2c3d4, 0);
    out.writeUInt16LE(2, 4);
    out.writeUInt16LE(4, 6);
    out.writeUInt32LE(65535, 16);
    out.writeUInt32LE(1, 20);
    let at = 24;
    for (const { timeUs, frame } of sorted) {
      out.writeUInt32LE(Math.floor(timeUs / 1e6), at);
      out.writeUInt32LE(timeUs % 1e6, at + 4);
      out.writeUInt32LE(frame.length, at + 8);
      out.writeUInt32LE(frame.length, at + 12);
      out.set(frame, at + 16);
      at += 16 + frame.length;
    }
    return out;
  }

  /**
   * Wraps a transport header + payload in IP and Ethernet and stores it. `checksumAt` is the
   * offset of the transport checksum; ICMP over IPv4 (`pseudo` false) has no pseudo-header.
   */
  private add(
    timeUs: number,
    src: string,
    dst: string,
    protocol: number,
    transport: Uint8Array,
    checksumAt: number,
    pseudo = true,
  ): void {
    if (!Number.isSafeInteger(timeUs) || timeUs < 0) {
      throw new RangeError(`pcap time must be whole epoch microseconds, got ${timeUs}`);
    }
    const v4 = isIPv4(src);
    const srcBytes = addressBytes(src);
    const dstBytes = addressBytes(dst);
    if (srcBytes.length !== dstBytes.length) {
      throw new RangeError(`pcap packet mixes address families: ${src} -> ${dst}`);
    }
    const pseudoSum = pseudo ? sum16(srcBytes) + sum16(dstBytes) + protocol + transport.length : 0;
    new DataView(transport.buffer).setUint16(checksumAt, fold(pseudoSum + sum16(transport)));
    const ipHeader = v4
      ? ipv4Header(srcBytes, dstBytes, protocol, transport.length, this.frames.length)
      : ipv6Header(srcBytes, dstBytes, protocol, transport.length);
    const frame = new Uint8Array(14 + ipHeader.length + transport.length);
    frame.set(macFor(dstBytes), 0);
    frame.set(macFor(srcBytes), 6);
    new DataView(frame.buffer).setUint16(12, v4 ? 0x0800 : 0x86dd);
    frame.set(ipHeader, 14);
    frame.set(transport, 14 + ipHeader.length);
    this.frames.push({ timeUs, frame });
  }
}

function ipv4Header(
  src: Uint8Array,
  dst: Uint8Array,
  protocol: number,
  length: number,
  id: number,
): Uint8Array {
  const header = new Uint8Array(20);
  const view = new DataView(header.buffer);
  header[0] = 0x45;
  view.setUint16(2, 20 + length);
  view.setUint16(4, id & 0xffff);
  view.setUint16(6, 0x4000); // don't fragment
  header[8] = 64;
  header[9] = protocol;
  header.set(src, 12);
  header.set(dst, 16);
  view.setUint16(10, fold(sum16(header)));
  return header;
}

function ipv6Header(
  src: Uint8Array,
  dst: Uint8Array,
  protocol: number,
  length: number,
): Uint8Array {
  const header = new Uint8Array(40);
  const view = new DataView(header.buffer);
  header[0] = 0x60;
  view.setUint16(4, length);
  header[6] = protocol;
  header[7] = 64;
  header.set(src, 8);
  header.set(dst, 24);
  return header;
}

/** A locally administered MAC derived from the host address, so each host has its own. */
function macFor(address: Uint8Array): Uint8Array {
  const tail = address.subarray(address.length - 4);
  return Uint8Array.from([0x02, 0x00, ...tail]);
}

/** The 4 or 16 bytes of an IPv4 or IPv6 address text. */
export function addressBytes(address: string): Uint8Array {
  if (isIPv4(address)) return Uint8Array.from(address.split('.').map(Number));
  const [head = '', tail] = address.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const left = groups(head);
  const right = groups(tail);
  const fill = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  const all = [...left, ...fill, ...right];
  if (all.length !== 8) throw new RangeError(`not an IPv4 or IPv6 address: ${address}`);
  const bytes = new Uint8Array(16);
  all.forEach((group, i) => {
    const value = Number.parseInt(group, 16);
    bytes[2 * i] = value >> 8;
    bytes[2 * i + 1] = value & 0xff;
  });
  return bytes;
}

/** Sum of the 16-bit big-endian words (odd length padded with a zero byte). */
function sum16(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) sum += ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0);
  return sum;
}

/** The ones'-complement of the folded sum: the Internet checksum. */
function fold(sum: number): number {
  let s = sum;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return ~s & 0xffff;
}
