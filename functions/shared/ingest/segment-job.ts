import type { WardflowConfig } from '../config.js';
import { ZoneResolver } from '../enrich/zones.js';
import type { SourceType } from '../flow-record.js';
import { FLOW_COLUMNS } from '../flow-record.js';
import { SegmentRows } from '../lake/segment-rows.js';
import { SharedRowGroupEncoder } from '../lake/shared-row-group-encoder.js';
import type { ParseContext } from '../parsers/line-parser.js';
import { detectFormat } from './detect-format.js';
import { ingestSegmentBytes, type SegmentResult } from './segment-ingest.js';

/** One segment for a worker: everything needed to rebuild the object's parser, and the lines. */
export interface SegmentJob {
  /** The probe lines the format was detected from. */
  readonly head: readonly string[];
  readonly only: SourceType | undefined;
  readonly parse: ParseContext;
  /** The input's lines 1 to `settledAfterLine`, replayed so the parser has read the headers. */
  readonly preamble: readonly string[];
  readonly settledAfterLine: number;
  readonly zoneConfig: Pick<WardflowConfig, 'network' | 'zones'>;
  readonly firstLine: number;
  readonly bytes: Uint8Array;
}

let zonesKey = '';
let zones: ZoneResolver | undefined;
let rows: SegmentRows | undefined;

/**
 * Runs one {@link SegmentJob} with a parser of its own: the parser is created as
 * `ingestObject` created it, reads the preamble lines before the segment, then the segment.
 */
export function runSegmentJob(job: SegmentJob): SegmentResult {
  const verdict = detectFormat(job.head, job.only);
  if (verdict.kind !== 'flows') {
    throw new Error(`segment job: expected the head to be flows, got ${verdict.kind}`);
  }
  const parser = verdict.create(job.parse);
  const replay = Math.min(job.preamble.length, job.firstLine - 1);
  for (let i = 0; i < replay; i++) parser.parseLine(job.preamble[i] as string, i + 1);
  const key = JSON.stringify(job.zoneConfig);
  if (zones === undefined || key !== zonesKey) {
    zones = new ZoneResolver(job.zoneConfig);
    zonesKey = key;
  }
  rows ??= new SegmentRows(new SharedRowGroupEncoder(FLOW_COLUMNS));
  return ingestSegmentBytes(job.bytes, job.firstLine, {
    parser,
    sourceType: verdict.sourceType,
    refPrefix: `${job.parse.objectRef}:`,
    zones,
    rows,
    settledAfterLine: job.settledAfterLine,
  });
}
