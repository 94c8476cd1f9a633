import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  InvalidRequestException,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  AthenaEngine,
  decodeAthenaValue,
} from '../../../../functions/shared/engines/athena-engine.js';
import { QueryExecutionError } from '../../../../functions/shared/errors.js';

const athena = mockClient(AthenaClient);

function engine(overrides: Partial<ConstructorParameters<typeof AthenaEngine>[0]> = {}) {
  let clock = 0;
  return new AthenaEngine({
    client: new AthenaClient({ region: 'us-east-1' }),
    workGroup: 'wardflow',
    database: 'wardflow',
    sleep: async (ms) => {
      clock += ms;
    },
    now: () => clock,
    ...overrides,
  });
}

const COLUMNS = [
  { Name: 'src_ip', Type: 'varchar' },
  { Name: 'flows', Type: 'bigint' },
  { Name: 'first_seen', Type: 'timestamp' },
  { Name: 'refs', Type: 'array(varchar)' },
];

function page(rows: string[][], header: boolean, nextToken?: string) {
  const data = rows.map((r) => ({ Data: r.map((v) => ({ VarCharValue: v })) }));
  return {
    ResultSet: {
      ResultSetMetadata: { ColumnInfo: COLUMNS },
      Rows: header ? [{ Data: COLUMNS.map((c) => ({ VarCharValue: c.Name })) }, ...data] : data,
    },
    NextToken: nextToken,
  };
}

describe('Engine: Athena', () => {
  beforeEach(() => {
    athena.reset();
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
  });

  it('runs in the workgroup and database, polls until done and decodes typed rows', async () => {
    // Prepare
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce({ QueryExecution: { Status: { State: 'QUEUED' } } })
      .resolvesOnce({ QueryExecution: { Status: { State: 'RUNNING' } } })
      .resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    athena
      .on(GetQueryResultsCommand)
      .resolves(page([['10.0.0.1', '42', '2026-11-29 10:00:00.250', '[a.log:1, a.log:2]']], true));

    // Act
    const rows = await engine().query('SELECT 1');

    // Assess
    expect(athena.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input).toMatchObject({
      QueryString: 'SELECT 1',
      WorkGroup: 'wardflow',
      QueryExecutionContext: { Database: 'wardflow', Catalog: 'AwsDataCatalog' },
    });
    expect(athena.commandCalls(GetQueryExecutionCommand)).toHaveLength(3);
    expect(rows).toEqual([
      {
        src_ip: '10.0.0.1',
        flows: 42,
        first_seen: new Date('2026-11-29T10:00:00.250Z'),
        refs: ['a.log:1', 'a.log:2'],
      },
    ]);
  });

  it('pages through results 1,000 rows at a time, skipping the header row only once', async () => {
    // Prepare
    athena
      .on(GetQueryExecutionCommand)
      .resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    athena
      .on(GetQueryResultsCommand)
      .resolvesOnce(page([['10.0.0.1', '1', '2026-11-29 10:00:00.000', '[]']], true, 'token-2'))
      .resolvesOnce(page([['10.0.0.2', '2', '2026-11-29 11:00:00.000', '[]']], false));

    // Act
    const rows = await engine().query('SELECT src_ip FROM flows');

    // Assess
    expect(rows.map((r) => r.src_ip)).toEqual(['10.0.0.1', '10.0.0.2']);
    const calls = athena.commandCalls(GetQueryResultsCommand).map((c) => c.args[0].input);
    expect(calls).toEqual([
      { QueryExecutionId: 'q-1', NextToken: undefined, MaxResults: 1000 },
      { QueryExecutionId: 'q-1', NextToken: 'token-2', MaxResults: 1000 },
    ]);
  });

  it("surfaces a failed query with its id and Athena's reason", async () => {
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: {
        Status: {
          State: 'FAILED',
          StateChangeReason: "COLUMN_NOT_FOUND: line 1:8: Column 'x' cannot be resolved",
        },
      },
    });
    await expect(engine().query('SELECT x')).rejects.toThrow(
      "Athena query failed: COLUMN_NOT_FOUND: line 1:8: Column 'x' cannot be resolved (query q-1)",
    );
  });

  it('stops a query that exceeds the timeout and says so', async () => {
    // Prepare
    athena
      .on(GetQueryExecutionCommand)
      .resolves({ QueryExecution: { Status: { State: 'RUNNING' } } });
    athena.on(StopQueryExecutionCommand).resolves({});

    // Act
    const result = engine({ timeoutMs: 10_000 }).query('SELECT slow');

    // Assess
    await expect(result).rejects.toThrow(/still RUNNING after 10000 ms; stopped it \(query q-1\)/);
    expect(athena.commandCalls(StopQueryExecutionCommand)[0]?.args[0].input).toEqual({
      QueryExecutionId: 'q-1',
    });
  });

  it('retries throttled calls with backoff', async () => {
    // Prepare
    athena
      .on(StartQueryExecutionCommand)
      .rejectsOnce(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }))
      .resolves({ QueryExecutionId: 'q-2' });
    athena
      .on(GetQueryExecutionCommand)
      .resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });

    // Act
    await engine().execute('CREATE TABLE t AS SELECT 1');

    // Assess
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(2);
  });

  it('gives up on throttling after the configured retries', async () => {
    athena
      .on(StartQueryExecutionCommand)
      .rejects(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }));
    const error = await engine({ maxThrottleRetries: 2 })
      .query('SELECT 1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryExecutionError);
    expect(String(error)).toMatch(/kept throttling after 2 retries/);
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(3);
  });

  it('does not retry a request Athena rejects as invalid', async () => {
    athena
      .on(StartQueryExecutionCommand)
      .rejects(
        new InvalidRequestException({ message: 'line 1:1: mismatched input', $metadata: {} }),
      );
    await expect(engine().query('SELEC 1')).rejects.toThrow(
      /Athena call failed: line 1:1: mismatched input/,
    );
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(1);
  });
});

describe('Function: decodeAthenaValue', () => {
  it.each([
    ['42', 'bigint', 42],
    ['2.5', 'double', 2.5],
    ['12.50', 'decimal(10,2)', 12.5],
    ['true', 'boolean', true],
    ['2026-11-29 10:00:00.000', 'timestamp(3)', new Date('2026-11-29T10:00:00.000Z')],
    ['[1, 2]', 'array(integer)', [1, 2]],
    ['[]', 'array(varchar)', []],
    ['ehr-db', 'varchar', 'ehr-db'],
    [undefined, 'varchar', null],
  ] as const)('decodes %s as %s', (text, type, expected) => {
    expect(decodeAthenaValue(text, type)).toEqual(expected);
  });
});
