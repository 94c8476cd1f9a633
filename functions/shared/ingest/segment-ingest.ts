import type { ZoneResolver } from '../enrich/zones.js';
import type { SourceType } from '../flow-record.js';
import type { QuarantineEntry } from '../lake/quarantine-writer.js';
import { type PartitionRowGroup, SegmentRows } from '../lake/segment-rows.js';
import type { SharedRowGroupEncoder } from '../lake/shared-row-group-encoder.js';
import { createScannedFlow, type LineParser } from '../parsers/line-parser.js';
import { normalizeFlow, normalizeFlowInto } from './normalize-flow.js';

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
  readonly encoder: SharedRowGroupEncoder;
  /** Lines up to this one may be headers; a non-blank `meta` line after it is reported. */
  readonly settledAfterLine: number;
}

/**
 * Parses, normalizes and encodes one segment's lines (numbered from `firstLine`): the work
 * every input goes through, in a worker or in the calling thread.
 */
export function ingestSegment(
  lines: readonly string[],
  firstLine: number,
  context: SegmentContext,
): SegmentResult {
  const { parser, sourceType, refPrefix, zones, settledAfterLine } = context;
  const rows = new SegmentRows();
  const quarantine: QuarantineEntry[] = [];
  const flow = createScannedFlow();
  const into = parser.parseLineInto?.bind(parser);
  let records = 0;
  let written = 0;
  let skipped = 0;
  let lateMetaLine = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const lineNumber = firstLine + i;
    const outcome =
      into !== undefined ? into(line, lineNumber, flow) : parser.parseLine(line, lineNumber);
    if (outcome === null) {
      records++;
      written++;
      normalizeFlowInto(flow, refPrefix + lineNumber, zones, rows);
      continue;
    }
    switch (outcome.kind) {
      case 'meta':
        if (lateMetaLine === 0 && lineNumber > settledAfterLine && line.trim() !== '') {
          lateMetaLine = lineNumber;
        }
        break;
      case 'flow':
        records++;
        written++;
        rows.add(normalizeFlow(outcome.flow, sourceType, refPrefix + lineNumber, zones));
        break;
      case 'skipped':
        records++;
        skipped++;
        break;
      case 'quarantined':
        records++;
        quarantine.push({ raw_ref: refPrefix + lineNumber, reason: outcome.reason, line });
        break;
    }
  }
  return {
    records,
    written,
    quarantined: quarantine.length,
    skipped,
    quarantine,
    groups: rows.encode(context.encoder),
    lateMetaLine,
  };
}
