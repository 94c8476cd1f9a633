import { describe, expect, it } from 'vitest';
import {
  decodeTrinoRow,
  decodeTrinoValue,
  type TrinoColumn,
  TrinoEngine,
} from '../../../../functions/shared/engines/trino-engine.js';
import { QueryExecutionError } from '../../../../functions/shared/errors.js';

const SERVER = 'http://127.0.0.1:8080';
const varchar = { rawType: 'varchar', arguments: [{ kind: 'LONG', value: 2147483647 }] };
const integer = { rawType: 'integer', arguments: [] };

/** Columns and one row as Trino 476 sent them for a query over the flows table. */
const COLUMNS: TrinoColumn[] = [
  { name: 'start_time', type: 'timestamp', typeSignature: { rawType: 'timestamp' } },
  {
    name: 'tz',
    type: 'timestamp with time zone',
    typeSignature: { rawType: 'timestamp with time zone' },
  },
  {
    name: 'ports',
    type: 'array(integer)',
    typeSignature: { rawType: 'array', arguments: [{ kind: 'TYPE', value: integer }] },
  },
  {
    name: 'm',
    type: 'map(varchar(1), integer)',
    typeSignature: {
      rawType: 'map',
      arguments: [
        { kind: 'TYPE', value: varchar },
        { kind: 'TYPE', value: integer },
      ],
    },
  },
  {
    name: 'r',
    type: 'row(a integer, b varchar)',
    typeSignature: {
      rawType: 'row',
      arguments: [
        { kind: 'NAMED_TYPE', value: { fieldName: { name: 'a' }, typeSignature: integer } },
        { kind: 'NAMED_TYPE', value: { fieldName: { name: 'b' }, typeSignature: varchar } },
      ],
    },
  },
  { name: 'd', type: 'date', typeSignature: { rawType: 'date' } },
  { name: 'dbl', type: 'double', typeSignature: { rawType: 'double' } },
  { name: 'n', type: 'double', typeSignature: { rawType: 'double' } },
  {
    name: 'dec',
    type: 'decimal(3, 2)',
    typeSignature: {
      rawType: 'decimal',
      arguments: [
        { kind: 'LONG', value: 3 },
        { kind: 'LONG', value: 2 },
      ],
    },
  },
  { name: 'b', type: 'boolean', typeSignature: { rawType: 'boolean' } },
  { name: 'big', type: 'bigint', typeSignature: { rawType: 'bigint' } },
  { name: 'nul', type: 'varchar', typeSignature: varchar },
  { name: 're', type: 'real', typeSignature: { rawType: 'real' } },
  { name: 'bin', type: 'varbinary', typeSignature: { rawType: 'varbinary' } },
];
const ROW = [
  '2026-11-23 00:28:05.000',
  '2026-11-23 00:28:05.000 UTC',
  [443, 62766],
  { a: 1 },
  [1, 'x'],
  '2026-01-02',
  1.5,
  'NaN',
  '1.25',
  true,
  1,
  null,
  2.5,
  'AQI=',
];

describe('TrinoEngine: decoding', () => {
  it('decodes a row of every type the queries return', () => {
    expect(decodeTrinoRow(COLUMNS, ROW)).toEqual({
      start_time: new Date('2026-11-23T00:28:05.000Z'),
      tz: new Date('2026-11-23T00:28:05.000Z'),
      ports: [443, 62766],
      m: '{"a":1}',
      r: '{"a":1,"b":"x"}',
      d: new Date('2026-01-02T00:00:00.000Z'),
      dbl: 1.5,
      n: Number.NaN,
      dec: 1.25,
      b: true,
      big: 1,
      nul: null,
      re: 2.5,
      bin: 'AQI=',
    });
  });

  it.each([
    ['2026-11-23 10:00:00.123456', new Date('2026-11-23T10:00:00.123Z')],
    ['2026-11-23 10:00:00', new Date('2026-11-23T10:00:00.000Z')],
    ['2026-11-23 10:00:00.5 +02:00', new Date('2026-11-23T08:00:00.500Z')],
    ['2026-11-23 10:00:00.000 Europe/Paris', '2026-11-23 10:00:00.000 Europe/Paris'],
  ])('decodes the timestamp %s', (text, expected) => {
    expect(decodeTrinoValue(text, { rawType: 'timestamp with time zone' })).toEqual(expected);
  });

  it('decodes infinities, and arrays of timestamps and of nested rows', () => {
    expect(decodeTrinoValue('-Infinity', { rawType: 'double' })).toBe(-Infinity);
    const timestamps = {
      rawType: 'array',
      arguments: [{ kind: 'TYPE', value: { rawType: 'timestamp' } }],
    };
    expect(decodeTrinoValue(['2026-11-23 10:00:00.000', null], timestamps)).toEqual([
      new Date('2026-11-23T10:00:00.000Z'),
      null,
    ]);
    const rowOfArray = {
      rawType: 'row',
      arguments: [
        {
          kind: 'NAMED_TYPE',
          value: { fieldName: { name: 'at' }, typeSignature: timestamps },
        },
      ],
    };
    expect(decodeTrinoValue([['2026-11-23 10:00:00.000']], rowOfArray)).toBe(
      '{"at":["2026-11-23T10:00:00.000Z"]}',
    );
  });

  it('falls back to the type text when a column has no signature', () => {
    expect(decodeTrinoRow([{ name: 'x', type: 'bigint' }], ['42'])).toEqual({ x: 42 });
  });
});

