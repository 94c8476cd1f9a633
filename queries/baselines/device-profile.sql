-- id: device-profile
-- title: What each medical device does, rolled up per role, peer, port, vantage point and hour
-- materialize: daily
-- description: The profile device-behavior-drift compares with (HICP 405(d) 9.M.E: device traffic
--   profiled on its required operation), materialized into `baselines` one day at a time. For every
--   host of the zones tagged medical-device in :zone_tags, one row per role, peer, destination port,
--   protocol, vantage point (source type and sensor), initiation flag and hour of [:period_start,
--   :period_end): records, bytes both ways, first and last record. The role is client when the
--   device opened the session and server when a peer opened it to the device; the peer is the
--   address for an external peer and `zone <name>` for an internal one, so a device that reaches
--   another server of the same pool keeps its edge. Initiations make edges (an answer comes from the
--   lower, service, port to a higher, ephemeral, one, or Zeek saw no handshake to orient it; an
--   attempt the device refused or never answered is not an edge it used); every record counts
--   towards the device's hourly traffic, counted once when several sensors saw it (the largest
--   view, over the vantage columns). The edge set (max(last_seen) per edge) and the robust hourly
--   volume (median and MAD of log1p(bytes)) are computed from these rows when read.
WITH
device_zones AS (
  SELECT DISTINCT zone FROM :zone_tags WHERE tag = 'medical-device'
),
device_flows AS (
  SELECT
    src_ip, dst_ip, src_port, dst_port, protocol, src_zone, dst_zone, conn_state, action,
    direction, start_time, source_type, sensor, bytes_out, bytes_in
  FROM flows
  WHERE dt BETWEEN :period_dt_start AND :period_dt_end
    AND start_time >= :period_start AND start_time < :period_end
    AND (src_zone IN (SELECT zone FROM device_zones) OR dst_zone IN (SELECT zone FROM device_zones))
),
device_sides AS (
  SELECT
    src_ip AS device, src_zone AS device_zone, 'client' AS role,
    CASE WHEN dst_zone = 'external' THEN dst_ip ELSE concat('zone ', dst_zone) END AS peer_key,
    dst_zone AS peer_zone, direction, dst_port, protocol, start_time, source_type, sensor,
    bytes_out + coalesce(bytes_in, 0) AS bytes,
    (src_port IS NULL OR dst_port IS NULL OR src_port >= dst_port)
      AND (conn_state IS NULL OR conn_state NOT IN ('OTH', 'SHR', 'RSTRH')) AS initiation
  FROM device_flows
  WHERE src_zone IN (SELECT zone FROM device_zones)
  UNION ALL
  SELECT
    dst_ip, dst_zone, 'server',
    CASE WHEN src_zone = 'external' THEN src_ip ELSE concat('zone ', src_zone) END,
    src_zone, direction, dst_port, protocol, start_time, source_type, sensor,
    bytes_out + coalesce(bytes_in, 0),
    (src_port IS NULL OR dst_port IS NULL OR src_port >= dst_port)
      AND (conn_state IS NULL OR conn_state NOT IN ('OTH', 'SHR', 'RSTRH'))
      AND (conn_state IS NULL OR conn_state NOT IN ('S0', 'REJ', 'RSTOS0', 'SH'))
      AND (action IS NULL OR action <> 'reject')
  FROM device_flows
  WHERE dst_zone IN (SELECT zone FROM device_zones)
)
SELECT
  device AS host,
  device_zone AS host_zone,
  peer_key AS peer,
  peer_zone,
  direction,
  role,
  initiation,
  dst_port,
  protocol,
  source_type,
  sensor,
  date_trunc('hour', start_time) AS hour,
  count(*) AS flows,
  sum(bytes) AS bytes,
  min(start_time) AS first_seen,
  max(start_time) AS last_seen
FROM device_sides
GROUP BY
  device, device_zone, peer_key, peer_zone, direction, role, initiation, dst_port, protocol,
  source_type, sensor, date_trunc('hour', start_time)
