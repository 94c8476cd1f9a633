/** A value in a query result row, decoded to plain JavaScript. */
export type SqlValue = string | number | boolean | null | Date | readonly SqlValue[];

/** One result row, by column name. */
export type SqlRow = Readonly<Record<string, SqlValue>>;

/**
 * The port every query goes through: DuckDB embedded locally, Athena in the cloud. Queries are in
 * Athena's dialect (Trino); an adapter makes them run unchanged on its engine.
 */
export interface QueryEngine {
  /**
   * Which engine answers (Trino stands in for Athena in the integration tier); for messages and
   * engine-specific setup only, never for SQL branches.
   */
  readonly name: 'duckdb' | 'athena' | 'trino';
  /** Runs a statement that returns rows; every row is decoded (BIGINT → number, TIMESTAMP → Date). */
  query(sql: string): Promise<SqlRow[]>;
  /** Runs a statement for its effect (DDL, INSERT, COPY). */
  execute(sql: string): Promise<void>;
  /** Releases the engine's resources. */
  close(): Promise<void>;
}
