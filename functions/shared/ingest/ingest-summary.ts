import type { SourceType } from '../flow-record.js';
import type { IngestedObject, SkippedObject } from './ingest-object.js';

/** Per-file entry of the ingest summary: an ingested object's counts, without lake internals. */
export type FileSummary = Omit<IngestedObject, 'kind' | 'lake_files'>;

/** The summary `wardflow ingest --json` prints (DESIGN.md). */
export interface IngestSummary {
  readonly records_in: number;
  readonly records_written: number;
  readonly records_quarantined: number;
  readonly records_skipped: number;
  readonly files: readonly FileSummary[];
  readonly skipped_files: readonly { readonly path: string; readonly reason: string }[];
  /** Per source type totals, for the human-readable summary. */
  readonly by_source_type: Readonly<
    Partial<Record<SourceType, { files: number; records_written: number }>>
  >;
}

/** Adds up the outcomes of an ingest run. */
export function summarizeIngest(
  outcomes: readonly (IngestedObject | SkippedObject)[],
): IngestSummary {
  const files: FileSummary[] = [];
  const skipped: { path: string; reason: string }[] = [];
  const bySource: Partial<Record<SourceType, { files: number; records_written: number }>> = {};
  let recordsIn = 0;
  let written = 0;
  let quarantined = 0;
  let recordsSkipped = 0;
  for (const outcome of outcomes) {
    if (outcome.kind === 'skipped') {
      skipped.push({ path: outcome.path, reason: outcome.reason });
      continue;
    }
    const { kind: _kind, lake_files: _lakeFiles, ...file } = outcome;
    files.push(file);
    recordsIn += outcome.records_in;
    written += outcome.records_written;
    quarantined += outcome.records_quarantined;
    recordsSkipped += outcome.records_skipped;
    const source = bySource[outcome.source_type] ?? { files: 0, records_written: 0 };
    source.files++;
    source.records_written += outcome.records_written;
    bySource[outcome.source_type] = source;
  }
  return {
    records_in: recordsIn,
    records_written: written,
    records_quarantined: quarantined,
    records_skipped: recordsSkipped,
    files,
    skipped_files: skipped,
    by_source_type: bySource,
  };
}
