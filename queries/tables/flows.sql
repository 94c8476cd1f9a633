-- id: flows
-- title: Normalized flow records, one row per flow from every source
-- description: The flow lake written by `wardflow ingest` and the normalize Lambda (DESIGN.md,
--   "Normalized flow record"). Partition projection computes partitions from the path, so no
--   crawler or partition Lambda is needed. `{{lake_location}}` is the lake's S3 URI with a
--   trailing slash; the CDK app and the integration tier substitute it.
CREATE EXTERNAL TABLE IF NOT EXISTS flows (
  start_time timestamp,
  end_time timestamp,
  src_ip string,
  dst_ip string,
  src_port int,
  dst_port int,
  protocol int,
  bytes_out bigint,
  packets_out bigint,
  bytes_in bigint,
  packets_in bigint,
  action string,
  tcp_flags int,
  conn_state string,
  direction string,
  src_zone string,
  dst_zone string,
  sensor string,
  community_id string,
  raw_ref string
)
PARTITIONED BY (source_type string, dt string, hr string)
STORED AS PARQUET
LOCATION '{{lake_location}}flows/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.source_type.type' = 'enum',
  'projection.source_type.values' = 'vpc,zeek,nfdump,goflow2',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '1970-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'projection.hr.type' = 'integer',
  'projection.hr.range' = '0,23',
  'projection.hr.digits' = '2',
  'storage.location.template' = '{{lake_location}}flows/source_type=${source_type}/dt=${dt}/hr=${hr}/'
)
