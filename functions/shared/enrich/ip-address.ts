import { WardflowError } from '../errors.js';

/**
 * Textual IPv4/IPv6 addresses and CIDR prefixes, parsed into bytes (network byte order).
 *
 * Decisions:
 * - IPv4 is strict dotted-quad: four decimal octets 0–255 without leading zeros (`010.0.0.1` is
 *   rejected because some parsers read it as octal).
 * - IPv6 accepts upper or lower case, `::` compression (one or more zero groups) and an embedded
 *   IPv4 tail (`::ffff:1.2.3.4`).
 * - A `%zone` scope suffix (`fe80::1%eth0`) is accepted on addresses and ignored: the scope
 *   names an interface of the observing host, it is not part of the 16 address bytes on the wire,
 *   and Community ID and zone lookup both work on those bytes. It is rejected in CIDRs, where it
 *   has no meaning.
 */

/** IP address family. */
export type IpFamily = 4 | 6;

/** A parsed address. */
export interface IpAddress {
  readonly family: IpFamily;
  /** 4 bytes (IPv4) or 16 bytes (IPv6), network byte order. */
  readonly bytes: Uint8Array;
}

/** A parsed CIDR prefix whose host bits are all zero. */
export interface Cidr extends IpAddress {
  /** Prefix length: 0–32 for IPv4, 0–128 for IPv6. */
  readonly prefixLength: number;
}

/** An address or CIDR text is malformed; the message quotes the text and what was expected. */
export class AddressParseError extends WardflowError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AddressParseError';
  }
}

const DOT = 46;
const COLON = 58;

/**
 * Parses `text[start, end)` as dotted-quad IPv4. Returns the address as an unsigned 32-bit
 * integer, or -1 when the text is not a valid address. Allocates nothing.
 */
function parseIpv4Range(text: string, start: number, end: number): number {
  let acc = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === DOT) {
      if (digits === 0 || dots === 3) return -1;
      acc = acc * 256 + octet;
      dots++;
      octet = 0;
      digits = 0;
      continue;
    }
    const d = c - 48;
    if (d < 0 || d > 9 || (digits > 0 && octet === 0)) return -1;
    octet = octet * 10 + d;
    if (octet > 255) return -1;
    digits++;
  }
  if (dots !== 3 || digits === 0) return -1;
  return acc * 256 + octet;
}

/**
 * Parses dotted-quad IPv4 text (`10.1.2.3`) without allocating: it runs for both addresses of
 * every flow record.
 *
 * @returns the address as an unsigned 32-bit integer (0 … 2^32-1), or -1 when invalid
 */
