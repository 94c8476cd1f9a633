import { ZEEK_CONN_MARKERS } from './zeek-conn-fields.js';

/**
 * Tells which Zeek log a record or a `#fields` list belongs to when no `#path`, `_path` or
 * `@stream` says so, so that a dns or http log is reported as "not flows" instead of being read as
 * connections with no counters.
 */

/** Longest log name quoted in a reason; the name comes from the input and may be anything. */
const MAX_KIND_LENGTH = 40;

/** Fields that identify the common non-conn logs, checked in order. */
const KIND_MARKERS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['dns', ['query', 'qtype_name', 'rcode_name', 'trans_id']],
  ['http', ['method', 'uri', 'status_code', 'user_agent']],
  ['ssl', ['server_name', 'cipher', 'ja3', 'curve']],
  ['ssh', ['auth_success', 'auth_attempts', 'host_key']],
  ['smtp', ['mailfrom', 'rcptto', 'helo']],
  ['dhcp', ['assigned_addr', 'lease_time', 'msg_types']],
  ['files', ['fuid', 'mime_type', 'seen_bytes']],
  ['notice', ['note', 'msg']],
  ['weird', ['name', 'addl']],
];

/**
 * Guesses the log of a Zeek record from the fields it has.
 *
 * @param has - whether the record (or the `#fields` list) has a field of that name.
 * @returns `conn` when a conn-only field is present; the name of another log when its fields are;
 * `conn` again when nothing else matches but `proto` or `duration` is present (a conn log trimmed
 * by a shipper); otherwise `unknown`.
 */
export function guessZeekLogKind(has: (field: string) => boolean): string {
  for (const marker of ZEEK_CONN_MARKERS) {
    if (has(marker)) return 'conn';
  }
  for (const [kind, fields] of KIND_MARKERS) {
    for (const field of fields) {
      if (has(field)) return kind;
    }
  }
  return has('proto') || has('duration') ? 'conn' : 'unknown';
}

/**
 * The reason given when a Zeek log is not a conn log. `open_conn` logs (same schema, re-emitting
 * every long-lived connection hourly with a growing duration) get their own reason: reading them
 * would count each long connection once per hour on top of its final conn record.
 */
export function notConnReason(kind: string): string {
  if (kind === 'open_conn') {
    return 'Zeek open_conn log, not a conn log: it re-emits long-lived connections hourly, which would double count them';
  }
  const shown = kind.length > MAX_KIND_LENGTH ? `${kind.slice(0, MAX_KIND_LENGTH)}…` : kind;
  return `Zeek ${shown} log, not a conn log`;
}

/** The reason a single non-conn record in a mixed stream is skipped (`Zeek dns record, not conn`). */
export function notConnRecordReason(kind: string): string {
  const shown = kind.length > MAX_KIND_LENGTH ? `${kind.slice(0, MAX_KIND_LENGTH)}…` : kind;
  return `Zeek ${shown} record, not conn`;
}
