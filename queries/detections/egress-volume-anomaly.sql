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
-- Each host's upload per hour, and the address it sent most to in that hour (ties: the lower).
host_hours AS (
  SELECT src_ip, hour, sum(bytes) AS bytes, max(CASE WHEN rank_in_hour = 1 THEN dst_ip END) AS top_destination
  FROM (
    SELECT
      src_ip, dst_ip, hour, bytes,
      row_number() OVER (PARTITION BY src_ip, hour ORDER BY bytes DESC, dst_ip) AS rank_in_hour
    FROM pair_hours
  ) AS ranked_pairs
  GROUP BY src_ip, hour
),
-- Hours of the window in which a host uploaded at least the floor: the only ones that can alert.
candidates AS (
  SELECT src_ip, hour, bytes AS upload, top_destination
  FROM host_hours
  WHERE hour >= :window_start AND bytes >= :min_bytes
),
-- Hours of the lookback and the window in which the sensors delivered egress records at all: the
-- hours a host's baseline is made of (an hour in which it sent nothing out is a sample of zero).
-- Hours without any egress record (collector down, before the lake began) are not samples.
data_hours AS (
  SELECT DISTINCT hour FROM pair_hours
),
-- For each candidate hour, the data hours of the lookback before it, zero-filled. A candidate hour
-- with no data hour before it (the first hour of a lake) has no history, so neither rule can fire
-- for it, and it drops out here.
samples AS (
  SELECT
    c.src_ip, c.hour, c.upload, c.top_destination,
    coalesce(h.bytes, 0) AS bytes,
    ln(1 + coalesce(h.bytes, 0)) AS lx,
    day_of_week(o.hour) = day_of_week(c.hour) AND hour(o.hour) = hour(c.hour) AS same_week_hour,
    hour(o.hour) = hour(c.hour) AS same_day_hour
  FROM candidates AS c
  JOIN data_hours AS o
    ON o.hour < c.hour AND o.hour >= c.hour - (:window_start - :baseline_start)
  LEFT JOIN host_hours AS h ON h.src_ip = c.src_ip AND h.hour = o.hour
),
-- The statistics below are window functions over each candidate hour's samples rather than
-- aggregates joined back to them: Athena and Trino plan every reference to a WITH query anew and
-- refuse a query past 150 stages. Percentiles interpolate between the order statistics around
-- position 1 + p (n - 1), as DuckDB's quantile_cont and numpy's default do: exact, and the same on
-- every engine, where Trino's approx_percentile estimates (on a few dozen samples the estimate can
-- move a threshold past an hour).
-- The bucket each candidate hour is compared with (NULL when the history is too short for any),
-- and each sample's rank by size among all the hour's samples.
bucketed AS (
  SELECT
    s.*,
    count(*) OVER (PARTITION BY src_ip, hour) AS history_hours,
    row_number() OVER (PARTITION BY src_ip, hour ORDER BY bytes) AS size_rank,
    CASE
      WHEN sum(CASE WHEN same_week_hour THEN 1 ELSE 0 END) OVER (PARTITION BY src_ip, hour)
        >= :min_bucket_samples THEN 'hour-of-week'
      WHEN sum(CASE WHEN same_day_hour THEN 1 ELSE 0 END) OVER (PARTITION BY src_ip, hour)
        >= :min_bucket_samples THEN 'hour-of-day'
      WHEN count(*) OVER (PARTITION BY src_ip, hour) >= :min_overall_samples THEN 'all hours'
    END AS baseline
  FROM samples AS s
),
-- The samples in the bucket, ranked by size among themselves, and the positions (0-based,
-- fractional) of the p99 of all samples and of the bucket's median.
bucket_ranked AS (
  SELECT
    b.*,
    CAST(history_hours - 1 AS DOUBLE) * 0.99 AS p99_position,
    CAST(sum(CASE WHEN in_bucket THEN 1 ELSE 0 END) OVER (PARTITION BY src_ip, hour) - 1 AS DOUBLE)
      * 0.5 AS median_position,
    row_number() OVER (PARTITION BY src_ip, hour, in_bucket ORDER BY bytes) AS bucket_rank
  FROM (
    SELECT
      s.*,
      coalesce(
        baseline = 'all hours'
          OR (baseline = 'hour-of-week' AND same_week_hour)
          OR (baseline = 'hour-of-day' AND same_day_hour),
        false
      ) AS in_bucket
    FROM bucketed AS s
  ) AS b
),
-- The order statistics on either side of each position (log1p keeps the order of the bytes).
order_statistics AS (
  SELECT
    r.*,
    max(CASE WHEN size_rank = floor(p99_position) + 1 THEN bytes END)
      OVER (PARTITION BY src_ip, hour) AS p99_below,
    max(CASE WHEN size_rank = ceil(p99_position) + 1 THEN bytes END)
      OVER (PARTITION BY src_ip, hour) AS p99_above,
    max(CASE WHEN in_bucket AND bucket_rank = floor(median_position) + 1 THEN lx END)
      OVER (PARTITION BY src_ip, hour) AS median_lx_below,
    max(CASE WHEN in_bucket AND bucket_rank = ceil(median_position) + 1 THEN lx END)
      OVER (PARTITION BY src_ip, hour) AS median_lx_above,
    max(CASE WHEN in_bucket AND bucket_rank = floor(median_position) + 1 THEN bytes END)
      OVER (PARTITION BY src_ip, hour) AS median_bytes_below,
    max(CASE WHEN in_bucket AND bucket_rank = ceil(median_position) + 1 THEN bytes END)
      OVER (PARTITION BY src_ip, hour) AS median_bytes_above
  FROM bucket_ranked AS r
),
-- p99 of all samples, median of the bucket, and each bucket sample's distance from the median.
deviations AS (
  SELECT
    src_ip, hour, upload, top_destination, history_hours, baseline, in_bucket, median_position,
    p99_below + (p99_position - floor(p99_position)) * (p99_above - p99_below) AS p99_bytes,
    median_lx,
    median_bytes_below
      + (median_position - floor(median_position)) * (median_bytes_above - median_bytes_below)
      AS median_bytes,
    abs(lx - median_lx) AS deviation,
    row_number() OVER (PARTITION BY src_ip, hour, in_bucket ORDER BY abs(lx - median_lx))
      AS deviation_rank
  FROM (
    SELECT
      o.*,
      median_lx_below
        + (median_position - floor(median_position)) * (median_lx_above - median_lx_below)
        AS median_lx
    FROM order_statistics AS o
  ) AS m
),
-- The spread of the bucket around its median: MAD, and MeanAD for when the MAD is 0.
spreads AS (
  SELECT
    src_ip, hour, upload, top_destination, history_hours, baseline, p99_bytes, median_lx,
    median_bytes,
    sum(CASE WHEN in_bucket THEN 1 ELSE 0 END) AS samples,
    max(CASE WHEN in_bucket AND deviation_rank = floor(median_position) + 1 THEN deviation END)
      + (median_position - floor(median_position))
      * (max(CASE WHEN in_bucket AND deviation_rank = ceil(median_position) + 1 THEN deviation END)
        - max(CASE WHEN in_bucket AND deviation_rank = floor(median_position) + 1 THEN deviation END))
      AS mad_lx,
    avg(CASE WHEN in_bucket THEN deviation END) AS meanad_lx
  FROM deviations
  GROUP BY
    src_ip, hour, upload, top_destination, history_hours, baseline, p99_bytes, median_position,
    median_lx, median_bytes
),
-- The robust z of each candidate hour (none without a bucket).
scored AS (
  SELECT
    src_ip, hour, upload, top_destination, history_hours, baseline, p99_bytes,
    CASE WHEN baseline IS NOT NULL THEN samples END AS samples,
    median_bytes,
    CASE
      WHEN baseline IS NULL THEN NULL
      WHEN mad_lx > 0 THEN 0.6745 * (ln(1 + upload) - median_lx) / mad_lx
      WHEN meanad_lx > 0 THEN (ln(1 + upload) - median_lx) / (1.253314 * meanad_lx)
      WHEN ln(1 + upload) > median_lx THEN 99.0
      ELSE 0.0
    END AS z
  FROM spreads
),
-- Uploads of min_bytes or more to one address in one hour of the window, to an address new to the
-- host (unused in the lookback before that hour: its previous use is older or there is none) and
-- that fewer than shared_hosts internal hosts use in the lookback and window: an address many
-- hosts use (an update or cloud service) is not a first-seen destination.
pair_history AS (
  SELECT
    src_ip, dst_ip, hour, bytes,
    lag(hour) OVER (PARTITION BY src_ip, dst_ip ORDER BY hour) AS previous_hour,
    row_number() OVER (PARTITION BY src_ip, dst_ip ORDER BY hour) AS use_number
  FROM pair_hours
),
unused_before AS (
  SELECT src_ip, dst_ip, hour, bytes
  FROM (
    SELECT
      p.*,
      sum(CASE WHEN use_number = 1 THEN 1 ELSE 0 END) OVER (PARTITION BY dst_ip) AS internal_hosts
    FROM pair_history AS p
  ) AS prevalence
  WHERE hour >= :window_start AND bytes >= :min_bytes
    AND (previous_hour IS NULL OR previous_hour < hour - (:window_start - :baseline_start))
    AND internal_hosts < :shared_hosts
),
-- Contact rate from the first contact on: distinct active minutes in the hour that follows it.
contacts AS (
  SELECT
    b.src_ip, b.dst_ip, b.hour, b.bytes, e.start_time,
    min(CASE WHEN e.start_time < b.hour + INTERVAL '1' HOUR THEN e.start_time END)
      OVER (PARTITION BY b.src_ip, b.dst_ip, b.hour) AS first_contact
  FROM unused_before AS b
  JOIN egress AS e
    ON e.src_ip = b.src_ip AND e.dst_ip = b.dst_ip
    AND e.start_time >= b.hour AND e.start_time < b.hour + INTERVAL '2' HOUR
),
new_pairs AS (
  SELECT
    src_ip, dst_ip, hour, bytes,
    count(DISTINCT CASE
      WHEN start_time >= first_contact AND start_time < first_contact + INTERVAL '1' HOUR
      THEN date_trunc('minute', start_time)
    END) AS active_minutes
  FROM contacts
  GROUP BY src_ip, dst_ip, hour, bytes
),
flagged AS (
  SELECT
    s.src_ip, s.hour, s.upload, s.top_destination, s.history_hours, s.baseline, s.samples,
    s.median_bytes, s.z,
    s.z > :z_threshold AND s.upload > s.p99_bytes
      AND s.upload - s.median_bytes >= :min_bytes AS above_baseline,
    coalesce(sum(n.bytes), 0) AS new_destination_bytes,
    count(n.dst_ip) AS new_destinations
  FROM scored AS s
  LEFT JOIN new_pairs AS n
    ON n.src_ip = s.src_ip AND n.hour = s.hour
    AND n.active_minutes * s.history_hours >= -ln(:miss_probability)
  GROUP BY
    s.src_ip, s.hour, s.upload, s.top_destination, s.history_hours, s.baseline, s.samples,
    s.median_bytes, s.z, s.p99_bytes
  HAVING (s.z > :z_threshold AND s.upload > s.p99_bytes
      AND s.upload - s.median_bytes >= :min_bytes) OR count(n.dst_ip) > 0
),
-- One finding per host: its worst flagged hour, with the hours it covers.
ranked AS (
  SELECT
    f.*,
    count(*) OVER (PARTITION BY f.src_ip) AS flagged_hours,
    sum(f.upload) OVER (PARTITION BY f.src_ip) AS flagged_bytes,
    row_number() OVER (PARTITION BY f.src_ip ORDER BY f.upload DESC, f.hour) = 1 AS worst
  FROM flagged AS f
),
-- The evidence is every record of the flagged hours; the worst hour's figures ride along.
host_findings AS (
  SELECT
    r.src_ip,
    max(e.src_zone) AS src_zone,
    max(CASE WHEN r.worst THEN r.top_destination END) AS dst_ip,
    max(CASE WHEN r.worst THEN r.hour END) AS worst_hour,
    max(CASE WHEN r.worst THEN r.upload END) AS upload,
    bool_or(r.worst AND r.above_baseline) AS above_baseline,
    max(CASE WHEN r.worst THEN r.new_destinations END) AS new_destinations,
    max(CASE WHEN r.worst THEN r.new_destination_bytes END) AS new_destination_bytes,
    max(CASE WHEN r.worst THEN r.baseline END) AS baseline,
    max(CASE WHEN r.worst THEN r.samples END) AS samples,
    max(CASE WHEN r.worst THEN r.history_hours END) AS history_hours,
    max(CASE WHEN r.worst THEN r.median_bytes END) AS median_bytes,
    max(CASE WHEN r.worst THEN r.z END) AS z,
    max(r.flagged_hours) AS flagged_hours,
    max(r.flagged_bytes) AS flagged_bytes,
    count(*) AS flow_count,
    min(e.start_time) AS first_seen,
    max(e.start_time) AS last_seen,
    slice(array_agg(e.raw_ref ORDER BY e.start_time, e.raw_ref), 1, 20) AS raw_refs
  FROM ranked AS r
  JOIN egress AS e ON e.src_ip = r.src_ip AND e.hour = r.hour
  GROUP BY r.src_ip
)
SELECT
  src_ip, dst_ip, src_zone,
  CASE
    WHEN above_baseline AND new_destinations > 0 THEN 'above baseline, new destination'
    WHEN above_baseline THEN 'above baseline'
    ELSE 'new destination'
  END AS reason,
  worst_hour,
  round(CAST(upload AS DOUBLE) / 1e6, 1) AS upload_mb,
  upload AS upload_bytes,
  new_destination_bytes,
  new_destinations,
  flagged_hours,
  round(CAST(flagged_bytes AS DOUBLE) / 1e6, 1) AS flagged_mb,
  coalesce(baseline, 'none') AS baseline,
  coalesce(samples, 0) AS samples,
  history_hours,
  round(coalesce(median_bytes, 0) / 1e6, 1) AS median_mb,
  round(z, 2) AS robust_z,
  CASE WHEN upload >= 100 * :min_bytes THEN 'critical' ELSE 'high' END AS severity,
  flow_count, first_seen, last_seen, raw_refs
FROM host_findings
