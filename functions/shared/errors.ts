/**
 * Base class of every error wardflow raises on purpose. Messages say what was expected and what
 * was seen, so an operator can act on them without reading the code.
 */
export class WardflowError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    const cause = options?.cause;
    super(cause instanceof Error ? `${message}: ${cause.message}` : message, options);
    this.name = 'WardflowError';
  }
}

/** A flow record or a whole flow export could not be parsed. */
export class FlowParseError extends WardflowError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FlowParseError';
  }
}

/** The configuration file is invalid; the message names the key path. */
export class ConfigError extends WardflowError {
  /** Dotted key path of the offending value, e.g. `zones[2].cidrs[0]`. */
  public readonly path: string;

  public constructor(path: string, message: string, options?: ErrorOptions) {
    super(path === '' ? message : `${path}: ${message}`, options);
    this.name = 'ConfigError';
    this.path = path;
  }
}

/** The command line was used wrongly (unknown flag, missing argument, unreadable input). */
export class UsageError extends WardflowError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** Writing the Parquet lake failed. */
export class LakeWriteError extends WardflowError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LakeWriteError';
  }
}

/** A query failed on its engine; carries the engine's query id where it has one. */
export class QueryExecutionError extends WardflowError {
  /** Athena's QueryExecutionId, or null for engines without one. */
  public readonly queryId: string | null;

  public constructor(message: string, queryId: string | null = null, options?: ErrorOptions) {
    super(queryId === null ? message : `${message} (query ${queryId})`, options);
    this.name = 'QueryExecutionError';
    this.queryId = queryId;
  }
}
