-- id: host-egress-hour-of-week
-- title: Each internal host's hourly upload to the Internet, by hour of the week
-- description: The baseline of egress-volume-anomaly, computed from the materialized host-peer-set
--   rows in `baselines` (run the baseline refresh first). One row per
--   internal host and hour of the week (0 = Monday 00:00 ... 167 = Sunday 23:00, UTC) over
--   [:period_start, :period_end): how many hourly samples the bucket holds, their median and the
--   median absolute deviation (MAD) and mean absolute deviation (MeanAD) of log1p(bytes) (the scale
--   the modified z-score is computed on), the median, p99 and maximum in bytes, and the host's
--   sample count and p99 over all its hours. A sample is an hour in which the sensors delivered
--   egress records at all; a host that sent nothing out in such an hour has a sample of zero (hours
--   without any egress record, collector down or before the lake began, are not samples). Upload is
--   what the host sent on sessions it opened to external addresses, less 52 bytes of IP and TCP
--   header per packet (acknowledgements of downloads are not uploads), counted once per session
--   when several sensors saw it (the largest view). Medians do not add up across periods, which is
--   why the hourly rows are what is materialized and these statistics are computed when reading,
--   as the detection does for each candidate hour; with fewer than 4 samples per
--   bucket the detection falls back to the hour of the day, then to all hours (24 or more), then
--   stays silent. Approximate percentiles on Athena (t-digest), exact on DuckDB.
WITH
-- Upload per host, peer and hour from the materialized rollup, per vantage point (source type and
-- sensor), then the largest view: a session seen by VPC and an on-prem sensor counts once.
pair_hours AS (
  SELECT src_ip, dst_ip, hour, max(bytes) AS bytes
  FROM (
    SELECT host AS src_ip, peer AS dst_ip, hour, source_type, sensor, sum(bytes) AS bytes
    FROM baselines
    WHERE baseline_id = 'host-peer-set'
      AND dt BETWEEN :period_dt_start AND :period_dt_end
      AND hour >= :period_start AND hour < :period_end
      AND direction = 'outbound'
    GROUP BY host, peer, hour, source_type, sensor
  ) AS per_vantage
  GROUP BY src_ip, dst_ip, hour
),
host_hours AS (
  SELECT src_ip, hour, sum(bytes) AS bytes
  FROM pair_hours
  GROUP BY src_ip, hour
),
data_hours AS (
  SELECT DISTINCT hour FROM pair_hours
),
hosts AS (
  SELECT DISTINCT src_ip FROM host_hours
),
-- Every host with egress in the period, every data hour, zero-filled (small tables: hosts x hours).
samples AS (
  SELECT
    h.src_ip, d.hour,
    coalesce(u.bytes, 0) AS bytes,
    ln(1 + coalesce(u.bytes, 0)) AS lx,
    (day_of_week(d.hour) - 1) * 24 + hour(d.hour) AS hour_of_week
  FROM hosts AS h
  CROSS JOIN data_hours AS d
  LEFT JOIN host_hours AS u ON u.src_ip = h.src_ip AND u.hour = d.hour
),
host_totals AS (
  SELECT
    src_ip, count(*) AS host_samples,
    approx_percentile(CAST(bytes AS DOUBLE), 0.99) AS host_p99_bytes
  FROM samples
  GROUP BY src_ip
),
medians AS (
  SELECT
    src_ip, hour_of_week, count(*) AS samples,
    approx_percentile(lx, 0.5) AS median_log1p,
    approx_percentile(CAST(bytes AS DOUBLE), 0.5) AS median_bytes,
    approx_percentile(CAST(bytes AS DOUBLE), 0.99) AS p99_bytes,
    max(bytes) AS max_bytes
  FROM samples
  GROUP BY src_ip, hour_of_week
)
SELECT
  m.src_ip, m.hour_of_week, m.samples,
  m.median_bytes, m.median_log1p,
  approx_percentile(abs(s.lx - m.median_log1p), 0.5) AS mad_log1p,
  avg(abs(s.lx - m.median_log1p)) AS meanad_log1p,
  m.p99_bytes, m.max_bytes,
  t.host_samples, t.host_p99_bytes,
  :period_start AS period_start, :period_end AS period_end
FROM medians AS m
JOIN samples AS s ON s.src_ip = m.src_ip AND s.hour_of_week = m.hour_of_week
JOIN host_totals AS t ON t.src_ip = m.src_ip
GROUP BY
  m.src_ip, m.hour_of_week, m.samples, m.median_bytes, m.median_log1p, m.p99_bytes, m.max_bytes,
  t.host_samples, t.host_p99_bytes
