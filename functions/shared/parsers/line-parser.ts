import type { FlowAction, ParsedFlow, SourceType } from '../flow-record.js';

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
   * Optional fast path for input bytes: reads the line that starts at `bytes[start]` and ends
   * before the next `\n` (or at `limit`), and sets `flow.lineEnd` to where it ends. Returns true
   * when the line is a plain flow record, now held by `flow` (valid until the next call);
   * otherwise false, and the caller decodes the line and hands it to `parseLine`, so every
   * outcome, count and quarantine reason stays `parseLine`'s. `bytes[limit]`, if there is such
   * a byte, must not be printable (a `\n`).
   */
  scanLine?(bytes: Buffer, start: number, limit: number, flow: ScannedFlow): boolean;
  /**
   * Names of input fields the parser does not know and ignores (VPC custom formats, extra Zeek
   * columns), reported in the ingest summary.
   */
  readonly ignoredFields: readonly string[];
}

/**
 * A flow read straight from input bytes (`LineParser.scanLine`), overwritten record after
 * record: numbers as numbers (-1 where the flow has no value), addresses as positions in the
 * input and, for IPv4, as unsigned 32-bit numbers, the sensor as UTF-8 bytes. No field costs a
 * string, so enrichment and the lake's column buffers take the values as they are.
 */
export class ScannedFlow {
  /** Where the line ended in the input: the index of its `\n`, or the limit. */
  public lineEnd = 0;
  /** Epoch milliseconds UTC. */
  public startTime = 0;
  public endTime = 0;
  public protocol = 0;
  /** -1: no port. */
  public srcPort = -1;
  public dstPort = -1;
  /** -1: not reported. */
  public bytesOut = -1;
  public packetsOut = -1;
  public bytesIn = -1;
  public packetsIn = -1;
  public tcpFlags = -1;
  public action: FlowAction | null = null;
  public connState: string | null = null;
  /** The address text: ASCII bytes `[srcStart, srcEnd)` of the input. */
  public srcStart = 0;
  public srcEnd = 0;
  public dstStart = 0;
  public dstEnd = 0;
  /** The addresses as unsigned 32-bit numbers when they are IPv4, else -1. */
  public srcIpv4 = -1;
  public dstIpv4 = -1;
  /** The sensor as UTF-8: `sensor[0, sensorLength)`, whose UTF-16 length is `sensorUtf16`. */
  public sensor = new Uint8Array(128);
  /** A DataView of `sensor`, for parsers that copy into it a word at a time. */
  public sensorView = new DataView(this.sensor.buffer);
  public sensorLength = 0;
  public sensorUtf16 = 0;
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
