/**
 * Where the conn fields wardflow reads sit in a Zeek TSV row, resolved once per `#fields` line
 * (any column order; -1 for a column the log does not have).
 */
export interface ZeekTsvColumns {
  readonly ts: number;
  readonly origH: number;
  readonly origP: number;
  readonly respH: number;
  readonly respP: number;
  readonly proto: number;
  readonly ipProto: number;
  readonly duration: number;
  readonly origBytes: number;
  readonly origIpBytes: number;
  readonly origPkts: number;
  readonly respBytes: number;
  readonly respIpBytes: number;
  readonly respPkts: number;
  readonly connState: number;
  readonly history: number;
  readonly nodeName: number;
}

/** Maps field names to their column index. */
export function toZeekTsvColumns(fields: readonly string[]): ZeekTsvColumns {
  const at = (name: string): number => fields.indexOf(name);
  return {
    ts: at('ts'),
    origH: at('id.orig_h'),
    origP: at('id.orig_p'),
    respH: at('id.resp_h'),
    respP: at('id.resp_p'),
    proto: at('proto'),
    ipProto: at('ip_proto'),
    duration: at('duration'),
    origBytes: at('orig_bytes'),
    origIpBytes: at('orig_ip_bytes'),
    origPkts: at('orig_pkts'),
    respBytes: at('resp_bytes'),
    respIpBytes: at('resp_ip_bytes'),
    respPkts: at('resp_pkts'),
    connState: at('conn_state'),
    history: at('history'),
    nodeName: at('_node_name'),
  };
}

/**
 * Names the required columns a conn `#fields` line lacks: `ts`, the four `id.*` fields, and
 * `proto` or `ip_proto`.
 *
 * @returns the missing names, empty when the schema can produce flows.
 */
export function missingZeekTsvColumns(columns: ZeekTsvColumns): string[] {
  const missing: string[] = [];
  if (columns.ts < 0) missing.push('ts');
  if (columns.origH < 0) missing.push('id.orig_h');
  if (columns.origP < 0) missing.push('id.orig_p');
  if (columns.respH < 0) missing.push('id.resp_h');
  if (columns.respP < 0) missing.push('id.resp_p');
  if (columns.proto < 0 && columns.ipProto < 0) missing.push('proto');
  return missing;
}
