-- id: unusual-port
-- title: A host opens sessions to the Internet on a port or protocol it never used before
-- severity: medium
-- mitre: T1571, T1048, T1095
-- hipaa: 164.308(a)(1)(ii)(D), 164.312(b), 164.312(e)(1)
-- params: min_history_hours=24, miss_probability=0.01
-- window: 24h
-- lookback: 28d
-- based-on: GuardDuty Behavior:EC2/NetworkPortUnusual and Backdoor:EC2/Spambot (a remote port with
--   no history for the instance; detection-algorithms.md 5.3) over a per-host port/protocol profile
--   (queries/baselines/host-port-profile.sql), with "never used" trusted only when the rule of
--   three allows it (Hanley and Lippman-Hand 1983) and after a full day of the host's own history.
--   Dynamic ports (49152-65535, RFC 6335) are never services and are not judged.
-- finding: {src_ip} used {service} to the Internet for the first time
-- summary: {src_ip} ({src_zone}) opened sessions to {dst_ip} on {service}, a port it never used in {history_hours} hours of its own history ({new_ports} new port(s) in all, {active_minutes} active minutes in the first hour). Ask the owner what the host runs on that port; if nothing should, block the port at the egress firewall and look for the process behind it.
-- description: Builds each host's profile of the ports and protocols it opened sessions to, to any
--   destination inside or outside, over the lookback before the first use in the window, and
--   reports the ports it now uses towards external addresses that are not in the profile (TCP, UDP
--   and SCTP below 49152; ICMP and dynamic ports have no service to judge). A port the host uses
--   internally (an HL7 engine's 2575) is not unusual when it goes out; a new address on a known
--   port (a workstation reaching a new CDN on 443) is not an unusual port. There must be history:
--   the host must have opened sessions in at least min_history_hours distinct hours before the
--   first use (a full day, so the daily rhythm is in the profile), and a port used at the rate seen
--   in the hour after the first use (c active minutes) would have gone unseen in those H hours with
--   probability exp(-c H), which must be at most miss_probability. On a one-day lake, or for a host
--   seen for less than a day, the detection stays silent rather than call everything new.
--   Medical-device zones are left to device-behavior-drift, which profiles all of their edges;
--   zones tagged untrusted (guest Wi-Fi) hold unmanaged devices with no profile worth keeping.
--   Severity is high for hosts in ephi zones. One finding per host and window, naming its most
--   active new port.
-- runbook: Identify the process that opened the connections (EDR, netstat on the host) and ask the
--   system owner whether a new application or vendor tool explains the port. If not, block the port
--   at the egress firewall, check the destination's reputation, and look at the same host in
--   beaconing and egress-volume-anomaly.
WITH
-- Zones whose hosts are judged elsewhere or not at all.
excluded_zones AS (
  SELECT DISTINCT zone FROM :zone_tags WHERE tag IN ('medical-device', 'untrusted')
),
ephi_zones AS (
  SELECT DISTINCT zone FROM :zone_tags WHERE tag = 'ephi'
),
-- Sessions internal hosts opened to external addresses on service ports, lookback and window. A
-- record is an answer, not an initiation, when it comes from the lower (service) port to a higher
-- (ephemeral) one, or Zeek saw no handshake to orient it (OTH, SHR, RSTRH).
outbound AS (
  SELECT src_ip, dst_ip, dst_port, protocol, src_zone, start_time, raw_ref
  FROM flows
  WHERE dt BETWEEN :window_dt_start AND :window_dt_end
    AND start_time >= :window_start AND start_time < :window_end
    AND direction = 'outbound'
    AND protocol IN (6, 17, 132)
    AND dst_port IS NOT NULL AND dst_port < 49152
    AND (src_port IS NULL OR src_port >= dst_port)
    AND (conn_state IS NULL OR conn_state NOT IN ('OTH', 'SHR', 'RSTRH'))
    AND src_zone NOT IN (SELECT zone FROM excluded_zones)
),
-- The lookback: hourly rows of the hosts' initiations, from the materialized baseline
-- (queries/baselines/host-peer-set.sql, the same initiation filter).
history_rows AS (
  SELECT
    host AS src_ip, dst_port, protocol, host_zone AS src_zone, direction, hour,
    first_seen, last_seen
  FROM baselines
  WHERE baseline_id = 'host-peer-set'
    AND dt BETWEEN :baseline_dt_start AND :window_dt_start
    AND hour >= :baseline_start AND hour < :window_start
    AND protocol IN (6, 17, 132)
    AND dst_port IS NOT NULL
),
history_outbound AS (
  SELECT *
  FROM history_rows
  WHERE direction = 'outbound'
    AND dst_port < 49152
    AND src_zone NOT IN (SELECT zone FROM excluded_zones)
),
-- First use of each (host, port, protocol) towards the Internet in the window ...
window_ports AS (
  SELECT src_ip, dst_port, protocol, max(src_zone) AS src_zone, min(start_time) AS first_use
  FROM outbound
  WHERE start_time >= :window_start
  GROUP BY src_ip, dst_port, protocol
),
-- ... that the host did not use towards the Internet in the lookback before the window.
last_external_use AS (
  SELECT src_ip, dst_port, protocol, max(last_seen) AS last_use
  FROM history_outbound
  GROUP BY src_ip, dst_port, protocol
),
-- Hours in which the sensors delivered such records at all: no host can have more history than
-- this, so ports first used with less than min_history_hours of it are dropped before the profile
-- is read (on a one-day lake, all of them).
data_hours AS (
  SELECT hour FROM history_outbound
  UNION
  SELECT date_trunc('hour', start_time) FROM outbound
),
fresh AS (
  SELECT w.src_ip, w.dst_port, w.protocol, w.src_zone, w.first_use
  FROM window_ports AS w
  LEFT JOIN last_external_use AS l
    ON l.src_ip = w.src_ip AND l.dst_port = w.dst_port AND l.protocol = w.protocol
  JOIN data_hours AS d
    ON d.hour < date_trunc('hour', w.first_use)
    AND d.hour >= w.first_use - (:window_start - :baseline_start)
  WHERE l.last_use IS NULL OR l.last_use < w.first_use - (:window_start - :baseline_start)
  GROUP BY w.src_ip, w.dst_port, w.protocol, w.src_zone, w.first_use
  HAVING count(*) >= :min_history_hours
),
-- Everything hosts opened, to any destination, per port and hour: their client profile and the
-- hours of history it covers (the same initiation rule as above). For every host, not only those
-- with fresh ports: narrowing it by `fresh` would plan, and on Athena read, `fresh` twice.
client_hours AS (
  SELECT src_ip, dst_port, protocol, hour, min(first_use) AS first_start
  FROM (
    SELECT src_ip, dst_port, protocol, hour, first_seen AS first_use
    FROM history_rows
    UNION ALL
    SELECT src_ip, dst_port, protocol, date_trunc('hour', start_time), start_time
    FROM flows
    WHERE dt BETWEEN :window_dt_start AND :window_dt_end
      AND start_time >= :window_start AND start_time < :window_end
      AND direction IN ('outbound', 'internal')
      AND protocol IN (6, 17, 132)
      AND dst_port IS NOT NULL
      AND (src_port IS NULL OR src_port >= dst_port)
      AND (conn_state IS NULL OR conn_state NOT IN ('OTH', 'SHR', 'RSTRH'))
  ) AS uses
  GROUP BY src_ip, dst_port, protocol, hour
),
-- For each fresh port: the hours before its first use in which the host opened anything (its
-- history), and those in which it already used the port (which make it not new). One pass over
-- the host's hours, so Trino plans `fresh` and `client_hours` once each.
new_ports AS (
  SELECT
    f.src_ip, f.dst_port, f.protocol, f.src_zone, f.first_use,
    count(DISTINCT CASE
      WHEN c.hour < date_trunc('hour', f.first_use)
        AND c.hour >= f.first_use - (:window_start - :baseline_start)
      THEN c.hour
    END) AS history_hours
  FROM fresh AS f
  LEFT JOIN client_hours AS c
    ON c.src_ip = f.src_ip
    AND c.hour >= date_trunc('hour', f.first_use - (:window_start - :baseline_start))
    AND c.hour <= f.first_use
  GROUP BY f.src_ip, f.dst_port, f.protocol, f.src_zone, f.first_use
  HAVING count(CASE
      WHEN c.dst_port = f.dst_port AND c.protocol = f.protocol AND c.first_start < f.first_use
      THEN 1
    END) = 0
),
-- The port's use in the window: distinct active minutes in the hour after the first use (each
-- minute and each destination counted on its first record, so that the aggregation needs no
-- DISTINCT over two columns, which costs Trino extra stages).
port_uses AS (
  SELECT
    n.src_ip, n.dst_port, n.protocol, n.src_zone, n.first_use, n.history_hours,
    o.dst_ip, o.start_time, o.raw_ref,
    o.start_time < n.first_use + INTERVAL '1' HOUR
      AND row_number() OVER (
        PARTITION BY n.src_ip, n.dst_port, n.protocol, date_trunc('minute', o.start_time)
        ORDER BY o.start_time
      ) = 1 AS first_in_minute,
    row_number() OVER (
      PARTITION BY n.src_ip, n.dst_port, n.protocol, o.dst_ip ORDER BY o.start_time
    ) = 1 AS first_to_destination
  FROM new_ports AS n
  JOIN outbound AS o
    ON o.src_ip = n.src_ip AND o.dst_port = n.dst_port AND o.protocol = n.protocol
    AND o.start_time >= :window_start
  WHERE n.history_hours >= :min_history_hours
),
activity AS (
  SELECT
    src_ip, dst_port, protocol, src_zone, history_hours,
    sum(CASE WHEN first_in_minute THEN 1 ELSE 0 END) AS active_minutes,
    sum(CASE WHEN first_to_destination THEN 1 ELSE 0 END) AS destinations,
    count(*) AS flow_count,
    min(start_time) AS first_seen,
    max(start_time) AS last_seen,
    slice(array_agg(raw_ref ORDER BY start_time, raw_ref), 1, 20) AS raw_refs,
    min_by(dst_ip, start_time) AS first_destination
  FROM port_uses
  GROUP BY src_ip, dst_port, protocol, src_zone, history_hours
),
qualified AS (
  SELECT *
  FROM activity
  WHERE active_minutes * history_hours >= -ln(:miss_probability)
),
ranked AS (
  SELECT
    q.*,
    count(*) OVER (PARTITION BY q.src_ip) AS new_ports,
    row_number() OVER (PARTITION BY q.src_ip ORDER BY q.active_minutes DESC, q.dst_port) AS rank_in_host
  FROM qualified AS q
)
SELECT
  r.src_ip, r.first_destination AS dst_ip, r.dst_port, r.protocol, r.src_zone,
  concat(
    CASE r.protocol WHEN 6 THEN 'TCP' WHEN 17 THEN 'UDP' ELSE 'SCTP' END, '/', CAST(r.dst_port AS VARCHAR)
  ) AS service,
  r.new_ports, r.history_hours, r.active_minutes, r.destinations,
  CASE WHEN r.src_zone IN (SELECT zone FROM ephi_zones) THEN 'high' ELSE 'medium' END AS severity,
  r.flow_count, r.first_seen, r.last_seen, r.raw_refs
FROM ranked AS r
WHERE r.rank_in_host = 1
