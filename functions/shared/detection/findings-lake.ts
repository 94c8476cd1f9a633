import type { LakeStore } from '../lake/lake-store.js';
import type { Finding } from './finding.js';
import type { DetectionRunResult } from './runner.js';

/** A stored finding: the native JSON plus its status, for the `findings` table auditors query. */
export interface StoredFinding extends Finding {
  /** `new` for findings raised; `suppressed` for allowlisted ones, kept for the audit trail. */
  readonly status: 'new' | 'suppressed';
  /** The allowlist entry's reason, for suppressed findings. */
  readonly suppression_reason: string | null;
}

/** Lake path of one (detection, window)'s findings. */
export function findingsPath(detectionId: string, windowStart: Date): string {
  const iso = windowStart.toISOString();
  const stamp = iso.replaceAll(/[-:]/g, '').slice(0, 13);
  return `findings/dt=${iso.slice(0, 10)}/detection_id=${detectionId}/${stamp}.jsonl`;
}

/** Lake path of one (detection, window)'s evidence rows. */
export function evidencePath(detectionId: string, windowStart: Date): string {
  return findingsPath(detectionId, windowStart).replace(/^findings\//, 'evidence/');
}

/**
 * Writes a run's findings (and the allowlisted ones, as `suppressed`) to the lake as JSON lines,
 * one file per detection and window, plus one evidence row per raw reference. A window that ran
 * again replaces its file, and a window that now has no findings loses it, so repeated or
 * overlapping runs never duplicate a finding.
 */
export async function writeFindingsToLake(
  store: LakeStore,
  result: DetectionRunResult,
): Promise<number> {
  const byFile = new Map<string, StoredFinding[]>();
  const stored: StoredFinding[] = [
    ...result.findings.map((f) => ({ ...f, status: 'new' as const, suppression_reason: null })),
    ...result.suppressed.map(({ finding, reason }) => ({
      ...finding,
      status: 'suppressed' as const,
      suppression_reason: reason,
    })),
  ];
  for (const finding of stored) {
    const path = findingsPath(finding.detection_id, new Date(finding.window_start));
    const list = byFile.get(path) ?? [];
    list.push(finding);
    byFile.set(path, list);
  }
  for (const { detection_id, window } of result.windows) {
    const path = findingsPath(detection_id, window.start);
    const findings = (byFile.get(path) ?? []).sort((a, b) =>
      a.finding_id.localeCompare(b.finding_id),
    );
    if (findings.length === 0) {
      await store.remove(path);
      await store.remove(evidencePath(detection_id, window.start));
      continue;
    }
    await store.writeText(path, findings.map((f) => `${JSON.stringify(f)}\n`).join(''));
    const evidence = findings.flatMap((f) =>
      f.evidence.raw_refs.map(
        (raw_ref) => `${JSON.stringify({ finding_id: f.finding_id, raw_ref })}\n`,
      ),
    );
    await store.writeText(evidencePath(detection_id, window.start), evidence.join(''));
  }
  return stored.length;
}
