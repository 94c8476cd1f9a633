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
-- Everything below is window functions over the slots and what derives from them, never a join
-- back: Athena and Trino plan (and Athena bills) every reference to a WITH query anew, and each
-- reference here would read a week of flows again.
-- Each stream's deliveries in order: the slot before, the stream's last delivery, the latest
-- delivery of any source (silences are measured up to it, never to the window end), and the days
-- before the window on which the stream delivered (its history).
ordered AS (
  SELECT
    source_type, sensor, source, slot, first_start,
    lag(slot) OVER (PARTITION BY source_type, sensor, source ORDER BY slot) AS previous_slot,
    lag(last_start) OVER (PARTITION BY source_type, sensor, source ORDER BY slot)
      AS previous_last_start,
    max(slot) OVER (PARTITION BY source_type, sensor, source) AS stream_last_slot,
    max(last_start) OVER (PARTITION BY source_type, sensor, source) AS stream_last_record,
    max(slot) OVER () AS horizon_slot,
    sum(CASE WHEN slot * 300 < to_unixtime(:window_start) AND slot_of_day = 1 THEN 1 ELSE 0 END)
      OVER (PARTITION BY source_type, sensor, source) AS history_days
  FROM (
    SELECT
      slots.*,
      row_number() OVER (
        PARTITION BY source_type, sensor, source, floor(slot / 288.0) ORDER BY slot
      ) AS slot_of_day
    FROM slots
  ) AS numbered
),
-- Runs of empty slots between two deliveries, and after a stream's last delivery up to the latest
-- delivery of any stream.
runs AS (
  SELECT
    source_type, sensor, source, first_slot, last_slot, silent_since, resumed_at, ongoing,
    history_days, last_slot - first_slot + 1 AS empty_slots,
    -- Hours of day (0-23) the run touches; a run of a day or more touches every hour.
    CAST(floor(mod(first_slot, 288) / 12.0) AS INTEGER) AS first_hour,
    CAST(floor(mod(last_slot, 288) / 12.0) AS INTEGER) AS last_hour
  FROM (
    SELECT
      o.source_type, o.sensor, o.source, o.history_days,
      CASE k.kind WHEN 'between' THEN o.previous_slot + 1 ELSE o.slot + 1 END AS first_slot,
      CASE k.kind WHEN 'between' THEN o.slot - 1 ELSE o.horizon_slot END AS last_slot,
      CASE k.kind WHEN 'between' THEN o.previous_last_start ELSE o.stream_last_record END
        AS silent_since,
      CASE k.kind WHEN 'between' THEN o.first_start END AS resumed_at,
      k.kind = 'after' AS ongoing
    FROM ordered AS o
    CROSS JOIN (VALUES ('between'), ('after')) AS k (kind)
    WHERE (k.kind = 'between' AND o.slot - o.previous_slot > 1)
      OR (k.kind = 'after' AND o.slot = o.stream_last_slot AND o.slot < o.horizon_slot)
  ) AS gaps
),
-- The longest other quiet run of the same stream, over all of them and hour by hour: the two
-- longest runs of the stream, and of each hour of day the stream's runs touch.
stream_ranked AS (
  SELECT
    r.*,
    max(CASE WHEN stream_rank = 1 THEN first_slot END) OVER stream_runs AS longest_first_slot,
    max(CASE WHEN stream_rank = 1 THEN empty_slots END) OVER stream_runs AS longest_slots,
    max(CASE WHEN stream_rank = 2 THEN empty_slots END) OVER stream_runs AS second_longest_slots
  FROM (
    SELECT
      runs.*,
      row_number() OVER (
        PARTITION BY source_type, sensor, source ORDER BY empty_slots DESC, first_slot
      ) AS stream_rank
    FROM runs
  ) AS r
  WINDOW stream_runs AS (PARTITION BY source_type, sensor, source)
),
run_hours AS (
  SELECT
    t.*,
    max(CASE WHEN hour_rank = 1 THEN first_slot END) OVER hour_runs AS hour_longest_first_slot,
    max(CASE WHEN hour_rank = 1 THEN empty_slots END) OVER hour_runs AS hour_longest_slots,
    max(CASE WHEN hour_rank = 2 THEN empty_slots END) OVER hour_runs AS hour_second_longest_slots
  FROM (
    SELECT
      r.*, h.hour_of_day,
      row_number() OVER (
        PARTITION BY r.source_type, r.sensor, r.source, h.hour_of_day
        ORDER BY r.empty_slots DESC, r.first_slot
      ) AS hour_rank
    FROM stream_ranked AS r
    CROSS JOIN (
      VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12), (13), (14), (15),
        (16), (17), (18), (19), (20), (21), (22), (23)
    ) AS h (hour_of_day)
    WHERE r.empty_slots >= 288
      OR (r.first_hour <= r.last_hour AND h.hour_of_day BETWEEN r.first_hour AND r.last_hour)
      OR (r.first_hour > r.last_hour
        AND (h.hour_of_day >= r.first_hour OR h.hour_of_day <= r.last_hour))
  ) AS t
  WINDOW hour_runs AS (PARTITION BY source_type, sensor, source, hour_of_day)
),
-- Compared with the longest other quiet run of the stream at the same hours of day (two runs
-- share an hour when either starts inside the other, or one lasts a day or more) once there is
-- enough history, with any other run before that.
compared AS (
  SELECT
    source_type, sensor, source, first_slot, last_slot, silent_since, resumed_at, ongoing,
    empty_slots,
    coalesce(
      CASE
        WHEN history_days < :min_history_days THEN
          CASE WHEN longest_first_slot = first_slot THEN second_longest_slots ELSE longest_slots END
        ELSE max(CASE
          WHEN hour_longest_first_slot = first_slot THEN hour_second_longest_slots
          ELSE hour_longest_slots
        END)
      END,
      0
    ) AS usual_quiet_slots
  FROM run_hours
  GROUP BY
    source_type, sensor, source, first_slot, last_slot, silent_since, resumed_at, ongoing,
    empty_slots, history_days, longest_first_slot, longest_slots, second_longest_slots
)
SELECT
  source_type, sensor, source,
  -- The stream and where its silence began: two silences in one window are two findings, and a
  -- silence still going on keeps its id when a later run sees it end.
  concat_ws(' ', source_type, sensor, source, CAST(first_slot AS VARCHAR)) AS entity_key,
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
