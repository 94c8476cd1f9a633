-- id: segmentation-violation
-- title: Traffic crosses between zones where the segmentation policy denies it
-- severity: high
-- mitre: T1599, T1133
-- hipaa: 164.312(a)(1), 164.308(a)(1)(ii)(D), 164.312(b), 164.312(e)(1)
-- params: min_connections=1
-- window: 1h
-- based-on: HHS 405(d) HICP 6.M.B network segmentation (guest networks reach no internal zone,
--   device and IoT networks stay off clinical and EHR zones, DMZ to inside restricted) and 9.M.E
--   (medical device networks allow only profiled traffic), evaluated as a firewall rule base:
--   the first matching rule of `policy.rules` in order decides, else `policy.default`
--   (NIST SP 800-41 rev. 1 first-match semantics).
-- finding: {src_ip} ({src_zone}) tried {dst_ip} ({dst_zone}) on port {port}, which the policy denies ({decided_by}); {established_connections} of {connections} accepted
-- summary: {src_ip} in zone {src_zone} opened {connections} connection(s) to {dst_ip} in zone {dst_zone} on port {port}, {established_connections} of them accepted, although the segmentation policy denies {src_zone} to {dst_zone} ({decided_by}); if any were accepted, find the firewall or ACL gap that let them through, close it, and check what the source did on the target; if none were, the control held — confirm why the source tried.
-- description: Rebuilds connections from the flow records (Zeek connections as they are; VPC and
--   NetFlow requests joined with their replies on the 5-tuple and oriented by who opened them, so
--   a reply never reads as traffic in the other direction and a connection seen by several
--   sensors counts once). Each connection between two zones (or within one zone when a rule
--   names that zone on both sides) gets the decision of the first rule, in rule order, whose
--   from and to zones match and whose ports include the server port (no ports: every port); with
--   no matching rule, the policy default. Denied connections are grouped per source, target and
--   port within the window. Accepted traffic (a completed handshake, a reply, or data from an
--   older session) is a violation in the strict sense: severity high, critical when an untrusted
--   or external source reached an ephi or medical-device zone. Attempts that never completed
--   (rejected, refused or unanswered: the control held) are reported at low severity, since
--   HIPAA still expects the attempt documented.
-- runbook: Confirm the zone assignment of both addresses (a stale CIDR in the config reads as a
--   violation); if it is right, find the rule in the firewall or switch ACL that allowed the
--   connection and close it; for accepted traffic to an ePHI or device zone, treat the source as a
--   suspected incident (164.308(a)(6)) and review its other flows with `wardflow reach <src_ip>`.
WITH
-- Zone pairs a deny rule names (under a default deny every pair between zones is read anyway).
deny_pairs AS (
  SELECT DISTINCT concat(from_zone, ' > ', to_zone) AS zone_pair
  FROM :policy_rules
  WHERE action = 'deny'
),
same_zone_rules AS (
  SELECT DISTINCT from_zone AS zone FROM :policy_rules WHERE from_zone = to_zone
),
records AS (
  SELECT
    start_time, src_ip, dst_ip, src_port, dst_port, protocol, src_zone, dst_zone, bytes_out,
    packets_out, bytes_in, packets_in, action, tcp_flags, conn_state, raw_ref,
    -- Which end opened the connection: Zeek's originator; a SYN without ACK; otherwise the end
    -- on the higher (ephemeral) port, so VPC and NetFlow replies fold into their request.
    CASE
      WHEN conn_state IS NOT NULL THEN TRUE
      WHEN protocol = 6 AND tcp_flags IS NOT NULL AND bitwise_and(tcp_flags, 18) = 2 THEN TRUE
      WHEN src_port <> dst_port THEN src_port > dst_port
      ELSE src_ip <= dst_ip
    END AS from_client
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
    AND (src_zone <> dst_zone OR src_zone IN (SELECT zone FROM same_zone_rules))
    AND (
      :policy_default = 'deny'
      OR concat(src_zone, ' > ', dst_zone) IN (SELECT zone_pair FROM deny_pairs)
      OR concat(dst_zone, ' > ', src_zone) IN (SELECT zone_pair FROM deny_pairs)
    )
),
connections AS (
  SELECT
    CASE WHEN from_client THEN src_ip ELSE dst_ip END AS client_ip,
    CASE WHEN from_client THEN src_port ELSE dst_port END AS client_port,
    CASE WHEN from_client THEN dst_ip ELSE src_ip END AS server_ip,
    CASE WHEN from_client THEN dst_port ELSE src_port END AS server_port,
    protocol,
    max(CASE WHEN from_client THEN src_zone ELSE dst_zone END) AS client_zone,
    max(CASE WHEN from_client THEN dst_zone ELSE src_zone END) AS server_zone,
    min(start_time) AS first_seen,
    max(start_time) AS last_seen,
    min_by(raw_ref, start_time) AS raw_ref,
    count(*) AS records,
    max(CASE WHEN from_client THEN bytes_out ELSE bytes_in END) AS client_bytes,
    max(CASE WHEN conn_state IS NOT NULL THEN 1 ELSE 0 END) AS has_state,
    max(CASE WHEN conn_state IN ('S0', 'REJ', 'RSTOS0', 'SH') THEN 1 ELSE 0 END) AS state_failed,
    max(CASE WHEN action = 'reject' THEN 1 ELSE 0 END) AS rejected,
    max(CASE WHEN NOT from_client AND tcp_flags IS NOT NULL THEN 1 ELSE 0 END) AS reply_flags_known,
    max(CASE WHEN NOT from_client AND bitwise_and(tcp_flags, 4) = 4 THEN 1 ELSE 0 END) AS reply_rst,
    sum(CASE WHEN from_client THEN coalesce(packets_in, 0) ELSE packets_out END) AS reply_packets
  FROM records
  GROUP BY 1, 2, 3, 4, 5
),
-- Accepted unless the attempt demonstrably failed: VPC rejected it, Zeek saw no handshake, or
-- nothing (or only a lone reset) came back. UDP has no handshake to tell: delivered unless
-- rejected.
outcomes AS (
  SELECT
    client_ip, client_port, server_ip, server_port, protocol, client_zone, server_zone,
    first_seen, last_seen, raw_ref, records, client_bytes,
    CASE
      WHEN rejected = 1 THEN FALSE
      WHEN protocol <> 6 THEN TRUE
      WHEN has_state = 1 THEN state_failed = 0
      WHEN reply_packets = 0 THEN FALSE
      WHEN reply_packets = 1 AND (reply_flags_known = 0 OR reply_rst = 1) THEN FALSE
      ELSE TRUE
    END AS accepted
  FROM connections
),
-- The first rule (lowest rule_index) matching each connection's zones and server port.
matched AS (
  SELECT
    o.client_ip, o.server_ip, o.server_port, o.protocol, o.client_zone, o.server_zone,
    o.first_seen, o.last_seen, o.raw_ref, o.records, o.accepted, o.client_bytes,
    min(policy_rules.rule_index) AS rule_index
  FROM outcomes AS o
  LEFT JOIN :policy_rules
    ON policy_rules.from_zone = o.client_zone AND policy_rules.to_zone = o.server_zone
    AND (policy_rules.port IS NULL OR policy_rules.port = o.server_port)
  GROUP BY o.client_ip, o.client_port, o.server_ip, o.server_port, o.protocol, o.client_zone,
    o.server_zone, o.first_seen, o.last_seen, o.raw_ref, o.records, o.accepted, o.client_bytes
),
rule_actions AS (
  SELECT DISTINCT rule_index, action FROM :policy_rules
),
denied AS (
  SELECT
    m.client_ip, m.server_ip, m.server_port, m.protocol, m.client_zone, m.server_zone,
    m.first_seen, m.last_seen, m.raw_ref, m.records, m.accepted, m.client_bytes, m.rule_index
  FROM matched AS m
  LEFT JOIN rule_actions AS a ON a.rule_index = m.rule_index
  WHERE coalesce(a.action, :policy_default) = 'deny'
    AND (m.client_zone <> m.server_zone OR m.rule_index IS NOT NULL)
),
zone_flags AS (
  SELECT
    zone,
    max(CASE WHEN tag IN ('ephi', 'medical-device') THEN 1 ELSE 0 END) AS sensitive,
    max(CASE WHEN tag = 'untrusted' THEN 1 ELSE 0 END) AS untrusted
  FROM :zone_tags
  GROUP BY zone
),
per_target AS (
  SELECT
    d.client_ip AS src_ip,
    d.server_ip AS dst_ip,
    d.server_port AS dst_port,
    min(d.protocol) AS protocol,
    max(d.client_zone) AS src_zone,
    max(d.server_zone) AS dst_zone,
    min(d.rule_index) AS rule_index,
    count(*) AS connections,
    sum(CASE WHEN d.accepted THEN 1 ELSE 0 END) AS established_connections,
    sum(CASE WHEN d.accepted THEN coalesce(d.client_bytes, 0) ELSE 0 END) AS bytes_sent,
    sum(d.records) AS flow_count,
    min(d.first_seen) AS first_seen,
    max(d.last_seen) AS last_seen,
    slice(array_agg(d.raw_ref ORDER BY d.first_seen, d.raw_ref), 1, 20) AS raw_refs
  FROM denied AS d
  GROUP BY d.client_ip, d.server_ip, d.server_port
  HAVING count(*) >= :min_connections
)
SELECT
  t.src_ip, t.dst_ip, t.dst_port, t.protocol, t.src_zone, t.dst_zone,
  CAST(t.dst_port AS VARCHAR) AS port,
  CASE
    WHEN t.rule_index IS NULL THEN 'policy default'
    ELSE concat('rule ', CAST(t.rule_index + 1 AS VARCHAR))
  END AS decided_by,
  t.connections, t.established_connections, t.bytes_sent,
  CASE
    WHEN t.established_connections = 0 THEN 'low'
    WHEN coalesce(dst.sensitive, 0) = 1
      AND (t.src_zone = 'external' OR coalesce(src.untrusted, 0) = 1) THEN 'critical'
    ELSE 'high'
  END AS severity,
  t.flow_count, t.first_seen, t.last_seen, t.raw_refs
FROM per_target AS t
LEFT JOIN zone_flags AS dst ON dst.zone = t.dst_zone
LEFT JOIN zone_flags AS src ON src.zone = t.src_zone
