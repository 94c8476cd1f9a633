-- id: lateral-movement
-- title: An internal host opens admin-protocol sessions to many internal hosts
-- severity: high
-- mitre: T1021, T1021.001, T1021.002, T1021.004, T1021.005, T1021.006
-- hipaa: 164.308(a)(1)(ii)(D), 164.308(a)(6)(ii), 164.312(a)(1), 164.312(b)
-- params: min_hosts=5, shared_service_clients=10, management_tag=management
-- window: 24h
-- lookback: 7d
-- based-on: wardflow detection-algorithms.md section 8: fan-out (one source reaching at least 5
--   internal hosts on admin ports within one hour, Slips-like), zone rules (HICP 405(d) 6.M.B and
--   6.L.A: user, device, guest and DMZ networks do not administer other hosts; administration
--   comes from a management segment) and new admin pairs (a source that is not a known admin
--   source, Splunk "Remote Desktop Network Traffic" pattern, over a 7-day first-seen history).
--   Shared services (a target that shared_service_clients hosts use over the same protocol in
--   the hour: file, print, directory servers) are left out, as RITA's prevalence modifier does.
-- finding: {src_ip} opened admin sessions to {distinct_hosts} internal hosts ({rule})
-- summary: {src_ip} ({src_zone}) opened SMB/RPC/RDP/WinRM/SSH/VNC sessions carrying data to {distinct_hosts} internal hosts within one hour ({smb_hosts} SMB, {rdp_hosts} RDP, {winrm_hosts} WinRM, {ssh_hosts} SSH), {ephi_hosts} of them in ePHI zones; treat it as hands-on-keyboard lateral movement until the owner explains it: isolate the source, list its logons on those hosts and check them for new services or tools.
-- description: Takes the connections internal hosts opened to internal hosts on SMB 139/445, RPC
--   135, RDP 3389, WinRM 5985/5986, SSH 22 and VNC 5900 (Zeek connections; VPC and NetFlow records
--   from the opening end) and keeps sessions where the client sent data, which TCP allows only
--   after the handshake; refused or empty probes belong to the port-scan detections. Per source
--   and hour it counts the distinct targets reached, leaving out shared services, and keeps the
--   source's busiest hour of the day. Zone rule: a source in a zone tagged clinical, user,
--   medical-device, untrusted, guest, bms, iot, dmz or ephi (workstations, devices, guests,
--   building systems, exposed or ePHI servers) reaching min_hosts targets fires (high; critical
--   when it reached a medical-device host). Sources in other zones may administer: when any zone
--   carries management_tag, only those zones; otherwise every zone without those tags and
--   unzoned addresses. History rule:
--   such a source fires (medium) when it reaches min_hosts targets, the lake holds history back to
--   the start of the lookback, and in the lookback it never reached min_hosts admin targets (not
--   a known admin source: deployment servers and jump hosts are, after their first week).
-- runbook: Ask the owner of the source (IT operations, deployment or jump host?) whether the
--   sessions were planned; if not, isolate the source, pull logon events (4624 type 3/10, WinRM
--   and SSH logs) on the reached hosts for the window, look there for new services, scheduled
--   tasks or dropped binaries (T1570), and reset the credentials used. If it was planned, move
--   the host into a zone tagged management or allowlist it with the reason.
WITH
-- What the zone tags say about administration. Zones absent from zone_tags have no tags.
zone_roles AS (
  SELECT
    zone,
    max(CASE WHEN tag = :management_tag THEN 1 ELSE 0 END) AS management,
    -- HICP 6.M.B's user, clinical, guest, device, building-management and IoT networks, the DMZ,
    -- and the ePHI application and database tiers: none of them is where administration starts.
    max(CASE
      WHEN tag IN (
        'clinical', 'user', 'medical-device', 'untrusted', 'guest', 'bms', 'iot', 'dmz', 'ephi'
      ) THEN 1
      ELSE 0
    END) AS restricted,
    max(CASE WHEN tag = 'medical-device' THEN 1 ELSE 0 END) AS device,
    max(CASE WHEN tag = 'ephi' THEN 1 ELSE 0 END) AS ephi
  FROM :zone_tags
  GROUP BY zone
),
management_configured AS (
  SELECT count(*) > 0 AS configured FROM :zone_tags WHERE tag = :management_tag
),
-- Connections internal hosts opened to internal hosts on admin ports. Unidirectional sources
-- (no conn_state) also record replies: keep the opening end only, the one that sent a SYN without
-- ACK or, lacking flags, the one on the higher (ephemeral) port.
attempts AS (
  SELECT
    src_ip, dst_ip, dst_port, src_zone, dst_zone, start_time, raw_ref,
    date_trunc('hour', start_time) AS hour_start,
    CASE
      WHEN action = 'reject' THEN 0
      WHEN conn_state IN ('S0', 'REJ', 'RSTOS0', 'SH') THEN 0
      -- A few packets, none larger than a TCP/IP header with options: the client said nothing.
      WHEN packets_out <= 6 AND bytes_out <= 60 * packets_out THEN 0
      ELSE 1
    END AS session
  FROM flows
  WHERE dt BETWEEN :window_dt_start AND :window_dt_end
    AND start_time >= :window_start AND start_time < :window_end
    AND direction = 'internal'
    AND protocol = 6
    AND dst_port IN (22, 135, 139, 445, 3389, 5900, 5985, 5986)
    AND src_port IS NOT NULL
    AND (conn_state IS NULL OR conn_state NOT IN ('OTH', 'SHR', 'RSTRH'))
    AND (
      conn_state IS NOT NULL
      OR (tcp_flags IS NOT NULL AND bitwise_and(tcp_flags, 18) = 2)
      OR src_port > dst_port
    )
),
pairs AS (
  SELECT
    hour_start, src_ip, dst_ip, dst_port,
    max(src_zone) AS src_zone,
    max(dst_zone) AS dst_zone,
    max(session) AS session,
    count(*) AS records,
    min(start_time) AS first_seen,
    max(start_time) AS last_seen,
    min_by(raw_ref, start_time) AS raw_ref
  FROM attempts
  GROUP BY hour_start, src_ip, dst_ip, dst_port
),
-- Targets many hosts use over the same protocol in the hour (file, print and directory servers)
-- are left out. A pair row is one source, so counting the rows of a target counts its clients;
-- window functions rather than joins back keep to one reading of the flows (Athena plans, and
-- bills, every reference to a WITH query anew).
reached AS (
  SELECT
    p.hour_start, p.src_ip, p.dst_ip, p.dst_port, p.src_zone, p.first_seen, p.last_seen, p.raw_ref,
    p.records,
    coalesce(z.device, 0) AS device,
    coalesce(z.ephi, 0) AS ephi
  FROM (
    SELECT
      pairs.*,
      sum(session) OVER (PARTITION BY hour_start, dst_ip, dst_port) AS session_clients
    FROM pairs
  ) AS p
  LEFT JOIN zone_roles AS z ON z.zone = p.dst_zone
  WHERE p.session = 1 AND p.session_clients < :shared_service_clients
),
-- Each source's hours with the targets it reached, the admin port that reached the most of them
-- (ties: the lower port) and the evidence.
per_hour AS (
  SELECT
    hour_start, src_ip,
    max(src_zone) AS src_zone,
    count(DISTINCT dst_ip) AS distinct_hosts,
    count(DISTINCT CASE WHEN dst_port IN (139, 445) THEN dst_ip END) AS smb_hosts,
    count(DISTINCT CASE WHEN dst_port = 135 THEN dst_ip END) AS rpc_hosts,
    count(DISTINCT CASE WHEN dst_port = 3389 THEN dst_ip END) AS rdp_hosts,
    count(DISTINCT CASE WHEN dst_port IN (5985, 5986) THEN dst_ip END) AS winrm_hosts,
    count(DISTINCT CASE WHEN dst_port = 22 THEN dst_ip END) AS ssh_hosts,
    count(DISTINCT CASE WHEN dst_port = 5900 THEN dst_ip END) AS vnc_hosts,
    count(DISTINCT CASE WHEN ephi = 1 THEN dst_ip END) AS ephi_hosts,
    count(DISTINCT CASE WHEN device = 1 THEN dst_ip END) AS device_hosts,
    sum(records) AS flow_count,
    min(first_seen) AS first_seen,
    max(last_seen) AS last_seen,
    max_by(dst_port, port_hosts * 65536 + 65535 - dst_port) AS dst_port,
    slice(array_agg(raw_ref ORDER BY first_seen, raw_ref), 1, 20) AS raw_refs
  FROM (
    SELECT
      reached.*,
      count(*) OVER (PARTITION BY hour_start, src_ip, dst_port) AS port_hosts
    FROM reached
  ) AS r
  GROUP BY hour_start, src_ip
  HAVING count(DISTINCT dst_ip) >= :min_hosts
),
-- Each source's busiest hour of the window.
busiest AS (
  SELECT *
  FROM (
    SELECT
      per_hour.*,
      row_number() OVER (PARTITION BY src_ip ORDER BY distinct_hosts DESC, hour_start)
        AS rank_in_window
    FROM per_hour
  ) AS ranked
  WHERE rank_in_window = 1
),
-- Zone rule: may the source's zone administer other hosts at all?
zoned AS (
  SELECT
    b.hour_start, b.src_ip, b.src_zone, b.distinct_hosts, b.smb_hosts, b.rpc_hosts, b.rdp_hosts,
    b.winrm_hosts, b.ssh_hosts, b.vnc_hosts, b.ephi_hosts, b.device_hosts, b.flow_count,
    b.first_seen, b.last_seen, b.dst_port, b.raw_refs,
    CASE
      WHEN m.configured THEN coalesce(z.management, 0) = 1
      ELSE coalesce(z.restricted, 0) = 0
    END AS may_administer
  FROM busiest AS b
  CROSS JOIN management_configured AS m
  LEFT JOIN zone_roles AS z ON z.zone = b.src_zone
),
-- History rule inputs: whether the lake reaches back to the start of the lookback, and the admin
-- targets each source reached with data on the days before (for every source: narrowing it to
-- the window's sources would read the window's flows once more).
history_covered AS (
  SELECT count(*) > 0 AS covered
  FROM (SELECT 1 AS present FROM flows WHERE dt = :baseline_dt_start LIMIT 1) AS first_day
),
history AS (
  SELECT src_ip, count(DISTINCT dst_ip) AS baseline_hosts
  FROM flows
  WHERE dt >= :baseline_dt_start AND dt < :window_dt_start
    AND start_time >= :baseline_start AND start_time < :window_start
    AND direction = 'internal'
    AND protocol = 6
    AND dst_port IN (22, 135, 139, 445, 3389, 5900, 5985, 5986)
    AND src_port IS NOT NULL
    AND (conn_state IS NULL OR conn_state IN ('SF', 'S1', 'S2', 'S3', 'RSTO', 'RSTR'))
    AND (
      conn_state IS NOT NULL
      OR (tcp_flags IS NOT NULL AND bitwise_and(tcp_flags, 18) = 2)
      OR src_port > dst_port
    )
    AND coalesce(action, 'accept') <> 'reject'
    AND NOT (packets_out <= 6 AND bytes_out <= 60 * packets_out)
  GROUP BY src_ip
),
judged AS (
  SELECT
    zoned.hour_start, zoned.src_ip, zoned.src_zone, zoned.distinct_hosts, zoned.smb_hosts,
    zoned.rpc_hosts, zoned.rdp_hosts, zoned.winrm_hosts, zoned.ssh_hosts, zoned.vnc_hosts,
    zoned.ephi_hosts, zoned.device_hosts, zoned.flow_count, zoned.first_seen, zoned.last_seen,
    zoned.dst_port, zoned.raw_refs, zoned.may_administer,
    covered.covered AS history_covered,
    coalesce(h.baseline_hosts, 0) AS baseline_hosts
  FROM zoned
  CROSS JOIN history_covered AS covered
  LEFT JOIN history AS h ON h.src_ip = zoned.src_ip
)
SELECT
  j.src_ip, j.dst_port, 6 AS protocol, j.src_zone,
  CASE WHEN j.may_administer THEN 'new admin source' ELSE 'zone may not administer' END AS rule,
  j.distinct_hosts, j.smb_hosts, j.rpc_hosts, j.rdp_hosts, j.winrm_hosts, j.ssh_hosts,
  j.vnc_hosts, j.ephi_hosts, j.device_hosts, j.baseline_hosts,
  CASE
    WHEN j.may_administer THEN 'medium'
    WHEN j.device_hosts > 0 THEN 'critical'
    ELSE 'high'
  END AS severity,
  j.flow_count, j.first_seen, j.last_seen, j.raw_refs
FROM judged AS j
WHERE NOT j.may_administer
  OR (j.history_covered AND j.baseline_hosts < :min_hosts)
