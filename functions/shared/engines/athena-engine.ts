import {
  type AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type GetQueryResultsCommandOutput,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { QueryExecutionError } from '../errors.js';
import type { QueryEngine, SqlRow, SqlValue } from './query-engine.js';

/** Options of {@link AthenaEngine}. */
export interface AthenaEngineOptions {
  readonly client: AthenaClient;
  /** The workgroup every query runs in; its enforced settings decide result location and encryption. */
  readonly workGroup: string;
  /** Glue database holding `flows`, `findings` and the baselines. */
  readonly database: string;
  /**
   * Data catalog.
   * @default 'AwsDataCatalog'
   */
  readonly catalog?: string;
  /**
   * Overall time a query may take before it is stopped and reported as failed.
   * @default 600000 (10 minutes)
   */
  readonly timeoutMs?: number;
  /**
   * First wait between status polls; doubles up to `maxPollMs`.
   * @default 250
   */
  readonly initialPollMs?: number;
  /** @default 5000 */
  readonly maxPollMs?: number;
  /**
   * How often a throttled call is retried (with exponential backoff) before the query fails.
   * @default 8
   */
  readonly maxThrottleRetries?: number;
  /** Waits; replaced in tests. @default - a real timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The current time in ms; replaced in tests. @default Date.now */
  readonly now?: () => number;
}

/** Athena returns at most this many rows per GetQueryResults page. */
export const ATHENA_PAGE_SIZE = 1000;

const THROTTLING = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
]);

function isThrottling(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (THROTTLING.has(error.name)) return true;
  // Athena reports its own rate limit as InvalidRequestException with this error code.
  const code = (error as { AthenaErrorCode?: string }).AthenaErrorCode;
  return code === 'TOO_MANY_REQUESTS' || /rate exceeded|too many/i.test(error.message);
}

/**
 * The cloud query engine: Athena (engine v3, Trino). A query is started in the workgroup, polled
 * with growing intervals, stopped when it exceeds the timeout, and its results read page by page
 * (1,000 rows) and decoded by the column types Athena reports. Throttled calls are retried; a
 * failed query surfaces with its QueryExecutionId and Athena's reason.
 */
export class AthenaEngine implements QueryEngine {
  public readonly name = 'athena' as const;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  public constructor(private readonly options: AthenaEngineOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
  }

  public async query(sql: string): Promise<SqlRow[]> {
    const queryId = await this.run(sql);
    return this.results(queryId);
  }

  public async execute(sql: string): Promise<void> {
    await this.run(sql);
  }

  public async close(): Promise<void> {
    // The SDK client belongs to the caller.
  }

  /** Starts a query and waits until it succeeded; returns its id. */
  private async run(sql: string): Promise<string> {
    const { client, workGroup, database } = this.options;
    const started = await this.withRetry(() =>
      client.send(
        new StartQueryExecutionCommand({
          QueryString: sql,
          WorkGroup: workGroup,
          QueryExecutionContext: {
            Database: database,
            Catalog: this.options.catalog ?? 'AwsDataCatalog',
          },
        }),
      ),
    );
    const queryId = started.QueryExecutionId;
    if (queryId === undefined) throw new QueryExecutionError('Athena returned no QueryExecutionId');
    const deadline = this.now() + (this.options.timeoutMs ?? 600_000);
    let wait = this.options.initialPollMs ?? 250;
    for (;;) {
      const status = await this.withRetry(
        () => client.send(new GetQueryExecutionCommand({ QueryExecutionId: queryId })),
        queryId,
      );
      const state = status.QueryExecution?.Status?.State;
      if (state === 'SUCCEEDED') return queryId;
      if (state === 'FAILED' || state === 'CANCELLED') {
        const reason = status.QueryExecution?.Status?.StateChangeReason ?? 'no reason given';
        throw new QueryExecutionError(`Athena query ${state.toLowerCase()}: ${reason}`, queryId);
      }
      if (this.now() + wait > deadline) {
        await this.withRetry(
          () => client.send(new StopQueryExecutionCommand({ QueryExecutionId: queryId })),
          queryId,
        );
        throw new QueryExecutionError(
          `Athena query still ${state ?? 'unknown'} after ${this.options.timeoutMs ?? 600_000} ms; stopped it`,
          queryId,
        );
      }
      await this.sleep(wait);
      wait = Math.min(wait * 2, this.options.maxPollMs ?? 5_000);
    }
  }

  /**
   * Reads every page of a finished query's results, decoded by the column types Athena reports.
   * Also for queries started elsewhere (a Step Functions Athena task) that have succeeded.
   *
   * @param queryId the QueryExecutionId of a query in the SUCCEEDED state
   * @throws QueryExecutionError when Athena fails the call or keeps throttling it
   */
  public async results(queryId: string): Promise<SqlRow[]> {
    const rows: SqlRow[] = [];
    let token: string | undefined;
    let columns: { name: string; type: string }[] | undefined;
    let first = true;
    do {
      const page: GetQueryResultsCommandOutput = await this.withRetry(
        () =>
          this.options.client.send(
            new GetQueryResultsCommand({
              QueryExecutionId: queryId,
              NextToken: token,
              MaxResults: ATHENA_PAGE_SIZE,
            }),
          ),
        queryId,
      );
      columns ??= (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => ({
        name: c.Name ?? '',
        type: (c.Type ?? 'varchar').toLowerCase(),
      }));
      const data = page.ResultSet?.Rows ?? [];
      // The first row of a SELECT's first page repeats the column names.
      for (const row of first ? data.slice(1) : data) {
        const out: Record<string, SqlValue> = {};
        (row.Data ?? []).forEach((datum, i) => {
          const column = columns?.[i];
          if (column !== undefined)
            out[column.name] = decodeAthenaValue(datum.VarCharValue, column.type);
        });
        rows.push(out);
      }
      first = false;
      token = page.NextToken;
    } while (token !== undefined);
    return rows;
  }

  /** Retries a call while Athena throttles it, with exponential backoff. */
  private async withRetry<T>(call: () => Promise<T>, queryId: string | null = null): Promise<T> {
    const limit = this.options.maxThrottleRetries ?? 8;
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (!isThrottling(error)) {
          if (error instanceof QueryExecutionError) throw error;
          throw new QueryExecutionError('Athena call failed', queryId, { cause: error });
        }
        if (attempt >= limit) {
          throw new QueryExecutionError(`Athena kept throttling after ${limit} retries`, queryId, {
            cause: error,
          });
        }
        await this.sleep(Math.min(200 * 2 ** attempt, 10_000));
      }
    }
  }
}

/**
 * Decodes one Athena result value by its column type. Athena returns every value as text; arrays
 * come as `[a, b]` (elements split on `, `, which values holding ", " would confuse), timestamps as
 * `YYYY-MM-DD HH:MM:SS.mmm` in UTC.
 */
export function decodeAthenaValue(text: string | undefined, type: string): SqlValue {
  if (text === undefined) return null;
  if (type.startsWith('array')) {
    const inner = text.replace(/^\[/, '').replace(/\]$/, '');
    if (inner === '') return [];
    const element = /^array\((.*)\)$/.exec(type)?.[1] ?? 'varchar';
    return inner.split(', ').map((item) => decodeAthenaValue(item, element));
  }
  switch (type) {
    case 'boolean':
      return text === 'true';
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'bigint':
    case 'double':
    case 'float':
    case 'real':
      return Number(text);
    default:
      if (type.startsWith('decimal')) return Number(text);
      if (type.startsWith('timestamp')) return new Date(`${text.slice(0, 23).replace(' ', 'T')}Z`);
      return text;
  }
}
