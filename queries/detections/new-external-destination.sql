-- id: new-external-destination
-- title: A host in an ePHI or medical-device zone talks to an Internet address it never used before
-- severity: medium
-- mitre: T1041, T1071.001, T1571
-- hipaa: 164.308(a)(1)(ii)(D), 164.312(a)(1), 164.312(b), 164.312(e)(1)
-- params: min_upload_bytes=1000000, min_active_minutes=10, shared_hosts=5, miss_probability=0.01, max_per_host=3
-- window: 24h
-- lookback: 28d
-- based-on: RITA first-seen destinations and prevalence modifiers (detection-algorithms.md
--   5.1-5.3): a first-seen table per internal source, prevalence = internal hosts reaching the
--   address; "never alert on new alone" outside deny-by-default zones, combine with volume,
--   beaconing or port rarity; in medical-device zones every new edge is a finding (HICP 9.M.E).
--   "Never seen" is trusted only when the rule of three allows it (Hanley and Lippman-Hand 1983).
-- finding: {src_ip} ({src_zone}) reached {dst_ip} for the first time ({reason})
-- summary: {src_ip} in zone {src_zone} ({zone_kind}) opened sessions to {dst_ip} ({service}), an Internet address it never used in {history_hours} hours of history: {active_minutes} active minutes in the first hour, {upload_kb} KB sent, {new_destinations} new address(es) in all. Ask the system or device owner whether the address is a sanctioned vendor or cloud service; if not, block it at the egress firewall and review the host.
-- description: For hosts of zones tagged ephi or medical-device (the :zone_tags of the config),
--   lists the external addresses they opened sessions to in the window and did not use in the
--   lookback before the first contact (RITA's first-seen table, inline; see
--   queries/baselines/host-peer-set.sql). "Never used" means something only with history behind it:
--   with H hours of records before the first contact (hours in which the sensors delivered egress
--   records at all), an address used at the rate seen in the hour after the first contact (c
--   distinct active minutes) would have gone unseen with probability exp(-c H), which must be at
--   most miss_probability (the rule of three at 5 %, here 1 %). So the first hour of a lake yields
--   nothing, one contact needs five hours of history, and six contacts in the first hour after one
--   hour of history suffice. Medical-device zones are deny-by-default by design: every credible new
--   address is a finding (high). In ePHI zones a new address is reported (medium) only when it also
--   carries risk (RITA: never "new" alone): min_upload_bytes or more sent to it (payload: less 52
--   bytes of IP and TCP header per packet, the largest view when several sensors saw it), a port
--   other than web (TCP or UDP 80, 443) that the host never used to reach the Internet before (an
--   antivirus cloud on its own UDP port at a new address of the same vendor is not new), or
--   beacon-like persistence (at least min_active_minutes distinct minutes in the hour after the
--   first contact); and an address that shared_hosts or more internal hosts reach in the lookback
--   and window is a shared service or a rollout, not one host's new contact. Answers to sessions
--   opened from the Internet are not contacts the host made and are left out. The window is a day,
--   evaluated against the history before each first contact, so the day's earlier hours count as
--   history (a one-day lake works from its second hour). One finding per host and new address, at
--   most max_per_host per host and window (the most significant first); new_destinations counts
--   them all, so a host reaching dozens of new addresses does not flood the SOC.
-- runbook: Look the address up (owner, reputation, threat intel) and ask the system or device owner
--   whether it belongs to a sanctioned vendor, cloud or update service. If not: block it at the
--   egress firewall, pull the host's flows to it (raw_refs), check egress-volume-anomaly and
--   beaconing for the same host, and for a medical device involve biomedical engineering before
--   isolating it (patient safety).
WITH
-- Zones in scope and whether they are medical-device zones.
scope AS (
  SELECT zone, max(CASE WHEN tag = 'medical-device' THEN 1 ELSE 0 END) AS device
  FROM :zone_tags
  WHERE tag IN ('ephi', 'medical-device')
  GROUP BY zone
),
-- Sessions internal hosts opened to external addresses, lookback and window. A record is an answer,
-- not an initiation, when it comes from the lower (service) port to a higher (ephemeral) one, or
-- Zeek saw no handshake to orient it (OTH, SHR, RSTRH). TCP flags cannot tell: VPC and NetFlow OR
-- the flags of every packet, so both directions carry SYN and ACK.
outbound AS (
  SELECT
    src_ip, dst_ip, dst_port, protocol, src_zone, start_time, raw_ref, source_type, sensor,
    greatest(bytes_out - 52 * coalesce(packets_out, 0), 0) AS upload
  FROM flows
  WHERE dt BETWEEN :window_dt_start AND :window_dt_end
    AND start_time >= :window_start AND start_time < :window_end
    AND direction = 'outbound'
    AND (src_port IS NULL OR dst_port IS NULL OR src_port >= dst_port)
    AND (conn_state IS NULL OR conn_state NOT IN ('OTH', 'SHR', 'RSTRH'))
),
-- The lookback: hourly rows of the same initiations, from the materialized baseline
-- (queries/baselines/host-peer-set.sql).
history_rows AS (
  SELECT
    host AS src_ip, peer AS dst_ip, dst_port, protocol, host_zone AS src_zone, hour,
    first_seen, last_seen
  FROM baselines
  WHERE baseline_id = 'host-peer-set'
    AND dt BETWEEN :baseline_dt_start AND :window_dt_start
    AND hour >= :baseline_start AND hour < :window_start
    AND direction = 'outbound'
),
in_scope AS (
  SELECT o.*, s.device
  FROM outbound AS o
  JOIN scope AS s ON s.zone = o.src_zone
),
-- First contact of each (host, address) pair in the window.
window_pairs AS (
  SELECT src_ip, dst_ip, max(device) AS device, max(src_zone) AS src_zone, min(start_time) AS first_contact
  FROM in_scope
  WHERE start_time >= :window_start
  GROUP BY src_ip, dst_ip
),
-- Pairs the host did not use in the lookback before the first contact.
last_use AS (
  SELECT h.src_ip, h.dst_ip, max(h.last_seen) AS last_contact
  FROM history_rows AS h
  JOIN scope AS s ON s.zone = h.src_zone
  GROUP BY h.src_ip, h.dst_ip
),
new_pairs AS (
  SELECT w.*
  FROM window_pairs AS w
  LEFT JOIN last_use AS l ON l.src_ip = w.src_ip AND l.dst_ip = w.dst_ip
  WHERE l.last_contact IS NULL
    OR l.last_contact < w.first_contact - (:window_start - :baseline_start)
),
-- The address each host first opened sessions to on each port and protocol (lookback and
-- window): a non-web port first used with a new address is a port the host never used outside.
port_first_use AS (
  SELECT src_ip, dst_port, protocol, min_by(dst_ip, first_use) AS first_destination
  FROM (
    SELECT h.src_ip, h.dst_ip, h.dst_port, h.protocol, h.first_seen AS first_use
    FROM history_rows AS h
    JOIN scope AS s ON s.zone = h.src_zone
    UNION ALL
    SELECT src_ip, dst_ip, dst_port, protocol, start_time
    FROM in_scope
  ) AS uses
  GROUP BY src_ip, dst_port, protocol
),
-- What each new pair did in the window: its contact rate (distinct active minutes in the hour
-- after the first contact) and whether it used a non-web port the host never used outside before.
activity AS (
  SELECT
    n.src_ip, n.dst_ip,
    count(DISTINCT CASE
      WHEN e.start_time < n.first_contact + INTERVAL '1' HOUR THEN date_trunc('minute', e.start_time)
    END) AS active_minutes,
    max(CASE
      WHEN e.protocol IN (6, 17) AND e.dst_port IN (80, 443) THEN 0
      WHEN f.first_destination = n.dst_ip THEN 1
      ELSE 0
    END) AS rare_port,
    count(*) AS flow_count,
    min(e.start_time) AS first_seen,
    max(e.start_time) AS last_seen,
    slice(array_agg(e.raw_ref ORDER BY e.start_time, e.raw_ref), 1, 20) AS raw_refs
  FROM new_pairs AS n
  JOIN in_scope AS e
    ON e.src_ip = n.src_ip AND e.dst_ip = n.dst_ip AND e.start_time >= :window_start
  LEFT JOIN port_first_use AS f
    ON f.src_ip = e.src_ip AND f.dst_port = e.dst_port AND f.protocol = e.protocol
  GROUP BY n.src_ip, n.dst_ip
),
-- Upload to each new address, per vantage point and then the largest view.
uploads AS (
  SELECT src_ip, dst_ip, max(bytes) AS upload
  FROM (
    SELECT e.src_ip, e.dst_ip, e.source_type, e.sensor, sum(e.upload) AS bytes
    FROM in_scope AS e
    JOIN new_pairs AS n ON n.src_ip = e.src_ip AND n.dst_ip = e.dst_ip
    WHERE e.start_time >= :window_start
    GROUP BY e.src_ip, e.dst_ip, e.source_type, e.sensor
  ) AS per_vantage
  GROUP BY src_ip, dst_ip
),
-- The port and protocol shown for each new address: a non-web one if any, else the most used.
ports AS (
  SELECT
    e.src_ip, e.dst_ip, e.dst_port, e.protocol,
    row_number() OVER (
      PARTITION BY e.src_ip, e.dst_ip
      ORDER BY max(CASE WHEN e.protocol IN (6, 17) AND e.dst_port IN (80, 443) THEN 1 ELSE 0 END),
        count(*) DESC, e.dst_port
    ) AS rank_by_use
  FROM in_scope AS e
  JOIN new_pairs AS n ON n.src_ip = e.src_ip AND n.dst_ip = e.dst_ip
  WHERE e.start_time >= :window_start
  GROUP BY e.src_ip, e.dst_ip, e.dst_port, e.protocol
),
-- Prevalence: internal hosts of any zone that opened sessions to the address, lookback and window.
prevalence AS (
  SELECT dst_ip, count(DISTINCT src_ip) AS internal_hosts
  FROM (
    SELECT src_ip, dst_ip FROM history_rows
    UNION ALL
    SELECT src_ip, dst_ip FROM outbound
  ) AS pairs
  WHERE dst_ip IN (SELECT dst_ip FROM new_pairs)
  GROUP BY dst_ip
),
-- New pairs that carry risk, before the history test: every pair of a medical-device host; in
-- ePHI zones, data sent, a non-web port new to the host, or beacon-like persistence, to an
-- address that is not shared.
candidates AS (
  SELECT
    n.src_ip, n.dst_ip, n.src_zone, n.device, n.first_contact, a.active_minutes, a.rare_port,
    a.flow_count, a.first_seen, a.last_seen, a.raw_refs, u.upload, v.internal_hosts,
    p.dst_port, p.protocol,
    CASE
      WHEN n.device = 1 THEN 'medical device, deny by default'
      ELSE concat_ws(', ',
        CASE WHEN u.upload >= :min_upload_bytes THEN 'data sent' END,
        CASE WHEN a.rare_port = 1 THEN 'new non-web port' END,
        CASE WHEN a.active_minutes >= :min_active_minutes THEN 'persistent' END)
    END AS reason
  FROM new_pairs AS n
  JOIN activity AS a ON a.src_ip = n.src_ip AND a.dst_ip = n.dst_ip
  JOIN uploads AS u ON u.src_ip = n.src_ip AND u.dst_ip = n.dst_ip
  JOIN prevalence AS v ON v.dst_ip = n.dst_ip
  JOIN ports AS p ON p.src_ip = n.src_ip AND p.dst_ip = n.dst_ip AND p.rank_by_use = 1
  WHERE n.device = 1
    OR (
      v.internal_hosts < :shared_hosts
      AND (u.upload >= :min_upload_bytes OR a.rare_port = 1 OR a.active_minutes >= :min_active_minutes)
    )
),
-- Hours in which the sensors delivered egress records at all, and for each candidate the number of
-- them in the lookback before its first contact: how long "never used" has been watched for.
data_hours AS (
  SELECT hour FROM history_rows
  UNION
  SELECT date_trunc('hour', start_time) FROM outbound
),
history AS (
  SELECT c.src_ip, c.dst_ip, count(d.hour) AS history_hours
  FROM candidates AS c
  LEFT JOIN data_hours AS d
    ON d.hour < date_trunc('hour', c.first_contact)
    AND d.hour >= c.first_contact - (:window_start - :baseline_start)
  GROUP BY c.src_ip, c.dst_ip
),
qualified AS (
  SELECT c.*, h.history_hours
  FROM candidates AS c
  JOIN history AS h ON h.src_ip = c.src_ip AND h.dst_ip = c.dst_ip
  WHERE c.active_minutes * h.history_hours >= -ln(:miss_probability)
),
-- One finding per new address, at most :max_per_host per host, with the count of all of them.
ranked AS (
  SELECT
    q.*,
    count(*) OVER (PARTITION BY q.src_ip) AS new_destinations,
    row_number() OVER (
      PARTITION BY q.src_ip ORDER BY q.rare_port DESC, q.active_minutes DESC, q.upload DESC, q.dst_ip
    ) AS rank_in_host
  FROM qualified AS q
)
SELECT
  src_ip, dst_ip, dst_port, protocol, src_zone,
  CASE WHEN device = 1 THEN 'medical-device' ELSE 'ephi' END AS zone_kind,
  concat(
    CASE protocol WHEN 6 THEN 'TCP' WHEN 17 THEN 'UDP' ELSE CAST(protocol AS VARCHAR) END,
    '/', coalesce(CAST(dst_port AS VARCHAR), '-')
  ) AS service,
  reason, new_destinations, history_hours, active_minutes,
  round(CAST(upload AS DOUBLE) / 1e3, 1) AS upload_kb,
  upload AS upload_bytes,
  internal_hosts,
  CASE WHEN device = 1 THEN 'high' ELSE 'medium' END AS severity,
  flow_count, first_seen, last_seen, raw_refs
FROM ranked
WHERE rank_in_host <= :max_per_host
