import { QueryExecutionError } from '../errors.js';
import type { QueryEngine, SqlRow, SqlValue } from './query-engine.js';

/** Options of {@link TrinoEngine}. */
export interface TrinoEngineOptions {
  /** Coordinator URL, e.g. `http://127.0.0.1:8080`. */
  readonly server: string;
  /** Catalog every unqualified table name resolves in, e.g. `hive`. */
  readonly catalog: string;
  /** Schema every unqualified table name resolves in, e.g. `wardflow`. */
  readonly schema: string;
  /**
   * User the queries run as (`X-Trino-User`).
   * @default 'wardflow'
   */
  readonly user?: string;
  /**
   * Session time zone. Flow times are UTC wall-clock values, as in Athena.
   * @default 'UTC'
   */
  readonly timeZone?: string;
  /**
   * Session properties sent with every query (`X-Trino-Session`), e.g.
   * `{ 'hive.compression_codec': 'SNAPPY' }`. `SET SESSION` statements add to them.
   * @default - none
   */
  readonly sessionProperties?: Readonly<Record<string, string>>;
  /**
   * Overall time a statement may take before it is cancelled and reported as failed.
   * @default 600000 (10 minutes)
   */
  readonly timeoutMs?: number;
  /**
   * Rows a query may return; more is an error (and the query is cancelled), never a silent cut.
   * @default 1000000
   */
  readonly maxRows?: number;
  /**
   * How often a request answered 502, 503 or 504 (the coordinator is busy or restarting) is
   * retried, with growing waits, before the statement fails.
   * @default 5
   */
  readonly maxBusyRetries?: number;
  /** HTTP client; replaced in tests. @default - the global `fetch` */
  readonly fetch?: typeof fetch;
  /** Waits; replaced in tests. @default - a real timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The current time in ms; replaced in tests. @default Date.now */
  readonly now?: () => number;
}

/** One response document of Trino's client protocol (the fields this adapter reads). */
interface TrinoResponse {
  readonly id: string;
  readonly nextUri?: string;
  readonly columns?: readonly TrinoColumn[];
  readonly data?: readonly (readonly unknown[])[];
  readonly error?: {
    readonly message?: string;
    readonly errorName?: string;
    readonly errorType?: string;
  };
  /** Progress; on the last response, the statement's totals. */
  readonly stats?: { readonly physicalInputBytes?: number };
}

const BUSY = new Set([502, 503, 504]);

/**
 * A query engine over Trino's HTTP client protocol: `POST /v1/statement`, then `GET nextUri`
 * until the statement is done, rows decoded by the column types Trino reports (BIGINT → number,
 * TIMESTAMP → Date, arrays element by element). Athena engine v3 is Trino, so this runs the
 * queries in `queries/` on Athena's engine without AWS: the integration tier compares it with
 * DuckDB. A failed statement surfaces with Trino's error name, message and query id.
 */
export class TrinoEngine implements QueryEngine {
  /** Trino itself: the engine Athena engine v3 runs, here without AWS. */
  public readonly name = 'trino' as const;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly session: Map<string, string>;
  private bytesRead = 0;

  public constructor(private readonly options: TrinoEngineOptions) {
    this.fetch = options.fetch ?? fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
    this.session = new Map(Object.entries(options.sessionProperties ?? {}));
  }

  public async query(sql: string): Promise<SqlRow[]> {
    return this.run(sql);
  }

  public async execute(sql: string): Promise<void> {
    await this.run(sql);
  }

  /**
   * Bytes the finished statements read from storage (Trino's `physicalInputBytes`), summed over
   * the engine's life: what Athena, which bills the data its engine scans, would count.
   */
  public get physicalInputBytes(): number {
    return this.bytesRead;
  }

  public async close(): Promise<void> {
    // Nothing is held between statements: every request is a plain HTTP call.
  }

