-- id: beaconing
-- title: An internal host calls an external address at regular intervals
-- severity: medium
-- mitre: T1071, T1573, T1095, T1008
-- hipaa: 164.308(a)(1)(ii)(D), 164.308(a)(6)(ii), 164.312(b)
-- params: min_ts_score=0.8, min_ds_score=0.8, max_median_bytes=65535, min_threat=0.4,
--   max_prevalence=0.02, min_failed_ratio=0.5
-- window: 24h
-- scorer: rita-beacon
-- based-on: RITA v5 beacon scoring (activecm/rita analysis/beacons.go, detection-algorithms.md
--   §1): per internal → external pair, timestamp score (Bowley skew and MAD of the non-zero
--   inter-arrival deltas, Tukey hinges), data-size score, histogram score (coefficient of
--   variation or bimodal fit of 24 bars) and duration score (coverage, consistency), 0.25 each,
--   with >= 4 unique timestamps and < 86,400 connections; threat = RITA's bucketed score plus its
--   prevalence modifier, alerting from RITA's medium (0.4) with RITA's severities. As in RITA the
--   histogram spans the data observed (the 24 h window clipped to its first and last flow), so a
--   short capture is scored on its own time scale (an 8-minute capture gets 20 s bars) and a
--   burst that does not persist over the span scores low. §1.5 mitigations: internal → external
--   unicast only; medical-device zones left to new-peer logic; only rare destinations
--   (prevalence <= 2 % of the hosts with external traffic) alert, since a destination many hosts
--   call on a schedule is a fleet agent (AV, EDR, sync) - except a reconnect loop that the
--   destination refuses (>= half the attempts) and no other host shares, which a working vendor
--   service never produces. A beacon is periodic (timestamp score >= 0.8; Poisson arrivals score
--   about 0.5) and a small, steady heartbeat (data-size score >= 0.8, median <= 64 KiB sent, after
--   rita-legacy's 1 - mode/65535 size term): repeated large uploads are chunked exfiltration
--   (egress-volume-anomaly), not beacons.
-- finding: {src_ip} beacons to {dst_ip} every {median_interval_s} s ({connections} connections)
-- summary: {src_ip} ({src_zone}) contacted {dst_ip} {connections} times at a regular {median_interval_s} s interval with steady, small requests (beacon score {beacon_score}, {pattern}; {dst_hosts} internal host(s) use this destination); look up the destination's reputation and owner, find the process on the host that opens these connections, and isolate the host if it is not a sanctioned agent.
-- description: Finds candidate pairs with plain counts on records (at least 4, prevalence), chains
--   their unidirectional records of one 5-tuple into connections, keeps per pair the source type
--   that saw the most connections (the same connection is often logged by several sensors),
--   aggregates the pair's whole-second start times and bytes sent, and leaves exact statistics
--   (hinges, MAD, histogram) to the rita-beacon scorer, which drops pairs that are not periodic
--   with steady sizes or below RITA's medium threat.
-- runbook: Resolve the destination (passive DNS, WHOIS, threat intel); check whether other hosts
--   call it; on the source host, find the process holding the connections (EDR, netstat). A known
--   vendor agent: add an allowlist entry with the reason. Otherwise isolate the host, block the
--   destination at the egress firewall, and review what else the host reached (`wardflow reach`).
WITH records AS (
  -- Records of connections an internal host opened to an external unicast address. Reply records
  -- of unidirectional exports (service port → client port) are the other half of a connection.
  SELECT
    src_ip, dst_ip, src_port, dst_port, protocol, source_type, start_time, src_zone, dst_zone,
    raw_ref, conn_state IS NULL AS unidirectional, coalesce(bytes_out, 0) AS bytes_out,
    CASE
      WHEN action = 'reject' THEN 1
      WHEN conn_state IN ('S0', 'REJ', 'RSTOS0', 'RSTRH', 'SH', 'SHR') THEN 1
      ELSE 0
    END AS failed
  FROM flows
  WHERE dt BETWEEN :window_dt_start AND :window_dt_end
    AND start_time >= :window_start AND start_time < :window_end
    AND direction = 'outbound'
    AND protocol IN (6, 17, 132)
    AND dst_port IS NOT NULL
    AND NOT regexp_like(dst_ip, '^(22[4-9]|23[0-9]|255)\.|^[fF][fF]')
    AND NOT (conn_state IS NULL AND ((src_port < 1024 AND dst_port >= 1024)
      OR (src_port < 32768 AND dst_port >= 32768)))
    AND NOT (source_type = 'vpc' AND tcp_flags IS NOT NULL AND bitwise_and(tcp_flags, 18) = 18)
),
observed AS (
  -- RITA's dataset range (first to last connection in the window) and network size (internal
  -- hosts with external traffic in the window, the population prevalence is measured against).
  SELECT
    CAST(floor(to_unixtime(min(start_time))) AS BIGINT) AS span_start_s,
    CAST(floor(to_unixtime(max(start_time))) AS BIGINT) AS span_end_s,
    count(DISTINCT src_ip) AS network_size
  FROM records
),
-- Each record with its pair's counts and its destination's prevalence (internal hosts calling it),
-- as window functions: joining aggregates back to the records would read the window's flows again
-- (Athena plans, and bills, every reference to a WITH query anew).
counted AS (
  SELECT
    r.*,
    sum(CASE WHEN source_use = 1 THEN 1 ELSE 0 END) OVER (PARTITION BY dst_ip) AS dst_hosts,
    count(*) OVER (PARTITION BY src_ip, dst_ip, device_source) AS pair_records,
    sum(failed) OVER (PARTITION BY src_ip, dst_ip, device_source) AS pair_failed_records
  FROM (
    SELECT
      records.*,
      coalesce(src_zone, '') IN (SELECT zone FROM :zone_tags WHERE tag = 'medical-device')
        AS device_source,
      row_number() OVER (PARTITION BY dst_ip, src_ip ORDER BY start_time) AS source_use
    FROM records
  ) AS r
),
candidates AS (
  -- Records of pairs worth scoring, found with plain counts before anything heavier: at least 4
  -- records (RITA needs >= 4 unique timestamps), a source outside medical-device zones (periodic
  -- by design: new-peer logic covers them), and a destination that is not a fleet endpoint, or a
  -- loop the destination refuses that no other host shares.
  SELECT c.*, o.network_size, o.span_start_s, o.span_end_s
  FROM counted AS c
  CROSS JOIN observed AS o
  WHERE NOT c.device_source
    AND c.pair_records >= 4
    -- A destination many hosts call on a schedule is a fleet agent (AV, EDR, sync), not C2.
    AND (CAST(c.dst_hosts AS DOUBLE) / o.network_size <= :max_prevalence
      OR (c.dst_hosts = 1 AND CAST(c.pair_failed_records AS DOUBLE) / c.pair_records >= :min_failed_ratio))
),
connections AS (
  -- One row per connection: Zeek rows are connections; VPC and NetFlow split one connection into
  -- records per aggregation window or active timeout, chained here by 5-tuple.
  SELECT
    src_ip, dst_ip, source_type, dst_hosts, network_size, span_start_s, span_end_s,
    min(start_time) AS start_time, sum(bytes_out) AS bytes_out, max(failed) AS failed,
    dst_port, protocol,
    arbitrary(src_zone) AS src_zone, arbitrary(dst_zone) AS dst_zone,
    arbitrary(raw_ref) AS raw_ref
  FROM candidates
  GROUP BY
    src_ip, dst_ip, src_port, dst_port, protocol, source_type, dst_hosts, network_size,
    span_start_s, span_end_s,
    CASE WHEN unidirectional THEN NULL ELSE start_time END
),
per_source AS (
  -- The same connection is often logged by several sensors: keep the source type that saw most.
  SELECT
    src_ip, dst_ip, source_type, connections, failed_connections, dst_port, protocol, src_zone,
    dst_zone, first_seen, last_seen, raw_refs, ts_list, size_list, dst_hosts, network_size,
    span_start_s, span_end_s,
    row_number() OVER (
      PARTITION BY src_ip, dst_ip ORDER BY connections DESC, source_type
    ) AS source_rank
  FROM (
    SELECT
      src_ip, dst_ip, source_type, dst_hosts, network_size, span_start_s, span_end_s,
      count(*) AS connections, sum(failed) AS failed_connections,
      CASE WHEN min(dst_port) = max(dst_port) THEN min(dst_port) END AS dst_port,
      CASE WHEN min(protocol) = max(protocol) THEN min(protocol) END AS protocol,
      max(src_zone) AS src_zone, max(dst_zone) AS dst_zone,
      min(start_time) AS first_seen, max(start_time) AS last_seen,
      slice(array_agg(raw_ref ORDER BY start_time, raw_ref), 1, 20) AS raw_refs,
      array_agg(CAST(floor(to_unixtime(start_time)) AS BIGINT)) AS ts_list,
      array_agg(bytes_out) AS size_list
    FROM connections
    GROUP BY src_ip, dst_ip, source_type, dst_hosts, network_size, span_start_s, span_end_s
    HAVING count(*) >= 4 AND count(*) < 86400
  ) s
)
SELECT
  p.src_ip, p.dst_ip, p.dst_port, p.protocol, p.src_zone, p.dst_zone,
  p.source_type, p.connections, p.failed_connections, p.dst_hosts, p.network_size,
  p.first_seen, p.last_seen, p.connections AS flow_count, p.raw_refs,
  p.ts_list, p.size_list, p.span_start_s, p.span_end_s,
  :min_ts_score AS min_ts_score, :min_ds_score AS min_ds_score, :min_threat AS min_threat,
  :max_prevalence AS max_prevalence, :min_failed_ratio AS min_failed_ratio,
  :max_median_bytes AS max_median_bytes
FROM per_source p
WHERE p.source_rank = 1
