-- id: host-reach
-- title: Which systems these hosts actually reached (accepted, answered flows), by destination
-- description: One hop of `wardflow reach`: for the given source addresses, every destination
--   they reached with a flow that was accepted and not a failed attempt (rejected, unanswered or
--   refused connections do not count as reach), with the zone, ports, flow count and time range.
--   Replies recorded by unidirectional sources (service port to ephemeral port) are not reach.
--   Parameters: :sources (addresses), :period_start, :period_end, :period_dt_start, :period_dt_end.
SELECT
  src_ip,
  dst_ip,
  max(dst_zone) AS dst_zone,
  array_agg(DISTINCT dst_port) AS dst_ports,
  count(*) AS flow_count,
  min(start_time) AS first_seen,
  max(start_time) AS last_seen
FROM flows
WHERE dt BETWEEN :period_dt_start AND :period_dt_end
  AND start_time >= :period_start AND start_time < :period_end
  AND src_ip IN :sources
  AND (action IS NULL OR action = 'accept')
  AND (conn_state IS NULL OR conn_state NOT IN ('S0', 'REJ', 'RSTOS0', 'RSTRH', 'SH', 'SHR', 'OTH'))
  AND NOT (conn_state IS NULL AND src_port IS NOT NULL AND src_port < 1024 AND dst_port >= 1024)
  -- A unidirectional TCP record that never carried an ACK is an attempt, not a connection.
  AND NOT (conn_state IS NULL AND protocol = 6 AND tcp_flags IS NOT NULL AND bitwise_and(tcp_flags, 16) = 0)
GROUP BY src_ip, dst_ip
ORDER BY src_ip, dst_ip
