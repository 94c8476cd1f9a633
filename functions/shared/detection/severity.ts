import { WardflowError } from '../errors.js';
import { SEVERITIES, type Severity } from './query-file.js';

/** Rank of a severity, 0 (informational) to 4 (critical). */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** Reads a severity name, as given to `--fail-on`. */
export function parseSeverity(text: string, what: string): Severity {
  if ((SEVERITIES as readonly string[]).includes(text)) return text as Severity;
  throw new WardflowError(
    `${what}: expected one of ${SEVERITIES.join(', ')}, got ${JSON.stringify(text)}`,
  );
}
