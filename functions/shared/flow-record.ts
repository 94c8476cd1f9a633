/**
 * The normalized flow record: one shape for every source (DESIGN.md, table `flows`).
 * Field names are the column names (snake_case, as Athena lower-cases them).
 */

/** Where a record came from; also the first partition key of the lake. */
export type SourceType = 'vpc' | 'zeek' | 'nfdump' | 'goflow2';

/** The source types wardflow parses, in the order format detection tries them. */
export const SOURCE_TYPES: readonly SourceType[] = ['vpc', 'zeek', 'nfdump', 'goflow2'];

/** Direction relative to the configured internal networks. */
export type Direction = 'outbound' | 'inbound' | 'internal' | 'external';

/** Firewall decision, where the source reports one. */
export type FlowAction = 'accept' | 'reject';

/** A flow as a parser reads it, before zone enrichment and hashing. */
export interface ParsedFlow {
  /** Flow start, epoch milliseconds UTC (relative-timestamp captures stay near 0). */
  readonly start_time: number;
  /** Flow end, epoch milliseconds UTC. */
  readonly end_time: number;
  readonly src_ip: string;
  readonly dst_ip: string;
  /** Null where the protocol has no ports. */
  readonly src_port: number | null;
  readonly dst_port: number | null;
  /** IANA protocol number. */
  readonly protocol: number;
  /** Sent by src to dst. Null only when the source does not report it. */
  readonly bytes_out: number | null;
  readonly packets_out: number | null;
  /** Sent back by dst; null for unidirectional sources. */
  readonly bytes_in: number | null;
  readonly packets_in: number | null;
  readonly action: FlowAction | null;
  /** OR of TCP flags seen (FIN 1, SYN 2, RST 4, PSH 8, ACK 16, URG 32, ECE 64, CWR 128). */
  readonly tcp_flags: number | null;
  /** Zeek-style connection state where known (`S0`, `REJ`, `SF`, …). */
  readonly conn_state: string | null;
  /** Where the record came from: `vpc-id/interface-id`, exporter or site. */
  readonly sensor: string;
}

/** The normalized record written to the lake. */
export interface FlowRecord extends ParsedFlow {
  readonly direction: Direction;
  readonly src_zone: string;
  readonly dst_zone: string;
  readonly source_type: SourceType;
  /**
   * Community ID v1 (`1:<base64 sha1>`); null when it cannot be computed: mixed or unparseable
   * addresses, or ICMP without type and code (VPC flow logs do not carry them).
   */
  readonly community_id: string | null;
  /** Provenance: object key or file, `:` and the line (or row) number. */
  readonly raw_ref: string;
}

/** Column types of the lake's Parquet files. */
export type FlowColumnType = 'TIMESTAMP_MILLIS' | 'STRING' | 'INT32' | 'INT64';

/** One column of the lake's Parquet files. */
export interface FlowColumn {
  readonly name: keyof FlowRecord;
  readonly type: FlowColumnType;
  readonly nullable: boolean;
}

/**
 * The data columns of every flow Parquet file, in file order. `source_type` is not stored in the
 * file: like `dt` and `hr` it is a partition key, taken from the object's path.
 */
export const FLOW_COLUMNS: readonly FlowColumn[] = [
  { name: 'start_time', type: 'TIMESTAMP_MILLIS', nullable: false },
  { name: 'end_time', type: 'TIMESTAMP_MILLIS', nullable: false },
  { name: 'src_ip', type: 'STRING', nullable: false },
  { name: 'dst_ip', type: 'STRING', nullable: false },
  { name: 'src_port', type: 'INT32', nullable: true },
  { name: 'dst_port', type: 'INT32', nullable: true },
  { name: 'protocol', type: 'INT32', nullable: false },
  { name: 'bytes_out', type: 'INT64', nullable: true },
  { name: 'packets_out', type: 'INT64', nullable: true },
  { name: 'bytes_in', type: 'INT64', nullable: true },
  { name: 'packets_in', type: 'INT64', nullable: true },
  { name: 'action', type: 'STRING', nullable: true },
  { name: 'tcp_flags', type: 'INT32', nullable: true },
  { name: 'conn_state', type: 'STRING', nullable: true },
  { name: 'direction', type: 'STRING', nullable: false },
  { name: 'src_zone', type: 'STRING', nullable: false },
  { name: 'dst_zone', type: 'STRING', nullable: false },
  { name: 'sensor', type: 'STRING', nullable: false },
  { name: 'community_id', type: 'STRING', nullable: true },
  { name: 'raw_ref', type: 'STRING', nullable: false },
];
