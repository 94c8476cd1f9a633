-- id: cleartext-phi-protocol
-- title: A cleartext clinical or legacy protocol crosses a zone boundary or the network edge
-- severity: medium
-- mitre: T1048.003, T1040, T1021
-- hipaa: 164.312(e)(1), 164.312(e)(2)(ii), 164.312(a)(1), 164.312(b)
-- params: max_failed_ratio=0.5
-- window: 24h
-- based-on: HIPAA 164.312(e)(1) transmission security and HICP 6.M.B segmentation
--   (hipaa-and-security.md §1, §7, §8): HL7 v2 over MLLP (2575) and DICOM (104, 11112) carry PHI
--   unencrypted, FTP (20, 21) and Telnet (23) carry credentials. NHS England's imaging pattern
--   restricts modality → PACS to named hosts and ports, so clinical paths inside the ePHI enclave
--   (both zones tagged `ephi`) or named by an explicit `allow` policy rule for that port are
--   sanctioned; everything else that crosses a zone boundary or the network edge is reported.
--   Only sessions that carried data count: refused or unanswered attempts, and sources that fail
--   on most attempts to the port (scanners), are probes, not transmissions.
-- finding: Cleartext {service} from {src_ip} ({src_zone}) to {dst_ip} ({dst_zone}), {path}
-- summary: {src_ip} ({src_zone}) sent {bytes_out} bytes of cleartext {service} to {dst_ip} ({dst_zone}) in {sessions} session(s), {path}; confirm the interface is sanctioned and move it to TLS (DICOM 2762, HL7 over TLS) or a VPN, and if it is not sanctioned block it and assess a PHI disclosure.
-- description: Takes TCP sessions to the HL7 MLLP, DICOM, FTP and Telnet ports whose source and
--   destination zones differ (external counts as a zone), keeps the ones that carried data, drops
--   sources that were refused on most of their attempts to that port, and classifies the path:
--   leaving the network or entering from the Internet (high), touching an `untrusted` zone (high),
--   HL7/DICOM between two `ephi` zones or on a port an `allow` rule names (sanctioned, no finding),
--   anything else (medium; FTP/Telnet between two `ephi` zones: low).
-- runbook: Identify the interface or user behind the session (interface engine channel, modality
--   AE title, FTP job); if it leaves the network, block the destination and start the breach
--   assessment (45 CFR 164.402) with the bytes sent; if it is an internal path, add TLS or move it
--   inside the enclave, then record the decision as a policy rule.
WITH sessions AS (
  SELECT
    src_ip, dst_ip, dst_port, src_zone, dst_zone, direction, start_time, raw_ref,
    coalesce(bytes_out, 0) AS bytes_out, coalesce(bytes_in, 0) AS bytes_in,
    -- A probe, not a transmission: refused or unanswered (Zeek's state, a firewall reject), or,
    -- in unidirectional exports that have no state, a SYN without ACK or at most 3 packets that
    -- carried nothing but TCP headers (SYN retransmissions).
    CASE
      WHEN action = 'reject' THEN 1
      WHEN conn_state IN ('S0', 'REJ', 'RSTOS0', 'RSTRH', 'SH', 'SHR') THEN 1
      WHEN conn_state IS NOT NULL THEN 0
      WHEN tcp_flags IS NOT NULL AND bitwise_and(tcp_flags, 18) = 2 THEN 1
      WHEN coalesce(packets_out, 0) <= 3
        AND coalesce(bytes_out, 0) <= 64 * greatest(coalesce(packets_out, 1), 1) THEN 1
      ELSE 0
    END AS failed
  FROM flows
  WHERE dt BETWEEN :window_dt_start AND :window_dt_end
    AND start_time >= :window_start AND start_time < :window_end
    AND protocol = 6
    AND dst_port IN (20, 21, 23, 104, 2575, 11112)
    AND direction IN ('outbound', 'inbound', 'internal')
    AND src_zone <> dst_zone
),
probing_sources AS (
  -- Sources refused on most of their attempts to a port are scanning it, not transmitting.
  SELECT src_ip, dst_port
  FROM sessions
  GROUP BY src_ip, dst_port
  HAVING CAST(sum(failed) AS DOUBLE) / count(*) > :max_failed_ratio
),
paths AS (
  SELECT
    s.src_ip, s.dst_ip, s.dst_port,
    max(s.src_zone) AS src_zone, max(s.dst_zone) AS dst_zone, max(s.direction) AS direction,
    count(*) AS sessions,
    sum(s.bytes_out) AS bytes_out, sum(s.bytes_in) AS bytes_in,
    min(s.start_time) AS first_seen, max(s.start_time) AS last_seen,
    slice(array_agg(s.raw_ref ORDER BY s.start_time, s.raw_ref), 1, 20) AS raw_refs
  FROM sessions s
  LEFT JOIN probing_sources p ON p.src_ip = s.src_ip AND p.dst_port = s.dst_port
  WHERE s.failed = 0 AND p.src_ip IS NULL
  GROUP BY s.src_ip, s.dst_ip, s.dst_port
),
classified AS (
  SELECT
    p.src_ip, p.dst_ip, p.dst_port, p.src_zone, p.dst_zone, p.sessions, p.bytes_out, p.bytes_in,
    p.first_seen, p.last_seen, p.raw_refs,
    CASE
      WHEN p.dst_port = 2575 THEN 'HL7 MLLP'
      WHEN p.dst_port IN (104, 11112) THEN 'DICOM'
      WHEN p.dst_port IN (20, 21) THEN 'FTP'
      ELSE 'Telnet'
    END AS service,
    p.direction,
    EXISTS (SELECT 1 FROM :zone_tags WHERE zone = p.src_zone AND tag = 'ephi') AS src_ephi,
    EXISTS (SELECT 1 FROM :zone_tags WHERE zone = p.dst_zone AND tag = 'ephi') AS dst_ephi,
    EXISTS (
      SELECT 1 FROM :zone_tags WHERE zone IN (p.src_zone, p.dst_zone) AND tag = 'untrusted'
    ) AS untrusted,
    -- The first policy rule that names this path and this port decides (rules are ordered).
    (
      SELECT min_by(action, rule_index) FROM :policy_rules
      WHERE from_zone = p.src_zone AND to_zone = p.dst_zone AND port = p.dst_port
    ) AS named_rule
  FROM paths p
)
SELECT
  src_ip, dst_ip, dst_port, 6 AS protocol, src_zone, dst_zone, service, sessions,
  bytes_out, bytes_in,
  CASE
    WHEN direction = 'outbound' THEN 'leaving the network'
    WHEN direction = 'inbound' THEN 'entering from the Internet'
    WHEN untrusted THEN 'touching an untrusted zone'
    WHEN src_ephi AND dst_ephi THEN 'between ePHI zones'
    ELSE 'across the ePHI enclave boundary'
  END AS path,
  CASE
    WHEN direction IN ('outbound', 'inbound') OR untrusted THEN 'high'
    WHEN src_ephi AND dst_ephi THEN 'low'
    ELSE 'medium'
  END AS severity,
  sessions AS flow_count, first_seen, last_seen, raw_refs
FROM classified
WHERE direction IN ('outbound', 'inbound')
  OR untrusted
  OR (coalesce(named_rule, '') <> 'allow'
    AND NOT (src_ephi AND dst_ephi AND service IN ('HL7 MLLP', 'DICOM')))
