import type { FormatProbe } from './format-probe.js';
import { ZeekConnJsonParser } from './zeek-conn-json-parser.js';
import { type JsonRecord, nestedZeekJsonId } from './zeek-json-values.js';
import { guessZeekLogKind, notConnReason } from './zeek-log-kind.js';

/** Keys of GoFlow2 (and similar collector) JSON, which is never Zeek: leave it to its probe. */
const FOREIGN_KEYS: readonly string[] = [
  'time_received_ns',
  'time_flow_start_ns',
  'sampler_address',
  'src_addr',
  'dst_addr',
];

/** The key style of a record's `id` fields, or null when it has none. */
function idStyle(record: JsonRecord): 'dotted' | 'underscore' | 'nested' | null {
  if (record['id.orig_h'] !== undefined) return 'dotted';
  if (record.id_orig_h !== undefined) return 'underscore';
  return nestedZeekJsonId(record)?.orig_h !== undefined ? 'nested' : null;
}

/** Which Zeek log a parsed object belongs to; null when it is not a Zeek record at all. */
function zeekKind(record: JsonRecord, style: string | null): string | null {
  if (record.ts === undefined) return null;
  const stream = record['@stream'] ?? record._path;
  if (typeof stream === 'string') return stream;
  return style === null ? null : guessZeekLogKind((field) => Object.hasOwn(record, field));
}

/**
 * Recognises Zeek conn records written as JSON lines: objects with `ts` and `id.orig_h` in any
 * key style (dotted, underscore, nested `id`), or with a `@stream`/`_path` envelope.
 *
 * - `flows` (variant `zeek-json-dotted`, `-underscore` or `-nested`, from the first record with
 *   ids) when a conn record is among the first lines, or when they mix several Zeek logs
 *   (a multiplexed stream whose conn records may come later; the others are skipped records).
 * - `not-flows` when all Zeek records seen belong to one other log (`Zeek dns log, not a conn
 *   log`); `open_conn` is refused because it re-emits long-lived connections hourly.
 * - null for anything else: text that is not JSON objects, GoFlow2 JSON, other JSON.
 */
export const probeZeekConnJson: FormatProbe = (head) => {
  const kinds = new Set<string>();
  let style: string | null = null;
  // JSON lines open with an object; after that, a broken line is the parser's to quarantine
  // and the other lines decide the format.
  if (head[0]?.trimStart().charCodeAt(0) !== 123) return null;
  for (const raw of head) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      continue;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) continue;
    const record = parsed as JsonRecord;
    if (FOREIGN_KEYS.some((key) => Object.hasOwn(record, key))) return null;
    const recordStyle = idStyle(record);
    const kind = zeekKind(record, recordStyle);
    if (kind === null) continue;
    style ??= recordStyle;
    kinds.add(kind);
  }
  if (kinds.size === 0) return null;
  if (kinds.size === 1 && !kinds.has('conn')) {
    const [kind] = kinds;
    return { kind: 'not-flows', reason: notConnReason(kind ?? 'unknown') };
  }
  return {
    kind: 'flows',
    sourceType: 'zeek',
    variant: style === null ? 'zeek-json' : `zeek-json-${style}`,
    create: (context) => new ZeekConnJsonParser(context.defaultSensor),
  };
};
