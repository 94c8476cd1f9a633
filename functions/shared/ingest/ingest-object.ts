import type { WardflowConfig } from '../config.js';
import type { ZoneResolver } from '../enrich/zones.js';
import { FLOW_COLUMNS, type SourceType } from '../flow-record.js';
import { FlowLakeWriter } from '../lake/flow-lake-writer.js';
import type { LakeStore } from '../lake/lake-store.js';
import { objectStem } from '../lake/object-stem.js';
import { QuarantineWriter } from '../lake/quarantine-writer.js';
import { SegmentRows } from '../lake/segment-rows.js';
import { SharedRowGroupEncoder } from '../lake/shared-row-group-encoder.js';
import type { LineParser } from '../parsers/line-parser.js';
import { detectFormat, PROBE_LINES } from './detect-format.js';
import { readManifest, replaceManifest } from './ingest-manifest.js';
import { decodeInput, isParquet, TruncatedInputError } from './line-batches.js';
import { ingestSegment, ingestSegmentBytes, type SegmentResult } from './segment-ingest.js';
import { segmentWorkerPool } from './segment-pool.js';
import { cutSegments, type Segment, SegmentBufferPool, segmentLines } from './segments.js';

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
  /**
   * Lines per segment: the input is parsed, normalized and encoded a segment at a time, and
   * each segment gives one row group per partition, so this is also the most rows in a row
   * group. Tests use small values.
   * @default 32768
   */
  readonly segmentLines?: number;
  /**
   * Worker threads that parse and encode segments in parallel. Output is the same bytes for
   * any number, 0 included (everything in the calling thread).
   * @default 0
   */
  readonly workers?: number;
  /**
   * The configuration `zones` was built from; workers build their own resolver from it.
   * @default - without it, segments are processed in the calling thread
   */
  readonly zoneConfig?: Pick<WardflowConfig, 'network' | 'zones'>;
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

/** Default lines per segment (see `IngestSettings.segmentLines`). */
export const DEFAULT_SEGMENT_LINES = 32_768;

/** Segments read ahead of the one being appended, per worker: bounds memory. */
const SEGMENTS_IN_FLIGHT_PER_WORKER = 2;

/**
 * Ingests one object: detects its format from content, parses every line, enriches flows,
 * writes Parquet per partition, quarantines what cannot be parsed, and records a manifest.
 * `records_in = records_written + records_quarantined + records_skipped` holds on every path.
 *
 * The decoded input is cut into segments of whole lines; each segment is parsed, normalized and
 * encoded on its own (one row group per partition it touches), in worker threads or in this
 * one, and the results are appended in input order, so the bytes written do not depend on the
 * number of workers or their scheduling. A worker's parser reads the input's header lines
 * before its segment; should a header or directive appear later in the input (concatenated
 * Zeek or nfdump exports), the object is ingested again in this thread with one parser.
 */
export async function ingestObject(
  input: InputObject,
  settings: IngestSettings,
): Promise<IngestedObject | SkippedObject> {
  const first = await ingestText(input, settings, true);
  if (first !== 'stateful') return first;
  return (await ingestText(input, settings, false)) as IngestedObject | SkippedObject;
}

