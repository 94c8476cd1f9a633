import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { QueryExecutionError } from '../errors.js';
import type { QueryEngine, SqlRow, SqlValue } from './query-engine.js';
import { TRINO_COMPAT_MACROS } from './trino-compat.js';

/** Options of {@link DuckDbEngine.open}. */
export interface DuckDbEngineOptions {
  /**
   * Worker threads.
   * @default - DuckDB's default (one per core)
   */
  readonly threads?: number;
  /**
   * Memory DuckDB may use before spilling to disk, e.g. `'2GB'`.
   * @default - DuckDB's default (80 % of RAM)
   */
  readonly memoryLimit?: string;
}

/**
 * The local query engine: DuckDB embedded. Extensions are never installed or loaded on demand
 * (parquet, json and icu are built in), the session time zone is UTC, and Trino's function names
 * are provided by macros, so Athena-dialect SQL runs as written.
 */
export class DuckDbEngine implements QueryEngine {
  public readonly name = 'duckdb' as const;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  /** Starts an in-memory DuckDB with the compatibility layer installed. */
  public static async open(options: DuckDbEngineOptions = {}): Promise<DuckDbEngine> {
    const config: Record<string, string> = {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    };
    if (options.threads !== undefined) config.threads = String(options.threads);
    if (options.memoryLimit !== undefined) config.memory_limit = options.memoryLimit;
    const instance = await DuckDBInstance.create(':memory:', config);
    const connection = await instance.connect();
    const engine = new DuckDbEngine(instance, connection);
    // Flow times are UTC wall-clock values, as in Athena's `timestamp` type.
    await engine.execute("SET TimeZone = 'UTC'");
    for (const [, macro] of TRINO_COMPAT_MACROS) await engine.execute(macro);
    return engine;
  }

  public async query(sql: string): Promise<SqlRow[]> {
    try {
      const reader = await this.connection.runAndReadAll(sql);
      return reader.getRowObjectsJS().map(decodeRow);
    } catch (error) {
      throw new QueryExecutionError('DuckDB query failed', null, { cause: error });
    }
  }

  public async execute(sql: string): Promise<void> {
    try {
      await this.connection.run(sql);
    } catch (error) {
      throw new QueryExecutionError('DuckDB statement failed', null, { cause: error });
    }
  }

  public async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

function decodeRow(row: Record<string, unknown>): SqlRow {
  const out: Record<string, SqlValue> = {};
  for (const [key, value] of Object.entries(row)) out[key] = decodeValue(value);
  return out;
}

function decodeValue(value: unknown): SqlValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(decodeValue);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return value;
  if (value instanceof Date) return value;
  return String(value);
}
