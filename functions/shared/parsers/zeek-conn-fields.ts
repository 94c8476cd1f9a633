/**
 * Field names of Zeek's conn log (`base/protocols/conn/main.zeek`, Zeek 7.1+), and the names that
 * tell a conn record from the records of other Zeek logs.
 */

/**
 * Every standard conn.log field, plus `_node_name` (prepended by cluster loggers). Fields outside
 * this set (`community_id`, `orig_l2_addr`, label columns…) are reported as ignored.
 */
export const ZEEK_CONN_FIELDS: ReadonlySet<string> = new Set([
  '_node_name',
  'ts',
  'uid',
  'id.orig_h',
  'id.orig_p',
  'id.resp_h',
  'id.resp_p',
  'proto',
  'service',
  'duration',
  'orig_bytes',
  'resp_bytes',
  'conn_state',
  'local_orig',
  'local_resp',
  'missed_bytes',
  'history',
  'orig_pkts',
  'orig_ip_bytes',
  'resp_pkts',
  'resp_ip_bytes',
  'tunnel_parents',
  'ip_proto',
]);

/**
 * Fields only a conn record has. Zeek always logs `conn_state` and the packet counters for a
 * connection, while dns, http, ssl… records share `ts`, `uid`, `id.*` and sometimes `proto`.
 */
export const ZEEK_CONN_MARKERS: readonly string[] = [
  'conn_state',
  'orig_pkts',
  'resp_pkts',
  'orig_ip_bytes',
  'resp_ip_bytes',
  'history',
  'missed_bytes',
];
