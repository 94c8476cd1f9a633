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
-- answered them. Both roles come from one reading of the records (a join with the two role names
-- rather than a UNION of two SELECTs, which Athena would scan, and bill, twice).
device_sides AS (
  SELECT
    device, device_zone, role, peer_ip,
    CASE WHEN peer_zone = 'external' THEN peer_ip ELSE concat('zone ', peer_zone) END AS peer_key,
    peer_zone = 'external' AS external_peer,
    dst_port, protocol, start_time, date_trunc('hour', start_time) AS hour, raw_ref, source_type,
    sensor, bytes,
    (src_port IS NULL OR dst_port IS NULL OR src_port >= dst_port)
      AND (conn_state IS NULL OR conn_state NOT IN ('OTH', 'SHR', 'RSTRH'))
      -- An attempt the device refused or never answered is not an edge it used.
      AND (role = 'client' OR conn_state IS NULL OR conn_state NOT IN ('S0', 'REJ', 'RSTOS0', 'SH'))
      AND (role = 'client' OR action IS NULL OR action <> 'reject') AS initiation
  FROM (
    SELECT
      r.role,
      CASE r.role WHEN 'client' THEN f.src_ip ELSE f.dst_ip END AS device,
      CASE r.role WHEN 'client' THEN f.src_zone ELSE f.dst_zone END AS device_zone,
      CASE r.role WHEN 'client' THEN f.dst_ip ELSE f.src_ip END AS peer_ip,
      CASE r.role WHEN 'client' THEN f.dst_zone ELSE f.src_zone END AS peer_zone,
      f.src_port, f.dst_port, f.protocol, f.conn_state, f.action, f.start_time, f.raw_ref,
      f.source_type, f.sensor, f.bytes_out + coalesce(f.bytes_in, 0) AS bytes
    FROM device_flows AS f
    CROSS JOIN (VALUES ('client'), ('server')) AS r (role)
    WHERE (r.role = 'client' AND f.src_zone IN (SELECT zone FROM device_zones))
      OR (r.role = 'server' AND f.dst_zone IN (SELECT zone FROM device_zones))
  ) AS sides
),
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
-- Traffic per device and hour, per vantage point and then the largest view. Its rows are also the
-- hours in which each device was seen at all.
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
  SELECT device, role, dst_port, protocol, max(last_use) AS last_use
  FROM earlier_edges
  GROUP BY device, role, dst_port, protocol
),
-- New edges, with the hours the device was seen in the lookback before each first use.
new_edges AS (
  SELECT
    w.device, w.role, w.peer_key, w.dst_port, w.protocol, w.first_use,
    p.last_use IS NULL OR p.last_use < w.first_use - (:window_start - :baseline_start) AS new_port,
    count(d.hour) AS history_hours
  FROM window_edges AS w
  LEFT JOIN earlier_edges AS e
    ON e.device = w.device AND e.role = w.role AND e.peer_key = w.peer_key
    AND e.dst_port = w.dst_port AND e.protocol = w.protocol
  LEFT JOIN earlier_ports AS p
    ON p.device = w.device AND p.role = w.role AND p.dst_port = w.dst_port AND p.protocol = w.protocol
  LEFT JOIN volume_hours AS d
    ON d.device = w.device
    AND d.hour < date_trunc('hour', w.first_use)
    AND d.hour >= w.first_use - (:window_start - :baseline_start)
  WHERE e.last_use IS NULL OR e.last_use < w.first_use - (:window_start - :baseline_start)
  GROUP BY w.device, w.role, w.peer_key, w.dst_port, w.protocol, w.first_use, p.last_use
),
-- The new edges whose novelty the device's history supports (rule of three).
credible_edges AS (
  SELECT
    n.device, n.role, n.peer_key, n.dst_port, n.protocol, n.first_use, n.new_port, n.history_hours,
    bool_or(s.external_peer) AS external_peer,
    min_by(s.peer_ip, s.start_time) AS peer_ip,
    count(DISTINCT CASE
      WHEN s.start_time < n.first_use + INTERVAL '1' HOUR THEN date_trunc('minute', s.start_time)
    END) AS active_minutes
  FROM new_edges AS n
  JOIN device_sides AS s
    ON s.device = n.device AND s.role = n.role AND s.peer_key = n.peer_key
    AND s.dst_port = n.dst_port AND s.protocol = n.protocol
    AND s.initiation AND s.start_time >= :window_start
  GROUP BY
    n.device, n.role, n.peer_key, n.dst_port, n.protocol, n.first_use, n.new_port, n.history_hours
  HAVING count(DISTINCT CASE
      WHEN s.start_time < n.first_use + INTERVAL '1' HOUR THEN date_trunc('minute', s.start_time)
    END) * n.history_hours >= -ln(:miss_probability)
),
-- Each device's edge summary and most significant edge, with window functions rather than joins
-- back: Athena and Trino plan every reference to a WITH query anew, and a query past 150 stages is
-- refused.
edge_ranked AS (
  SELECT
    c.*,
    count(*) OVER (PARTITION BY device) AS new_edges,
    sum(CASE WHEN external_peer THEN 1 ELSE 0 END) OVER (PARTITION BY device) AS new_external_peers,
    sum(CASE WHEN new_port AND port_rank = 1 THEN 1 ELSE 0 END) OVER (PARTITION BY device) AS new_ports,
    row_number() OVER (
      PARTITION BY device ORDER BY external_peer DESC, active_minutes DESC, first_use, peer_key
    ) = 1 AS top_edge
  FROM (
    SELECT
      e.*,
      row_number() OVER (
        PARTITION BY device, role, dst_port, protocol, new_port ORDER BY peer_key
      ) AS port_rank
    FROM credible_edges AS e
  ) AS c
),
-- One row per device with new edges: the summary, the top edge, and every record of the new edges
-- as evidence.
edge_findings AS (
  SELECT
    r.device,
    max(s.device_zone) AS device_zone,
    max(r.new_edges) AS new_edges,
    max(r.new_external_peers) AS new_external_peers,
    max(r.new_ports) AS new_ports,
    max(CASE WHEN r.top_edge THEN r.role END) AS role,
    max(CASE WHEN r.top_edge THEN r.peer_ip END) AS peer_ip,
    max(CASE WHEN r.top_edge THEN r.dst_port END) AS dst_port,
    max(CASE WHEN r.top_edge THEN r.protocol END) AS protocol,
    max(CASE WHEN r.top_edge THEN r.active_minutes END) AS active_minutes,
    max(CASE WHEN r.top_edge THEN r.history_hours END) AS history_hours,
    count(*) AS flow_count,
    min(s.start_time) AS first_seen,
    max(s.start_time) AS last_seen,
    slice(array_agg(s.raw_ref ORDER BY s.start_time, s.raw_ref), 1, 20) AS raw_refs
  FROM edge_ranked AS r
  JOIN device_sides AS s
    ON s.device = r.device AND s.role = r.role AND s.peer_key = r.peer_key
    AND s.dst_port = r.dst_port AND s.protocol = r.protocol
    AND s.initiation AND s.start_time >= :window_start
  GROUP BY r.device
),
volume_candidates AS (
  SELECT device, hour, bytes AS volume
  FROM volume_hours
  WHERE hour >= :window_start AND bytes >= :min_bytes
),
-- For each candidate hour, the device's observed hours of the lookback before it, zero-filled. The
-- statistics that follow are those of egress-volume-anomaly, computed the same way (see there):
-- window functions over the samples, and exact percentiles interpolated between order statistics.
volume_samples AS (
  SELECT
    c.device, c.hour, c.volume,
    coalesce(v.bytes, 0) AS bytes,
    ln(1 + coalesce(v.bytes, 0)) AS lx,
    day_of_week(v.hour) = day_of_week(c.hour) AND hour(v.hour) = hour(c.hour) AS same_week_hour,
    hour(v.hour) = hour(c.hour) AS same_day_hour
  FROM volume_candidates AS c
  JOIN volume_hours AS v
    ON v.device = c.device AND v.hour < c.hour
    AND v.hour >= c.hour - (:window_start - :baseline_start)
),
volume_bucketed AS (
  SELECT
    s.*,
    count(*) OVER (PARTITION BY device, hour) AS history_hours,
    row_number() OVER (PARTITION BY device, hour ORDER BY bytes) AS size_rank,
    CASE
      WHEN sum(CASE WHEN same_week_hour THEN 1 ELSE 0 END) OVER (PARTITION BY device, hour)
        >= :min_bucket_samples THEN 'hour-of-week'
      WHEN sum(CASE WHEN same_day_hour THEN 1 ELSE 0 END) OVER (PARTITION BY device, hour)
        >= :min_bucket_samples THEN 'hour-of-day'
      WHEN count(*) OVER (PARTITION BY device, hour) >= :min_overall_samples THEN 'all hours'
    END AS baseline
  FROM volume_samples AS s
),
volume_ranked AS (
  SELECT
    b.*,
    CAST(history_hours - 1 AS DOUBLE) * 0.99 AS p99_position,
    CAST(sum(CASE WHEN in_bucket THEN 1 ELSE 0 END) OVER (PARTITION BY device, hour) - 1 AS DOUBLE)
      * 0.5 AS median_position,
    row_number() OVER (PARTITION BY device, hour, in_bucket ORDER BY bytes) AS bucket_rank
  FROM (
    SELECT
      s.*,
      coalesce(
        baseline = 'all hours'
          OR (baseline = 'hour-of-week' AND same_week_hour)
          OR (baseline = 'hour-of-day' AND same_day_hour),
        false
      ) AS in_bucket
    FROM volume_bucketed AS s
  ) AS b
),
volume_order_statistics AS (
  SELECT
    r.*,
    max(CASE WHEN size_rank = floor(p99_position) + 1 THEN bytes END)
      OVER (PARTITION BY device, hour) AS p99_below,
    max(CASE WHEN size_rank = ceil(p99_position) + 1 THEN bytes END)
      OVER (PARTITION BY device, hour) AS p99_above,
    max(CASE WHEN in_bucket AND bucket_rank = floor(median_position) + 1 THEN lx END)
      OVER (PARTITION BY device, hour) AS median_lx_below,
    max(CASE WHEN in_bucket AND bucket_rank = ceil(median_position) + 1 THEN lx END)
      OVER (PARTITION BY device, hour) AS median_lx_above,
    max(CASE WHEN in_bucket AND bucket_rank = floor(median_position) + 1 THEN bytes END)
      OVER (PARTITION BY device, hour) AS median_bytes_below,
    max(CASE WHEN in_bucket AND bucket_rank = ceil(median_position) + 1 THEN bytes END)
      OVER (PARTITION BY device, hour) AS median_bytes_above
  FROM volume_ranked AS r
),
volume_deviations AS (
  SELECT
    device, hour, volume, baseline, in_bucket, median_position,
    p99_below + (p99_position - floor(p99_position)) * (p99_above - p99_below) AS p99_bytes,
    median_lx,
    median_bytes_below
      + (median_position - floor(median_position)) * (median_bytes_above - median_bytes_below)
      AS median_bytes,
    abs(lx - median_lx) AS deviation,
    row_number() OVER (PARTITION BY device, hour, in_bucket ORDER BY abs(lx - median_lx))
      AS deviation_rank
  FROM (
    SELECT
      o.*,
      median_lx_below
        + (median_position - floor(median_position)) * (median_lx_above - median_lx_below)
        AS median_lx
    FROM volume_order_statistics AS o
  ) AS m
),
volume_spreads AS (
  SELECT
    device, hour, volume, baseline, p99_bytes, median_lx, median_bytes,
    max(CASE WHEN in_bucket AND deviation_rank = floor(median_position) + 1 THEN deviation END)
      + (median_position - floor(median_position))
      * (max(CASE WHEN in_bucket AND deviation_rank = ceil(median_position) + 1 THEN deviation END)
        - max(CASE WHEN in_bucket AND deviation_rank = floor(median_position) + 1 THEN deviation END))
      AS mad_lx,
    avg(CASE WHEN in_bucket THEN deviation END) AS meanad_lx
  FROM volume_deviations
  -- A candidate hour without a bucket has no median, hence no score and no finding.
  WHERE baseline IS NOT NULL
  GROUP BY device, hour, volume, baseline, p99_bytes, median_position, median_lx, median_bytes
),
volume_scored AS (
  SELECT
    device, hour, volume, baseline, median_bytes, p99_bytes,
    CASE
      WHEN mad_lx > 0 THEN 0.6745 * (ln(1 + volume) - median_lx) / mad_lx
      WHEN meanad_lx > 0 THEN (ln(1 + volume) - median_lx) / (1.253314 * meanad_lx)
      WHEN ln(1 + volume) > median_lx THEN 99.0
      ELSE 0.0
    END AS z
  FROM volume_spreads
),
-- Each device's busiest flagged hour, with the records of that hour as evidence.
volume_worst AS (
  SELECT *
  FROM (
    SELECT
      device, hour, volume, baseline, median_bytes, z,
      row_number() OVER (PARTITION BY device ORDER BY volume DESC, hour) AS rank_by_volume
    FROM volume_scored
    WHERE z > :z_threshold AND volume > p99_bytes AND volume - median_bytes >= :min_bytes
  ) AS flagged
  WHERE rank_by_volume = 1
),
volume_findings AS (
  SELECT
    v.device, v.hour, v.volume, v.baseline, v.median_bytes, v.z,
    max(s.device_zone) AS device_zone,
    count(*) AS flow_count,
    min(s.start_time) AS first_seen,
    max(s.start_time) AS last_seen,
    slice(array_agg(s.raw_ref ORDER BY s.start_time, s.raw_ref), 1, 20) AS raw_refs
  FROM volume_worst AS v
  JOIN device_sides AS s ON s.device = v.device AND s.hour = v.hour
  GROUP BY v.device, v.hour, v.volume, v.baseline, v.median_bytes, v.z
),
-- A device with new edges shows their records; one that only moved more data, its busiest hour's.
drifted AS (
  SELECT
    coalesce(e.device, f.device) AS device,
    coalesce(e.device_zone, f.device_zone) AS device_zone,
    e.device IS NOT NULL AS has_edges,
    e.role, e.peer_ip, e.dst_port, e.protocol, e.active_minutes, e.history_hours,
    coalesce(e.new_edges, 0) AS new_edges,
    coalesce(e.new_external_peers, 0) AS new_external_peers,
    coalesce(e.new_ports, 0) AS new_ports,
    f.device IS NOT NULL AS moved_more, f.hour, f.volume, f.median_bytes, f.z, f.baseline,
    CASE WHEN e.device IS NOT NULL THEN e.flow_count ELSE f.flow_count END AS flow_count,
    CASE WHEN e.device IS NOT NULL THEN e.first_seen ELSE f.first_seen END AS first_seen,
    CASE WHEN e.device IS NOT NULL THEN e.last_seen ELSE f.last_seen END AS last_seen,
    CASE WHEN e.device IS NOT NULL THEN e.raw_refs ELSE f.raw_refs END AS raw_refs
  FROM edge_findings AS e
  FULL OUTER JOIN volume_findings AS f ON f.device = e.device
)
SELECT
  device AS src_ip,
  peer_ip AS dst_ip,
  dst_port,
  protocol,
  device_zone AS src_zone,
  concat_ws(', ',
    CASE WHEN new_external_peers > 0 THEN 'talked to a new Internet peer' END,
    CASE WHEN new_edges > new_external_peers THEN 'used a new internal edge' END,
    CASE WHEN moved_more THEN 'moved more data than usual' END) AS reason,
  concat_ws('; ',
    CASE WHEN has_edges THEN concat(
      'first new edge ', role, ' ', peer_ip, ' ',
      CASE protocol WHEN 6 THEN 'TCP' WHEN 17 THEN 'UDP' ELSE CAST(protocol AS VARCHAR) END,
      '/', coalesce(CAST(dst_port AS VARCHAR), '-'),
      ' (', CAST(new_edges AS VARCHAR), ' new edge(s), ',
      CAST(new_external_peers AS VARCHAR), ' new Internet peer(s), ',
      CAST(new_ports AS VARCHAR), ' new port(s))') END,
    CASE WHEN moved_more THEN concat(
      -- Through DECIMAL: Trino renders a DOUBLE as VARCHAR in scientific notation (2.21E1).
      'busiest hour ', CAST(CAST(round(CAST(volume AS DOUBLE) / 1e6, 1) AS DECIMAL(18, 1)) AS VARCHAR),
      ' MB against a usual ', CAST(CAST(round(median_bytes / 1e6, 1) AS DECIMAL(18, 1)) AS VARCHAR),
      ' MB (', baseline, ')') END) AS detail,
  role,
  new_edges,
  new_external_peers,
  new_ports,
  active_minutes,
  history_hours,
  hour AS worst_hour,
  round(CAST(volume AS DOUBLE) / 1e6, 1) AS worst_hour_mb,
  round(median_bytes / 1e6, 1) AS median_mb,
  round(z, 2) AS robust_z,
  baseline,
  CASE WHEN new_external_peers > 0 THEN 'high' ELSE 'medium' END AS severity,
  flow_count, first_seen, last_seen, raw_refs
FROM drifted
