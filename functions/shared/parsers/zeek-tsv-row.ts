/**
 * A view of one Zeek TSV line's fields by offset: the parser reads the dozen columns it needs as
 * substrings, without splitting every line into an array of all of them.
 */
export class ZeekTsvRow {
  private readonly separator: string;
  private readonly fieldCount: number;
  /** Start offset of each field; one extra slot marks the end of the line. */
  private readonly starts: Int32Array;
  private line = '';

  /**
   * @param fieldCount - the number of fields `#fields` declares.
   * @param separator - the field separator (non-empty).
   */
  public constructor(fieldCount: number, separator: string) {
    this.fieldCount = fieldCount;
    this.separator = separator;
    this.starts = new Int32Array(fieldCount + 1);
  }

  /**
   * Locates the fields of a line.
   *
   * @returns the number of fields on the line; `field()` is valid only when it equals the
   * declared count.
   */
  public index(line: string): number {
    const separator = this.separator;
    const step = separator.length;
    const starts = this.starts;
    const max = this.fieldCount;
    this.line = line;
    starts[0] = 0;
    let count = 1;
    let at = line.indexOf(separator);
    while (at !== -1) {
      if (count < max) starts[count] = at + step;
      count++;
      at = line.indexOf(separator, at + step);
    }
    if (count === max) starts[max] = line.length + step;
    return count;
  }

  /** The text of field `k` of the last indexed line. */
  public field(k: number): string {
    const start = this.starts[k] ?? 0;
    const end = (this.starts[k + 1] ?? 0) - this.separator.length;
    return this.line.substring(start, end);
  }
}