/** A scripted Trino coordinator: each request gets the next response; requests are recorded. */
function fakeTrino(responses: (Response | (() => Response))[]) {
  const requests: { url: string; method: string; body?: string; headers: Headers }[] = [];
  const fetcher = (async (input: string | URL | Request, init?: RequestInit) => {
    requests.push({
      url: String(input),
      method: init?.method ?? 'GET',
      body: init?.body === undefined ? undefined : String(init.body),
      headers: new Headers(init?.headers),
    });
    const next = responses.shift();
    if (next === undefined) throw new Error(`unexpected request ${String(input)}`);
    return typeof next === 'function' ? next() : next;
  }) as typeof fetch;
  return { fetcher, requests };
}

const json = (body: object, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status: 200, headers });

function engine(
  fetcher: typeof fetch,
  extra: Partial<ConstructorParameters<typeof TrinoEngine>[0]> = {},
) {
  return new TrinoEngine({
    server: `${SERVER}/`,
    catalog: 'hive',
    schema: 'wardflow',
    fetch: fetcher,
    sleep: async () => {},
    ...extra,
  });
}

describe('TrinoEngine: client protocol', () => {
  it('posts the statement, follows nextUri and collects every page', async () => {
    // Prepare
    const { fetcher, requests } = fakeTrino([
      json({ id: 'q1', nextUri: `${SERVER}/v1/statement/queued/q1/1` }),
      json({
        id: 'q1',
        nextUri: `${SERVER}/v1/statement/executing/q1/2`,
        columns: [COLUMNS[0], { name: 'n', type: 'bigint' }],
        data: [['2026-11-23 00:00:00.000', 1]],
      }),
      json({ id: 'q1', data: [['2026-11-23 01:00:00.000', 2]] }),
    ]);

    // Act
    const rows = await engine(fetcher).query('SELECT start_time, n FROM flows');

    // Assess
    expect(rows).toEqual([
      { start_time: new Date('2026-11-23T00:00:00.000Z'), n: 1 },
      { start_time: new Date('2026-11-23T01:00:00.000Z'), n: 2 },
    ]);
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `POST ${SERVER}/v1/statement`,
      `GET ${SERVER}/v1/statement/queued/q1/1`,
      `GET ${SERVER}/v1/statement/executing/q1/2`,
    ]);
    expect(requests[0]?.body).toBe('SELECT start_time, n FROM flows');
    expect(Object.fromEntries(requests[0]?.headers ?? [])).toMatchObject({
      'x-trino-user': 'wardflow',
      'x-trino-catalog': 'hive',
      'x-trino-schema': 'wardflow',
      'x-trino-time-zone': 'UTC',
    });
  });

  it('sums the bytes finished statements read from storage, as Athena bills scans', async () => {
    // Prepare: progress figures on the way, the totals on the last response.
    const { fetcher } = fakeTrino([
      json({ id: 'q1', nextUri: `${SERVER}/v1/statement/q1/1`, stats: { physicalInputBytes: 0 } }),
      json({
        id: 'q1',
        columns: [{ name: 'n', type: 'bigint' }],
        stats: { physicalInputBytes: 700 },
      }),
      json({ id: 'q2', stats: { physicalInputBytes: 300 } }),
      json({ id: 'q3' }),
    ]);
    const trino = engine(fetcher);

    // Act
    await trino.query('SELECT count(*) AS n FROM flows');
    await trino.execute('CREATE SCHEMA x');
    await trino.execute('DROP SCHEMA x');

    // Assess
    expect(trino.physicalInputBytes).toBe(1000);
  });

  it("fails with Trino's error name, message and query id", async () => {
    const { fetcher } = fakeTrino([
      json({ id: 'q2', nextUri: `${SERVER}/v1/statement/queued/q2/1` }),
      json({
        id: 'q2',
        error: {
          message: "line 1:8: Column 'nope' cannot be resolved",
          errorName: 'COLUMN_NOT_FOUND',
          errorType: 'USER_ERROR',
        },
      }),
    ]);

    // Act
    const error = await engine(fetcher)
      .query('SELECT nope')
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(QueryExecutionError);
    expect((error as QueryExecutionError).message).toBe(
      "Trino query failed: COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved (query q2)",
    );
    expect((error as QueryExecutionError).queryId).toBe('q2');
  });

  it('retries while the coordinator answers busy, then gives up with the status', async () => {
    const busy = () => new Response('busy', { status: 503 });
    const { fetcher, requests } = fakeTrino([busy, busy, json({ id: 'q3' })]);
    await expect(engine(fetcher).execute('CREATE SCHEMA s')).resolves.toBeUndefined();
    expect(requests).toHaveLength(3);

    const always = fakeTrino([busy, busy, busy]);
    await expect(engine(always.fetcher, { maxBusyRetries: 2 }).execute('x')).rejects.toThrow(
      `Trino answered HTTP 503 to POST ${SERVER}/v1/statement: busy`,
    );
  });

  it('cancels a query that returns more rows than allowed', async () => {
    const { fetcher, requests } = fakeTrino([
      json({
        id: 'q4',
        nextUri: `${SERVER}/v1/statement/executing/q4/1`,
        columns: [{ name: 'n', type: 'integer' }],
        data: [[1], [2], [3]],
      }),
      new Response(null, { status: 204 }),
    ]);
    await expect(engine(fetcher, { maxRows: 2 }).query('SELECT n')).rejects.toThrow(
      'Trino query returned more than 2 rows (maxRows); cancelled it (query q4)',
    );
    expect(requests.at(-1)).toMatchObject({
      method: 'DELETE',
      url: `${SERVER}/v1/statement/executing/q4/1`,
    });
  });

  it('cancels a statement that outlives its timeout', async () => {
    let now = 0;
    const { fetcher, requests } = fakeTrino([
      () => {
        now += 5_000;
        return json({ id: 'q5', nextUri: `${SERVER}/v1/statement/queued/q5/1` });
      },
      new Response(null, { status: 204 }),
    ]);
    await expect(
      engine(fetcher, { timeoutMs: 1_000, now: () => now }).execute('SELECT 1'),
    ).rejects.toThrow('Trino query still running after 1000 ms; cancelled it (query q5)');
    expect(requests.at(-1)?.method).toBe('DELETE');
  });

  it('sends session properties, and keeps those SET SESSION adds', async () => {
    const { fetcher, requests } = fakeTrino([
      json({ id: 'q6' }, { 'X-Trino-Set-Session': 'query_max_run_time=1h' }),
      json({ id: 'q7' }, { 'X-Trino-Clear-Session': 'hive.compression_codec' }),
      json({ id: 'q8' }),
    ]);
    const trino = engine(fetcher, { sessionProperties: { 'hive.compression_codec': 'SNAPPY' } });
    await trino.execute("SET SESSION query_max_run_time = '1h'");
    await trino.execute('RESET SESSION hive.compression_codec');
    await trino.execute('SELECT 1');
    expect(requests.map((r) => r.headers.get('X-Trino-Session'))).toEqual([
      'hive.compression_codec=SNAPPY',
      'hive.compression_codec=SNAPPY,query_max_run_time=1h',
      'query_max_run_time=1h',
    ]);
  });

  it('reports a coordinator that cannot be reached or answers with something else than JSON', async () => {
    const down = (async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:8080');
    }) as typeof fetch;
    await expect(engine(down).execute('SELECT 1')).rejects.toThrow(
      `Trino request to ${SERVER}/v1/statement failed: connect ECONNREFUSED 127.0.0.1:8080`,
    );
    const html = fakeTrino([new Response('<html>', { status: 200 })]);
    await expect(engine(html.fetcher).execute('SELECT 1')).rejects.toThrow(
      `Trino answered POST ${SERVER}/v1/statement with a body that is not JSON: <html>`,
    );
  });

  it('fails when rows arrive before their columns', async () => {
    const { fetcher } = fakeTrino([json({ id: 'q9', data: [[1]] })]);
    await expect(engine(fetcher).query('SELECT 1')).rejects.toThrow(
      'Trino sent rows before their columns (query q9)',
    );
  });
});