async function ingestText(
  input: InputObject,
  settings: IngestSettings,
  parallel: boolean,
): Promise<IngestedObject | SkippedObject | 'stateful'> {
  const decoded = await decodeInput(input.open(), settings.onBytes);
  if (isParquet(decoded.head)) return ingestParquet(input, decoded.chunks, settings);

  const segmentLineCount = settings.segmentLines ?? DEFAULT_SEGMENT_LINES;
  const workers = settings.workers ?? 0;
  // Segments go to workers whole (transferred), or are processed here one after the other.
  const pool = parallel && workers > 0 ? undefined : new SegmentBufferPool();
  const segments = cutSegments(decoded.chunks, segmentLineCount, pool);
  const buffered: { segment: Segment; lines: string[] }[] = [];
  const head: string[] = [];
  let settledAfterLine = 0;
  let exhausted = false;
  let earlyError: unknown;
  try {
    while (head.length < PROBE_LINES) {
      const next = await segments.next();
      if (next.done) {
        exhausted = true;
        break;
      }
      const lines = segmentLines(next.value.bytes);
      buffered.push({ segment: next.value, lines });
      for (let i = 0; i < lines.length && head.length < PROBE_LINES; i++) {
        const line = lines[i] as string;
        if (line.trim() !== '') {
          head.push(line);
          settledAfterLine = next.value.firstLine + i;
        }
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
  const parse = {
    objectRef: input.ref,
    timezone: settings.timezone,
    defaultSensor: input.defaultSensor,
  };
  const parser = verdict.create(parse);
  const sink = new ObjectSink(input, verdict.sourceType, settings);
  const previous = await readManifest(settings.store, sink.stem);
  const useWorkers = parallel && !exhausted && workers > 0 && settings.zoneConfig !== undefined;
  let error: string | null = null;
  try {
    if (useWorkers) {
      const preamble: string[] = [];
      for (const { lines } of buffered) {
        for (const line of lines) if (preamble.length < settledAfterLine) preamble.push(line);
      }
      const job = {
        head,
        only: settings.sourceType,
        parse,
        preamble,
        settledAfterLine,
        zoneConfig: settings.zoneConfig as NonNullable<IngestSettings['zoneConfig']>,
      };
      const pool = segmentWorkerPool(workers);
      let lateHeader = false;
      const run = (segment: Segment) =>
        pool.run({ ...job, firstLine: segment.firstLine, bytes: segment.bytes });
      const stateful = await inOrder(
        (async function* () {
          for (const { segment } of buffered) yield segment;
          yield* segments;
        })(),
        run,
        workers * SEGMENTS_IN_FLIGHT_PER_WORKER,
        (result) => {
          // Segments after a late header were parsed without it: start over in one thread.
          if (lateHeader) return true;
          sink.append(result);
          lateHeader = result.lateMetaLine !== 0;
          return false;
        },
      );
      if (stateful) {
        await sink.abort();
        return 'stateful';
      }
    } else {
      const context = {
        parser,
        sourceType: verdict.sourceType,
        refPrefix: `${input.ref}:`,
        zones: settings.zones,
        rows: sink.rows,
        lake: sink.lake,
        settledAfterLine: Number.POSITIVE_INFINITY,
      };
      for (const { segment, lines } of buffered) {
        // The lines were decoded for format detection; a parser that reads bytes skips them.
        sink.append(
          parser.scanLine === undefined
            ? ingestSegment(lines, segment.firstLine, context)
            : ingestSegmentBytes(segment.bytes, segment.firstLine, context),
        );
        pool?.release(segment.bytes);
      }
      if (earlyError !== undefined) throw earlyError;
      if (!exhausted) {
        for await (const segment of segments) {
          sink.append(ingestSegmentBytes(segment.bytes, segment.firstLine, context));
          pool?.release(segment.bytes);
        }
      }
    }
    if (earlyError !== undefined) throw earlyError;
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

/**
 * Runs `work` on every item with at most `limit` in flight, and hands the results to `take` in
 * item order. Stops early (returning true) when `take` returns true, after the work in flight
 * has settled. The iterator's own errors are rethrown after the results before them are taken.
 */
async function inOrder<T, R>(
  items: AsyncIterator<T>,
  work: (item: T) => Promise<R>,
  limit: number,
  take: (result: R) => boolean,
): Promise<boolean> {
  const inFlight: Promise<R>[] = [];
  let sourceError: unknown;
  let done = false;
  let stopped = false;
  while (!stopped) {
    while (!done && inFlight.length < limit) {
      try {
        const next = await items.next();
        if (next.done) done = true;
        else {
          const promise = work(next.value);
          promise.catch(() => {}); // awaited below, in order
          inFlight.push(promise);
        }
      } catch (error) {
        sourceError = error;
        done = true;
      }
    }
    const oldest = inFlight.shift();
    if (oldest === undefined) break;
    stopped = take(await oldest);
  }
  if (stopped) {
    await Promise.allSettled(inFlight);
    return true;
  }
  if (sourceError !== undefined) throw sourceError;
  return false;
}

/** Where one object's flows and quarantined records go. */
class ObjectSink {
  public readonly stem: string;
  public readonly tally: Tally = { records: 0, written: 0, quarantined: 0, skipped: 0 };
  /** The object's lake files; segments processed in this thread write their row groups here. */
  public readonly lake: FlowLakeWriter;
  private readonly quarantine: QuarantineWriter;
  /** Buffers and encodes the segments processed in this thread. */
  public readonly rows = new SegmentRows(new SharedRowGroupEncoder(FLOW_COLUMNS));

  public constructor(
    private readonly input: InputObject,
    private readonly sourceType: SourceType,
    private readonly settings: IngestSettings,
  ) {
    this.stem = objectStem(input.identity);
    this.lake = new FlowLakeWriter(settings.store, sourceType, this.stem);
    this.quarantine = new QuarantineWriter(settings.store, sourceType, this.stem);
  }

  /** Adds one segment's counts, quarantined records and row groups, in input order. */
  public append(result: SegmentResult): void {
    const t = this.tally;
    t.records += result.records;
    t.written += result.written;
    t.quarantined += result.quarantined;
    t.skipped += result.skipped;
    for (const entry of result.quarantine) this.quarantine.add(entry);
    for (const { bucket, group } of result.groups) this.lake.appendRowGroup(bucket, group);
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
  // Loaded on demand: the Parquet reader (hyparquet) adds ~0.1 s to every start-up otherwise.
  const { readVpcParquetRows } = await import('../parsers/vpc-flow-log-parquet.js');
  const rows = await readVpcParquetRows(bytes, {
    objectRef: input.ref,
    timezone: settings.timezone,
    defaultSensor: input.defaultSensor,
  });
  if (rows.kind === 'not-flows') return { kind: 'skipped', path: input.ref, reason: rows.reason };
  const sink = new ObjectSink(input, 'vpc', settings);
  const previous = await readManifest(settings.store, sink.stem);
  const context = {
    parser: rows.parser,
    sourceType: 'vpc' as const,
    refPrefix: `${input.ref}:`,
    zones: settings.zones,
    rows: sink.rows,
    lake: sink.lake,
    settledAfterLine: Number.POSITIVE_INFINITY,
  };
  for await (const batch of rows.batches()) {
    sink.append(ingestSegment(batch.lines, batch.firstLine, context));
  }
  return sink.finish(rows.parser, rows.variant, previous, null);
}
