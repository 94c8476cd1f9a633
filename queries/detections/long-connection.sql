-- id: long-connection
-- title: An internal host keeps a session to an external address open for hours
-- severity: low
-- mitre: T1071, T1572, T1095, T1219
-- hipaa: 164.308(a)(1)(ii)(D), 164.312(b), 164.312(e)(1)
-- params: min_duration_s=3600, max_gap_s=30
-- window: 24h
-- based-on: RITA v5 long-connection analysis (detection-algorithms.md §2): flagged from 3,600 s,
--   bucketed at 1 / 4 / 8 / 12 h onto RITA's threat scores 0.2 / 0.4 / 0.6 / 0.8, plus RITA's
--   prevalence modifier (+0.15 when <= 2 % of the hosts with external traffic reach the
--   destination, -0.15 from 50 %), mapped to RITA's severities; below 0.2 it is no threat. RITA
--   sums all connection durations of an internal → external pair; a sum of unrelated short
--   transfers (PACS replication, check-ins) is not a session held open, so here the duration is
--   the pair's longest session: VPC and NetFlow split one connection into back-to-back records
--   per aggregation window or active timeout, and a tunnel or shell that is reset reconnects at
--   once, so records that start within max_gap_s of the previous end are chained into one session
--   (chaining by 5-tuple alone would merge unrelated connections that reuse a source port hours
--   apart). Only sessions to external addresses count: HL7 MLLP, monitor streams and database
--   pools are internal, VPN and jump sessions are opened from outside.
-- finding: {src_ip} held a session to {dst_ip} open for {longest_session_h} h
-- summary: {src_ip} ({src_zone}) kept a session to external address {dst_ip} open for {longest_session_h} hours ({bytes_out} bytes sent, {bytes_in} received; {dst_hosts} internal host(s) use this destination); identify the process holding it (remote-access tool, tunnel, reverse shell) and confirm it with the host owner, or isolate the host and block the destination.
-- description: Chains a pair's records that start within max_gap_s of the previous end into
--   sessions (window functions, only over pairs that could reach min_duration_s), keeps per pair
--   the source type that saw the longest session (sensors overlap), and reports pairs whose longest
--   session lasts at least min_duration_s and whose RITA threat score (bucketed duration plus the
--   prevalence modifier) is at least 0.2. A session idle for longer than the exporter's inactive
--   timeout and max_gap_s shows as several shorter sessions in VPC/NetFlow records; Zeek logs a
--   connection only when it ends.
-- runbook: Find the process and user behind the session on the host (EDR, netstat); a sanctioned
--   remote-support or VPN client gets an allowlist entry with its reason and owner; otherwise
--   terminate the session, block the destination, isolate the host, and review the bytes moved.
WITH records AS (
  -- Records of connections an internal host opened to an external unicast address. Reply records
  -- of unidirectional exports (service port → client port) are the other half of a connection.
  SELECT
    src_ip, dst_ip, source_type, start_time, end_time, dst_port, protocol, src_zone, dst_zone,
    raw_ref, coalesce(bytes_out, 0) AS bytes_out,
    -- Unidirectional exports do not say what came back: unknown, not zero.
    bytes_in
  FROM flows
  WHERE dt BETWEEN :window_dt_start AND :window_dt_end
    AND start_time >= :window_start AND start_time < :window_end
    AND direction = 'outbound'
    AND NOT regexp_like(dst_ip, '^(22[4-9]|23[0-9]|255)\.|^[fF][fF]')
    AND NOT (conn_state IS NULL AND src_port IS NOT NULL AND dst_port IS NOT NULL
      AND ((src_port < 1024 AND dst_port >= 1024) OR (src_port < 32768 AND dst_port >= 32768)))
),
network AS (
  -- Internal hosts with external traffic in the window: the population prevalence is measured in.
  SELECT count(DISTINCT src_ip) AS network_size FROM records
),
-- Each record with its destination's prevalence (internal hosts reaching it) and its pair's
-- extent, as window functions: joining aggregates back to the records would read the window's
-- flows again (Athena plans, and bills, every reference to a WITH query anew).
counted AS (
  SELECT
    r.*,
    sum(CASE WHEN source_use = 1 THEN 1 ELSE 0 END) OVER (PARTITION BY dst_ip) AS dst_hosts,
    to_unixtime(max(end_time) OVER pair) - to_unixtime(min(start_time) OVER pair) AS pair_span_s,
    sum(to_unixtime(end_time) - to_unixtime(start_time)) OVER pair
      + (count(*) OVER pair - 1) * :max_gap_s AS pair_connected_s
  FROM (
    SELECT
      records.*,
      row_number() OVER (PARTITION BY dst_ip, src_ip ORDER BY start_time) AS source_use
    FROM records
  ) AS r
  WINDOW pair AS (PARTITION BY src_ip, dst_ip, source_type)
),
-- Records of pairs that could hold a session of min_duration_s: long enough from first start to
-- last end, and enough connected time once gaps up to max_gap_s are bridged.
ordered AS (
  SELECT
    src_ip, dst_ip, source_type, start_time, end_time, bytes_out, bytes_in, dst_port, protocol,
    src_zone, dst_zone, raw_ref, dst_hosts,
    max(end_time) OVER (
      PARTITION BY src_ip, dst_ip, source_type ORDER BY start_time, end_time
      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
    ) AS previous_end
  FROM counted
  WHERE pair_span_s >= :min_duration_s AND pair_connected_s >= :min_duration_s
),
numbered AS (
  SELECT
    src_ip, dst_ip, source_type, start_time, end_time, bytes_out, bytes_in, dst_port, protocol,
    src_zone, dst_zone, raw_ref, dst_hosts,
    sum(CASE
      WHEN previous_end IS NULL THEN 1
      WHEN to_unixtime(start_time) - to_unixtime(previous_end) > :max_gap_s THEN 1
      ELSE 0
    END) OVER (
      PARTITION BY src_ip, dst_ip, source_type ORDER BY start_time, end_time
      ROWS UNBOUNDED PRECEDING
    ) AS session
  FROM ordered
),
sessions AS (
  SELECT
    src_ip, dst_ip, source_type, session, dst_hosts,
    to_unixtime(max(end_time)) - to_unixtime(min(start_time)) AS duration_s,
    count(*) AS records,
    sum(bytes_out) AS bytes_out, sum(bytes_in) AS bytes_in,
    CASE WHEN min(dst_port) = max(dst_port) THEN min(dst_port) END AS dst_port,
    CASE WHEN min(protocol) = max(protocol) THEN min(protocol) END AS protocol,
    max(src_zone) AS src_zone, max(dst_zone) AS dst_zone,
    min(start_time) AS first_seen, max(end_time) AS last_seen,
    slice(array_agg(raw_ref ORDER BY start_time, raw_ref), 1, 20) AS raw_refs
  FROM numbered
  GROUP BY src_ip, dst_ip, source_type, session, dst_hosts
),
ranked AS (
  -- The pair's longest session; one session is often logged by several sensors: keep the one
  -- that saw it longest.
  SELECT
    src_ip, dst_ip, source_type, session, duration_s, records, bytes_out, bytes_in, dst_port,
    protocol, src_zone, dst_zone, first_seen, last_seen, raw_refs, dst_hosts,
    count(*) OVER (PARTITION BY src_ip, dst_ip, source_type) AS sessions,
    row_number() OVER (
      PARTITION BY src_ip, dst_ip ORDER BY duration_s DESC, source_type, session
    ) AS session_rank
  FROM sessions
),
scored AS (
  SELECT
    r.src_ip, r.dst_ip, r.dst_port, r.protocol, r.src_zone, r.dst_zone, r.source_type,
    r.duration_s, r.sessions, r.records, r.bytes_out, r.bytes_in, r.first_seen, r.last_seen,
    r.raw_refs, r.dst_hosts, n.network_size,
    CAST(r.dst_hosts AS DOUBLE) / greatest(n.network_size, 1) AS prevalence,
    -- RITA's bucketed long-connection score: 1 h → 0.2, 4 h → 0.4, 8 h → 0.6, 12 h → 0.8 ...
    CASE
      WHEN r.duration_s < 14400 THEN 0.2 + (r.duration_s - 3600) / 10800.0 * 0.2
      WHEN r.duration_s < 28800 THEN 0.4 + (r.duration_s - 14400) / 14400.0 * 0.2
      ELSE 0.6 + (least(r.duration_s, 43200) - 28800) / 14400.0 * 0.2
    END
    -- ... plus the prevalence modifier.
    + CASE
      WHEN CAST(r.dst_hosts AS DOUBLE) / greatest(n.network_size, 1) <= 0.02 THEN 0.15
      WHEN CAST(r.dst_hosts AS DOUBLE) / greatest(n.network_size, 1) >= 0.5 THEN -0.15
      ELSE 0
    END AS threat_score
  FROM ranked r
  CROSS JOIN network n
  WHERE r.session_rank = 1 AND r.duration_s >= :min_duration_s
)
SELECT
  src_ip, dst_ip, dst_port, protocol, src_zone, dst_zone, source_type,
  round(duration_s / 3600.0, 2) AS longest_session_h,
  sessions, bytes_out, bytes_in, dst_hosts, round(prevalence, 3) AS prevalence,
  round(threat_score, 3) AS threat_score,
  CASE
    WHEN threat_score > 0.8 THEN 'critical'
    WHEN threat_score >= 0.6 THEN 'high'
    WHEN threat_score >= 0.4 THEN 'medium'
    ELSE 'low'
  END AS severity,
  records AS flow_count, first_seen, last_seen, raw_refs
FROM scored
WHERE threat_score >= 0.2
