import type { SqlRow } from '../engines/query-engine.js';
import type { QueryParamValue } from './query-file.js';
import { ritaBeaconScorer } from './scorers/rita-beacon.js';

/**
 * A post-processing step for detections whose published algorithm needs exact statistics that
 * SQL engines do not share (Tukey hinges, MAD over per-pair arrays): the query aggregates, the
 * scorer computes the score from the row and returns the row with its score columns added, or
 * null when the row does not qualify. Named in a query's header as `-- scorer: <name>`.
 */
export type RowScorer = (
  row: SqlRow,
  params: Readonly<Record<string, QueryParamValue>>,
) => SqlRow | null;

/** The scorers a query header may name. */
export const ROW_SCORERS: Readonly<Record<string, RowScorer>> = {
  'rita-beacon': ritaBeaconScorer,
};
