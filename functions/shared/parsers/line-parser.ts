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
   * Optional allocation-free variant of `parseLine` for the ingest hot path: when the line is a
   * flow, overwrites `flow` with it and returns null (`flow` is valid until the next call);
   * otherwise returns the same non-flow outcome `parseLine` would. Counts and reasons are those
   * of `parseLine`, line for line.
   */
  parseLineInto?(line: string, lineNumber: number, flow: ScannedFlow): LineOutcome | null;
  /**
   * Names of input fields the parser does not know and ignores (VPC custom formats, extra Zeek
   * columns), reported in the ingest summary.
   */
  readonly ignoredFields: readonly string[];
}

/**
 * A parsed flow that a parser overwrites in place, record after record (see
 * `LineParser.parseLineInto`), plus the IPv4 addresses as unsigned 32-bit numbers when the
 * parser already has them (-1 otherwise), so enrichment does not parse them again.
 */
export type ScannedFlow = { -readonly [K in keyof ParsedFlow]: ParsedFlow[K] } & {
  srcIpv4: number;
  dstIpv4: number;
};

/** A blank {@link ScannedFlow} for a parser to fill. */
export function createScannedFlow(): ScannedFlow {
  return {
    start_time: 0,
    end_time: 0,
    src_ip: '',
    dst_ip: '',
    src_port: null,
    dst_port: null,
    protocol: 0,
    bytes_out: null,
    packets_out: null,
    bytes_in: null,
    packets_in: null,
    action: null,
    tcp_flags: null,
    conn_state: null,
    sensor: '',
    srcIpv4: -1,
    dstIpv4: -1,
  };
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
