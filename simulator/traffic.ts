import type { Connection, ConnState } from './connection.js';
import type { HospitalNetwork, Host } from './network.js';
import type { Prng } from './prng.js';

/** What a behaviour or an attack asks for; the network decides how it ends. */
export interface ConnectionRequest {
  readonly start: number;
  /** Intended duration in ms (transfers last at least as long as their bytes take). */
  readonly duration: number;
  readonly src: Host | string;
  readonly dst: Host | string;
  readonly dstPort: number;
  readonly proto: 6 | 17;
  readonly outBytes: number;
  readonly inBytes: number;
  readonly service?: string | null;
  /** Force an outcome (brute-force attempts reset by the server, for instance). */
  readonly state?: ConnState;
  /** UDP packets each way when the payload size does not say (periodic telemetry). */
  readonly outPackets?: number;
  readonly inPackets?: number;
}

/**
 * Turns a request into a connection as the network would carry it: a cloud destination whose
 * security group does not admit the source sees only unanswered SYNs (`S0`, VPC `REJECT`); a
 * closed TCP port answers with a reset (`REJ`); otherwise the connection completes (`SF`).
 * Durations are clipped so the connection ends before `runEnd`.
 */
export function makeConnection(
  network: HospitalNetwork,
  rng: Prng,
  r: ConnectionRequest,
  runEnd: number,
): Connection {
  const srcHost = typeof r.src === 'string' ? (network.host(r.src) ?? null) : r.src;
  const dstHost = typeof r.dst === 'string' ? (network.host(r.dst) ?? null) : r.dst;
  const src = typeof r.src === 'string' ? r.src : r.src.ip;
  const dst = typeof r.dst === 'string' ? r.dst : r.dst.ip;
  const srcPort = 49152 + rng.int(16383);
  const limit = Math.max(0, runEnd - 1 - r.start);
  const service = r.service ?? null;
  const blocked =
    dstHost !== null && dstHost.eni !== null && !network.admits(dstHost, src, r.dstPort);
  // Every outcome builds the same literal, field for field: one object shape for the millions
  // of connections (an object spread here cost a fifth of the generator's time).
  if (blocked || r.state === 'S0') {
    // The SYN (or datagram) is dropped silently; TCP retries twice, 1 s then 2 s later.
    const tcp = r.proto === 6;
    return connection(r, src, srcPort, dst, srcHost, dstHost, {
      duration: Math.min(limit, tcp ? 3000 : 0),
      origBytes: tcp ? 0 : r.outBytes,
      origPkts: tcp ? 3 : (r.outPackets ?? 1),
      respBytes: 0,
      respPkts: 0,
      state: 'S0',
      service: tcp ? null : service,
    });
  }
  const closed = r.proto === 6 && dstHost !== null && !dstHost.listens.has(r.dstPort);
  if (closed || r.state === 'REJ') {
    return connection(r, src, srcPort, dst, srcHost, dstHost, {
      duration: Math.min(limit, 1),
      origBytes: 0,
      origPkts: 1,
      respBytes: 0,
      respPkts: 1,
      state: 'REJ',
      service: null,
    });
  }
  const outBytes = Math.max(0, Math.round(r.outBytes));
  const inBytes = Math.max(0, Math.round(r.inBytes));
  let origPkts: number;
  let respPkts: number;
  if (r.proto === 6) {
    origPkts = 3 + Math.ceil(outBytes / 1448) + Math.floor(inBytes / 2896);
    respPkts = 2 + Math.ceil(inBytes / 1448) + Math.floor(outBytes / 2896);
  } else {
    origPkts = r.outPackets ?? Math.max(1, Math.ceil(outBytes / 1200));
    respPkts = inBytes > 0 ? (r.inPackets ?? Math.max(1, Math.ceil(inBytes / 1200))) : 0;
  }
  return connection(r, src, srcPort, dst, srcHost, dstHost, {
    duration: Math.min(limit, Math.max(1, Math.round(r.duration))),
    origBytes: outBytes,
    origPkts,
    respBytes: inBytes,
    respPkts,
    state: r.state ?? 'SF',
    service,
  });
}

/** How a connection ended: the fields that differ between outcomes. */
interface Outcome {
  readonly duration: number;
  readonly origBytes: number;
  readonly origPkts: number;
  readonly respBytes: number;
  readonly respPkts: number;
  readonly state: ConnState;
  readonly service: string | null;
}

function connection(
  r: ConnectionRequest,
  src: string,
  srcPort: number,
  dst: string,
  srcHost: Host | null,
  dstHost: Host | null,
  o: Outcome,
): Connection {
  return {
    start: r.start,
    duration: o.duration,
    src,
    srcPort,
    dst,
    dstPort: r.dstPort,
    proto: r.proto,
    origBytes: o.origBytes,
    origPkts: o.origPkts,
    respBytes: o.respBytes,
    respPkts: o.respPkts,
    state: o.state,
    service: o.service,
    srcHost,
    dstHost,
  };
}

/** The port's usual Zeek service name, for the ports the generator uses. */
export function serviceOf(port: number, proto: 6 | 17): string | null {
  if (proto === 17) return port === 53 ? 'dns' : port === 123 ? 'ntp' : port === 67 ? 'dhcp' : null;
  switch (port) {
    case 443:
    case 8443:
      return 'ssl';
    case 80:
    case 8080:
      return 'http';
    case 445:
    case 139:
      return 'smb';
    case 88:
      return 'krb_tcp';
    case 389:
      return 'ldap';
    case 22:
      return 'ssh';
    case 3389:
      return 'rdp';
    case 135:
      return 'dce_rpc';
    case 1433:
      return 'mssql';
    default:
      return null;
  }
}
