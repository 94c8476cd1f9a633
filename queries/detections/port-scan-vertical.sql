-- id: port-scan-vertical
-- title: One source probes many ports on one host
-- severity: medium
-- mitre: T1046
-- hipaa: 164.308(a)(1)(ii)(D), 164.312(b)
-- params: min_ports=15, failure_weight=2, min_failed_ratio=0.2
-- window: 1h
-- based-on: Zeek scan.zeek Port_Scan (15 unique ports on one host) and Slips vertical scan, with
--   failed connections weighted (Jung et al., TRW): a refused or unanswered port counts
--   failure_weight times. Reply records of unidirectional sources (VPC, NetFlow: service port
--   to ephemeral port, or SYN-ACK flags) are not attempts and are left out.
-- finding: {src_ip} probed {distinct_ports} ports on {dst_ip}
-- summary: {src_ip} ({src_zone}) tried {distinct_ports} distinct ports on {dst_ip} ({dst_zone}), {failed_ports} of them refused or unanswered; confirm whether it is an approved scanner, and if not isolate it and review what else it reached.
-- description: Counts, per source and destination host, the distinct destination ports attempted
--   in the window, weighting failed attempts. Fires when the weighted count reaches min_ports
--   and at least min_failed_ratio of the ports failed.
-- runbook: Check the allowlist and change calendar for a scanner run; look up the source host's
--   owner; if unexplained, isolate the source, then run `wardflow reach <src_ip>` to see what it
--   touched and review those hosts.
WITH attempts AS (
  SELECT
    src_ip, dst_ip, dst_port, protocol, start_time, raw_ref, src_zone, dst_zone,
    CASE
      WHEN action = 'reject' THEN 1
      WHEN conn_state IN ('S0', 'REJ', 'RSTOS0', 'RSTRH', 'SH', 'SHR') THEN 1
      WHEN conn_state IS NULL AND protocol = 6 AND tcp_flags IS NOT NULL
        AND bitwise_and(tcp_flags, 18) = 2 AND (bytes_in IS NULL OR bytes_in = 0) THEN 1
      ELSE 0
    END AS failed
  FROM flows
  WHERE dt BETWEEN :window_dt_start AND :window_dt_end
    AND start_time >= :window_start AND start_time < :window_end
    AND protocol IN (6, 17, 132)
    AND dst_port IS NOT NULL
    -- Unidirectional sources (no conn_state) also record replies; a reply is not an attempt.
    AND NOT (conn_state IS NULL AND src_port IS NOT NULL AND src_port < 1024 AND dst_port >= 1024)
    AND NOT (conn_state IS NULL AND tcp_flags IS NOT NULL AND bitwise_and(tcp_flags, 18) = 18)
),
per_target AS (
  SELECT
    src_ip, dst_ip,
    max(src_zone) AS src_zone,
    max(dst_zone) AS dst_zone,
    count(DISTINCT dst_port) AS distinct_ports,
    count(DISTINCT CASE WHEN failed = 1 THEN dst_port END) AS failed_ports,
    count(*) AS flow_count,
    min(start_time) AS first_seen,
    max(start_time) AS last_seen,
    slice(array_agg(raw_ref ORDER BY start_time), 1, 20) AS raw_refs
  FROM attempts
  GROUP BY src_ip, dst_ip
)
SELECT
  src_ip, dst_ip, src_zone, dst_zone, distinct_ports, failed_ports,
  round(CAST(failed_ports AS DOUBLE) / distinct_ports, 3) AS failed_ratio,
  flow_count, first_seen, last_seen, raw_refs
FROM per_target
WHERE (distinct_ports - failed_ports) + :failure_weight * failed_ports >= :min_ports
  AND CAST(failed_ports AS DOUBLE) / distinct_ports >= :min_failed_ratio
