import type { ParsedFlow, SourceType } from '../flow-record.js';

/**
 * What one input line turned out to be. Every line that is a record is exactly one of `flow`,
 * `skipped` or `quarantined`, which is what keeps
 * `records_in = records_written + records_quarantined + records_skipped` true.
 */
export type LineOutcome =
  /** A flow, ready for enrichment. */
  | { readonly kind: 'flow'; readonly flow: ParsedFlow }
  /** A record that is not a flow (VPC `NODATA`/`SKIPDATA`): counted, never written. */
  | { readonly kind: 'skipped'; readonly reason: string }
  /** A record that cannot be parsed: written to `quarantine/` with the reason. */
  | { readonly kind: 'quarantined'; readonly reason: string }
  /** Not a record at all: a header, a `#` directive, a blank line, a summary trailer. */
  | { readonly kind: 'meta' };

/** A stateful parser for one file; lines arrive in order, numbered from 1. */
export interface LineParser {
  readonly sourceType: SourceType;
  /** Parses one line (without its line terminator). Never throws for bad data. */
  parseLine(line: string, lineNumber: number): LineOutcome;
  /**
   * Names of input fields the parser does not know and ignores (VPC custom formats, extra Zeek
   * columns), reported in the ingest summary.
   */
  readonly ignoredFields: readonly string[];
}

/** Facts about the input object that parsers may need. */
export interface ParseContext {
  /** The object key or file path as the user named it; used for `raw_ref` and VPC key metadata. */
  readonly objectRef: string;
  /** IANA time zone for timestamps that carry none (legacy nfdump CSV). */
  readonly timezone: string;
  /** Fallback sensor name when the record carries none (e.g. the site or folder). */
  readonly defaultSensor: string;
}

/** Shorthand constructors so parsers read cleanly. */
export const META: LineOutcome = { kind: 'meta' };

/** A quarantine outcome naming the field and what was seen. */
export function quarantine(reason: string): LineOutcome {
  return { kind: 'quarantined', reason };
}
