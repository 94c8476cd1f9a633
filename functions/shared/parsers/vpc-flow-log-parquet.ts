import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';
import type { LineBatch } from '../ingest/line-batches.js';
import type { LineParser, ParseContext } from './line-parser.js';
import { isVpcHeader, probeVpcFlowLog } from './vpc-flow-log.js';

/** Rows decoded per batch: bounds memory for the largest (75 MB) objects AWS delivers. */
const ROWS_PER_BATCH = 65_536;

/** A VPC flow log Parquet object, ready to stream through the text parser. */
export type VpcParquetRows =
  | {
      readonly kind: 'flows';
      readonly variant: string;
      readonly parser: LineParser;
      /** Rows as text lines; line numbers are 1-based row numbers. */
      batches(): AsyncGenerator<LineBatch>;
    }
  | { readonly kind: 'not-flows'; readonly reason: string };

// AWS writes GZIP-compressed Parquet; hyparquet brings SNAPPY itself.
const COMPRESSORS = {
  GZIP: (input: Uint8Array) => new Uint8Array(gunzipSync(input)),
  BROTLI: (input: Uint8Array) => new Uint8Array(brotliDecompressSync(input)),
};

/**
 * Reads VPC flow logs delivered as Parquet. AWS names the columns after the text fields with `-`
 * replaced by `_` (`log_status`, `pkt_srcaddr`), and types them; each row is rendered back into
 * the text form and parsed by the same header-driven parser, so both deliveries give identical
 * records.
 */
export async function readVpcParquetRows(
  bytes: Uint8Array,
  context: ParseContext,
): Promise<VpcParquetRows> {
  const file = bytes.buffer.slice(
    bytes.byteOffset,
    bytes.byteOffset + bytes.byteLength,
  ) as ArrayBuffer;
  const metadata = parquetMetadata(file);
  const columns = parquetSchema(metadata).children.map((child) => child.element.name);
  const fields = columns.map((name) => name.replaceAll('_', '-'));
  if (!isVpcHeader(fields)) {
    return {
      kind: 'not-flows',
      reason: `Parquet file whose columns are not VPC flow log fields (${columns.slice(0, 5).join(', ')}…)`,
    };
  }
  const probe = probeVpcFlowLog([fields.join(' ')]);
  if (probe === null || probe.kind === 'not-flows') {
    return { kind: 'not-flows', reason: probe?.reason ?? 'not a VPC flow log' };
  }
  const parser = probe.create(context);
  const total = Number(metadata.num_rows);
  return {
    kind: 'flows',
    variant: 'vpc-parquet',
    parser,
    async *batches() {
      // The header line is line 0 so that row n is line n.
      yield { firstLine: 0, lines: [fields.join(' ')] };
      for (let start = 0; start < total; start += ROWS_PER_BATCH) {
        const end = Math.min(total, start + ROWS_PER_BATCH);
        const rows = await parquetReadObjects({
          file,
          metadata,
          rowStart: start,
          rowEnd: end,
          compressors: COMPRESSORS,
        });
        const lines = rows.map((row) => columns.map((name) => renderValue(row[name])).join(' '));
        yield { firstLine: start + 1, lines };
      }
    },
  };
}

/** Renders a typed Parquet value as the text delivery would show it (`-` for null). */
function renderValue(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'string') return value === '' ? '-' : value.replaceAll(' ', '_');
  return String(value);
}
