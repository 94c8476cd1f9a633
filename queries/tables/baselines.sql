-- id: baselines
-- title: Materialized baselines: hourly rollups of each host's sessions, one partition per day
-- description: Written by the baseline refresh (the baseline state machine's INSERT INTO on Athena,
--   `wardflow detect` locally, from the same SELECT in queries/baselines/ marked `materialize`). One
--   row per host, peer, destination port, protocol, vantage point (source type and sensor) and hour:
--   how many records, bytes (upload for host-peer-set, both ways for device-profile), first and last
--   record. Hourly rows are the unit because robust statistics (medians, MAD) do not add up across
--   periods: a detection reads the rows of its lookback and computes them, so a day is rolled up once
--   and then read by every window that needs it. `baseline_id` names the rollup; `dt` is the day the
--   rows cover (UTC), replaced whole when the day is refreshed again.
CREATE EXTERNAL TABLE IF NOT EXISTS baselines (
  host string,
  host_zone string,
  peer string,
  peer_zone string,
  direction string,
  role string,
  initiation boolean,
  dst_port int,
  protocol int,
  source_type string,
  sensor string,
  hour timestamp,
  flows bigint,
  bytes bigint,
  first_seen timestamp,
  last_seen timestamp
)
PARTITIONED BY (baseline_id string, dt string)
STORED AS PARQUET
LOCATION '{{lake_location}}baselines/'
TBLPROPERTIES (
  'parquet.compression' = 'SNAPPY',
  'projection.enabled' = 'true',
  'projection.baseline_id.type' = 'enum',
  'projection.baseline_id.values' = 'host-peer-set,device-profile',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '1970-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'storage.location.template' = '{{lake_location}}baselines/baseline_id=${baseline_id}/dt=${dt}/'
)
