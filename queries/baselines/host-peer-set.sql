-- id: host-peer-set
-- title: The peers each internal host opens sessions to, with first and last contact
-- description: The first-seen table of new-external-destination (RITA first-seen destinations, kept
--   30-90 days), materialisable per period. One row per internal host and peer address it opened
--   sessions to over [:period_start, :period_end), inside or outside the network: first and last
--   contact, records, distinct active hours, distinct ports, the upload sent to the peer (less 52
--   bytes of IP and TCP header per packet, per vantage point and then the largest view, as
--   egress-volume-anomaly counts it), whether the peer is external, and the peer's zone. Only
--   initiations count (an answer comes from the lower, service, port to a higher, ephemeral, one,
--   or Zeek saw no handshake to orient it). Rows of successive periods merge with min(first_seen),
--   max(last_seen) and sums. Prevalence, the number of internal hosts that reach a peer, is
--   count(DISTINCT src_ip) per dst_ip over these rows. With no rows for a host before a contact,
--   the detection cannot call the contact new: it trusts "never" only when the hours of history
--   make a miss unlikely (rule of three).
WITH
initiations AS (
  SELECT
    src_ip, dst_ip, dst_port, direction, src_zone, dst_zone, start_time, source_type, sensor,
    greatest(bytes_out - 52 * coalesce(packets_out, 0), 0) AS upload
  FROM flows
  WHERE dt BETWEEN :period_dt_start AND :period_dt_end
    AND start_time >= :period_start AND start_time < :period_end
    AND direction IN ('outbound', 'internal')
    AND (src_port IS NULL OR dst_port IS NULL OR src_port >= dst_port)
    AND (conn_state IS NULL OR conn_state NOT IN ('OTH', 'SHR', 'RSTRH'))
),
per_vantage AS (
  SELECT src_ip, dst_ip, source_type, sensor, sum(upload) AS upload
  FROM initiations
  GROUP BY src_ip, dst_ip, source_type, sensor
),
uploads AS (
  SELECT src_ip, dst_ip, max(upload) AS upload
  FROM per_vantage
  GROUP BY src_ip, dst_ip
)
SELECT
  i.src_ip, i.dst_ip,
  max(i.src_zone) AS src_zone,
  max(i.dst_zone) AS dst_zone,
  bool_or(i.direction = 'outbound') AS external_peer,
  min(i.start_time) AS first_seen,
  max(i.start_time) AS last_seen,
  count(*) AS flows,
  count(DISTINCT date_trunc('hour', i.start_time)) AS active_hours,
  count(DISTINCT i.dst_port) AS ports,
  max(u.upload) AS upload_bytes,
  :period_start AS period_start, :period_end AS period_end
FROM initiations AS i
JOIN uploads AS u ON u.src_ip = i.src_ip AND u.dst_ip = i.dst_ip
GROUP BY i.src_ip, i.dst_ip
