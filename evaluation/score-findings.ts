import type { Finding } from '../functions/shared/detection/finding.js';
import type { GroundTruth, GroundTruthAttack } from '../simulator/ground-truth.js';

/** Detection quality for one detection id against a ground truth. */
export interface DetectionScore {
  readonly detection_id: string;
  /** Attacks that list this detection. */
  readonly attacks: number;
  /** Of those, attacks found by at least one finding of this detection. */
  readonly detected: number;
  /** Findings of this detection. */
  readonly findings: number;
  /** Findings that match an attack listing this detection. */
  readonly true_positives: number;
  /** detected / attacks; null when no attack lists the detection. */
  readonly recall: number | null;
  /** true_positives / findings; null when the detection found nothing. */
  readonly precision: number | null;
}

/** Per attack: which detections caught it. */
export interface AttackOutcome {
  readonly attack: GroundTruthAttack;
  readonly caught_by: readonly string[];
  readonly missed_by: readonly string[];
}

/** The whole comparison of findings with what was injected. */
export interface Evaluation {
  readonly detections: readonly DetectionScore[];
  readonly attacks: readonly AttackOutcome[];
  /** Findings that match no attack (false alarms, or attacks of other detections). */
  readonly false_alarms: readonly Finding[];
}

function overlaps(finding: Finding, attack: GroundTruthAttack): boolean {
  const start = Date.parse(finding.first_seen ?? finding.window_start);
  const end = Date.parse(finding.last_seen ?? finding.window_end);
  return start < Date.parse(attack.window.end) && end >= Date.parse(attack.window.start);
}

/**
 * Whether a finding is about an attack: same detection listed, overlapping time, and the same
 * entity — the attack's source, or its destination for attacks whose source is outside
 * (inbound brute force); source silence matches on the silenced sensor.
 */
export function findingMatchesAttack(finding: Finding, attack: GroundTruthAttack): boolean {
  if (!attack.detections.includes(finding.detection_id) || !overlaps(finding, attack)) return false;
  const e = attack.entities;
  if (e.sensor !== undefined && e.src_ip === null && e.dst_ip === null) {
    return finding.metrics.sensor === e.sensor;
  }
  if (e.src_ip !== null && finding.src_ip === e.src_ip) return true;
  return e.src_ip === null && e.dst_ip !== null && finding.dst_ip === e.dst_ip;
}

/** Scores findings against the ground truth, per detection id and per attack. */
export function scoreFindings(
  findings: readonly Finding[],
  truth: GroundTruth,
  detectionIds: readonly string[],
): Evaluation {
  const detections = detectionIds.map((id): DetectionScore => {
    const attacks = truth.attacks.filter((a) => a.detections.includes(id));
    const own = findings.filter((f) => f.detection_id === id);
    const detected = attacks.filter((a) => own.some((f) => findingMatchesAttack(f, a))).length;
    const truePositives = own.filter((f) => attacks.some((a) => findingMatchesAttack(f, a))).length;
    return {
      detection_id: id,
      attacks: attacks.length,
      detected,
      findings: own.length,
      true_positives: truePositives,
      recall: attacks.length === 0 ? null : detected / attacks.length,
      precision: own.length === 0 ? null : truePositives / own.length,
    };
  });
  const attacks = truth.attacks.map((attack): AttackOutcome => {
    const caught = attack.detections.filter((id) =>
      findings.some((f) => f.detection_id === id && findingMatchesAttack(f, attack)),
    );
    return {
      attack,
      caught_by: caught,
      missed_by: attack.detections.filter((id) => !caught.includes(id)),
    };
  });
  const falseAlarms = findings.filter(
    (f) => !truth.attacks.some((a) => findingMatchesAttack(f, a)),
  );
  return { detections, attacks, false_alarms: falseAlarms };
}

function ratio(value: number | null): string {
  return value === null ? '   —' : value.toFixed(2);
}

/** The per-detection table printed by `npm run eval` and `wardflow demo`. */
export function renderDetectionScores(scores: readonly DetectionScore[]): string {
  const lines = [
    '| detection | attacks | detected | findings | true pos. | recall | precision |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...scores.map(
      (s) =>
        `| ${s.detection_id} | ${s.attacks} | ${s.detected} | ${s.findings} | ${s.true_positives} | ${ratio(s.recall)} | ${ratio(s.precision)} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
