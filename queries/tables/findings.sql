-- id: findings
-- title: Findings of every detection run, raised and suppressed, one JSON object per line
-- description: Written by `wardflow detect` and the detection state machine: one file per detection
--   and window under findings/dt=<window date>/detection_id=<id>/, replaced when the window runs
--   again. `status` is `new`, or `suppressed` with the allowlist's reason (kept for the audit
--   trail). Metrics vary per detection, so they are a map of strings.
CREATE EXTERNAL TABLE IF NOT EXISTS findings (
  finding_id string,
  title string,
  severity string,
  window_start string,
  window_end string,
  first_seen string,
  last_seen string,
  src_ip string,
  dst_ip string,
  dst_port int,
  protocol int,
  src_zone string,
  dst_zone string,
  metrics map<string, string>,
  mitre array<string>,
  hipaa array<string>,
  evidence struct<flow_count: bigint, raw_refs: array<string>>,
  summary string,
  status string,
  suppression_reason string
)
PARTITIONED BY (dt string, detection_id string)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
LOCATION '{{lake_location}}findings/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '1970-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'projection.detection_id.type' = 'enum',
  'projection.detection_id.values' = 'egress-volume-anomaly,port-scan-horizontal,port-scan-vertical,lateral-movement,beaconing,long-connection,brute-force,unusual-port,new-external-destination,segmentation-violation,cleartext-phi-protocol,threat-intel-match,device-behavior-drift,source-silence',
  'storage.location.template' = '{{lake_location}}findings/dt=${dt}/detection_id=${detection_id}/'
)
