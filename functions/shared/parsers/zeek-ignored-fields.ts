/**
 * The input fields a Zeek parser does not use (label columns, `community_id`, envelope keys),
 * reported in the ingest summary. Deduplicated, in order of first appearance, and bounded: a
 * hostile file with millions of distinct keys cannot grow the list past MAX_IGNORED_FIELDS.
 */

/** How many ignored field names are kept; further names are dropped from the report. */
export const MAX_IGNORED_FIELDS = 100;

/** A deduplicated, bounded list of ignored field names. */
export class ZeekIgnoredFields {
  private readonly list: string[] = [];
  private readonly seen = new Set<string>();

  /** The names noted so far (at most MAX_IGNORED_FIELDS). */
  public get names(): readonly string[] {
    return this.list;
  }

  /** Notes a name unless it was noted before or the list is full. */
  public note(name: string): void {
    if (this.list.length >= MAX_IGNORED_FIELDS || this.seen.has(name)) return;
    this.seen.add(name);
    this.list.push(name);
  }
}