export function parseIpv4(text: string): number {
  return text.length > 15 ? -1 : parseIpv4Range(text, 0, text.length);
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

// Scratch for the up-to-8 groups seen before `::` expansion; reused so parsing allocates nothing.
const groups = new Uint16Array(8);

/**
 * Parses IPv6 text into `out[offset … offset+16)`. A `%zone` suffix is ignored (see the module
 * comment). Allocates nothing.
 *
 * @returns true when `text` is a valid IPv6 address; `out` is unspecified otherwise
 */
export function parseIpv6Into(text: string, out: Uint8Array, offset = 0): boolean {
  let end = text.length;
  const pct = text.indexOf('%');
  if (pct >= 0) {
    if (pct === end - 1) return false;
    end = pct;
  }
  if (end < 2 || end > 45) return false;
  let i = 0;
  let n = 0;
  let gap = -1;
  if (text.charCodeAt(0) === COLON) {
    if (text.charCodeAt(1) !== COLON) return false;
    gap = 0;
    i = 2;
  }
  while (i < end) {
    if (n === 8) return false;
    const start = i;
    let value = 0;
    while (i < end) {
      const h = hexValue(text.charCodeAt(i));
      if (h < 0) break;
      value = value * 16 + h;
      i++;
    }
    if (i < end && text.charCodeAt(i) === DOT) {
      if (n > 6) return false;
      const v4 = parseIpv4Range(text, start, end);
      if (v4 < 0) return false;
      groups[n++] = Math.floor(v4 / 65536);
      groups[n++] = v4 % 65536;
      i = end;
      break;
    }
    const digits = i - start;
    if (digits === 0 || digits > 4) return false;
    groups[n++] = value;
    if (i === end) break;
    if (text.charCodeAt(i) !== COLON) return false;
    i++;
    if (i < end && text.charCodeAt(i) === COLON) {
      if (gap >= 0) return false;
      gap = n;
      i++;
    } else if (i === end) {
      return false;
    }
  }
  if (gap < 0 ? n !== 8 : n > 7) return false;
  const zeros = 8 - n;
  let g = 0;
  for (let k = 0; k < 8; k++) {
    const v = gap >= 0 && k >= gap && k < gap + zeros ? 0 : (groups[g++] as number);
    out[offset + 2 * k] = v >>> 8;
    out[offset + 2 * k + 1] = v & 0xff;
  }
  return true;
}

/**
 * Parses an IPv4 or IPv6 address into `out` (4 bytes written for IPv4, 16 for IPv6; `out` must
 * hold 16). Allocates nothing.
 *
 * @returns the family, or 0 when `text` is not an address
 */
export function parseIpInto(text: string, out: Uint8Array): IpFamily | 0 {
  const v4 = parseIpv4(text);
  if (v4 >= 0) {
    writeUint32(v4, out, 0);
    return 4;
  }
  return parseIpv6Into(text, out, 0) ? 6 : 0;
}

/** Writes an unsigned 32-bit integer big-endian into `out[offset … offset+4)`. */
export function writeUint32(value: number, out: Uint8Array, offset: number): void {
  out[offset] = value >>> 24;
  out[offset + 1] = (value >>> 16) & 0xff;
  out[offset + 2] = (value >>> 8) & 0xff;
  out[offset + 3] = value & 0xff;
}

/**
 * Parses an IPv4 or IPv6 address into a fresh byte array; for hot paths use {@link parseIpv4} or
 * {@link parseIpInto}.
 *
 * @returns the address, or null when `text` is not one
 */
export function parseIp(text: string): IpAddress | null {
  const scratch = new Uint8Array(16);
  const family = parseIpInto(text, scratch);
  if (family === 0) return null;
  return { family, bytes: family === 4 ? scratch.slice(0, 4) : scratch };
}

/**
 * True when an IPv6 address (16 bytes at `offset`) is IPv4-mapped, `::ffff:a.b.c.d`; its last 4
 * bytes are then the IPv4 address.
 */
export function isIpv4Mapped(bytes: Uint8Array, offset = 0): boolean {
  for (let i = 0; i < 10; i++) if (bytes[offset + i] !== 0) return false;
  return bytes[offset + 10] === 0xff && bytes[offset + 11] === 0xff;
}

/**
 * Parses CIDR text (`10.0.0.0/8`, `2001:db8::/32`). The prefix length is required and host bits
 * must be zero: `10.0.0.1/8` is an error that suggests `10.0.0.0/8`, because a typo in a zone
 * boundary should be seen, not silently widened.
 *
 * @throws AddressParseError naming the text and what was expected
 */
export function parseCidr(text: string): Cidr {
  const slash = text.indexOf('/');
  if (slash < 0 || slash !== text.lastIndexOf('/')) {
    throw new AddressParseError(
      `expected a CIDR such as 10.0.0.0/8 or 2001:db8::/32, got ${JSON.stringify(text)}`,
    );
  }
  const addressText = text.slice(0, slash);
  const lengthText = text.slice(slash + 1);
  if (addressText.includes('%')) {
    throw new AddressParseError(
      `${JSON.stringify(text)}: a %zone suffix is not allowed in a CIDR; remove it`,
    );
  }
  const address = parseIp(addressText);
  if (address === null) {
    throw new AddressParseError(
      `${JSON.stringify(text)}: expected an IPv4 or IPv6 address before "/", got ${JSON.stringify(addressText)}`,
    );
  }
  const maxLength = address.family === 4 ? 32 : 128;
  if (!/^(0|[1-9]\d{0,2})$/.test(lengthText) || Number(lengthText) > maxLength) {
    throw new AddressParseError(
      `${JSON.stringify(text)}: expected a prefix length 0–${maxLength} for IPv${address.family}, got ${JSON.stringify(lengthText)}`,
    );
  }
  const prefixLength = Number(lengthText);
  const network = maskBytes(address.bytes, prefixLength);
  if (!sameBytes(network, address.bytes)) {
    const suggestion = `${formatIp(address.family, network)}/${prefixLength}`;
    throw new AddressParseError(`${text} has host bits set; did you mean ${suggestion}?`);
  }
  return { family: address.family, bytes: network, prefixLength };
}

/** A copy of `bytes` with every bit after the first `prefixLength` cleared. */
export function maskBytes(bytes: Uint8Array, prefixLength: number): Uint8Array {
  const out = bytes.slice();
  for (let i = 0; i < out.length; i++) {
    const keep = prefixLength - i * 8;
    if (keep >= 8) continue;
    out[i] = keep <= 0 ? 0 : (out[i] as number) & (0xff << (8 - keep));
  }
  return out;
}

/** True when the address (same family as the CIDR) lies inside the CIDR. */
export function cidrContains(cidr: Cidr, address: IpAddress): boolean {
  if (cidr.family !== address.family) return false;
  return sameBytes(maskBytes(address.bytes, cidr.prefixLength), cidr.bytes);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Formats address bytes as text: dotted quad for IPv4, RFC 5952 for IPv6 (lower case, the
 * longest run of two or more zero groups compressed to `::`, IPv4-mapped as `::ffff:a.b.c.d`).
 */
export function formatIp(family: IpFamily, bytes: Uint8Array): string {
  if (family === 4) return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
  if (isIpv4Mapped(bytes)) return `::ffff:${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
  const words: number[] = [];
  for (let k = 0; k < 8; k++)
    words.push(((bytes[2 * k] as number) << 8) | (bytes[2 * k + 1] as number));
  let bestStart = -1;
  let bestLength = 1;
  for (let k = 0; k < 8; ) {
    if (words[k] !== 0) {
      k++;
      continue;
    }
    let j = k;
    while (j < 8 && words[j] === 0) j++;
    if (j - k > bestLength) {
      bestStart = k;
      bestLength = j - k;
    }
    k = j;
  }
  const hex = (ws: number[]): string => ws.map((w) => w.toString(16)).join(':');
  if (bestStart < 0) return hex(words);
  return `${hex(words.slice(0, bestStart))}::${hex(words.slice(bestStart + bestLength))}`;
}
