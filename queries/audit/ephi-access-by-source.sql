-- id: ephi-access-by-source
-- title: Access to ePHI zones by source host, port and zone, over a period
-- description: HIPAA 164.312(a)(1) access control and 164.312(b) audit controls: every source that
--   reached a zone tagged `ephi` in the configuration, with the zone, the ports used, how many
--   flows were accepted and how many were rejected or failed, and when. Parameters: :period_start,
--   :period_end, :period_dt_start, :period_dt_end, :zone_tags.
SELECT
  f.src_ip,
  f.src_zone,
  f.dst_zone,
  f.dst_port,
  f.protocol,
  count(*) AS flows,
  sum(
    CASE WHEN f.action = 'reject' OR f.conn_state IN ('S0', 'REJ', 'RSTOS0', 'RSTRH', 'SH', 'SHR') THEN 1 ELSE 0 END
  ) AS refused_or_failed,
  count(DISTINCT f.dst_ip) AS destination_hosts,
  min(f.start_time) AS first_seen,
  max(f.start_time) AS last_seen
FROM flows AS f
JOIN :zone_tags ON zone_tags.zone = f.dst_zone AND zone_tags.tag = 'ephi'
WHERE f.dt BETWEEN :period_dt_start AND :period_dt_end
  AND f.start_time >= :period_start AND f.start_time < :period_end
  AND f.src_zone <> f.dst_zone
GROUP BY f.src_ip, f.src_zone, f.dst_zone, f.dst_port, f.protocol
ORDER BY f.dst_zone, flows DESC, f.src_ip
