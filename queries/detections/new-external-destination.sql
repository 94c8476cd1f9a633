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
-- Every use of an external address, the lookback's hourly rows and the window's records in one
-- relation, with what each finding needs computed by window functions over it: Athena and Trino
-- plan (and Athena bills) every reference to a WITH query anew, so the flows and the rollup are
-- each read once here, and once more for the data hours.
uses AS (
  SELECT
    u.*,
    -- The address each host first opened sessions to on a port and protocol, lookback and window:
    -- a non-web port first used with a new address is a port the host never used outside.
    first_value(dst_ip) OVER (
      PARTITION BY src_ip, dst_port, protocol, in_scope ORDER BY first_use, dst_ip
    ) AS port_first_destination,
    row_number() OVER (PARTITION BY dst_ip, src_ip ORDER BY first_use) AS use_of_pair
  FROM (
    SELECT all_uses.*, src_zone IN (SELECT zone FROM scope) AS in_scope
    FROM (
      SELECT
        src_ip, dst_ip, dst_port, protocol, src_zone, hour, first_seen AS first_use,
        last_seen AS last_use, false AS in_window, CAST(NULL AS TIMESTAMP) AS start_time,
        CAST(NULL AS VARCHAR) AS raw_ref, CAST(NULL AS VARCHAR) AS source_type,
        CAST(NULL AS VARCHAR) AS sensor, CAST(0 AS BIGINT) AS upload
      FROM history_rows
      UNION ALL
      SELECT
        src_ip, dst_ip, dst_port, protocol, src_zone, date_trunc('hour', start_time), start_time,
        start_time, true, start_time, raw_ref, source_type, sensor, upload
      FROM outbound
    ) AS all_uses
  ) AS u
),
-- Per host and address: the last use in the lookback (in a zone in scope), the first contact in
-- the window, and the prevalence of the address: internal hosts of any zone that opened sessions
-- to it, lookback and window (an address many hosts use, an update or cloud service, is not a
-- first-seen destination).
pair_uses AS (
  SELECT
    u.*,
    max(CASE WHEN NOT in_window AND in_scope THEN last_use END)
      OVER (PARTITION BY src_ip, dst_ip) AS last_contact,
    min(CASE WHEN in_window AND in_scope THEN start_time END)
      OVER (PARTITION BY src_ip, dst_ip) AS first_contact,
    sum(CASE WHEN use_of_pair = 1 THEN 1 ELSE 0 END) OVER (PARTITION BY dst_ip) AS internal_hosts
  FROM uses AS u
),
-- The window's records of pairs the host did not use in the lookback before the first contact,
-- with the upload per vantage point and the use of each port in the pair.
new_pair_records AS (
  SELECT
    p.*,
    s.device,
    sum(p.upload) OVER (PARTITION BY p.src_ip, p.dst_ip, p.source_type, p.sensor) AS vantage_upload,
    count(*) OVER (PARTITION BY p.src_ip, p.dst_ip, p.dst_port, p.protocol) AS port_uses
  FROM pair_uses AS p
  JOIN scope AS s ON s.zone = p.src_zone
  WHERE p.in_window
    AND (p.last_contact IS NULL
      OR p.last_contact < p.first_contact - (:window_start - :baseline_start))
),
-- What each new pair did in the window: its contact rate (distinct active minutes in the hour
-- after the first contact), whether it used a non-web port the host never used outside before,
-- the upload (the largest view when several sensors saw it), and the port shown (a non-web one if
-- any, else the most used).
activity AS (
  SELECT
    src_ip, dst_ip, max(device) AS device, max(src_zone) AS src_zone, first_contact,
    internal_hosts,
    count(DISTINCT CASE
      WHEN start_time < first_contact + INTERVAL '1' HOUR THEN date_trunc('minute', start_time)
    END) AS active_minutes,
    max(CASE
      WHEN protocol IN (6, 17) AND dst_port IN (80, 443) THEN 0
      WHEN port_first_destination = dst_ip THEN 1
      ELSE 0
    END) AS rare_port,
    max(vantage_upload) AS upload,
    max(CASE WHEN port_rank = 1 THEN dst_port END) AS dst_port,
    max(CASE WHEN port_rank = 1 THEN protocol END) AS protocol,
    count(*) AS flow_count,
    min(start_time) AS first_seen,
    max(start_time) AS last_seen,
    slice(array_agg(raw_ref ORDER BY start_time, raw_ref), 1, 20) AS raw_refs
  FROM (
    SELECT
      r.*,
      row_number() OVER (
        PARTITION BY src_ip, dst_ip
        ORDER BY CASE WHEN protocol IN (6, 17) AND dst_port IN (80, 443) THEN 1 ELSE 0 END,
          port_uses DESC, dst_port, protocol
      ) AS port_rank
    FROM new_pair_records AS r
  ) AS ranked_records
  GROUP BY src_ip, dst_ip, first_contact, internal_hosts
),
-- New pairs that carry risk, before the history test: every pair of a medical-device host; in
-- ePHI zones, data sent, a non-web port new to the host, or beacon-like persistence, to an
-- address that is not shared.
candidates AS (
  SELECT
    a.*,
    CASE
      WHEN device = 1 THEN 'medical device, deny by default'
      ELSE concat_ws(', ',
        CASE WHEN upload >= :min_upload_bytes THEN 'data sent' END,
        CASE WHEN rare_port = 1 THEN 'new non-web port' END,
        CASE WHEN active_minutes >= :min_active_minutes THEN 'persistent' END)
    END AS reason
  FROM activity AS a
  WHERE device = 1
    OR (
      internal_hosts < :shared_hosts
      AND (upload >= :min_upload_bytes OR rare_port = 1 OR active_minutes >= :min_active_minutes)
    )
),
-- Hours in which the sensors delivered egress records at all, and for each candidate the number of
-- them in the lookback before its first contact: how long "never used" has been watched for.
data_hours AS (
  SELECT hour FROM history_rows
  UNION
  SELECT date_trunc('hour', start_time) FROM outbound
),
qualified AS (
  SELECT
    c.src_ip, c.dst_ip, c.device, c.src_zone, c.first_contact, c.internal_hosts,
    c.active_minutes, c.rare_port, c.upload, c.dst_port, c.protocol, c.flow_count, c.first_seen,
    c.last_seen, arbitrary(c.raw_refs) AS raw_refs, c.reason, count(d.hour) AS history_hours
  FROM candidates AS c
  LEFT JOIN data_hours AS d
    ON d.hour < date_trunc('hour', c.first_contact)
    AND d.hour >= c.first_contact - (:window_start - :baseline_start)
  GROUP BY
    c.src_ip, c.dst_ip, c.device, c.src_zone, c.first_contact, c.internal_hosts,
    c.active_minutes, c.rare_port, c.upload, c.dst_port, c.protocol, c.flow_count, c.first_seen,
    c.last_seen, c.reason
  HAVING c.active_minutes * count(d.hour) >= -ln(:miss_probability)
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
