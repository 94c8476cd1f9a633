-- id: port-scan-horizontal
-- title: One source probes the same port on many hosts
-- severity: medium
-- mitre: T1046, T1018
-- hipaa: 164.308(a)(1)(ii)(D), 164.312(b)
-- params: min_hosts=20, failure_weight=2, min_failed_hosts=6, min_failed_ratio=0.3, sweep_hosts=250
-- window: 1h
-- based-on: Zeek scan.zeek Address_Scan and ncsa/bro-simple-scan "knock-knock" (20 hosts on one
--   port), Slips horizontal_portscan.py (more than 5 distinct hosts on one port that did not
--   establish, 1 h window) and the failure weighting of Threshold Random Walk (Jung et al. 2004):
--   a host that refused, never answered or only saw an empty handshake counts failure_weight
--   times. The failed share must clear TRW's benign failure rate (1 - theta0 = 0.2) with margin;
--   Splunk ESCU's 250 hosts per hour marks a sweep.
-- finding: {src_ip} probed port {port} on {distinct_hosts} hosts
-- summary: {src_ip} ({src_zone}) contacted {distinct_hosts} hosts on port {port} within the hour and {failed_hosts} of them refused, never answered or got an empty connection; confirm whether it is an approved scanner, and if not isolate it and review which hosts answered.
-- description: Looks at connection attempts only (Zeek connections; VPC and NetFlow records from
--   the opening end, replies left out) and counts, per source, destination port and protocol, the
--   distinct hosts contacted, so a connection seen by several sensors counts once. A host is
--   failed when no attempt to it carried data from the client: every attempt was rejected
--   (VPC), refused or unanswered (Zeek S0, REJ, RSTOS0, SH), or a short TCP exchange of bare
--   headers (a lone SYN and its retries, a connect scan's SYN, ACK, RST). For TCP this needs no
--   reply record, so NetFlow exports without flags work too: a client cannot send data before the
--   handshake completes. UDP attempts count as failed only when Zeek or VPC says so. Fires when
--   the weighted host count reaches min_hosts, at least min_failed_hosts hosts failed and their
--   share reaches min_failed_ratio. Severity: low for Internet sources (background scanning of
--   exposed addresses), high for a sweep of sweep_hosts hosts or one that touches a
--   medical-device zone (HICP 9.M.E), otherwise medium.
-- runbook: Check the allowlist and the change calendar for a scanner or monitoring run; identify
--   the source host's owner; if unexplained, isolate it, run `wardflow reach <src_ip>` to see which
--   hosts answered, and look on those hosts for follow-up logons on the scanned port.
WITH attempts AS (
  SELECT
    src_ip, dst_ip, dst_port, protocol, src_zone, start_time, raw_ref,
    dst_zone IN (SELECT zone FROM :zone_tags WHERE tag = 'medical-device') AS device_target,
    CASE
      WHEN action = 'reject' THEN 1
      WHEN conn_state IN ('S0', 'REJ', 'RSTOS0', 'SH') THEN 1
      -- A few packets, none larger than a TCP/IP header with options: the client said nothing,
      -- which TCP only allows before the handshake completes or in a connect-and-reset probe.
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
per_host AS (
  SELECT
    src_ip, dst_port, protocol, dst_ip,
    max(src_zone) AS src_zone,
    max(1 - failed) AS answered,
    max(CASE WHEN device_target THEN 1 ELSE 0 END) AS device_host,
    count(*) AS records,
    min(start_time) AS first_seen,
    max(start_time) AS last_seen,
    min_by(raw_ref, start_time) AS raw_ref
  FROM attempts
  GROUP BY src_ip, dst_port, protocol, dst_ip
),
-- Each probed host with its port's totals (window functions: a join back from a GROUP BY would
-- read the hour's flows a second time on Athena).
per_port AS (
  SELECT
    src_ip, dst_port, protocol, raw_ref, first_seen,
    max(src_zone) OVER port AS port_zone,
    count(*) OVER port AS distinct_hosts,
    sum(answered) OVER port AS answered_hosts,
    sum(device_host) OVER port AS device_hosts,
    sum(records) OVER port AS flow_count,
    min(first_seen) OVER port AS port_first_seen,
    max(last_seen) OVER port AS port_last_seen
  FROM per_host
  WINDOW port AS (PARTITION BY src_ip, dst_port, protocol)
),
-- The scans, with the first record of each probed host as evidence, earliest first.
scans AS (
  SELECT
    src_ip, dst_port, protocol, port_zone AS src_zone, distinct_hosts, answered_hosts,
    device_hosts, flow_count, port_first_seen AS first_seen, port_last_seen AS last_seen,
    slice(array_agg(raw_ref ORDER BY first_seen, raw_ref), 1, 20) AS raw_refs
  FROM per_port
  WHERE answered_hosts + :failure_weight * (distinct_hosts - answered_hosts) >= :min_hosts
    AND distinct_hosts - answered_hosts >= :min_failed_hosts
    AND CAST(distinct_hosts - answered_hosts AS DOUBLE) / distinct_hosts >= :min_failed_ratio
  GROUP BY
    src_ip, dst_port, protocol, port_zone, distinct_hosts, answered_hosts, device_hosts,
    flow_count, port_first_seen, port_last_seen
)
SELECT
  src_ip, dst_port, protocol, src_zone,
  CAST(dst_port AS VARCHAR) AS port,
  distinct_hosts,
  distinct_hosts - answered_hosts AS failed_hosts,
  round(CAST(distinct_hosts - answered_hosts AS DOUBLE) / distinct_hosts, 3) AS failed_ratio,
  device_hosts,
  CASE
    WHEN src_zone = 'external' THEN 'low'
    WHEN distinct_hosts >= :sweep_hosts OR device_hosts > 0 THEN 'high'
    ELSE 'medium'
  END AS severity,
  flow_count, first_seen, last_seen, raw_refs
FROM scans
