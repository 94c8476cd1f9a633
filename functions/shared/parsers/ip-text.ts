/**
 * A cheap shape check for IPv4 and IPv6 address text, run on every record at parse time so that
 * garbage is quarantined with its line. Full parsing (and the canonical text form) happens during
 * zone enrichment; parsers only need to reject garbage and, for Zeek, tell IPv4 from IPv6, which
 * decides whether `icmp` means ICMP (1) or ICMPv6 (58).
 */

/** True when the text has the shape of an IPv4 or IPv6 address. */
export function isIpText(text: string): boolean {
  return ipTextFamily(text) !== 0;
}

/** Address family of an address text: 4, 6, or 0 when the text is not address-shaped. */
export type IpTextFamily = 0 | 4 | 6;

/**
 * Classifies an address by its characters: dotted quad with octets 0–255 → 4; hex digits and
 * 2–7 colons (optionally ending in a dotted quad) → 6; anything else → 0.
 *
 * @param text - the address as printed (`192.0.2.10`, `2001:db8::1`, `::ffff:192.0.2.1`).
 */
export function ipTextFamily(text: string): IpTextFamily {
  const len = text.length;
  if (len < 2 || len > 45) return 0;
  let colons = 0;
  let dots = 0;
  let octet = 0;
  let octetDigits = 0;
  let hexLetters = false;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      octet = octet * 10 + (c - 48);
      octetDigits++;
    } else if (c === 46) {
      if (octetDigits === 0 || octetDigits > 3 || octet > 255) return 0;
      dots++;
      octet = 0;
      octetDigits = 0;
    } else if (c === 58) {
      // A colon after a dot would put hex groups after the embedded IPv4 part.
      if (dots > 0) return 0;
      colons++;
      octet = 0;
      octetDigits = 0;
    } else if ((c >= 97 && c <= 102) || (c >= 65 && c <= 70)) {
      if (dots > 0) return 0;
      hexLetters = true;
      // Hex groups are not octets; make sure a following '.' is rejected unless digits restart.
      octetDigits = 4;
    } else {
      return 0;
    }
  }
  if (colons === 0) {
    return dots === 3 && !hexLetters && octetDigits > 0 && octetDigits <= 3 && octet <= 255 ? 4 : 0;
  }
  if (colons < 2 || colons > 7) return 0;
  if (dots === 0) return 6;
  return dots === 3 && octetDigits > 0 && octetDigits <= 3 && octet <= 255 ? 6 : 0;
}
