-- id: source-silence
-- title: A flow source stops delivering records
-- severity: medium
-- mitre: T1562.008, T1562.001
-- hipaa: 164.312(b), 164.308(a)(1)(ii)(D), 164.308(a)(7)(i)
-- params: min_silence_minutes=30, silence_factor=2, min_history_days=3
-- window: 24h
-- lookback: 7d
-- based-on: Data-source health monitoring (Azure Sentinel "data connector stopped sending",
--   Splunk "data source has stopped reporting"; detection-algorithms.md §10: flow logs arrive late,
--   are best effort and have SKIPDATA gaps), with the usual cadence learned per source from its
--   own history: its 5-minute delivery slots (the rotation of nfcapd, Zeek and VPC files) form
--   runs of empty slots, and a run is a silence when it lasts min_silence_minutes and more than
--   silence_factor times the longest other quiet run of the same source. Once the lookback holds
--   min_history_days days before the window, only quiet runs at the same hours of day count, so
--   a busy sensor is flagged after 30 minutes at night too, while a small site that is quiet every
--   night is not; with less history any quiet run of the source counts (a bursty sensor's quiet
--   spells are not silences; a first night of a small site may be).
-- finding: {source_type} source {source} ({sensor}) delivered nothing for {silent_minutes} minutes
-- summary: Flow source {source} ({source_type}, sensor {sensor}) delivered no records for {silent_minutes} minutes while other sources kept delivering (its longest other quiet spell: {usual_quiet_minutes} minutes); detections are blind to what it observes. Check the exporter or sensor, the collector and the delivery path (S3 prefix, queue), and treat an unexplained stop as possible tampering.
-- description: Groups records by delivery stream: source type, sensor site, and the object's
--   folder (the raw_ref path without the file name and date folders, e.g.
--   onprem/<site>/nfdump/<exporter> or one VPC flow log's prefix). Finds runs of empty 5-minute
--   slots between deliveries, and after the last one up to the latest delivery of any source (the
--   end of the data is not a silence), compares each run with the stream's other runs, and
--   reports runs that overlap the window. Entities are null: the source is in the metrics.
-- runbook: Check the sensor or exporter (power, process, disk), the collector and the upload path;
--   confirm no change window explains it; if none does, treat it as possible tampering (T1562):
--   review admin access to the sensor and what the unobserved segments did in other sources.
WITH files AS (
  -- One row per delivered object and slot; raw_ref is "<object>:<line>" (an s3:// scheme or a
  -- drive letter puts a colon before the object).
  SELECT
    source_type, sensor,
    CASE
      WHEN strpos(raw_ref, '://') > 0 OR substr(raw_ref, 2, 1) = ':'
        THEN split_part(raw_ref, ':', 2)
      ELSE split_part(raw_ref, ':', 1)
    END AS object_ref,
    CAST(floor(to_unixtime(start_time) / 300) AS BIGINT) AS slot,
    count(*) AS records,
    min(start_time) AS first_start, max(start_time) AS last_start
  FROM flows
  WHERE dt BETWEEN :baseline_dt_start AND :window_dt_end
    AND start_time >= :baseline_start AND start_time < :window_end
  GROUP BY
    source_type, sensor,
    CASE
      WHEN strpos(raw_ref, '://') > 0 OR substr(raw_ref, 2, 1) = ':'
        THEN split_part(raw_ref, ':', 2)
      ELSE split_part(raw_ref, ':', 1)
    END,
    CAST(floor(to_unixtime(start_time) / 300) AS BIGINT)
),
slots AS (
  -- Delivery streams: VPC sensors are "<vpc or account:region>/<eni>", the stream is the flow log.
  SELECT
    source_type,
    CASE WHEN source_type = 'vpc' THEN split_part(sensor, '/', 1) ELSE sensor END AS sensor,
    regexp_extract(object_ref, '^(.*?)(?:(?:/[0-9]{4}[/-][0-9]{2}[/-][0-9]{2})?/[^/]*)?$', 1)
      AS source,
    slot, sum(records) AS records, min(first_start) AS first_start, max(last_start) AS last_start
  FROM files
  GROUP BY
    source_type,
    CASE WHEN source_type = 'vpc' THEN split_part(sensor, '/', 1) ELSE sensor END,
    regexp_extract(object_ref, '^(.*?)(?:(?:/[0-9]{4}[/-][0-9]{2}[/-][0-9]{2})?/[^/]*)?$', 1),
    slot
),
horizon AS (
  -- The latest delivery of any source: silences are measured up to it, never to the window end.
  SELECT max(slot) AS last_slot FROM slots
),
streams AS (
  SELECT
    s.source_type, s.sensor, s.source,
    min(s.slot) AS first_slot, max(s.slot) AS last_slot, max(s.last_start) AS last_record,
    -- Days before the window on which the stream delivered: its history.
    count(DISTINCT CASE
      WHEN s.slot * 300 < to_unixtime(:window_start) THEN floor(s.slot / 288.0)
    END) AS history_days
  FROM slots s
  GROUP BY s.source_type, s.sensor, s.source
),
gaps AS (
  -- Runs of empty slots between two deliveries ...
  SELECT
    source_type, sensor, source,
    previous_slot + 1 AS first_slot, slot - 1 AS last_slot,
    previous_last_start AS silent_since, first_start AS resumed_at, FALSE AS ongoing
  FROM (
    SELECT
      source_type, sensor, source, slot, first_start,
      lag(slot) OVER (PARTITION BY source_type, sensor, source ORDER BY slot) AS previous_slot,
      lag(last_start) OVER (PARTITION BY source_type, sensor, source ORDER BY slot)
        AS previous_last_start
    FROM slots
  ) ordered
  WHERE slot - previous_slot > 1
  UNION ALL
  -- ... and after a stream's last delivery, up to the latest delivery of any stream.
  SELECT
    st.source_type, st.sensor, st.source,
    st.last_slot + 1 AS first_slot, h.last_slot AS last_slot,
    st.last_record AS silent_since, CAST(NULL AS TIMESTAMP) AS resumed_at, TRUE AS ongoing
  FROM streams st
  CROSS JOIN horizon h
  WHERE st.last_slot < h.last_slot
),
runs AS (
  SELECT
    g.source_type, g.sensor, g.source, g.first_slot, g.last_slot, g.silent_since, g.resumed_at,
    g.ongoing, g.last_slot - g.first_slot + 1 AS empty_slots,
    -- Hours of day (0-23) the run touches; a run of a day or more touches every hour.
    CAST(floor(mod(g.first_slot, 288) / 12.0) AS INTEGER) AS first_hour,
    CAST(floor(mod(g.last_slot, 288) / 12.0) AS INTEGER) AS last_hour,
    st.history_days
  FROM gaps g
  JOIN streams st
    ON st.source_type = g.source_type AND st.sensor = g.sensor AND st.source = g.source
),
compared AS (
  -- The longest other quiet run of the same stream: at the same hours of day once there is
  -- enough history, anywhere before that.
  SELECT
    r.source_type, r.sensor, r.source, r.first_slot, r.last_slot, r.silent_since, r.resumed_at,
    r.ongoing, r.empty_slots,
    coalesce(max(o.empty_slots), 0) AS usual_quiet_slots
  FROM runs r
  LEFT JOIN runs o
    ON o.source_type = r.source_type AND o.sensor = r.sensor AND o.source = r.source
    AND o.first_slot <> r.first_slot
    AND (
      r.history_days < :min_history_days
      OR r.empty_slots >= 288 OR o.empty_slots >= 288
      -- Circular hour ranges overlap when either starts inside the other.
      OR (r.first_hour <= r.last_hour AND o.first_hour BETWEEN r.first_hour AND r.last_hour)
      OR (r.first_hour > r.last_hour
        AND (o.first_hour >= r.first_hour OR o.first_hour <= r.last_hour))
      OR (o.first_hour <= o.last_hour AND r.first_hour BETWEEN o.first_hour AND o.last_hour)
      OR (o.first_hour > o.last_hour
        AND (r.first_hour >= o.first_hour OR r.first_hour <= o.last_hour))
    )
  GROUP BY
    r.source_type, r.sensor, r.source, r.first_slot, r.last_slot, r.silent_since, r.resumed_at,
    r.ongoing, r.empty_slots
)
SELECT
  source_type, sensor, source,
  CAST(empty_slots * 5 AS BIGINT) AS silent_minutes,
  CAST(usual_quiet_slots * 5 AS BIGINT) AS usual_quiet_minutes,
  ongoing,
  CASE WHEN ongoing THEN 'high' ELSE 'medium' END AS severity,
  silent_since AS first_seen, resumed_at AS last_seen, 0 AS flow_count
FROM compared
WHERE empty_slots * 5 >= :min_silence_minutes
  AND empty_slots > :silence_factor * usual_quiet_slots
  -- Silences that overlap the window.
  AND (last_slot + 1) * 300 > to_unixtime(:window_start)
  AND first_slot * 300 < to_unixtime(:window_end)
