import type { ZoneResolver } from '../enrich/zones.js';
import type { SourceType } from '../flow-record.js';
import { FlowLakeWriter } from '../lake/flow-lake-writer.js';
import type { LakeStore } from '../lake/lake-store.js';
import { objectStem } from '../lake/object-stem.js';
import { QuarantineWriter } from '../lake/quarantine-writer.js';
import { createScannedFlow, type LineParser } from '../parsers/line-parser.js';
import { isParquet, readVpcParquetRows } from '../parsers/vpc-flow-log-parquet.js';
import { detectFormat, PROBE_LINES } from './detect-format.js';
import { readManifest, replaceManifest } from './ingest-manifest.js';
import { decodeInput, type LineBatch, splitLines, TruncatedInputError } from './line-batches.js';
import { normalizeFlow, normalizeFlowInto } from './normalize-flow.js';

/** One input object: a local file or an S3 object. */
export interface InputObject {
  /** How the user or the event named it; prefix of every `raw_ref`. */
  readonly ref: string;
  /** What makes it the same object next time (resolved path, or bucket + key). */
  readonly identity: string;
  /** Sensor for records that carry none (site from the key, or the folder name). */
  readonly defaultSensor: string;
  /** Streams the raw (possibly gzipped) bytes. */
  open(): AsyncIterable<Uint8Array>;
}

/** Settings shared by every object of one ingest run. */
export interface IngestSettings {
  readonly store: LakeStore;
  readonly zones: ZoneResolver;
  /** IANA zone for timestamps that carry none. */
  readonly timezone: string;
  /** Only try this source type's formats (`--source-type`). */
  readonly sourceType?: SourceType;
  /** Raw bytes read so far, for progress display. */
  readonly onBytes?: (bytes: number) => void;
  /** Rows per Parquet row group (tests use small values). */
  readonly rowGroupRows?: number;
}

/** The counts of one ingested object (DESIGN.md, `wardflow ingest --json` → `files[]`). */
export interface IngestedObject {
  readonly kind: 'ingested';
  readonly path: string;
  readonly source_type: SourceType;
  readonly variant: string;
  readonly records_in: number;
  readonly records_written: number;
  readonly records_quarantined: number;
  readonly records_skipped: number;
  /** Input fields the parser does not use. */
  readonly ignored_fields: readonly string[];
  /** Lake paths of the Parquet files written. */
  readonly lake_files: readonly string[];
  /** Why the input ended early (truncated gzip), with every record before the break kept. */
  readonly error: string | null;
}

/** An object that is not a flow export (DESIGN.md, `skipped_files[]`). */
export interface SkippedObject {
  readonly kind: 'skipped';
  readonly path: string;
  readonly reason: string;
}

/** Mutable tallies while one object streams through. */
interface Tally {
  records: number;
  written: number;
  quarantined: number;
  skipped: number;
}

/**
 * Ingests one object: detects its format from content, parses every line, enriches flows,
 * writes Parquet per partition, quarantines what cannot be parsed, and records a manifest.
 * `records_in = records_written + records_quarantined + records_skipped` holds on every path.
 */
export async function ingestObject(
  input: InputObject,
  settings: IngestSettings,
): Promise<IngestedObject | SkippedObject> {
  const decoded = await decodeInput(input.open(), settings.onBytes);
  if (isParquet(decoded.head)) return ingestParquet(input, decoded.chunks, settings);

  const batches = splitLines(decoded.chunks);
  const buffered: LineBatch[] = [];
  const head: string[] = [];
  let exhausted = false;
  let earlyError: unknown;
  try {
    while (head.length < PROBE_LINES) {
      const next = await batches.next();
      if (next.done) {
        exhausted = true;
        break;
      }
      buffered.push(next.value);
      for (const line of next.value.lines) {
        if (line.trim() !== '' && head.length < PROBE_LINES) head.push(line);
      }
    }
  } catch (error) {
    if (!(error instanceof TruncatedInputError)) throw error;
    earlyError = error;
    exhausted = true;
  }
  const verdict = detectFormat(head, settings.sourceType);
  if (verdict.kind !== 'flows') {
    return { kind: 'skipped', path: input.ref, reason: verdict.reason };
  }
  const parser = verdict.create({
    objectRef: input.ref,
    timezone: settings.timezone,
    defaultSensor: input.defaultSensor,
  });
  const sink = new ObjectSink(input, verdict.sourceType, settings);
  const previous = await readManifest(settings.store, sink.stem);
  let error: string | null = null;
  try {
    for (const batch of buffered) sink.consume(parser, batch);
    if (earlyError !== undefined) throw earlyError;
    if (!exhausted) for await (const batch of batches) sink.consume(parser, batch);
  } catch (caught) {
    if (!(caught instanceof TruncatedInputError)) {
      await sink.abort();
      throw caught;
    }
    error = caught.message;
    if (caught.partialLine.trim() !== '') {
      // A cut-off last line may still look like a record with a shortened number; never trust it.
      sink.quarantineLine(
        caught.partialLine,
        caught.partialLineNumber,
        'record: cut off by the end of the gzip stream',
      );
    }
  }
  return sink.finish(parser, verdict.variant, previous, error);
}

