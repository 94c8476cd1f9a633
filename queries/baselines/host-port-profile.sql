-- id: host-port-profile
-- title: The ports and protocols each internal host opens sessions to
-- description: The profile of unusual-port, computed from the materialized host-peer-set rows in
--   `baselines` (run the baseline refresh first). One row per internal host,
--   destination port and protocol (TCP, UDP, SCTP) it opened sessions to over [:period_start,
--   :period_end), inside or outside the network: first and last use, records, distinct hours of
--   use, distinct destinations, and how many of the records went to external addresses. Only
--   initiations count: a record is an answer when it comes from the lower (service) port to a
--   higher (ephemeral) one, or Zeek saw no handshake to orient it (OTH, SHR, RSTRH); VPC and
--   NetFlow flags cannot tell, since they OR every packet's flags. Records seen by several sensors
--   count once per sensor. A host with fewer than 24 hours of its own history
--   (unusual-port's min_history_hours) has no profile worth judging: the detection stays silent for
--   it rather than call every port new.
SELECT
  host AS src_ip,
  dst_port,
  protocol,
  max(host_zone) AS src_zone,
  min(first_seen) AS first_seen,
  max(last_seen) AS last_seen,
  sum(flows) AS flows,
  count(DISTINCT hour) AS hours_seen,
  count(DISTINCT peer) AS destinations,
  sum(CASE WHEN direction = 'outbound' THEN flows ELSE 0 END) AS external_flows,
  :period_start AS period_start, :period_end AS period_end
FROM baselines
WHERE baseline_id = 'host-peer-set'
  AND dt BETWEEN :period_dt_start AND :period_dt_end
  AND hour >= :period_start AND hour < :period_end
  AND protocol IN (6, 17, 132)
  AND dst_port IS NOT NULL
GROUP BY host, dst_port, protocol
