-- id: port-scan-vertical
-- title: One source probes many ports on one host
-- severity: medium
-- mitre: T1046
-- hipaa: 164.308(a)(1)(ii)(D), 164.312(b)
-- params: min_ports=15, failure_weight=2, min_failed_ratio=0.2
-- window: 1h
-- based-on: Zeek scan.zeek Port_Scan (15 unique ports on one host) and Slips vertical scan, with
--   failed connections weighted (Jung et al., TRW): a refused, unanswered or empty port counts
--   failure_weight times. Reply records of unidirectional sources (VPC, NetFlow: service port
--   to ephemeral port) are not attempts and are left out.
-- finding: {src_ip} probed {distinct_ports} ports on {dst_ip}
-- summary: {src_ip} ({src_zone}) tried {distinct_ports} distinct ports on {dst_ip} ({dst_zone}), {failed_ports} of them refused, unanswered or left empty; confirm whether it is an approved scanner, and if not isolate it and review what else it reached.
-- description: Counts, per source and destination host, the distinct destination ports attempted
--   in the window (Zeek connections; VPC and NetFlow records from the opening end), weighting
--   failed ports: those where no attempt carried data from the client, because every attempt was
--   rejected (VPC), refused or unanswered (Zeek S0, REJ, RSTOS0, SH) or a short handshake of bare
--   headers (a TCP client cannot send data before the handshake completes, so this holds for
--   NetFlow exports without flags too). Fires when the weighted count reaches min_ports and at
--   least min_failed_ratio of the ports failed. Severity: low for Internet sources (background
--   scanning of exposed addresses), high when the target is in a medical-device zone (HICP
--   9.M.E), otherwise medium.
-- runbook: Check the allowlist and change calendar for a scanner run; look up the source host's
--   owner; if unexplained, isolate the source, then run `wardflow reach <src_ip>` to see what it
--   touched and review those hosts.
WITH attempts AS (
  SELECT
    src_ip, dst_ip, dst_port, src_zone, dst_zone, start_time, raw_ref,
    CASE
      WHEN action = 'reject' THEN 1
      WHEN conn_state IN ('S0', 'REJ', 'RSTOS0', 'SH') THEN 1
      -- A few packets, none larger than a TCP/IP header with options: the client said nothing.
      -- (SYN-only flags prove nothing on VPC, which never reports a bare ACK.)
      WHEN protocol = 6 AND packets_out <= 6 AND bytes_out <= 60 * packets_out THEN 1
      ELSE 0
    END AS failed
  FROM flows
  WHERE dt BETWEEN :window_dt_start AND :window_dt_end
    -- Hour partitions too (flows are partitioned by start hour): prunes files on both engines.
    AND concat(dt, hr)
      BETWEEN concat(:window_dt_start, lpad(CAST(hour(:window_start) AS VARCHAR), 2, '0'))
      AND concat(
        :window_dt_end, lpad(CAST(hour(:window_end - INTERVAL '1' SECOND) AS VARCHAR), 2, '0')
      )
    AND start_time >= :window_start AND start_time < :window_end
    AND protocol IN (6, 17, 132)
    AND src_port IS NOT NULL AND dst_port IS NOT NULL
    -- Zeek pieces with no opening SYN from the originator are not attempts.
    AND (conn_state IS NULL OR conn_state NOT IN ('OTH', 'SHR', 'RSTRH'))
    -- Unidirectional sources (no conn_state) also record replies: keep the opening end only, the
    -- one that sent a SYN without ACK or, lacking flags, the one on the higher (ephemeral) port.
    AND (
      conn_state IS NOT NULL
      OR (protocol = 6 AND tcp_flags IS NOT NULL AND bitwise_and(tcp_flags, 18) = 2)
      OR src_port > dst_port
    )
),
per_port AS (
  SELECT
    src_ip, dst_ip, dst_port,
    max(src_zone) AS src_zone,
    max(dst_zone) AS dst_zone,
    max(1 - failed) AS answered,
    count(*) AS records,
    min(start_time) AS first_seen,
    max(start_time) AS last_seen,
    min_by(raw_ref, start_time) AS raw_ref
  FROM attempts
  GROUP BY src_ip, dst_ip, dst_port
),
-- Each probed port with its target's totals (window functions: a join back from a GROUP BY would
-- read the hour's flows a second time on Athena).
per_target AS (
  SELECT
    src_ip, dst_ip, raw_ref, first_seen,
    max(src_zone) OVER target AS target_src_zone,
    max(dst_zone) OVER target AS target_dst_zone,
    count(*) OVER target AS distinct_ports,
    count(*) OVER target - sum(answered) OVER target AS failed_ports,
    sum(records) OVER target AS flow_count,
    min(first_seen) OVER target AS target_first_seen,
    max(last_seen) OVER target AS target_last_seen
  FROM per_port
  WINDOW target AS (PARTITION BY src_ip, dst_ip)
),
-- The scans, with the first record of each probed port as evidence, earliest first.
scans AS (
  SELECT
    src_ip, dst_ip, target_src_zone AS src_zone, target_dst_zone AS dst_zone, distinct_ports,
    failed_ports, flow_count, target_first_seen AS first_seen, target_last_seen AS last_seen,
    slice(array_agg(raw_ref ORDER BY first_seen, raw_ref), 1, 20) AS raw_refs
  FROM per_target
  WHERE (distinct_ports - failed_ports) + :failure_weight * failed_ports >= :min_ports
    AND CAST(failed_ports AS DOUBLE) / distinct_ports >= :min_failed_ratio
  GROUP BY
    src_ip, dst_ip, target_src_zone, target_dst_zone, distinct_ports, failed_ports, flow_count,
    target_first_seen, target_last_seen
)
SELECT
  src_ip, dst_ip, src_zone, dst_zone, distinct_ports, failed_ports,
  round(CAST(failed_ports AS DOUBLE) / distinct_ports, 3) AS failed_ratio,
  CASE
    WHEN src_zone = 'external' THEN 'low'
    WHEN dst_zone IN (SELECT zone FROM :zone_tags WHERE tag = 'medical-device') THEN 'high'
    ELSE 'medium'
  END AS severity,
  flow_count, first_seen, last_seen, raw_refs
FROM scans
