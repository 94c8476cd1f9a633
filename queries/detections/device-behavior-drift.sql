-- id: device-behavior-drift
-- title: A medical device talks to new peers, on new ports, or moves more data than its profile
-- severity: medium
-- mitre: T1041, T1571, T1071
-- hipaa: 164.308(a)(1)(ii)(D), 164.312(a)(1), 164.312(b), 164.312(e)(1)
-- params: min_bytes=10000000, z_threshold=3.5, min_bucket_samples=4, min_overall_samples=24, miss_probability=0.001
-- window: 24h
-- lookback: 28d
-- based-on: HICP 405(d) 9.M.E (device traffic "profiled based on required operation") and the
--   deny-by-default rule of detection-algorithms.md 5.3: every new edge (role, peer, port,
--   protocol) of a medical-device host is a finding, with RITA's first-seen keying by source and
--   peer zone (5.1) and "never seen" trusted only under the rule of three (Hanley and Lippman-Hand
--   1983); hourly volume against the robust hour-of-week baseline of 7.2 (median and MAD, Iglewicz
--   and Hoaglin modified z-score on log1p(bytes), 10 MB/h floor, above p99).
-- finding: Medical device {src_ip} drifted from its profile ({reason})
-- summary: Medical device {src_ip} ({src_zone}) {reason}: {detail}. Check with biomedical engineering whether a firmware update, vendor service or configuration change explains it; if not, restrict the device's traffic to its profile.
-- description: Profiles every host of the zones tagged medical-device from the history before each
--   first use (queries/baselines/device-profile.sql, inline): its edges (role, peer, port,
--   protocol; client when the device opened the session, server when a peer opened it and the
--   device answered; the peer is the address for an external peer and the zone for an internal one,
--   so a device that reaches another server of the same pool is not drifting) and its hourly
--   traffic (bytes both ways, the largest view when several sensors saw it). Edge rule: an edge the
--   device never had in the lookback before its first use is reported when the history makes
--   "never" credible: with H hours in which the device was seen before, an edge used at the rate
--   seen in the hour after its first use (c distinct active minutes) would have gone unseen with
--   probability exp(-c H), which must be at most miss_probability, stricter than elsewhere (0.1 %)
--   because every edge of every device is judged. Every attempt the device makes counts (a blocked
--   call home is still drift); attempts on the device count when it answered. Volume rule: an hour
--   of min_bytes or more, compared with the device's hours before it (same hour of the week with
--   min_bucket_samples hours, else the same hour of the day, else all hours once there are
--   min_overall_samples; with less history the rule is silent), fires when z exceeds z_threshold,
--   the hour exceeds the p99 of all its hours and it is at least min_bytes above the median (a
--   steady 25 MB/h central station is not drifting at 34). The window is a day evaluated hour by
--   hour against the history before each hour, so a one-day lake works from its second hour; the
--   first hour of a lake, and a device never seen, yield nothing. Severity is high when a new peer
--   is on the Internet, else medium. One finding per device and window, naming its most significant
--   new edge.
-- runbook: Do not isolate a device in clinical use without biomedical engineering and the care
--   team. Check the vendor's change notices and the CMMS for a firmware update or service visit;
--   look up a new Internet peer (owner, reputation); if unexplained, block the new edge at the
--   device network's firewall and have the vendor examine the device.
WITH
device_zones AS (
  SELECT DISTINCT zone FROM :zone_tags WHERE tag = 'medical-device'
),
-- Every record with a medical-device host at either end, lookback and window.
device_flows AS (
  SELECT
    src_ip, dst_ip, src_port, dst_port, protocol, src_zone, dst_zone, conn_state, action,
    start_time, raw_ref, source_type, sensor, bytes_out, bytes_in
  FROM flows
  WHERE dt BETWEEN :window_dt_start AND :window_dt_end
    AND start_time >= :window_start AND start_time < :window_end
    AND (src_zone IN (SELECT zone FROM device_zones) OR dst_zone IN (SELECT zone FROM device_zones))
),
-- Each record seen from the device's side: the device, the record's role for it, and the peer.
-- Only initiations make edges: an answer comes from the lower (service) port to a higher
-- (ephemeral) one, or Zeek saw no handshake to orient it (OTH, SHR, RSTRH). Every attempt the
-- device makes counts (a blocked call home is still drift); attempts on the device count when it
-- answered them.
device_sides AS (
  SELECT
    src_ip AS device, src_zone AS device_zone, 'client' AS role, dst_ip AS peer_ip,
    CASE WHEN dst_zone = 'external' THEN dst_ip ELSE concat('zone ', dst_zone) END AS peer_key,
    dst_zone = 'external' AS external_peer,
    dst_port, protocol, start_time, date_trunc('hour', start_time) AS hour, raw_ref, source_type,
    sensor, bytes_out + coalesce(bytes_in, 0) AS bytes,
    (src_port IS NULL OR dst_port IS NULL OR src_port >= dst_port)
      AND (conn_state IS NULL OR conn_state NOT IN ('OTH', 'SHR', 'RSTRH')) AS initiation
  FROM device_flows
  WHERE src_zone IN (SELECT zone FROM device_zones)
  UNION ALL
  SELECT
    dst_ip, dst_zone, 'server', src_ip,
    CASE WHEN src_zone = 'external' THEN src_ip ELSE concat('zone ', src_zone) END,
    src_zone = 'external',
    dst_port, protocol, start_time, date_trunc('hour', start_time), raw_ref, source_type, sensor,
    bytes_out + coalesce(bytes_in, 0),
    (src_port IS NULL OR dst_port IS NULL OR src_port >= dst_port)
      AND (conn_state IS NULL OR conn_state NOT IN ('OTH', 'SHR', 'RSTRH'))
      -- An attempt the device refused or never answered is not an edge it used.
      AND (conn_state IS NULL OR conn_state NOT IN ('S0', 'REJ', 'RSTOS0', 'SH'))
      AND (action IS NULL OR action <> 'reject')
  FROM device_flows
  WHERE dst_zone IN (SELECT zone FROM device_zones)
),
-- Hours in which each device was seen at all.
-- The lookback: the same sides rolled up per hour, from the materialized baseline
-- (queries/baselines/device-profile.sql).
history_rows AS (
  SELECT
    host AS device, role, peer AS peer_key, initiation, dst_port, protocol, source_type, sensor,
    hour, bytes, last_seen
  FROM baselines
  WHERE baseline_id = 'device-profile'
    AND dt BETWEEN :baseline_dt_start AND :window_dt_start
    AND hour >= :baseline_start AND hour < :window_start
),
device_hours AS (
  SELECT device, hour FROM history_rows
  UNION
  SELECT device, hour FROM device_sides
),
-- Edges: first use in the window, last use before it.
window_edges AS (
  SELECT device, role, peer_key, dst_port, protocol, min(start_time) AS first_use
  FROM device_sides
  WHERE initiation AND start_time >= :window_start
  GROUP BY device, role, peer_key, dst_port, protocol
),
earlier_edges AS (
  SELECT device, role, peer_key, dst_port, protocol, max(last_seen) AS last_use
  FROM history_rows
  WHERE initiation
  GROUP BY device, role, peer_key, dst_port, protocol
),
earlier_ports AS (
  SELECT device, role, dst_port, protocol, max(last_seen) AS last_use
  FROM history_rows
  WHERE initiation
  GROUP BY device, role, dst_port, protocol
),
new_edges AS (
  SELECT
    w.device, w.role, w.peer_key, w.dst_port, w.protocol, w.first_use,
    p.last_use IS NULL OR p.last_use < w.first_use - (:window_start - :baseline_start) AS new_port
  FROM window_edges AS w
  LEFT JOIN earlier_edges AS e
    ON e.device = w.device AND e.role = w.role AND e.peer_key = w.peer_key
    AND e.dst_port = w.dst_port AND e.protocol = w.protocol
  LEFT JOIN earlier_ports AS p
    ON p.device = w.device AND p.role = w.role AND p.dst_port = w.dst_port AND p.protocol = w.protocol
  WHERE e.last_use IS NULL OR e.last_use < w.first_use - (:window_start - :baseline_start)
),
-- The new edges whose novelty the device's history supports (rule of three).
credible_edges AS (
  SELECT
    n.device, n.role, n.peer_key, n.dst_port, n.protocol, n.first_use, n.new_port,
    bool_or(s.external_peer) AS external_peer,
    min_by(s.peer_ip, s.start_time) AS peer_ip,
    count(DISTINCT CASE
      WHEN s.start_time < n.first_use + INTERVAL '1' HOUR THEN date_trunc('minute', s.start_time)
    END) AS active_minutes,
    max(h.history_hours) AS history_hours
  FROM new_edges AS n
  JOIN device_sides AS s
    ON s.device = n.device AND s.role = n.role AND s.peer_key = n.peer_key
    AND s.dst_port = n.dst_port AND s.protocol = n.protocol
    AND s.initiation AND s.start_time >= :window_start
  JOIN (
    SELECT e.device, e.role, e.peer_key, e.dst_port, e.protocol, count(d.hour) AS history_hours
    FROM new_edges AS e
    LEFT JOIN device_hours AS d
      ON d.device = e.device
      AND d.hour < date_trunc('hour', e.first_use)
      AND d.hour >= e.first_use - (:window_start - :baseline_start)
    GROUP BY e.device, e.role, e.peer_key, e.dst_port, e.protocol
  ) AS h
    ON h.device = n.device AND h.role = n.role AND h.peer_key = n.peer_key
    AND h.dst_port = n.dst_port AND h.protocol = n.protocol
  GROUP BY n.device, n.role, n.peer_key, n.dst_port, n.protocol, n.first_use, n.new_port
  HAVING count(DISTINCT CASE
      WHEN s.start_time < n.first_use + INTERVAL '1' HOUR THEN date_trunc('minute', s.start_time)
    END) * max(h.history_hours) >= -ln(:miss_probability)
),
-- Traffic per device and hour, per vantage point and then the largest view.
volume_hours AS (
  SELECT device, hour, max(bytes) AS bytes
  FROM (
    SELECT device, hour, source_type, sensor, sum(bytes) AS bytes
    FROM history_rows
    GROUP BY device, hour, source_type, sensor
    UNION ALL
    SELECT device, hour, source_type, sensor, sum(bytes) AS bytes
    FROM device_sides
    GROUP BY device, hour, source_type, sensor
  ) AS per_vantage
  GROUP BY device, hour
),
volume_candidates AS (
  SELECT device, hour, bytes AS volume
  FROM volume_hours
  WHERE hour >= :window_start AND bytes >= :min_bytes
),
-- For each candidate hour, the device's observed hours of the lookback before it, zero-filled.
volume_samples AS (
  SELECT
    c.device, c.hour, c.volume,
    coalesce(v.bytes, 0) AS bytes,
    ln(1 + coalesce(v.bytes, 0)) AS lx,
    day_of_week(d.hour) = day_of_week(c.hour) AND hour(d.hour) = hour(c.hour) AS same_week_hour,
    hour(d.hour) = hour(c.hour) AS same_day_hour
  FROM volume_candidates AS c
  JOIN device_hours AS d
    ON d.device = c.device AND d.hour < c.hour
    AND d.hour >= c.hour - (:window_start - :baseline_start)
  LEFT JOIN volume_hours AS v ON v.device = d.device AND v.hour = d.hour
),
volume_buckets AS (
  SELECT
    device, hour,
    approx_percentile(CAST(bytes AS DOUBLE), 0.99) AS p99_bytes,
    CASE
      WHEN sum(CASE WHEN same_week_hour THEN 1 ELSE 0 END) >= :min_bucket_samples THEN 'hour-of-week'
      WHEN sum(CASE WHEN same_day_hour THEN 1 ELSE 0 END) >= :min_bucket_samples THEN 'hour-of-day'
      WHEN count(*) >= :min_overall_samples THEN 'all hours'
    END AS baseline
  FROM volume_samples
  GROUP BY device, hour
),
volume_bucket_samples AS (
  SELECT s.device, s.hour, s.volume, s.bytes, s.lx, b.baseline, b.p99_bytes
  FROM volume_samples AS s
  JOIN volume_buckets AS b ON b.device = s.device AND b.hour = s.hour
  WHERE b.baseline = 'all hours'
    OR (b.baseline = 'hour-of-week' AND s.same_week_hour)
    OR (b.baseline = 'hour-of-day' AND s.same_day_hour)
),
volume_medians AS (
  SELECT
    device, hour, max(volume) AS volume, max(baseline) AS baseline, max(p99_bytes) AS p99_bytes,
    approx_percentile(lx, 0.5) AS median_lx,
    approx_percentile(CAST(bytes AS DOUBLE), 0.5) AS median_bytes
  FROM volume_bucket_samples
  GROUP BY device, hour
),
volume_scored AS (
  SELECT
    m.device, m.hour, m.volume, m.baseline, m.median_bytes,
    CASE
      WHEN approx_percentile(abs(s.lx - m.median_lx), 0.5) > 0
        THEN 0.6745 * (ln(1 + m.volume) - m.median_lx) / approx_percentile(abs(s.lx - m.median_lx), 0.5)
      WHEN avg(abs(s.lx - m.median_lx)) > 0
        THEN (ln(1 + m.volume) - m.median_lx) / (1.253314 * avg(abs(s.lx - m.median_lx)))
      WHEN ln(1 + m.volume) > m.median_lx THEN 99.0
      ELSE 0.0
    END AS z,
    m.p99_bytes
  FROM volume_medians AS m
  JOIN volume_bucket_samples AS s ON s.device = m.device AND s.hour = m.hour
  GROUP BY m.device, m.hour, m.volume, m.baseline, m.median_bytes, m.median_lx, m.p99_bytes
),
volume_flagged AS (
  SELECT
    device, hour, volume, baseline, median_bytes, z,
    row_number() OVER (PARTITION BY device ORDER BY volume DESC, hour) AS rank_by_volume,
    count(*) OVER (PARTITION BY device) AS flagged_hours
  FROM volume_scored
  WHERE z > :z_threshold AND volume > p99_bytes AND volume - median_bytes >= :min_bytes
),
edge_summary AS (
  SELECT
    device,
    count(*) AS new_edges,
    sum(CASE WHEN external_peer THEN 1 ELSE 0 END) AS new_external_peers,
    count(DISTINCT CASE WHEN new_port THEN concat(role, ' ', CAST(dst_port AS VARCHAR), '/', CAST(protocol AS VARCHAR)) END) AS new_ports
  FROM credible_edges
  GROUP BY device
),
top_edge AS (
  SELECT
    device, role, peer_ip, dst_port, protocol, external_peer, active_minutes, history_hours,
    row_number() OVER (
      PARTITION BY device ORDER BY external_peer DESC, active_minutes DESC, first_use, peer_key
    ) AS rank_in_device
  FROM credible_edges
),
drifted AS (
  SELECT device FROM edge_summary
  UNION
  SELECT device FROM volume_flagged
),
evidence AS (
  SELECT
    s.device,
    max(s.device_zone) AS device_zone,
    count(*) AS flow_count,
    min(s.start_time) AS first_seen,
    max(s.start_time) AS last_seen,
    slice(array_agg(s.raw_ref ORDER BY s.start_time), 1, 20) AS raw_refs
  FROM device_sides AS s
  JOIN credible_edges AS c
    ON c.device = s.device AND c.role = s.role AND c.peer_key = s.peer_key
    AND c.dst_port = s.dst_port AND c.protocol = s.protocol
  WHERE s.initiation AND s.start_time >= :window_start
  GROUP BY s.device
  UNION ALL
  SELECT
    s.device, max(s.device_zone), count(*), min(s.start_time), max(s.start_time),
    slice(array_agg(s.raw_ref ORDER BY s.start_time), 1, 20)
  FROM device_sides AS s
  JOIN volume_flagged AS v ON v.device = s.device AND v.hour = s.hour AND v.rank_by_volume = 1
  WHERE s.device NOT IN (SELECT device FROM edge_summary)
  GROUP BY s.device
)
SELECT
  d.device AS src_ip,
  t.peer_ip AS dst_ip,
  t.dst_port,
  t.protocol,
  v.device_zone AS src_zone,
  concat_ws(', ',
    CASE WHEN coalesce(e.new_external_peers, 0) > 0 THEN 'talked to a new Internet peer' END,
    CASE WHEN coalesce(e.new_edges, 0) > coalesce(e.new_external_peers, 0) THEN 'used a new internal edge' END,
    CASE WHEN f.device IS NOT NULL THEN 'moved more data than usual' END) AS reason,
  concat_ws('; ',
    CASE WHEN t.device IS NOT NULL THEN concat(
      'first new edge ', t.role, ' ', t.peer_ip, ' ',
      CASE t.protocol WHEN 6 THEN 'TCP' WHEN 17 THEN 'UDP' ELSE CAST(t.protocol AS VARCHAR) END,
      '/', coalesce(CAST(t.dst_port AS VARCHAR), '-'),
      ' (', CAST(e.new_edges AS VARCHAR), ' new edge(s), ',
      CAST(e.new_external_peers AS VARCHAR), ' new Internet peer(s), ',
      CAST(e.new_ports AS VARCHAR), ' new port(s))') END,
    CASE WHEN f.device IS NOT NULL THEN concat(
      'busiest hour ', CAST(round(CAST(f.volume AS DOUBLE) / 1e6, 1) AS VARCHAR),
      ' MB against a usual ', CAST(round(f.median_bytes / 1e6, 1) AS VARCHAR),
      ' MB (', f.baseline, ')') END) AS detail,
  t.role,
  coalesce(e.new_edges, 0) AS new_edges,
  coalesce(e.new_external_peers, 0) AS new_external_peers,
  coalesce(e.new_ports, 0) AS new_ports,
  t.active_minutes,
  t.history_hours,
  f.hour AS worst_hour,
  round(CAST(f.volume AS DOUBLE) / 1e6, 1) AS worst_hour_mb,
  round(f.median_bytes / 1e6, 1) AS median_mb,
  round(f.z, 2) AS robust_z,
  f.baseline,
  CASE WHEN coalesce(e.new_external_peers, 0) > 0 THEN 'high' ELSE 'medium' END AS severity,
  v.flow_count, v.first_seen, v.last_seen, v.raw_refs
FROM drifted AS d
JOIN evidence AS v ON v.device = d.device
LEFT JOIN edge_summary AS e ON e.device = d.device
LEFT JOIN top_edge AS t ON t.device = d.device AND t.rank_in_device = 1
LEFT JOIN volume_flagged AS f ON f.device = d.device AND f.rank_by_volume = 1
