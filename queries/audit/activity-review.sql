-- id: activity-review
-- title: Information system activity review: who talked to whom, by zone pair, over a period
-- description: HIPAA 164.308(a)(1)(ii)(D) asks for regular review of system activity. One row per
--   (source zone, destination zone, direction) with flows, distinct hosts on each side, bytes
--   each way, rejected and failed attempts, and the first and last flow. Parameters: :period_start,
--   :period_end, :period_dt_start, :period_dt_end.
SELECT
  src_zone,
  dst_zone,
  direction,
  count(*) AS flows,
  count(DISTINCT src_ip) AS source_hosts,
  count(DISTINCT dst_ip) AS destination_hosts,
  sum(coalesce(bytes_out, 0)) AS bytes_out,
  sum(coalesce(bytes_in, 0)) AS bytes_in,
  sum(CASE WHEN action = 'reject' THEN 1 ELSE 0 END) AS rejected,
  sum(CASE WHEN conn_state IN ('S0', 'REJ', 'RSTOS0', 'RSTRH', 'SH', 'SHR') THEN 1 ELSE 0 END) AS failed,
  min(start_time) AS first_seen,
  max(start_time) AS last_seen
FROM flows
WHERE dt BETWEEN :period_dt_start AND :period_dt_end
  AND start_time >= :period_start AND start_time < :period_end
GROUP BY src_zone, dst_zone, direction
ORDER BY flows DESC, src_zone, dst_zone, direction