  /** Submits a statement and follows `nextUri` to the end, collecting and decoding its rows. */
  private async run(sql: string): Promise<SqlRow[]> {
    const deadline = this.now() + (this.options.timeoutMs ?? 600_000);
    const maxRows = this.options.maxRows ?? 1_000_000;
    let page = await this.request(`${this.options.server.replace(/\/$/, '')}/v1/statement`, {
      method: 'POST',
      body: sql,
    });
    const rows: SqlRow[] = [];
    let columns: readonly TrinoColumn[] | undefined;
    for (;;) {
      if (page.error !== undefined) {
        const { errorName, message } = page.error;
        throw new QueryExecutionError(
          `Trino query failed: ${errorName ?? 'error'}: ${message ?? 'no message'}`,
          page.id,
        );
      }
      columns ??= page.columns;
      if (page.data !== undefined) {
        if (columns === undefined)
          throw new QueryExecutionError('Trino sent rows before their columns', page.id);
        if (rows.length + page.data.length > maxRows) {
          await this.cancel(page);
          throw new QueryExecutionError(
            `Trino query returned more than ${maxRows} rows (maxRows); cancelled it`,
            page.id,
          );
        }
        for (const values of page.data) rows.push(decodeTrinoRow(columns, values));
      }
      if (page.nextUri === undefined) {
        this.bytesRead += page.stats?.physicalInputBytes ?? 0;
        return rows;
      }
      if (this.now() > deadline) {
        await this.cancel(page);
        throw new QueryExecutionError(
          `Trino query still running after ${this.options.timeoutMs ?? 600_000} ms; cancelled it`,
          page.id,
        );
      }
      page = await this.request(page.nextUri, { method: 'GET' }, page.id);
    }
  }

  /** One protocol request, retried while the coordinator answers busy. */
  private async request(
    url: string,
    init: { method: 'GET' | 'POST'; body?: string },
    queryId: string | null = null,
  ): Promise<TrinoResponse> {
    const limit = this.options.maxBusyRetries ?? 5;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await this.fetch(url, { ...init, headers: this.headers() });
      } catch (error) {
        throw new QueryExecutionError(`Trino request to ${url} failed`, queryId, { cause: error });
      }
      if (BUSY.has(response.status) && attempt < limit) {
        await response.body?.cancel();
        await this.sleep(Math.min(100 * 2 ** attempt, 5_000));
        continue;
      }
      const text = await response.text();
      if (response.status !== 200) {
        throw new QueryExecutionError(
          `Trino answered HTTP ${response.status} to ${init.method} ${url}: ${text.slice(0, 500)}`,
          queryId,
        );
      }
      this.applySessionHeaders(response.headers);
      try {
        return JSON.parse(text) as TrinoResponse;
      } catch (error) {
        throw new QueryExecutionError(
          `Trino answered ${init.method} ${url} with a body that is not JSON: ${text.slice(0, 200)}`,
          queryId,
          { cause: error },
        );
      }
    }
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = {
      'X-Trino-User': this.options.user ?? 'wardflow',
      'X-Trino-Catalog': this.options.catalog,
      'X-Trino-Schema': this.options.schema,
      'X-Trino-Time-Zone': this.options.timeZone ?? 'UTC',
      'Content-Type': 'text/plain; charset=utf-8',
    };
    if (this.session.size > 0) {
      headers['X-Trino-Session'] = [...this.session]
        .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
        .join(',');
    }
    return headers;
  }

  /** `SET SESSION` / `RESET SESSION` answer with headers the client must send from then on. */
  private applySessionHeaders(headers: Headers): void {
    const set = headers.get('X-Trino-Set-Session');
    if (set !== null) {
      for (const entry of set.split(',')) {
        const at = entry.indexOf('=');
        if (at > 0)
          this.session.set(entry.slice(0, at).trim(), decodeURIComponent(entry.slice(at + 1)));
      }
    }
    const clear = headers.get('X-Trino-Clear-Session');
    if (clear !== null) for (const name of clear.split(',')) this.session.delete(name.trim());
  }

  /** Cancels a running statement (best effort: the error being reported matters more). */
  private async cancel(page: TrinoResponse): Promise<void> {
    if (page.nextUri === undefined) return;
    try {
      const response = await this.fetch(page.nextUri, {
        method: 'DELETE',
        headers: this.headers(),
      });
      await response.body?.cancel();
    } catch {
      // The statement ends with the server's own timeouts anyway.
    }
  }
}

/** A type as Trino's protocol describes it (`typeSignature`). */
export interface TrinoTypeSignature {
  readonly rawType: string;
  readonly arguments?: readonly {
    readonly kind: string;
    readonly value: unknown;
  }[];
}

/** A result column as Trino's protocol describes it. */
export interface TrinoColumn {
  readonly name: string;
  /** The type as text, e.g. `array(varchar)`. */
  readonly type: string;
  readonly typeSignature?: TrinoTypeSignature;
}

