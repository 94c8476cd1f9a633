-- id: host-peer-set
-- title: The sessions each internal host opens, rolled up per peer, port, vantage point and hour
-- materialize: daily
-- description: The history of egress-volume-anomaly, new-external-destination and unusual-port
--   (RITA first-seen destinations and prevalence, kept 30-90 days), materialized into `baselines`
--   one day at a time. One row per internal host, peer address, destination port, protocol,
--   vantage point (source type and sensor) and hour of [:period_start, :period_end): records, the
--   upload sent to the peer (less 52 bytes of IP and TCP header per packet: the acknowledgements
--   of a download are not an upload), first and last record, the direction (outbound to an external
--   peer, or internal) and both zones. Only initiations count: a record is an answer when it comes
--   from the lower (service) port to a higher (ephemeral) one, or Zeek saw no handshake to orient
--   it (OTH, SHR, RSTRH); VPC and NetFlow flags cannot tell, since they OR every packet's flags.
--   Keeping the vantage point lets a reader count a session seen by several sensors once (the
--   largest view), as the detections do; keeping the hour lets it compute medians and "never
--   before" over any lookback. The peer set, prevalence (internal hosts per peer) and the port
--   profile are GROUP BYs over these rows (host-port-profile, host-egress-hour-of-week).
SELECT
  src_ip AS host,
  src_zone AS host_zone,
  dst_ip AS peer,
  dst_zone AS peer_zone,
  direction,
  CAST(NULL AS VARCHAR) AS role,
  TRUE AS initiation,
  dst_port,
  protocol,
  source_type,
  sensor,
  date_trunc('hour', start_time) AS hour,
  count(*) AS flows,
  sum(greatest(bytes_out - 52 * coalesce(packets_out, 0), 0)) AS bytes,
  min(start_time) AS first_seen,
  max(start_time) AS last_seen
FROM flows
WHERE dt BETWEEN :period_dt_start AND :period_dt_end
  AND start_time >= :period_start AND start_time < :period_end
  AND direction IN ('outbound', 'internal')
  AND (src_port IS NULL OR dst_port IS NULL OR src_port >= dst_port)
  AND (conn_state IS NULL OR conn_state NOT IN ('OTH', 'SHR', 'RSTRH'))
GROUP BY
  src_ip, src_zone, dst_ip, dst_zone, direction, dst_port, protocol, source_type, sensor,
  date_trunc('hour', start_time)
