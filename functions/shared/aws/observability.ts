import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS } from '../deployment-contract.js';
import type { SourceType } from '../flow-record.js';
import type { IngestCounts } from './normalize-batch.js';

/**
 * The `service` of every handler's logs and metrics. Powertools puts it on every metric as a
 * dimension, so alarms select `{ service: 'wardflow' }` (plus `source_type` on the ingest counts).
 */
export const SERVICE_NAME = METRICS.namespace;

/** A Powertools logger for a handler; level from `POWERTOOLS_LOG_LEVEL` or Lambda's log level. */
export function createLogger(): Logger {
  return new Logger({ serviceName: SERVICE_NAME });
}

/** A Powertools metrics buffer in the contract's namespace, flushed by the middy middleware. */
export function createMetrics(): Metrics {
  return new Metrics({ namespace: METRICS.namespace, serviceName: SERVICE_NAME });
}

/**
 * Emits the ingest counts of one batch per source type (dimension `source_type`). Each metric
 * goes out as its own EMF record, since Powertools clears a single metric's dimensions when it
 * flushes.
 */
export function publishIngestCounts(
  metrics: Metrics,
  bySourceType: Partial<Record<SourceType, IngestCounts>>,
): void {
  for (const [sourceType, counts] of Object.entries(bySourceType)) {
    const values: [string, number][] = [
      [METRICS.recordsIn, counts.records_in],
      [METRICS.recordsWritten, counts.records_written],
      [METRICS.recordsQuarantined, counts.records_quarantined],
      [METRICS.recordsSkipped, counts.records_skipped],
    ];
    for (const [name, value] of values) {
      metrics
        .singleMetric()
        .addDimension(METRICS.sourceTypeDimension, sourceType)
        .addMetric(name, MetricUnit.Count, value);
    }
  }
}