/** Decodes one row of a Trino result page by its columns. */
export function decodeTrinoRow(
  columns: readonly TrinoColumn[],
  values: readonly unknown[],
): SqlRow {
  const row: Record<string, SqlValue> = {};
  columns.forEach((column, i) => {
    row[column.name] = decodeTrinoValue(
      values[i],
      column.typeSignature ?? { rawType: column.type },
    );
  });
  return row;
}

function typeArgument(signature: TrinoTypeSignature, index: number): TrinoTypeSignature {
  const argument = signature.arguments?.[index];
  return argument?.kind === 'TYPE'
    ? (argument.value as TrinoTypeSignature)
    : { rawType: 'unknown' };
}

/**
 * Decodes one value of Trino's JSON encoding by its type, to what the DuckDB adapter returns for
 * the same SQL type: integers and floating point as numbers (`NaN` and infinities arrive as
 * strings), DECIMAL as a number, TIMESTAMP (UTC wall clock, as the session time zone is UTC) and
 * DATE as Dates, arrays element by element. MAP and ROW have no plain JavaScript counterpart in
 * {@link SqlValue}: they decode to JSON text (a ROW as an object keyed by its field names).
 * Everything else (VARCHAR, TIME, INTERVAL, VARBINARY as base64, JSON, UUID) stays text.
 */
export function decodeTrinoValue(value: unknown, signature: TrinoTypeSignature): SqlValue {
  if (value === null || value === undefined) return null;
  const type = signature.rawType.toLowerCase();
  switch (type) {
    case 'boolean':
      return value === true || value === 'true';
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'bigint':
    case 'real':
    case 'double':
    case 'decimal':
      return Number(value);
    case 'date':
      return new Date(`${String(value)}T00:00:00.000Z`);
    case 'timestamp':
    case 'timestamp with time zone':
      return decodeTimestamp(String(value));
    case 'array':
      return Array.isArray(value)
        ? value.map((element) => decodeTrinoValue(element, typeArgument(signature, 0)))
        : String(value);
    case 'map':
    case 'row':
      return JSON.stringify(jsonValue(value, signature));
    default:
      return typeof value === 'string' ? value : JSON.stringify(value);
  }
}

/** A value as plain JSON data: maps and rows as objects, times as ISO text, nested alike. */
function jsonValue(value: unknown, signature: TrinoTypeSignature): unknown {
  if (value === null || value === undefined) return null;
  const type = signature.rawType.toLowerCase();
  if (type === 'map') {
    const entries = Object.entries(value as Record<string, unknown>);
    return Object.fromEntries(
      entries.map(([k, v]) => [k, jsonValue(v, typeArgument(signature, 1))]),
    );
  }
  if (type === 'row') {
    const values = Array.isArray(value) ? value : [];
    const fields = (signature.arguments ?? []).map((argument, i) => {
      const field = argument.value as {
        fieldName?: { name?: string };
        typeSignature?: TrinoTypeSignature;
      };
      const name = field.fieldName?.name ?? `field${i + 1}`;
      return [name, jsonValue(values[i], field.typeSignature ?? { rawType: 'unknown' })];
    });
    return Object.fromEntries(fields);
  }
  if (type === 'array' && Array.isArray(value))
    return value.map((element) => jsonValue(element, typeArgument(signature, 0)));
  const decoded = decodeTrinoValue(value, signature);
  return decoded instanceof Date ? decoded.toISOString() : decoded;
}

/**
 * `YYYY-MM-DD HH:MM:SS[.fff…]` with an optional zone: `UTC`, `Z` or an offset `±HH:MM`. Digits
 * beyond milliseconds are dropped (a Date holds milliseconds). A named zone other than UTC stays
 * text: the session time zone is UTC, so Trino renders instants in UTC.
 */
function decodeTimestamp(text: string): SqlValue {
  const match =
    /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d+))?(?: (UTC|Z|[+-]\d{2}:\d{2}))?$/.exec(text);
  if (match === null) return text;
  const [, day, time, fraction = '', zone = 'UTC'] = match;
  const millis = `${fraction}000`.slice(0, 3);
  const offset = zone === 'UTC' || zone === 'Z' ? 'Z' : zone;
  return new Date(`${day}T${time}.${millis}${offset}`);
}
