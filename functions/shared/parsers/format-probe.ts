import type { SourceType } from '../flow-record.js';
import type { LineParser, ParseContext } from './line-parser.js';

/** The verdict of one format probe on the first lines of an input. */
export type ProbeResult =
  /** The input is a flow export this module parses. */
  | {
      readonly kind: 'flows';
      readonly sourceType: SourceType;
      /** Short name of the variant, for the summary (`vpc-v2`, `zeek-tsv`, `nfdump-legacy-48`…). */
      readonly variant: string;
      readonly create: (context: ParseContext) => LineParser;
    }
  /** The input is recognised but holds no flows (a Zeek `dns.log`): skipped, never guessed at. */
  | { readonly kind: 'not-flows'; readonly reason: string };

/**
 * Looks at the first non-blank lines of a (decompressed) text input and says whether it is this
 * module's format. Returns null when the format is not this module's.
 */
export type FormatProbe = (head: readonly string[]) => ProbeResult | null;
