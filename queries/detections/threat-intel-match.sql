-- id: threat-intel-match
-- title: Traffic to or from an address on the threat-intel list
-- severity: medium
-- mitre: T1071, T1105, T1595
-- hipaa: 164.308(a)(1)(ii)(D), 164.308(a)(6)(ii), 164.312(b)
-- params: large_transfer_bytes=25000000
-- window: 24h
-- based-on: RITA v5 threat-intel impact and its data-size modifier (threat-intel hit with >= 25 MB
--   transferred: +0.15; detection-algorithms.md §5.2) and GuardDuty's severity split (the internal
--   host as actor is the stronger signal). Exact addresses of `threat_intel.ips` only: CIDR entries
--   reach the query as text and cannot be matched in SQL that runs unchanged on Athena and DuckDB
--   without an IP type; they need the runner to pass them as integer ranges (first, last address)
--   that an IPv4-to-integer expression over `split_part` can be compared with.
-- finding: {src_ip} ({src_zone}) → {dst_ip} ({dst_zone}), threat-intel address {listed_ip}: {outcome}
-- summary: {initiator} {src_ip} ({src_zone}) → {dst_ip} ({dst_zone}) involves threat-intel address {listed_ip}: {connections} connection(s), {outcome}, {bytes_out} bytes sent and {bytes_in} received; check the indicator's context (feed, age, what it was listed for), find the process or service on the internal host, and isolate it if the session was established from it.
-- description: Matches every flow whose source or destination is a listed address (exact, or inside
--   a listed IPv4 range; list files are read in with the config), orients reply
--   records of unidirectional exports (listed service port → client port) back to the connection
--   the client opened, and aggregates per initiator and responder, from the source type that
--   logged the pair most (sensors overlap): connections, whether any was established (bytes from
--   the responder in a record that is not a failure), and bytes each way. Severity: an internal
--   host reaching a listed address is medium when nothing answered (it still tried), high when
--   established, critical when 25 MB or more moved; a listed address reaching in is low when
--   nothing answered, high when established.
-- runbook: Confirm the indicator (feed, date, reason); for outbound contact find the process on the
--   host (EDR), review what else the host reached (`wardflow reach`), and isolate it if a session
--   was established; for inbound contact check what the listed address reached and whether the
--   service should be exposed at all; block the address at the edge.
WITH
-- The window's flows, with IPv4 addresses as numbers for the listed ranges (NULL for IPv6, whose
-- listed addresses match by text).
window_flows AS (
  SELECT
    *,
    try_cast(split_part(src_ip, '.', 1) AS BIGINT) * 16777216
      + try_cast(split_part(src_ip, '.', 2) AS BIGINT) * 65536
      + try_cast(split_part(src_ip, '.', 3) AS BIGINT) * 256
      + try_cast(split_part(src_ip, '.', 4) AS BIGINT) AS src_number,
    try_cast(split_part(dst_ip, '.', 1) AS BIGINT) * 16777216
      + try_cast(split_part(dst_ip, '.', 2) AS BIGINT) * 65536
      + try_cast(split_part(dst_ip, '.', 3) AS BIGINT) * 256
      + try_cast(split_part(dst_ip, '.', 4) AS BIGINT) AS dst_number
  FROM flows
  WHERE dt BETWEEN :window_dt_start AND :window_dt_end
    AND start_time >= :window_start AND start_time < :window_end
),
-- Which side is listed: an exact address, or an IPv4 address inside a listed range.
listed AS (
  SELECT
    f.*,
    CASE
      WHEN f.src_ip IN :threat_intel_ips THEN 1
      WHEN EXISTS (
        SELECT 1 FROM :threat_intel_ranges
        WHERE f.src_number BETWEEN first_address AND last_address
      ) THEN 1
      ELSE 0
    END AS src_listed,
    CASE
      WHEN f.dst_ip IN :threat_intel_ips THEN 1
      WHEN EXISTS (
        SELECT 1 FROM :threat_intel_ranges
        WHERE f.dst_number BETWEEN first_address AND last_address
      ) THEN 1
      ELSE 0
    END AS dst_listed
  FROM window_flows AS f
),
matched AS (
  SELECT
    start_time, raw_ref, conn_state, action, source_type,
    -- A reply record (service port → client port) of a unidirectional export belongs to the
    -- connection the client opened: orient it back.
    conn_state IS NULL AND src_port IS NOT NULL AND dst_port IS NOT NULL
      AND ((src_port < 1024 AND dst_port >= 1024) OR (src_port < 32768 AND dst_port >= 32768))
      AS is_reply,
    src_ip, dst_ip, src_port, dst_port, protocol, src_zone, dst_zone, src_listed, dst_listed,
    coalesce(bytes_out, 0) AS bytes_out, coalesce(bytes_in, 0) AS bytes_in,
    CASE
      WHEN action = 'reject' THEN 1
      WHEN conn_state IN ('S0', 'REJ', 'RSTOS0', 'RSTRH', 'SH', 'SHR') THEN 1
      ELSE 0
    END AS failed
  FROM listed
  WHERE src_listed = 1 OR dst_listed = 1
),
oriented AS (
  SELECT
    start_time, raw_ref, failed, source_type,
    CASE WHEN is_reply THEN dst_ip ELSE src_ip END AS client_ip,
    CASE WHEN is_reply THEN src_ip ELSE dst_ip END AS server_ip,
    CASE WHEN is_reply THEN dst_zone ELSE src_zone END AS client_zone,
    CASE WHEN is_reply THEN src_zone ELSE dst_zone END AS server_zone,
    CASE WHEN is_reply THEN src_port ELSE dst_port END AS server_port,
    CASE WHEN is_reply THEN src_listed ELSE dst_listed END AS server_listed,
    protocol,
    -- Bytes each way; a failed attempt moved no data, whatever its packets weighed.
    CASE WHEN failed = 1 THEN 0 WHEN is_reply THEN bytes_in ELSE bytes_out END AS client_bytes,
    CASE WHEN failed = 1 THEN 0 WHEN is_reply THEN bytes_out ELSE bytes_in END AS server_bytes,
    CASE WHEN is_reply THEN 0 ELSE 1 END AS attempt
  FROM matched
),
per_source AS (
  SELECT
    client_ip, server_ip, source_type,
    max(client_zone) AS client_zone, max(server_zone) AS server_zone,
    CASE WHEN min(server_port) = max(server_port) THEN min(server_port) END AS server_port,
    CASE WHEN min(protocol) = max(protocol) THEN min(protocol) END AS protocol,
    greatest(sum(attempt), 1) AS connections,
    sum(CASE WHEN attempt = 1 THEN failed ELSE 0 END) AS failed_connections,
    sum(client_bytes) AS client_bytes, sum(server_bytes) AS server_bytes,
    max(server_listed) AS server_listed,
    count(*) AS flow_count,
    min(start_time) AS first_seen, max(start_time) AS last_seen,
    slice(array_agg(raw_ref ORDER BY start_time, raw_ref), 1, 20) AS raw_refs
  FROM oriented
  GROUP BY client_ip, server_ip, source_type
),
pairs AS (
  -- One connection is often logged by several sensors: count it from the one that saw most.
  SELECT
    client_ip, server_ip, client_zone, server_zone, server_port, protocol, connections,
    failed_connections, client_bytes, server_bytes, server_listed, flow_count, first_seen,
    last_seen, raw_refs,
    row_number() OVER (
      PARTITION BY client_ip, server_ip ORDER BY flow_count DESC, source_type
    ) AS source_rank
  FROM per_source
)
SELECT
  client_ip AS src_ip, server_ip AS dst_ip, server_port AS dst_port, protocol,
  client_zone AS src_zone, server_zone AS dst_zone,
  CASE WHEN server_listed = 1 THEN server_ip ELSE client_ip END AS listed_ip,
  CASE WHEN server_listed = 1 THEN 'internal host' ELSE 'listed address' END
    AS initiator,
  connections, failed_connections,
  client_bytes AS bytes_out, server_bytes AS bytes_in,
  CASE
    WHEN server_bytes > 0 THEN 'established'
    WHEN failed_connections >= connections THEN 'every attempt failed'
    ELSE 'no answer seen'
  END AS outcome,
  CASE
    WHEN server_bytes > 0 AND client_bytes + server_bytes >= :large_transfer_bytes THEN 'critical'
    WHEN server_bytes > 0 THEN 'high'
    WHEN server_listed = 1 THEN 'medium'
    ELSE 'low'
  END AS severity,
  flow_count, first_seen, last_seen, raw_refs
FROM pairs
WHERE source_rank = 1
