import { SimulatorError } from './simulator-error.js';

/** An IPv4 CIDR as a network number and a size. */
export interface Ipv4Block {
  readonly text: string;
  readonly base: number;
  readonly size: number;
}

/** Parses `a.b.c.d/n` into its network number and address count. */
export function parseIpv4Block(text: string): Ipv4Block {
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(text);
  if (match === null)
    throw new SimulatorError(
      `expected an IPv4 CIDR such as 10.40.0.0/16, got ${JSON.stringify(text)}`,
    );
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) {
    throw new SimulatorError(
      `expected an IPv4 CIDR such as 10.40.0.0/16, got ${JSON.stringify(text)}`,
    );
  }
  const base =
    (((octets[0] as number) << 24) |
      ((octets[1] as number) << 16) |
      ((octets[2] as number) << 8) |
      (octets[3] as number)) >>>
    0;
  return { text, base, size: 2 ** (32 - prefix) };
}

/** Dotted text of a 32-bit address. */
export function ipv4Text(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

/**
 * The n-th usable host address of a block, skipping addresses whose last octet is 0 or 255 and
 * the first `reserve` (gateways, switches), as address plans on real VLANs do.
 *
 * @throws SimulatorError when the block has fewer usable addresses
 */
export function hostAddress(block: Ipv4Block, n: number, reserve = 9): string {
  const perOctet = 254;
  const index = n + reserve;
  const value =
    block.size <= 256
      ? block.base + 1 + index
      : block.base + Math.floor(index / perOctet) * 256 + 1 + (index % perOctet);
  if (
    value - block.base >= block.size - 1 ||
    index >= (block.size <= 256 ? block.size - 2 : (block.size / 256) * perOctet)
  ) {
    throw new SimulatorError(
      `${block.text} has no room for host ${n + 1} (after ${reserve} reserved addresses); widen the zone`,
    );
  }
  return ipv4Text(value);
}
