-- id: host-port-profile
-- title: The ports and protocols each internal host opens sessions to
-- description: The profile of unusual-port, materialisable per period. One row per internal host,
--   destination port and protocol (TCP, UDP, SCTP) it opened sessions to over [:period_start,
--   :period_end), inside or outside the network: first and last use, records, distinct hours of
--   use, distinct destinations, and how many of the records went to external addresses. Only
--   initiations count: a record is an answer when it comes from the lower (service) port to a
--   higher (ephemeral) one, or Zeek saw no handshake to orient it (OTH, SHR, RSTRH); VPC and
--   NetFlow flags cannot tell, since they OR every packet's flags. Rows of successive periods merge
--   with min(first_seen), max(last_seen) and sums, so the profile can be kept incrementally (INSERT
--   per period, then GROUP BY when reading). A host with fewer than 24 hours of its own history
--   (unusual-port's min_history_hours) has no profile worth judging: the detection stays silent for
--   it rather than call every port new.
SELECT
  src_ip,
  dst_port,
  protocol,
  max(src_zone) AS src_zone,
  min(start_time) AS first_seen,
  max(start_time) AS last_seen,
  count(*) AS flows,
  count(DISTINCT date_trunc('hour', start_time)) AS hours_seen,
  count(DISTINCT dst_ip) AS destinations,
  sum(CASE WHEN direction = 'outbound' THEN 1 ELSE 0 END) AS external_flows,
  :period_start AS period_start, :period_end AS period_end
FROM flows
WHERE dt BETWEEN :period_dt_start AND :period_dt_end
  AND start_time >= :period_start AND start_time < :period_end
  AND direction IN ('outbound', 'internal')
  AND protocol IN (6, 17, 132)
  AND dst_port IS NOT NULL
  AND (src_port IS NULL OR src_port >= dst_port)
  AND (conn_state IS NULL OR conn_state NOT IN ('OTH', 'SHR', 'RSTRH'))
GROUP BY src_ip, dst_port, protocol
