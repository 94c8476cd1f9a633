import { type PcapWriter, TCP } from './pcap-writer.js';

/**
 * Whole exchanges written packet by packet into a {@link PcapWriter}: a TCP connection with its
 * handshake, data and FIN close; a port-scan probe (SYN answered by RST, by SYN/ACK, or not at
 * all); a UDP request and reply; an ICMP echo. Times are epoch microseconds; each function
 * returns the time of its last packet.
 */

/** Nmap's SYN probe carries only an MSS option (a 44-byte IPv4 packet). */
const NMAP_SYN_OPTIONS = [2, 4, 5, 180];
const MSS = 1448;

/** One message of an application conversation inside a TCP connection. */
export interface Message {
  readonly from: 'client' | 'server';
  readonly data: Uint8Array;
}

/** A TCP connection from `client`:`clientPort` to `server`:`serverPort`. */
export interface TcpConnection {
  readonly client: string;
  readonly server: string;
  readonly clientPort: number;
  readonly serverPort: number;
  readonly startUs: number;
  /** Round-trip time; replies come half of it after what they answer. */
  readonly rttUs: number;
  readonly messages: readonly Message[];
  /** Time between messages (think time, server work). */
  readonly gapUs: number;
}

/** Writes a full TCP connection: handshake, the messages (MSS-sized segments, ACKed), FIN close. */
export function writeTcpConnection(pcap: PcapWriter, c: TcpConnection): number {
  const half = Math.max(1, Math.round(c.rttUs / 2));
  const ends = {
    client: { ip: c.client, port: c.clientPort, seq: 1_000_000 + c.clientPort * 7 },
    server: { ip: c.server, port: c.serverPort, seq: 2_000_000 + c.clientPort * 13 },
  };
  const send = (time: number, from: 'client' | 'server', flags: number, data?: Uint8Array) => {
    const a = ends[from];
    const b = ends[from === 'client' ? 'server' : 'client'];
    pcap.tcp(time, {
      src: a.ip,
      dst: b.ip,
      srcPort: a.port,
      dstPort: b.port,
      seq: a.seq,
      ack: flags & TCP.ACK ? b.seq : 0,
      flags,
      payload: data,
    });
    a.seq += (data?.length ?? 0) + (flags & (TCP.SYN | TCP.FIN) ? 1 : 0);
  };
  let t = c.startUs;
  /** Sends after `delay` microseconds and makes that the current time. */
  const after = (delay: number, from: 'client' | 'server', flags: number, data?: Uint8Array) => {
    t += delay;
    send(t, from, flags, data);
  };
  after(0, 'client', TCP.SYN);
  after(half, 'server', TCP.SYN | TCP.ACK);
  after(half, 'client', TCP.ACK);
  for (const message of c.messages) {
    t += c.gapUs;
    const receiver = message.from === 'client' ? 'server' : 'client';
    for (let at = 0; at < message.data.length; at += MSS) {
      const last = at + MSS >= message.data.length;
      const flags = TCP.ACK | (last ? TCP.PSH : 0);
      after(40, message.from, flags, message.data.subarray(at, at + MSS));
      // Delayed ACK: every second full segment, and the last one.
      if (last || (at / MSS) % 2 === 1) send(t + half, receiver, TCP.ACK);
    }
    t += half;
  }
  after(c.gapUs, 'client', TCP.FIN | TCP.ACK);
  after(half, 'server', TCP.FIN | TCP.ACK);
  after(half, 'client', TCP.ACK);
  return t;
}

/** How a probed port answers: closed (RST), open (SYN/ACK, then the scanner resets), filtered. */
export type ProbeReply = 'closed' | 'open' | 'filtered';

/** One SYN-scan probe. */
export interface SynProbe {
  readonly scanner: string;
  readonly target: string;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly startUs: number;
  readonly rttUs: number;
  readonly reply: ProbeReply;
}

/** Writes a half-open (nmap -sS style) probe; a filtered port gets one retransmitted SYN. */
export function writeSynProbe(pcap: PcapWriter, p: SynProbe): number {
  const seq = 0x5ca00000 + p.dstPort * 31 + p.srcPort;
  const out = { src: p.scanner, dst: p.target, srcPort: p.srcPort, dstPort: p.dstPort };
  const back = { src: p.target, dst: p.scanner, srcPort: p.dstPort, dstPort: p.srcPort };
  const syn = { ...out, seq, ack: 0, flags: TCP.SYN, options: NMAP_SYN_OPTIONS };
  pcap.tcp(p.startUs, syn);
  const replyAt = p.startUs + p.rttUs;
  switch (p.reply) {
    case 'closed':
      pcap.tcp(replyAt, { ...back, seq: 0, ack: seq + 1, flags: TCP.RST | TCP.ACK, options: [] });
      return replyAt;
    case 'open':
      pcap.tcp(replyAt, { ...back, seq: 0x7000, ack: seq + 1, flags: TCP.SYN | TCP.ACK });
      pcap.tcp(replyAt + 50, { ...out, seq: seq + 1, ack: 0, flags: TCP.RST, options: [] });
      return replyAt + 50;
    case 'filtered':
      pcap.tcp(p.startUs + 1_000_000, syn);
      return p.startUs + 1_000_000;
  }
}

/** A UDP request and its reply (DNS, NTP, …). */
export interface UdpExchange {
  readonly client: string;
  readonly server: string;
  readonly clientPort: number;
  readonly serverPort: number;
  readonly startUs: number;
  readonly rttUs: number;
  readonly request: Uint8Array;
  readonly reply: Uint8Array;
}

/** Writes a UDP request and, one round trip later, its reply. */
export function writeUdpExchange(pcap: PcapWriter, u: UdpExchange): number {
  const to = { src: u.client, dst: u.server, srcPort: u.clientPort, dstPort: u.serverPort };
  const from = { src: u.server, dst: u.client, srcPort: u.serverPort, dstPort: u.clientPort };
  pcap.udp(u.startUs, { ...to, payload: u.request });
  pcap.udp(u.startUs + u.rttUs, { ...from, payload: u.reply });
  return u.startUs + u.rttUs;
}

/** Writes `count` ICMP echo requests (one per second) and their replies, IPv4 or IPv6. */
export function writePing(
  pcap: PcapWriter,
  from: string,
  to: string,
  startUs: number,
  count: number,
  v6 = false,
): number {
  const [request, reply] = v6 ? [128, 129] : [8, 0];
  let t = startUs;
  for (let seq = 1; seq <= count; seq++) {
    const body = new Uint8Array(4 + 56);
    body.set([0x12, 0x34, seq >> 8, seq & 0xff]);
    for (let i = 4; i < body.length; i++) body[i] = i;
    t = startUs + (seq - 1) * 1_000_000;
    pcap.icmp(t, { src: from, dst: to, type: request, code: 0, body });
    pcap.icmp(t + 400, { src: to, dst: from, type: reply, code: 0, body });
  }
  return t + 400;
}