/** Where one object's flows and quarantined records go. */
class ObjectSink {
  public readonly stem: string;
  public readonly tally: Tally = { records: 0, written: 0, quarantined: 0, skipped: 0 };
  private readonly lake: FlowLakeWriter;
  private readonly quarantine: QuarantineWriter;
  /** The record `parseLineInto` fills, reused line after line. */
  private readonly scanned = createScannedFlow();

  public constructor(
    private readonly input: InputObject,
    private readonly sourceType: SourceType,
    private readonly settings: IngestSettings,
  ) {
    this.stem = objectStem(input.identity);
    this.lake = new FlowLakeWriter(settings.store, sourceType, this.stem, {
      rowGroupRows: settings.rowGroupRows,
    });
    this.quarantine = new QuarantineWriter(settings.store, sourceType, this.stem);
  }

  /** Parses and routes every line of a batch. */
  public consume(parser: LineParser, batch: LineBatch): void {
    if (parser.parseLineInto !== undefined) {
      this.consumeInto(parser, batch);
      return;
    }
    const { lines, firstLine } = batch;
    const zones = this.settings.zones;
    const tally = this.tally;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as string;
      const outcome = parser.parseLine(line, firstLine + i);
      switch (outcome.kind) {
        case 'meta':
          break;
        case 'flow':
          tally.records++;
          tally.written++;
          this.lake.add(
            normalizeFlow(
              outcome.flow,
              this.sourceType,
              `${this.input.ref}:${firstLine + i}`,
              zones,
            ),
          );
          break;
        case 'skipped':
          tally.records++;
          tally.skipped++;
          break;
        case 'quarantined':
          this.quarantineLine(line, firstLine + i, outcome.reason);
          break;
      }
    }
  }

  /** `consume` for parsers with `parseLineInto`: no outcome or record object per flow. */
  private consumeInto(parser: LineParser, batch: LineBatch): void {
    const { lines, firstLine } = batch;
    const zones = this.settings.zones;
    const tally = this.tally;
    const flow = this.scanned;
    const prefix = `${this.input.ref}:`;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as string;
      const outcome = (parser.parseLineInto as NonNullable<LineParser['parseLineInto']>)(
        line,
        firstLine + i,
        flow,
      );
      if (outcome === null) {
        tally.records++;
        tally.written++;
        normalizeFlowInto(flow, prefix + (firstLine + i), zones, this.lake);
        continue;
      }
      switch (outcome.kind) {
        case 'meta':
          break;
        case 'flow':
          tally.records++;
          tally.written++;
          this.lake.add(
            normalizeFlow(outcome.flow, this.sourceType, prefix + (firstLine + i), zones),
          );
          break;
        case 'skipped':
          tally.records++;
          tally.skipped++;
          break;
        case 'quarantined':
          this.quarantineLine(line, firstLine + i, outcome.reason);
          break;
      }
    }
  }

  /** Counts and writes one record that could not be parsed. */
  public quarantineLine(line: string, lineNumber: number, reason: string): void {
    this.tally.records++;
    this.tally.quarantined++;
    this.quarantine.add({ raw_ref: `${this.input.ref}:${lineNumber}`, reason, line });
  }

  public async abort(): Promise<void> {
    await this.lake.abort();
    await this.quarantine.abort();
  }

  /** Commits the lake files, the quarantine file and the manifest. */
  public async finish(
    parser: Pick<LineParser, 'ignoredFields'>,
    variant: string,
    previous: Awaited<ReturnType<typeof readManifest>>,
    error: string | null,
  ): Promise<IngestedObject> {
    const files = await this.lake.finish();
    const quarantined = await this.quarantine.finish();
    const t = this.tally;
    await replaceManifest(this.settings.store, this.stem, previous, {
      object: this.input.ref,
      source_type: this.sourceType,
      variant,
      records_in: t.records,
      records_written: t.written,
      records_quarantined: t.quarantined,
      records_skipped: t.skipped,
      files,
      quarantine: quarantined > 0 ? this.quarantine.path : null,
      error,
    });
    return {
      kind: 'ingested',
      path: this.input.ref,
      source_type: this.sourceType,
      variant,
      records_in: t.records,
      records_written: t.written,
      records_quarantined: t.quarantined,
      records_skipped: t.skipped,
      ignored_fields: parser.ignoredFields,
      lake_files: files,
      error,
    };
  }
}

/** VPC flow logs delivered as Parquet: rows mapped by column name through the same parser. */
async function ingestParquet(
  input: InputObject,
  chunks: AsyncIterable<Uint8Array>,
  settings: IngestSettings,
): Promise<IngestedObject | SkippedObject> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  const bytes = Buffer.concat(parts);
  const rows = await readVpcParquetRows(bytes, {
    objectRef: input.ref,
    timezone: settings.timezone,
    defaultSensor: input.defaultSensor,
  });
  if (rows.kind === 'not-flows') return { kind: 'skipped', path: input.ref, reason: rows.reason };
  const sink = new ObjectSink(input, 'vpc', settings);
  const previous = await readManifest(settings.store, sink.stem);
  for await (const batch of rows.batches()) sink.consume(rows.parser, batch);
  return sink.finish(rows.parser, rows.variant, previous, null);
}
