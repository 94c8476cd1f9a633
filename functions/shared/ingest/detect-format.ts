import type { SourceType } from '../flow-record.js';
import type { FormatProbe, ProbeResult } from '../parsers/format-probe.js';
import { probeGoflow2Json } from '../parsers/goflow2-json.js';
import { probeNfdumpCsv } from '../parsers/nfdump-csv.js';
import { probeVpcFlowLog } from '../parsers/vpc-flow-log.js';
import { probeZeekConnJson } from '../parsers/zeek-conn-json.js';
import { probeZeekConnTsv } from '../parsers/zeek-conn-tsv.js';

/** How many non-blank lines the probes see. */
export const PROBE_LINES = 20;

const PROBES: ReadonlyArray<readonly [SourceType, FormatProbe]> = [
  ['vpc', probeVpcFlowLog],
  ['zeek', probeZeekConnTsv],
  ['zeek', probeZeekConnJson],
  ['nfdump', probeNfdumpCsv],
  ['goflow2', probeGoflow2Json],
];

/** The verdict on an input whose format could not be recognised at all. */
export interface UnrecognisedFormat {
  readonly kind: 'unrecognised';
  readonly reason: string;
}

/**
 * Decides an input's format from its first non-blank lines (content, never the file name).
 * With `only`, just that source type's probes are tried (`--source-type`).
 */
export function detectFormat(
  head: readonly string[],
  only?: SourceType,
): ProbeResult | UnrecognisedFormat {
  if (head.length === 0) return { kind: 'unrecognised', reason: 'empty input' };
  for (const [sourceType, probe] of PROBES) {
    if (only !== undefined && sourceType !== only) continue;
    const result = probe(head);
    if (result !== null) return result;
  }
  const first = head[0] ?? '';
  const shown = first.length > 60 ? `${first.slice(0, 60)}…` : first;
  return {
    kind: 'unrecognised',
    reason: `not a recognised flow export${only ? ` of type ${only}` : ''} (first line: ${JSON.stringify(shown)})`,
  };
}
