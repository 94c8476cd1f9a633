-- id: evidence
-- title: The raw records behind each finding, one row per raw reference
-- description: For each finding, the object key (or file) and line of every flow record kept as its
--   evidence (capped per finding), so an auditor can go from a finding to the raw export it came
--   from. Same layout and replacement rules as `findings`.
CREATE EXTERNAL TABLE IF NOT EXISTS evidence (
  finding_id string,
  raw_ref string
)
PARTITIONED BY (dt string, detection_id string)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
LOCATION '{{lake_location}}evidence/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '1970-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'projection.detection_id.type' = 'enum',
  'projection.detection_id.values' = 'egress-volume-anomaly,port-scan-horizontal,port-scan-vertical,lateral-movement,beaconing,long-connection,brute-force,unusual-port,new-external-destination,segmentation-violation,cleartext-phi-protocol,threat-intel-match,device-behavior-drift,source-silence',
  'storage.location.template' = '{{lake_location}}evidence/dt=${dt}/detection_id=${detection_id}/'
)
