-- id: device-profile
-- title: The communication profile of each medical device: its edges and its hourly traffic
-- description: The profile device-behavior-drift compares with (HICP 405(d) 9.M.E: device traffic
--   profiled on its required operation), materialisable per period. For every host of the zones
--   tagged medical-device in :zone_tags, one row per edge it used over [:period_start,
--   :period_end): its role (client when the device opened the session, server when a peer opened it
--   to the device), the peer (the address for an external peer, the zone name for an internal one,
--   so a device that reaches another server of the same pool keeps its edge), the destination port
--   and protocol, first and last use, records, distinct active hours and bytes both ways. Each row
--   also carries the device's hourly traffic over the period: the hours it was seen, the median and
--   p99 of its bytes per hour and the MAD of log1p(bytes) (counted once per hour when several
--   sensors saw it; the largest view). Only initiations make edges (an answer comes from the lower,
--   service, port to a higher, ephemeral, one, or Zeek saw no handshake to orient it); all records
--   count towards traffic. Edge rows merge across periods with min(first_seen), max(last_seen) and
--   sums; the volume statistics do not add up, so materialise the hourly traffic rows
--   (`device_hour_bytes`) per period and compute them when reading. A device seen for less than a
--   day has no volume baseline: the detection's volume rule waits for 24 hours, its edge rule for
--   enough hours to trust "never" (rule of three).
WITH
device_zones AS (
  SELECT DISTINCT zone FROM :zone_tags WHERE tag = 'medical-device'
),
device_flows AS (
  SELECT
    src_ip, dst_ip, src_port, dst_port, protocol, src_zone, dst_zone, conn_state, start_time,
    source_type, sensor, bytes_out, bytes_in
  FROM flows
  WHERE dt BETWEEN :period_dt_start AND :period_dt_end
    AND start_time >= :period_start AND start_time < :period_end
    AND (src_zone IN (SELECT zone FROM device_zones) OR dst_zone IN (SELECT zone FROM device_zones))
),
device_sides AS (
  SELECT
    src_ip AS device, src_zone AS device_zone, 'client' AS role,
    CASE WHEN dst_zone = 'external' THEN dst_ip ELSE concat('zone ', dst_zone) END AS peer_key,
    dst_port, protocol, start_time, date_trunc('hour', start_time) AS hour, source_type, sensor,
    bytes_out + coalesce(bytes_in, 0) AS bytes,
    (src_port IS NULL OR dst_port IS NULL OR src_port >= dst_port)
      AND (conn_state IS NULL OR conn_state NOT IN ('OTH', 'SHR', 'RSTRH')) AS initiation
  FROM device_flows
  WHERE src_zone IN (SELECT zone FROM device_zones)
  UNION ALL
  SELECT
    dst_ip, dst_zone, 'server',
    CASE WHEN src_zone = 'external' THEN src_ip ELSE concat('zone ', src_zone) END,
    dst_port, protocol, start_time, date_trunc('hour', start_time), source_type, sensor,
    bytes_out + coalesce(bytes_in, 0),
    (src_port IS NULL OR dst_port IS NULL OR src_port >= dst_port)
      AND (conn_state IS NULL OR conn_state NOT IN ('OTH', 'SHR', 'RSTRH'))
  FROM device_flows
  WHERE dst_zone IN (SELECT zone FROM device_zones)
),
device_hour_bytes AS (
  SELECT device, hour, max(bytes) AS bytes
  FROM (
    SELECT device, hour, source_type, sensor, sum(bytes) AS bytes
    FROM device_sides
    GROUP BY device, hour, source_type, sensor
  ) AS per_vantage
  GROUP BY device, hour
),
volume_medians AS (
  SELECT
    device, count(*) AS observed_hours,
    approx_percentile(CAST(bytes AS DOUBLE), 0.5) AS median_hour_bytes,
    approx_percentile(CAST(bytes AS DOUBLE), 0.99) AS p99_hour_bytes,
    approx_percentile(ln(1 + bytes), 0.5) AS median_log1p
  FROM device_hour_bytes
  GROUP BY device
),
volume AS (
  SELECT
    m.device, m.observed_hours, m.median_hour_bytes, m.p99_hour_bytes, m.median_log1p,
    approx_percentile(abs(ln(1 + h.bytes) - m.median_log1p), 0.5) AS mad_log1p
  FROM volume_medians AS m
  JOIN device_hour_bytes AS h ON h.device = m.device
  GROUP BY m.device, m.observed_hours, m.median_hour_bytes, m.p99_hour_bytes, m.median_log1p
),
edges AS (
  SELECT
    device, max(device_zone) AS device_zone, role, peer_key, dst_port, protocol,
    min(start_time) AS first_seen,
    max(start_time) AS last_seen,
    count(*) AS flows,
    count(DISTINCT hour) AS active_hours,
    sum(bytes) AS bytes
  FROM device_sides
  WHERE initiation
  GROUP BY device, role, peer_key, dst_port, protocol
)
SELECT
  e.device, e.device_zone, e.role, e.peer_key, e.dst_port, e.protocol,
  e.first_seen, e.last_seen, e.flows, e.active_hours, e.bytes,
  v.observed_hours, v.median_hour_bytes, v.p99_hour_bytes, v.median_log1p, v.mad_log1p,
  :period_start AS period_start, :period_end AS period_end
FROM edges AS e
JOIN volume AS v ON v.device = e.device
