/**
 * Field boundaries of one VPC flow log line, found by index instead of `split`, so a record's
 * fields cost no array and no strings until a value is kept. Reused line after line.
 */
export class VpcFieldScan {
  /** Start (inclusive) and end (exclusive) offset of each field in the line. */
  public readonly starts: Int32Array;
  public readonly ends: Int32Array;

  /** @param fields - the number of fields the header declares */
  public constructor(public readonly fields: number) {
    this.starts = new Int32Array(fields);
    this.ends = new Int32Array(fields);
  }

  /** The field's text. */
  public text(line: string, field: number): string {
    return line.slice(this.starts[field] as number, this.ends[field] as number);
  }

  /** True when the field is exactly `expected`. */
  public equals(line: string, field: number, expected: string): boolean {
    const start = this.starts[field] as number;
    return (
      (this.ends[field] as number) - start === expected.length && line.startsWith(expected, start)
    );
  }

  /** True when the field is `-` or `unknown`, AWS's "not applicable". */
  public isAbsent(line: string, field: number): boolean {
    return this.equals(line, field, '-') || this.equals(line, field, 'unknown');
  }

  /** The field's text unless the column is missing or the value is `-` or `unknown`. */
  public present(line: string, field: number): string | null {
    if (field < 0 || this.isAbsent(line, field)) return null;
    return this.text(line, field);
  }

  /** The field as a decimal count of up to 15 digits, or -1 for anything else. */
  public count(line: string, field: number): number {
    const start = this.starts[field] as number;
    const end = this.ends[field] as number;
    if (end === start || end - start > 15) return -1;
    let n = 0;
    for (let i = start; i < end; i++) {
      const d = line.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return -1;
      n = n * 10 + d;
    }
    return n;
  }

  /** Like `count`, but null when the column is missing or the value is `-`. */
  public optionalCount(line: string, field: number): number | null {
    if (field < 0 || this.equals(line, field, '-')) return null;
    return this.count(line, field);
  }
}

/**
 * Locates the fields of `line` (runs of spaces separate them, as `splitVpcLine` reads it).
 * Returns false, leaving the line to the general parser, when the line does not have exactly
 * `scan.fields` fields or when its first or last non-space character is anything but printable
 * ASCII: `String#trim` would strip other whitespace there, which this scanner does not mimic.
 */
export function scanVpcFields(line: string, scan: VpcFieldScan): boolean {
  const len = line.length;
  const starts = scan.starts;
  const ends = scan.ends;
  const fields = scan.fields;
  let field = 0;
  let i = 0;
  while (i < len) {
    while (i < len && line.charCodeAt(i) === 32) i++;
    if (i === len) break;
    if (field === fields) return false;
    starts[field] = i;
    while (i < len && line.charCodeAt(i) !== 32) i++;
    ends[field++] = i;
  }
  if (field !== fields || fields === 0) return false;
  const first = line.charCodeAt(starts[0] as number);
  const last = line.charCodeAt((ends[fields - 1] as number) - 1);
  return first > 32 && first < 127 && last > 32 && last < 127;
}
