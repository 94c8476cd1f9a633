import type { WardflowConfig } from '../config.js';
import {
  AddressParseError,
  type Cidr,
  formatIp,
  parseCidr,
  parseIp,
} from '../enrich/ip-address.js';
import { WardflowError } from '../errors.js';

/**
 * The widest IPv6 range matched: it is expanded to its addresses (at most 256), since the lake
 * keeps IPv6 addresses as RFC 5952 text, which no portable string test can range-match.
 */
const WIDEST_IPV6_PREFIX = 120;

/** A threat-intel entry (config or list file) is not an address or a range wardflow can match. */
export class ThreatIntelError extends WardflowError {
  public constructor(message: string) {
    super(message);
    this.name = 'ThreatIntelError';
  }
}

/** The listed addresses in the form queries match them. */
export interface ThreatIntelMatchSet {
  /** Addresses in the lake's spelling (dotted quad, RFC 5952), matched by equality. */
  readonly addresses: readonly string[];
  /** IPv4 ranges as inclusive unsigned 32-bit bounds, matched on the address's number. */
  readonly ipv4Ranges: readonly (readonly [number, number])[];
}

/**
 * Reads a threat-intel list: one IP address or CIDR per line; blank lines and `#` comments (whole
 * line or after the entry) are ignored, as in the feeds hospitals subscribe to.
 *
 * @throws ThreatIntelError naming the source, the line and the text
 */
export function parseThreatIntelList(text: string, source: string): string[] {
  const entries: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const entry = raw.replace(/#.*$/, '').trim();
    if (entry === '') return;
    try {
      matchSet([entry]);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ThreatIntelError(`${source}:${index + 1}: ${reason}`);
    }
    entries.push(entry);
  });
  return entries;
}

/**
 * The configuration with every list file of `threat_intel.files` read into `threat_intel.ips`
 * (`read` gives a file's text: the local file system, or S3 in the cloud), so that detections see
 * one list whatever its origin.
 */
export async function resolveThreatIntel(
  config: WardflowConfig,
  read: (ref: string) => Promise<string>,
): Promise<WardflowConfig> {
  if (config.threat_intel.files.length === 0) return config;
  const ips = [...config.threat_intel.ips];
  for (const file of config.threat_intel.files) {
    ips.push(...parseThreatIntelList(await read(file), file));
  }
  return { ...config, threat_intel: { ips, files: [] } };
}

/**
 * Splits listed entries into exact addresses and IPv4 ranges. A single-address CIDR (/32, /128)
 * is an address; IPv6 ranges up to 256 addresses are expanded.
 *
 * @throws ThreatIntelError for text that is neither, or an IPv6 range wider than /120
 */
export function matchSet(entries: readonly string[]): ThreatIntelMatchSet {
  const addresses = new Set<string>();
  const ipv4Ranges: [number, number][] = [];
  for (const entry of entries) {
    if (!entry.includes('/')) {
      const address = parseIp(entry);
      if (address === null)
        throw new ThreatIntelError(`expected an IP address or CIDR, got ${JSON.stringify(entry)}`);
      addresses.add(formatIp(address.family, address.bytes));
      continue;
    }
    let cidr: Cidr;
    try {
      cidr = parseCidr(entry);
    } catch (error) {
      if (error instanceof AddressParseError) throw new ThreatIntelError(error.message);
      throw error;
    }
    if (cidr.family === 4) {
      const first = new DataView(cidr.bytes.buffer, cidr.bytes.byteOffset, 4).getUint32(0);
      const size = 2 ** (32 - cidr.prefixLength);
      if (size === 1) addresses.add(formatIp(4, cidr.bytes));
      else ipv4Ranges.push([first, first + size - 1]);
      continue;
    }
    if (cidr.prefixLength < WIDEST_IPV6_PREFIX) {
      throw new ThreatIntelError(
        `${entry}: IPv6 ranges wider than /${WIDEST_IPV6_PREFIX} cannot be matched; list the addresses instead`,
      );
    }
    for (let i = 0; i < 2 ** (128 - cidr.prefixLength); i++) {
      const bytes = cidr.bytes.slice();
      bytes[15] = (bytes[15] as number) + i;
      addresses.add(formatIp(6, bytes));
    }
  }
  return { addresses: [...addresses].sort(), ipv4Ranges };
}
