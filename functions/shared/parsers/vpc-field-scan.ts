const SPACE = 0x20;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const DASH = 0x2d;
const DOT = 0x2e;
/** `unknown`, the other way AWS writes "not applicable". */
const UNKNOWN = Uint8Array.from('unknown', (c) => c.charCodeAt(0));

// How the scanner reads a field besides locating it (`VpcFieldScan.kinds`).
/** Only located. */
export const TEXT_FIELD = 0;
/** Read as a decimal count (see {@link VpcFieldScan.values}). */
export const COUNT_FIELD = 1;
/** Read as a strict dotted-quad IPv4 address (see {@link VpcFieldScan.values}). */
export const ADDRESS_FIELD = 2;

/** {@link VpcFieldScan.values} of a COUNT field that is `-`. */
export const ABSENT = -2;
/** {@link VpcFieldScan.values} of a COUNT field that is not a count, or an ADDRESS that is not IPv4. */
export const INVALID = -1;

/**
 * Field boundaries of one VPC flow log line in the input bytes, and the numbers and IPv4
 * addresses in it, found in one pass over the bytes, so a record costs no array, no strings and
 * no second reading of its digits. Reused line after line.
 */
export class VpcFieldScan {
  /** Start (inclusive) and end (exclusive) offset of each field in the input. */
  public readonly starts: Int32Array;
  public readonly ends: Int32Array;
  /**
   * Per COUNT field, its value (a decimal count of up to 15 digits), {@link ABSENT} for `-`, or
   * {@link INVALID}; per ADDRESS field, the address as an unsigned 32-bit number when it is a
   * strict dotted quad (as `parseIpv4` reads it), else {@link INVALID}.
   */
  public readonly values: Float64Array;
  /** Where the last scanned line ended: the index of its `\n`, or the limit. */
  public lineEnd = 0;
  public readonly fields: number;

  /** @param kinds - how to read each field the header declares, in order (`*_FIELD`) */
  public constructor(public readonly kinds: Uint8Array) {
    this.fields = kinds.length;
    this.starts = new Int32Array(this.fields);
    this.ends = new Int32Array(this.fields);
    this.values = new Float64Array(this.fields);
  }

  /** True when the field is exactly the ASCII bytes `expected`. */
  public equals(bytes: Uint8Array, field: number, expected: Uint8Array): boolean {
    const start = this.starts[field] as number;
    const length = expected.length;
    if ((this.ends[field] as number) - start !== length) return false;
    for (let i = 0; i < length; i++) if (bytes[start + i] !== expected[i]) return false;
    return true;
  }

  /** True when the field is `-` or `unknown`, AWS's "not applicable". */
  public isAbsent(bytes: Uint8Array, field: number): boolean {
    const start = this.starts[field] as number;
    const length = (this.ends[field] as number) - start;
    return (length === 1 && bytes[start] === DASH) || this.equals(bytes, field, UNKNOWN);
  }

  /** The field if the column exists and holds a value (not `-` or `unknown`), else -1. */
  public present(bytes: Uint8Array, field: number): number {
    return field < 0 || this.isAbsent(bytes, field) ? -1 : field;
  }

  /** A COUNT field's value, or -1 for anything but a count (`-` included). */
  public count(field: number): number {
    const value = this.values[field] as number;
    return value < 0 ? INVALID : value;
  }

  /** Like `count`, but null when the column is missing or the value is `-`. */
  public optionalCount(field: number): number | null {
    if (field < 0) return null;
    const value = this.values[field] as number;
    return value === ABSENT ? null : value;
  }
}

/**
 * Locates and reads the fields of the line that starts at `bytes[start]` and ends before the
 * next `\n` (or at `limit`), separated by runs of spaces as `splitVpcLine` reads them, and sets
 * `scan.lineEnd`. Returns false, leaving the line to the general parser, when the line does not
 * have exactly `scan.fields` fields or holds any byte but printable ASCII and spaces (and a
 * `\r` before its `\n`): then no field needs trimming (`String#trim` strips other whitespace) or
 * decoding (UTF-8), which this scanner does not mimic.
 *
 * `bytes[limit]`, if there is such a byte, must not be printable (a `\n`, say): the scanner
 * reads up to it without comparing each position with the limit.
 */
export function scanVpcFields(
  bytes: Uint8Array,
  start: number,
  limit: number,
  scan: VpcFieldScan,
): boolean {
  const { starts, ends, values, kinds, fields } = scan;
  let field = 0;
  let i = start;
  while (i < limit) {
    let c = bytes[i] as number;
    if (c === SPACE) {
      i++;
      continue;
    }
    if (c === NEWLINE || isCrlf(bytes, i, limit)) break;
    if (c < 0x21 || c > 0x7e || field === fields) return skipLine(bytes, i, limit, scan);
    const first = i;
    starts[field] = first;
    const kind = kinds[field];
    if (kind === COUNT_FIELD) {
      let n = 0;
      let digitsOnly = true;
      do {
        const d = c - 48;
        if (d >= 0 && d <= 9) n = n * 10 + d;
        else digitsOnly = false;
        c = bytes[++i] as number;
      } while (c > 0x20 && c < 0x7f);
      const length = i - first;
      if (digitsOnly && length <= 15) values[field] = n;
      else values[field] = length === 1 && bytes[first] === DASH ? ABSENT : INVALID;
    } else if (kind === ADDRESS_FIELD) {
      // parseIpv4's rules: four decimal octets 0–255, no leading zeros, at most 15 characters.
      let address = 0;
      let octet = 0;
      let digits = 0;
      let dots = 0;
      let valid = true;
      do {
        if (c === DOT) {
          if (digits === 0 || dots === 3) valid = false;
          address = address * 256 + octet;
          dots++;
          octet = 0;
          digits = 0;
        } else {
          const d = c - 48;
          if (d < 0 || d > 9 || (digits > 0 && octet === 0)) valid = false;
          octet = octet * 10 + d;
          if (octet > 255) valid = false;
          digits++;
        }
        c = bytes[++i] as number;
      } while (c > 0x20 && c < 0x7f);
      values[field] =
        valid && dots === 3 && digits > 0 && i - first <= 15 ? address * 256 + octet : INVALID;
    } else {
      do {
        c = bytes[++i] as number;
      } while (c > 0x20 && c < 0x7f);
    }
    if (i < limit && c !== SPACE && c !== NEWLINE && !isCrlf(bytes, i, limit)) {
      return skipLine(bytes, i, limit, scan);
    }
    ends[field++] = i;
  }
  // A `\r` ending the line is its terminator's, as `segmentLines` reads it.
  scan.lineEnd = i < limit && bytes[i] === CARRIAGE_RETURN ? i + 1 : i;
  return field === fields && fields > 0;
}

/** True at a `\r` that ends the line (before `\n` or at the limit). */
function isCrlf(bytes: Uint8Array, at: number, limit: number): boolean {
  return bytes[at] === CARRIAGE_RETURN && (at + 1 === limit || bytes[at + 1] === NEWLINE);
}

/** Finds the end of a line the scanner gave up on; returns false. */
function skipLine(bytes: Uint8Array, from: number, limit: number, scan: VpcFieldScan): false {
  const newline = bytes.indexOf(NEWLINE, from);
  scan.lineEnd = newline < 0 || newline > limit ? limit : newline;
  return false;
}
