-- id: egress-volume-anomaly
-- title: A host sends far more data to the Internet than its own history explains
-- severity: high
-- mitre: T1048, T1041, T1567
-- hipaa: 164.308(a)(1)(ii)(D), 164.308(a)(6)(ii), 164.312(b), 164.312(e)(1)
-- params: min_bytes=10000000, z_threshold=3.5, min_bucket_samples=4, min_overall_samples=24, miss_probability=0.01, shared_hosts=5
-- window: 24h
-- lookback: 28d
-- based-on: Robust hour-of-week baseline (detection-algorithms.md 7.2): median and MAD of the
--   host's hourly upload, modified z-score z = 0.6745 (x - median) / MAD (Iglewicz and Hoaglin
--   1993; MeanAD variant z = (x - median) / (1.253314 MeanAD) when MAD = 0) on log1p(bytes) for the
--   heavy tail; alert when z > 3.5, x >= 10 MB/h (floor of Sentinel
--   TimeSeriesAnomaly-MultiVendor_DataExfiltration) and x above the p99 of the host's own hours.
--   Buckets fall back from hour-of-week to hour-of-day to all hours. First-seen large upload: RITA
--   first-seen destinations and prevalence (5.1, 5.2), gated by the rule of three (Hanley and
--   Lippman-Hand 1983).
-- finding: {src_ip} sent {upload_mb} MB to the Internet in one hour ({reason})
-- summary: {src_ip} ({src_zone}) uploaded {upload_mb} MB to external addresses in its worst hour ({worst_hour}), most of it to {dst_ip}; its usual upload for that hour ({baseline}) is {median_mb} MB. Confirm a sanctioned transfer with the system owner; if there is none, block the destination at the egress firewall and start the breach assessment for the data on {src_ip}.
-- description: Evaluates every hour of the window on its own against the lookback before that hour,
--   so the earlier hours of the window count as history too (one pass over the window and its
--   lookback instead of one per hour; a one-day lake works from its second hour). The upload of a
--   host is what it sent on sessions it opened to external addresses, less 52 bytes of IP and TCP
--   header per packet (every source counts IP bytes: the acknowledgements of a large download are
--   not an upload), counted once when several sensors saw the same traffic (the largest view).
--   The lookback is read from the materialized host-peer-set rollup (hourly rows per host, peer
--   and vantage point in `baselines`), the window from the flows themselves.
--   Baseline rule (queries/baselines/host-egress-hour-of-week.sql, per candidate hour): the samples are the
--   hours of the lookback in which the sensors delivered egress records at all, zero where the host
--   sent nothing out; the bucket is the same hour of the week when it holds min_bucket_samples
--   hours (4 weeks of history), else the same hour of the day (4 days), else all hours once there
--   are min_overall_samples of them (a full day, so that the daily rhythm is in the sample); with
--   less history the baseline rule stays silent. It fires when z exceeds z_threshold, the hour
--   exceeds the p99 of all the host's samples, and it is at least min_bytes more than the bucket's
--   median (a steady 300 MB/h host is not anomalous at 310). First-seen rule: min_bytes or more in
--   one hour to an address the host did not use in the lookback, and that fewer than shared_hosts
--   internal hosts reach in the lookback and window (an update or cloud service many hosts use is
--   not a first-seen destination: RITA's prevalence), fires without a baseline, when the history
--   makes "not used" credible: an address used at the rate seen in the hour after the first contact
--   (c distinct active minutes) would have gone unseen in the H hours of history with probability
--   exp(-c H), which must be at most miss_probability (rule of three at 5 %, here 1 %). No history
--   at all (the first hour of a lake) means no finding. Answers to sessions opened from the
--   Internet (a portal serving patients, VPN tunnels) are not uploads the host chose and are left
--   out. One finding per host and window: its worst hour, with the number of flagged hours.
-- runbook: Ask the system owner whether a transfer was scheduled (cloud backup, image exchange,
--   vendor support upload). If not: block the destination at the egress firewall, preserve the
--   flows (raw_refs) and the host, run `wardflow reach <src_ip>` to see what it read beforehand,
--   and start the HIPAA breach risk assessment (164.402) for the data it holds.
WITH
-- Records of sessions an internal host opened to an external address in the window. A record is an
-- answer, not an initiation, when it comes from the lower (service) port to a higher (ephemeral)
-- one, or Zeek saw no handshake to orient it (OTH, SHR, RSTRH). TCP flags cannot tell: VPC and
-- NetFlow OR the flags of every packet, so both directions carry SYN and ACK. The same filter makes
-- the host-peer-set rollup the lookback is read from.
egress AS (
  SELECT
    src_ip, dst_ip, src_zone, start_time, raw_ref, source_type, sensor,
    date_trunc('hour', start_time) AS hour,
    greatest(bytes_out - 52 * coalesce(packets_out, 0), 0) AS upload
  FROM flows
  WHERE dt BETWEEN :window_dt_start AND :window_dt_end
    AND start_time >= :window_start AND start_time < :window_end
    AND direction = 'outbound'
    AND (src_port IS NULL OR dst_port IS NULL OR src_port >= dst_port)
    AND (conn_state IS NULL OR conn_state NOT IN ('OTH', 'SHR', 'RSTRH'))
),
-- Upload per host, destination, hour and vantage point (source type and sensor): the lookback from
-- the materialized baseline (queries/baselines/host-peer-set.sql), the window from its records.
vantage_hours AS (
  SELECT host AS src_ip, peer AS dst_ip, hour, source_type, sensor, sum(bytes) AS bytes
  FROM baselines
  WHERE baseline_id = 'host-peer-set'
    AND dt BETWEEN :baseline_dt_start AND :window_dt_start
    AND hour >= :baseline_start AND hour < :window_start
    AND direction = 'outbound'
  GROUP BY host, peer, hour, source_type, sensor
  UNION ALL
  SELECT src_ip, dst_ip, hour, source_type, sensor, sum(upload) AS bytes
  FROM egress
  GROUP BY src_ip, dst_ip, hour, source_type, sensor
),
-- The largest view: a session seen by VPC and an on-prem sensor is not counted twice.
pair_hours AS (
  SELECT src_ip, dst_ip, hour, max(bytes) AS bytes
  FROM vantage_hours
  GROUP BY src_ip, dst_ip, hour
),
host_hours AS (
  SELECT src_ip, hour, sum(bytes) AS bytes
  FROM pair_hours
  GROUP BY src_ip, hour
),
-- Hours of the window in which a host uploaded at least the floor: the only ones that can alert.
candidates AS (
  SELECT src_ip, hour, bytes AS upload
  FROM host_hours
  WHERE hour >= :window_start AND bytes >= :min_bytes
),
-- Hours of the lookback and the window in which the sensors delivered egress records at all: the
-- hours a host's baseline is made of (an hour in which it sent nothing out is a sample of zero).
-- Hours without any egress record (collector down, before the lake began) are not samples.
data_hours AS (
  SELECT DISTINCT hour FROM pair_hours
),
-- For each candidate hour, the data hours of the lookback before it, zero-filled.
samples AS (
  SELECT
    c.src_ip, c.hour, c.upload,
    coalesce(h.bytes, 0) AS bytes,
    ln(1 + coalesce(h.bytes, 0)) AS lx,
    day_of_week(o.hour) = day_of_week(c.hour) AND hour(o.hour) = hour(c.hour) AS same_week_hour,
    hour(o.hour) = hour(c.hour) AS same_day_hour
  FROM candidates AS c
  JOIN data_hours AS o
    ON o.hour < c.hour AND o.hour >= c.hour - (:window_start - :baseline_start)
  LEFT JOIN host_hours AS h ON h.src_ip = c.src_ip AND h.hour = o.hour
),
-- The bucket each candidate hour is compared with; NULL when the history is too short for any.
buckets AS (
  SELECT
    src_ip, hour,
    count(*) AS history_hours,
    approx_percentile(CAST(bytes AS DOUBLE), 0.99) AS p99_bytes,
    CASE
      WHEN sum(CASE WHEN same_week_hour THEN 1 ELSE 0 END) >= :min_bucket_samples THEN 'hour-of-week'
      WHEN sum(CASE WHEN same_day_hour THEN 1 ELSE 0 END) >= :min_bucket_samples THEN 'hour-of-day'
      WHEN count(*) >= :min_overall_samples THEN 'all hours'
    END AS baseline
  FROM samples
  GROUP BY src_ip, hour
),
bucket_samples AS (
  SELECT s.src_ip, s.hour, s.bytes, s.lx, b.baseline
  FROM samples AS s
  JOIN buckets AS b ON b.src_ip = s.src_ip AND b.hour = s.hour
  WHERE b.baseline = 'all hours'
    OR (b.baseline = 'hour-of-week' AND s.same_week_hour)
    OR (b.baseline = 'hour-of-day' AND s.same_day_hour)
),
medians AS (
  SELECT
    src_ip, hour, count(*) AS samples,
    approx_percentile(lx, 0.5) AS median_lx,
    approx_percentile(CAST(bytes AS DOUBLE), 0.5) AS median_bytes
  FROM bucket_samples
  GROUP BY src_ip, hour
),
spreads AS (
  SELECT
    m.src_ip, m.hour, m.samples, m.median_lx, m.median_bytes,
    approx_percentile(abs(s.lx - m.median_lx), 0.5) AS mad_lx,
    avg(abs(s.lx - m.median_lx)) AS meanad_lx
  FROM medians AS m
  JOIN bucket_samples AS s ON s.src_ip = m.src_ip AND s.hour = m.hour
  GROUP BY m.src_ip, m.hour, m.samples, m.median_lx, m.median_bytes
),
scored AS (
  SELECT
    c.src_ip, c.hour, c.upload,
    coalesce(b.history_hours, 0) AS history_hours,
    b.baseline, b.p99_bytes, s.samples, s.median_bytes,
    CASE
      WHEN s.src_ip IS NULL THEN NULL
      WHEN s.mad_lx > 0 THEN 0.6745 * (ln(1 + c.upload) - s.median_lx) / s.mad_lx
      WHEN s.meanad_lx > 0 THEN (ln(1 + c.upload) - s.median_lx) / (1.253314 * s.meanad_lx)
      WHEN ln(1 + c.upload) > s.median_lx THEN 99.0
      ELSE 0.0
    END AS z
  FROM candidates AS c
  LEFT JOIN buckets AS b ON b.src_ip = c.src_ip AND b.hour = c.hour
  LEFT JOIN spreads AS s ON s.src_ip = c.src_ip AND s.hour = c.hour
),
-- Candidate uploads of min_bytes or more to one address in one hour ...
big_pairs AS (
  SELECT p.src_ip, p.dst_ip, p.hour, p.bytes
  FROM pair_hours AS p
  JOIN candidates AS c ON c.src_ip = p.src_ip AND c.hour = p.hour
  WHERE p.bytes >= :min_bytes
),
-- ... to an address new to the host: unused in the lookback before that hour.
unused_before AS (
  SELECT b.src_ip, b.dst_ip, b.hour, b.bytes
  FROM big_pairs AS b
  LEFT JOIN pair_hours AS k
    ON k.src_ip = b.src_ip AND k.dst_ip = b.dst_ip
    AND k.hour < b.hour AND k.hour >= b.hour - (:window_start - :baseline_start)
  GROUP BY b.src_ip, b.dst_ip, b.hour, b.bytes
  HAVING count(k.hour) = 0
),
-- Prevalence of those addresses: internal hosts that opened sessions to them, lookback and window.
-- An address many hosts use (an update or cloud service) is not a first-seen destination.
prevalence AS (
  SELECT dst_ip, count(DISTINCT src_ip) AS internal_hosts
  FROM pair_hours
  WHERE dst_ip IN (SELECT dst_ip FROM unused_before)
  GROUP BY dst_ip
),
-- Contact rate from the first contact on: distinct active minutes in the hour that follows it.
first_contacts AS (
  SELECT b.src_ip, b.dst_ip, b.hour, b.bytes, min(e.start_time) AS first_contact
  FROM unused_before AS b
  JOIN prevalence AS v ON v.dst_ip = b.dst_ip AND v.internal_hosts < :shared_hosts
  JOIN egress AS e
    ON e.src_ip = b.src_ip AND e.dst_ip = b.dst_ip
    AND e.start_time >= b.hour AND e.start_time < b.hour + INTERVAL '1' HOUR
  GROUP BY b.src_ip, b.dst_ip, b.hour, b.bytes
),
new_pairs AS (
  SELECT
    b.src_ip, b.dst_ip, b.hour, b.bytes,
    count(DISTINCT date_trunc('minute', e.start_time)) AS active_minutes
  FROM first_contacts AS b
  JOIN egress AS e
    ON e.src_ip = b.src_ip AND e.dst_ip = b.dst_ip
    AND e.start_time >= b.first_contact AND e.start_time < b.first_contact + INTERVAL '1' HOUR
  GROUP BY b.src_ip, b.dst_ip, b.hour, b.bytes
),
flagged AS (
  SELECT
    s.src_ip, s.hour, s.upload, s.history_hours, s.baseline, s.samples, s.median_bytes, s.z,
    s.z > :z_threshold AND s.upload > s.p99_bytes
      AND s.upload - s.median_bytes >= :min_bytes AS above_baseline,
    coalesce(sum(n.bytes), 0) AS new_destination_bytes,
    count(n.dst_ip) AS new_destinations
  FROM scored AS s
  LEFT JOIN new_pairs AS n
    ON n.src_ip = s.src_ip AND n.hour = s.hour
    AND n.active_minutes * s.history_hours >= -ln(:miss_probability)
  GROUP BY s.src_ip, s.hour, s.upload, s.history_hours, s.baseline, s.samples, s.median_bytes, s.z, s.p99_bytes
  HAVING (s.z > :z_threshold AND s.upload > s.p99_bytes
      AND s.upload - s.median_bytes >= :min_bytes) OR count(n.dst_ip) > 0
),
-- One finding per host: its worst flagged hour, with the hours it covers.
worst AS (
  SELECT
    f.*,
    count(*) OVER (PARTITION BY f.src_ip) AS flagged_hours,
    sum(f.upload) OVER (PARTITION BY f.src_ip) AS flagged_bytes,
    row_number() OVER (PARTITION BY f.src_ip ORDER BY f.upload DESC, f.hour) AS rank_by_upload
  FROM flagged AS f
),
evidence AS (
  SELECT
    e.src_ip,
    max(e.src_zone) AS src_zone,
    count(*) AS flow_count,
    min(e.start_time) AS first_seen,
    max(e.start_time) AS last_seen,
    slice(array_agg(e.raw_ref ORDER BY e.start_time), 1, 20) AS raw_refs
  FROM egress AS e
  JOIN flagged AS f ON f.src_ip = e.src_ip AND f.hour = e.hour
  GROUP BY e.src_ip
),
top_destination AS (
  SELECT
    p.src_ip, p.dst_ip,
    row_number() OVER (PARTITION BY p.src_ip ORDER BY p.bytes DESC, p.dst_ip) AS rank_by_bytes
  FROM pair_hours AS p
  JOIN worst AS w ON w.src_ip = p.src_ip AND w.hour = p.hour AND w.rank_by_upload = 1
)
SELECT
  w.src_ip, t.dst_ip, v.src_zone,
  CASE
    WHEN w.above_baseline AND w.new_destinations > 0 THEN 'above baseline, new destination'
    WHEN w.above_baseline THEN 'above baseline'
    ELSE 'new destination'
  END AS reason,
  w.hour AS worst_hour,
  round(CAST(w.upload AS DOUBLE) / 1e6, 1) AS upload_mb,
  w.upload AS upload_bytes,
  w.new_destination_bytes,
  w.new_destinations,
  w.flagged_hours,
  round(CAST(w.flagged_bytes AS DOUBLE) / 1e6, 1) AS flagged_mb,
  coalesce(w.baseline, 'none') AS baseline,
  coalesce(w.samples, 0) AS samples,
  w.history_hours,
  round(coalesce(w.median_bytes, 0) / 1e6, 1) AS median_mb,
  round(w.z, 2) AS robust_z,
  CASE WHEN w.upload >= 100 * :min_bytes THEN 'critical' ELSE 'high' END AS severity,
  v.flow_count, v.first_seen, v.last_seen, v.raw_refs
FROM worst AS w
JOIN top_destination AS t ON t.src_ip = w.src_ip AND t.rank_by_bytes = 1
JOIN evidence AS v ON v.src_ip = w.src_ip
WHERE w.rank_by_upload = 1
