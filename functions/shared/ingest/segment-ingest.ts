import type { ZoneResolver } from '../enrich/zones.js';
import type { SourceType } from '../flow-record.js';
import { viewOf } from '../lake/byte-words.js';
import type { QuarantineEntry } from '../lake/quarantine-writer.js';
import type { PartitionRowGroup, RowGroupTarget, SegmentRows } from '../lake/segment-rows.js';
import { type LineParser, ScannedFlow } from '../parsers/line-parser.js';
import { normalizeFlow, normalizeScannedFlow, type ScannedFlowContext } from './normalize-flow.js';
import { segmentLines } from './segments.js';

/** What parsing, normalizing and encoding one segment gave. Structured-cloneable. */
export interface SegmentResult {
  readonly records: number;
  readonly written: number;
  readonly quarantined: number;
  readonly skipped: number;
  /** Quarantined records, in line order. */
  readonly quarantine: readonly QuarantineEntry[];
  /** One row group per partition the segment's flows fall in. */
  readonly groups: readonly PartitionRowGroup[];
  /**
   * The first line after `settledAfterLine` that the parser took for a header or directive
   * (a non-blank `meta` line), or 0. Such a line may change the parser's state, which a
   * segment parsed on its own would not have seen (see `ingest-object.ts`).
   */
  readonly lateMetaLine: number;
}

/** Everything the segment code needs besides the lines. */
export interface SegmentContext {
  readonly parser: LineParser;
  readonly sourceType: SourceType;
  /** Prefix of every `raw_ref`: the object's ref and a colon. */
  readonly refPrefix: string;
  readonly zones: ZoneResolver;
  /** Where the rows go; encoded (and emptied) at the end of every segment. */
  readonly rows: SegmentRows;
  /**
   * The lake files, when the segment is processed in the thread that writes them: row groups are
   * then written there directly, and the result carries none.
   * @default - row groups are encoded detached, into the result
   */
  readonly lake?: RowGroupTarget;
  /** Lines up to this one may be headers; a non-blank `meta` line after it is reported. */
  readonly settledAfterLine: number;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Parses, normalizes and encodes one segment's bytes (whole lines, numbered from `firstLine`):
 * the work every text input goes through, in a worker or in the calling thread. With a parser
 * that reads bytes (`LineParser.scanLine`), plain records never become strings; every other
 * line is decoded and parsed as text, with the outcome `parseLine` gives.
 */
export function ingestSegmentBytes(
  bytes: Uint8Array,
  firstLine: number,
  context: SegmentContext,
): SegmentResult {
  const { parser } = context;
  if (parser.scanLine === undefined) return ingestSegment(segmentLines(bytes), firstLine, context);
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tally = new SegmentTally(context);
  const flow = new ScannedFlow();
  try {
    let start = 0;
    let lineNumber = firstLine;
    while (start < input.length) {
      if (parser.scanLine(input, start, input.length, flow)) {
        tally.flow(flow, input, lineNumber);
      } else {
        let end = flow.lineEnd;
        if (end > start && input[end - 1] === CARRIAGE_RETURN) end--;
        tally.line(input.toString('utf8', start, end), lineNumber);
      }
      start = flow.lineEnd + 1;
      lineNumber++;
    }
  } catch (error) {
    context.rows.discard();
    throw error;
  }
  return tally.finish();
}

/**
 * {@link ingestSegmentBytes} for lines that are already text (rows of a Parquet input, or a
 * parser without a byte path). A parser that reads bytes gets each line's UTF-8.
 */
export function ingestSegment(
  lines: readonly string[],
  firstLine: number,
  context: SegmentContext,
): SegmentResult {
  const { parser } = context;
  const tally = new SegmentTally(context);
  const flow = new ScannedFlow();
  let scratch = Buffer.alloc(0);
  try {
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as string;
      const lineNumber = firstLine + i;
      if (parser.scanLine !== undefined) {
        if (scratch.length <= line.length * 3) scratch = Buffer.alloc(line.length * 6 + 1);
        const length = scratch.write(line);
        // The scanner reads up to a non-printable byte after the line.
        scratch[length] = NEWLINE;
        // A line holding a `\n` is not one line to the scanner: leave it to `parseLine`.
        if (parser.scanLine(scratch, 0, length, flow) && flow.lineEnd === length) {
          tally.flow(flow, scratch, lineNumber);
          continue;
        }
      }
      tally.line(line, lineNumber);
    }
  } catch (error) {
    context.rows.discard();
    throw error;
  }
  return tally.finish();
}

/** The counts, quarantine and rows of the segment being ingested. */
class SegmentTally {
  private records = 0;
  private written = 0;
  private skipped = 0;
  private lateMetaLine = 0;
  private readonly quarantine: QuarantineEntry[] = [];
  private readonly scanned: ScannedFlowContext;

  public constructor(private readonly context: SegmentContext) {
    const refPrefix = new Uint8Array(Buffer.from(context.refPrefix, 'utf8'));
    this.scanned = {
      zones: context.zones,
      refPrefix,
      refPrefixView: viewOf(refPrefix),
      refPrefixUtf16: context.refPrefix.length,
    };
  }

  /** A flow the parser scanned from `bytes`. */
  public flow(flow: ScannedFlow, bytes: Buffer, lineNumber: number): void {
    this.records++;
    this.written++;
    normalizeScannedFlow(flow, bytes, lineNumber, this.scanned, this.context.rows);
  }

  /** A line to parse as text. */
  public line(line: string, lineNumber: number): void {
    const { parser, sourceType, refPrefix, zones, settledAfterLine } = this.context;
    const outcome = parser.parseLine(line, lineNumber);
    switch (outcome.kind) {
      case 'meta':
        if (this.lateMetaLine === 0 && lineNumber > settledAfterLine && line.trim() !== '') {
          this.lateMetaLine = lineNumber;
        }
        break;
      case 'flow':
        this.records++;
        this.written++;
        this.context.rows.add(
          normalizeFlow(outcome.flow, sourceType, refPrefix + lineNumber, zones),
        );
        break;
      case 'skipped':
        this.records++;
        this.skipped++;
        break;
      case 'quarantined':
        this.records++;
        this.quarantine.push({ raw_ref: refPrefix + lineNumber, reason: outcome.reason, line });
        break;
    }
  }

  public finish(): SegmentResult {
    const { rows, lake } = this.context;
    let groups: PartitionRowGroup[] = [];
    if (lake === undefined) groups = rows.encode();
    else rows.writeTo(lake);
    return {
      records: this.records,
      written: this.written,
      quarantined: this.quarantine.length,
      skipped: this.skipped,
      quarantine: this.quarantine,
      groups,
      lateMetaLine: this.lateMetaLine,
    };
  }
}
