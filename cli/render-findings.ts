import type { Finding } from '../functions/shared/detection/finding.js';
import { SEVERITIES } from '../functions/shared/detection/query-file.js';
import { severityRank } from '../functions/shared/detection/severity.js';

/** Findings most severe first, then in time order, for every output format. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      (a.first_seen ?? '').localeCompare(b.first_seen ?? '') ||
      a.finding_id.localeCompare(b.finding_id),
  );
}

/** The terminal table: one block per severity, one line per finding, then its summary. */
export function renderFindingsTable(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'No findings.\n';
  const lines: string[] = [];
  for (const severity of [...SEVERITIES].reverse()) {
    const group = findings.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    lines.push(`${severity.toUpperCase()} (${group.length})`);
    for (const f of group) {
      const when = f.first_seen ? f.first_seen.replace('T', ' ').slice(0, 19) : '';
      lines.push(`  ${when}  ${f.detection_id.padEnd(26)} ${f.title}`);
      lines.push(`      ${f.summary}`);
    }
    lines.push('');
  }
  const counts = SEVERITIES.map(
    (s) => [s, findings.filter((f) => f.severity === s).length] as const,
  )
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  lines.push(`${findings.length} finding(s): ${counts.join(', ')}`);
  return `${lines.join('\n')}\n`;
}
