import { parseIp } from '../enrich/ip-address.js';

// Runs of characters an address can be written with; everything else separates candidates.
const CANDIDATES = /[0-9A-Fa-f:.]+/g;
// Four dotted numbers are treated as an address even when an octet is out of range.
const DOTTED_QUAD = /\d{1,3}(\.\d{1,3}){3}/;

/**
 * True when the text holds anything that reads as an IPv4 or IPv6 address (alone or inside a
 * longer word, with or without a trailing dot). Used as the last check on every SNS subject
 * and message attribute: SNS encrypts only the message body, so addresses (HIPAA identifiers)
 * must never reach the others.
 */
export function containsIpAddress(text: string): boolean {
  for (const match of text.matchAll(CANDIDATES)) {
    const candidate = match[0];
    if (DOTTED_QUAD.test(candidate)) return true;
    const colons = candidate.split(':').length - 1;
    if (colons < 2) continue;
    // Eight groups are an address whether or not parseIp accepts the spelling.
    if (colons >= 7 || parseIp(candidate.replace(/\.+$/, '')) !== null) return true;
  }
  return false;
}
