import type { SourceType } from '../flow-record.js';
import type { LakeStore, StagedObject } from './lake-store.js';

/** One quarantined record, as written to `quarantine/` (one JSON object per line). */
export interface QuarantineEntry {
  /** Object key or file and line number of the record. */
  readonly raw_ref: string;
  /** What was expected and what was seen. */
  readonly reason: string;
  /** The record's text, so it can be fixed and replayed. */
  readonly line: string;
}

const encoder = new TextEncoder();

/**
 * Collects the records of one input object that could not be parsed into
 * `quarantine/source_type=<t>/<stem>.jsonl`. The file exists only when something was quarantined,
 * and is replaced (or removed) when the object is ingested again.
 */
export class QuarantineWriter {
  private staged: StagedObject | undefined;
  private count = 0;
  public readonly path: string;

  public constructor(
    private readonly store: LakeStore,
    sourceType: SourceType,
    stem: string,
  ) {
    this.path = `quarantine/source_type=${sourceType}/${stem}.jsonl`;
  }

  /** Appends one entry. */
  public add(entry: QuarantineEntry): void {
    this.staged ??= this.store.stage(this.path);
    this.staged.sink.write(encoder.encode(`${JSON.stringify(entry)}\n`));
    this.count++;
  }

  /** Commits the file, or removes an old one when nothing was quarantined this time. */
  public async finish(): Promise<number> {
    if (this.staged === undefined) await this.store.remove(this.path);
    else await this.staged.commit();
    this.staged = undefined;
    return this.count;
  }

  /** Discards the file being written. */
  public async abort(): Promise<void> {
    await this.staged?.abort();
    this.staged = undefined;
  }
}
