-- id: findings-by-severity-status
-- title: Findings by severity, status and detection over a period
-- description: Security incident tracking for 164.308(a)(6)(ii) and the activity review of
--   164.308(a)(1)(ii)(D): how many findings each detection raised, at which severity, how many were
--   suppressed by the allowlist (with their reasons kept in the findings table), and the distinct
--   sources involved. Parameters: :period_dt_start, :period_dt_end.
SELECT
  severity,
  status,
  detection_id,
  count(*) AS findings,
  count(DISTINCT src_ip) AS sources,
  min(window_start) AS first_window,
  max(window_start) AS last_window
FROM findings
WHERE dt BETWEEN :period_dt_start AND :period_dt_end
GROUP BY severity, status, detection_id
ORDER BY
  CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END,
  status, detection_id
