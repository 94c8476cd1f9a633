import type { FormatProbe } from './format-probe.js';
import { ZeekConnTsvParser } from './zeek-conn-tsv-parser.js';
import { guessZeekLogKind, notConnReason } from './zeek-log-kind.js';
import { isZeekHeaderLine, readZeekDirective, ZEEK_DEFAULT_SEPARATOR } from './zeek-tsv-header.js';

/**
 * Recognises a Zeek conn.log in TSV (ASCII writer) form from its `#` header.
 *
 * - `flows` (variant `zeek-tsv`) when `#path` is `conn`, or when there is no `#path` and the
 *   `#fields` are a conn schema, and `#fields` has `id.orig_h` and `id.resp_h`.
 * - `not-flows` for any other Zeek log (`Zeek dns log, not a conn log`), for a conn schema
 *   without addresses, and for `open_conn` logs: those re-emit every long-lived connection hourly
 *   with a growing duration, so reading them would count each connection several times.
 * - null when the head is not a Zeek TSV header (no `#separator` or `#fields` line).
 *
 * Relative timestamps (seconds since capture start, as in some research captures) are kept as
 * they are: epoch milliseconds near 0, never rebased.
 */
export const probeZeekConnTsv: FormatProbe = (head) => {
  if (!head.some(isZeekHeaderLine)) return null;
  let separator = ZEEK_DEFAULT_SEPARATOR;
  let path: string | null = null;
  let fields: readonly string[] | null = null;
  for (const line of head) {
    if (line.charCodeAt(0) !== 35) continue;
    const { name, values } = readZeekDirective(line, separator);
    const value = values[0];
    if (name === 'separator' && value) separator = value;
    else if (name === 'path' && path === null) path = value ?? null;
    else if (name === 'fields' && fields === null) fields = values;
  }
  const known = fields;
  const kind =
    path ?? (known === null ? 'unknown' : guessZeekLogKind((field) => known.includes(field)));
  if (kind !== 'conn') return { kind: 'not-flows', reason: notConnReason(kind) };
  if (known === null) {
    return {
      kind: 'not-flows',
      reason: 'Zeek conn log without a #fields line in its first lines: its columns are unknown',
    };
  }
  if (!known.includes('id.orig_h') || !known.includes('id.resp_h')) {
    return {
      kind: 'not-flows',
      reason: 'Zeek conn log without id.orig_h/id.resp_h columns, not a flow log',
    };
  }
  return {
    kind: 'flows',
    sourceType: 'zeek',
    variant: 'zeek-tsv',
    create: (context) => new ZeekConnTsvParser(context.defaultSensor),
  };
};
