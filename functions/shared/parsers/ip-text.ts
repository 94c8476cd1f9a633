/**
 * A cheap shape check for IPv4 and IPv6 address text, run on every record at parse time so that
 * garbage is quarantined with its line. Full parsing happens during zone enrichment.
 */
export function isIpText(text: string): boolean {
  const len = text.length;
  if (len < 2 || len > 45) return false;
  let dots = 0;
  let colons = 0;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) dots++;
    else if (c === 58) colons++;
    else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false;
  }
  if (colons === 0) return dots === 3 && isDottedQuad(text);
  return colons >= 2 && colons <= 7 && (dots === 0 || dots === 3);
}

function isDottedQuad(text: string): boolean {
  let octet = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || octet > 255) return false;
      octet = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      octet = octet * 10 + (c - 48);
      if (++digits > 3) return false;
    } else {
      return false;
    }
  }
  return true;
}
