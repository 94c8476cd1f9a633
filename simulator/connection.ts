import type { Host } from './network.js';

/** Zeek connection states the generator produces (flow-formats.md §3.4). */
export type ConnState = 'SF' | 'S0' | 'REJ' | 'RSTO' | 'RSTR';

/**
 * One simulated connection, as Zeek would see it: the truth from which every source's records
 * are rendered (Zeek: one record; NetFlow: one per direction per active timeout; VPC: one per
 * direction per aggregation window at each endpoint ENI).
 */
export interface Connection {
  /** Epoch ms of the first packet. */
  readonly start: number;
  /** Milliseconds until the last packet. */
  readonly duration: number;
  readonly src: string;
  readonly srcPort: number;
  readonly dst: string;
  readonly dstPort: number;
  /** 6 TCP or 17 UDP. */
  readonly proto: 6 | 17;
  /** Payload bytes and packets each way (Zeek `orig_bytes`, `orig_pkts`, …). */
  readonly origBytes: number;
  readonly origPkts: number;
  readonly respBytes: number;
  readonly respPkts: number;
  readonly state: ConnState;
  /** Zeek `service` (`ssl`, `dns`, …) or null when Zeek would not name one. */
  readonly service: string | null;
  /** The simulated hosts at each end; null for Internet addresses. */
  readonly srcHost: Host | null;
  readonly dstHost: Host | null;
}

/** IP + TCP (with timestamps) or IP + UDP header bytes per packet. */
export function headerBytes(proto: 6 | 17): number {
  return proto === 6 ? 52 : 28;
}

/** Zeek `history` for a state (upper case originator, lower case responder). */
export function zeekHistory(c: Connection): string {
  if (c.proto === 17) return c.respPkts > 0 ? 'Dd' : 'D';
  switch (c.state) {
    case 'SF':
      return 'ShADadFf';
    case 'S0':
      return 'S';
    case 'REJ':
      return 'Sr';
    case 'RSTO':
      return 'ShADadR';
    case 'RSTR':
      return 'ShADadr';
  }
}
