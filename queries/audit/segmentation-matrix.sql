-- id: segmentation-matrix
-- title: Segmentation matrix: zone pairs and ports observed, against the policy
-- description: For every (source zone, destination zone, port) observed with accepted traffic, the
--   policy verdict (the first matching rule, in config order, else the default) and the flows
--   seen. Rows whose verdict is `deny` are traffic the policy does not allow. Evidence for network
--   segmentation (proposed 164.312(a)(2)(vi)) and access control 164.312(a)(1). Parameters:
--   :period_start, :period_end, :period_dt_start, :period_dt_end, :policy_rules, :policy_default.
WITH rules AS (
  SELECT rule_index, from_zone, to_zone, port, action FROM :policy_rules
),
observed AS (
  SELECT
    src_zone,
    dst_zone,
    dst_port,
    protocol,
    count(*) AS flows,
    count(DISTINCT src_ip) AS source_hosts,
    count(DISTINCT dst_ip) AS destination_hosts,
    min(start_time) AS first_seen,
    max(start_time) AS last_seen
  FROM flows
  WHERE dt BETWEEN :period_dt_start AND :period_dt_end
    AND start_time >= :period_start AND start_time < :period_end
    AND src_zone <> dst_zone
    AND (action IS NULL OR action = 'accept')
    AND (conn_state IS NULL OR conn_state NOT IN ('S0', 'REJ', 'RSTOS0', 'RSTRH', 'SH', 'SHR'))
  GROUP BY src_zone, dst_zone, dst_port, protocol
),
first_rule AS (
  -- The first rule (lowest index) matching the zone pair and port decides; none: the default.
  SELECT o.src_zone, o.dst_zone, o.dst_port, o.protocol, min(r.rule_index) AS rule_index
  FROM observed AS o
  JOIN rules AS r
    ON r.from_zone = o.src_zone AND r.to_zone = o.dst_zone AND (r.port IS NULL OR r.port = o.dst_port)
  GROUP BY o.src_zone, o.dst_zone, o.dst_port, o.protocol
),
rule_actions AS (
  SELECT DISTINCT rule_index, action FROM rules
)
SELECT
  o.src_zone,
  o.dst_zone,
  o.dst_port,
  o.protocol,
  coalesce(a.action, :policy_default) AS verdict,
  f.rule_index,
  o.flows,
  o.source_hosts,
  o.destination_hosts,
  o.first_seen,
  o.last_seen
FROM observed AS o
LEFT JOIN first_rule AS f
  ON f.src_zone = o.src_zone AND f.dst_zone = o.dst_zone AND f.protocol = o.protocol
  AND f.dst_port IS NOT DISTINCT FROM o.dst_port
LEFT JOIN rule_actions AS a ON a.rule_index = f.rule_index
ORDER BY verdict, o.src_zone, o.dst_zone, o.dst_port
