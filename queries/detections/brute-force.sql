-- id: brute-force
-- title: One source opens many short, alike connections to one host's authentication service
-- severity: medium
-- mitre: T1110, T1110.001, T1110.003
-- hipaa: 164.308(a)(5)(ii)(C), 164.308(a)(1)(ii)(D), 164.312(b)
-- params: min_attempts=20, burst_minutes=10, max_median_client_bytes=5000, max_duration_s=10,
--   min_short_ratio=0.8, max_ppf_spread=0.5
-- window: 1h
-- based-on: wardflow detection-algorithms.md section 9 (at least 20 connections to one host's
--   authentication port within 10 minutes, median client bytes under 5 KB, at least 80 % shorter
--   than 10 s) with SSHCure's brute-force phase test (Hellemons et al. 2012; Hofstede et al. 2014):
--   the attempts carry a nearly constant number of packets per flow. Severity follows
--   GuardDuty's split: high when one of our hosts is the actor, lower when it is the target.
-- finding: {src_ip} made {attempts} short connections to {dst_ip} port {port}
-- summary: {src_ip} ({src_zone}) opened {attempts} short, alike connections to {dst_ip} ({dst_zone}) port {port}, up to {max_attempts_per_burst} within {burst_minutes} minutes ({answered_attempts} answered by the service); flows cannot see logon results, so check the target's authentication log for failures from this address and block or contain the source.
-- description: Takes the connections opened to authentication services (SSH, Telnet, FTP, SMTP,
--   POP3, IMAP, Kerberos, LDAP, SMB, MSSQL, Oracle, MySQL, PostgreSQL, RDP, VNC, WinRM, SIP, and
--   HTTPS on hosts in zones tagged dmz, where VPN gateways and remote-access portals sit): Zeek
--   connections, and VPC and NetFlow records from the opening end. One attempt per client port,
--   so a connection seen by several sensors counts once and a stateless scanner repeating SYNs
--   from one port is not a logon attempt. Per source, target, port and protocol it fires when
--   some burst_minutes bucket of the window holds min_attempts connections, the median
--   client-sent bytes stay under max_median_client_bytes, min_short_ratio of them end
--   within max_duration_s, and the client's packets per connection vary little (interquartile
--   range at most max_ppf_spread of the median): a tool repeating one logon, unlike an
--   application's varied sessions. Severity: high when the source is internal (our host attacks),
--   medium when an Internet source reached a listening service, low when every attempt was
--   refused, rejected or unanswered (the control held; kept for the HIPAA log-in monitoring
--   record).
-- runbook: Look up failed logons on the target (auth.log, Windows event 4625, VPN or database
--   audit) for the source address and window; if the source is external, block it at the edge and
--   check for any successful logon from it; if internal, isolate the source host, it is likely
--   compromised, and reset the accounts it tried.
WITH records AS (
  SELECT
    src_ip, dst_ip, src_port, dst_port, protocol, src_zone, dst_zone, start_time, end_time,
    bytes_out, packets_out, raw_ref,
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
    AND protocol IN (6, 17)
    AND dst_port IN (21, 22, 23, 25, 88, 110, 143, 389, 443, 445, 587, 636, 993, 995, 1433, 1521,
      3306, 3389, 5060, 5061, 5432, 5900, 5985, 5986)
    -- HTTPS counts only towards gateways and portals in DMZ zones: elsewhere it is ordinary web.
    AND (dst_port <> 443 OR dst_zone IN (SELECT zone FROM :zone_tags WHERE tag = 'dmz'))
    AND src_port IS NOT NULL
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
-- One row per connection (source port): a connection recorded by several sensors counts once.
attempts AS (
  SELECT
    src_ip, dst_ip, dst_port, protocol, src_port,
    max(src_zone) AS src_zone,
    max(dst_zone) AS dst_zone,
    min(start_time) AS first_seen,
    max(to_unixtime(end_time) - to_unixtime(start_time)) AS duration_s,
    max(bytes_out) AS client_bytes,
    max(packets_out) AS client_packets,
    min(failed) AS failed,
    min_by(raw_ref, start_time) AS raw_ref,
    count(*) AS records
  FROM records
  GROUP BY src_ip, dst_ip, dst_port, protocol, src_port
),
bursts AS (
  SELECT src_ip, dst_ip, dst_port, protocol, max(in_burst) AS max_attempts_per_burst
  FROM (
    SELECT src_ip, dst_ip, dst_port, protocol, count(*) AS in_burst
    FROM attempts
    GROUP BY src_ip, dst_ip, dst_port, protocol,
      floor(to_unixtime(first_seen) / (60 * :burst_minutes))
  ) AS buckets
  GROUP BY src_ip, dst_ip, dst_port, protocol
  HAVING max(in_burst) >= :min_attempts
),
per_target AS (
  SELECT
    attempts.src_ip, attempts.dst_ip, attempts.dst_port, attempts.protocol,
    max(src_zone) AS src_zone,
    max(dst_zone) AS dst_zone,
    count(*) AS attempts,
    max(max_attempts_per_burst) AS max_attempts_per_burst,
    sum(CASE WHEN failed = 0 THEN 1 ELSE 0 END) AS answered_attempts,
    sum(CASE WHEN duration_s < :max_duration_s THEN 1 ELSE 0 END) AS short_attempts,
    approx_percentile(client_bytes, 0.5) AS median_client_bytes,
    approx_percentile(client_packets, 0.25) AS ppf_q1,
    approx_percentile(client_packets, 0.5) AS ppf_median,
    approx_percentile(client_packets, 0.75) AS ppf_q3,
    sum(records) AS flow_count,
    min(first_seen) AS first_seen,
    max(first_seen) AS last_seen,
    slice(array_agg(raw_ref ORDER BY first_seen, raw_ref), 1, 20) AS raw_refs
  FROM attempts
  JOIN bursts
    ON bursts.src_ip = attempts.src_ip AND bursts.dst_ip = attempts.dst_ip
    AND bursts.dst_port = attempts.dst_port AND bursts.protocol = attempts.protocol
  GROUP BY attempts.src_ip, attempts.dst_ip, attempts.dst_port, attempts.protocol
)
SELECT
  src_ip, dst_ip, dst_port, protocol, src_zone, dst_zone,
  CAST(dst_port AS VARCHAR) AS port,
  attempts, max_attempts_per_burst,
  :burst_minutes AS burst_minutes,
  answered_attempts,
  round(CAST(short_attempts AS DOUBLE) / attempts, 3) AS short_ratio,
  median_client_bytes,
  round(CAST(ppf_q3 - ppf_q1 AS DOUBLE) / ppf_median, 3) AS ppf_spread,
  CASE
    WHEN src_zone <> 'external' THEN 'high'
    WHEN answered_attempts > 0 THEN 'medium'
    ELSE 'low'
  END AS severity,
  flow_count, first_seen, last_seen, raw_refs
FROM per_target
WHERE median_client_bytes < :max_median_client_bytes
  AND CAST(short_attempts AS DOUBLE) / attempts >= :min_short_ratio
  AND ppf_median > 0
  AND ppf_q3 - ppf_q1 <= :max_ppf_spread * ppf_median
