import {
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectInLake } from '../../../cli/commands/detect.js';
import { ingestPaths } from '../../../cli/commands/ingest.js';
import type { WardflowConfig } from '../../../functions/shared/config.js';
import { loadConfigFile } from '../../../functions/shared/config-file.js';
import {
  auditParameters,
  loadAuditQueries,
} from '../../../functions/shared/detection/audit-queries.js';
import {
  athenaBaselineInsert,
  loadBaselineRollups,
} from '../../../functions/shared/detection/baseline-rollups.js';
import {
  loadDetectionCatalog,
  QUERIES_DIR,
} from '../../../functions/shared/detection/detection-catalog.js';
import {
  type DetectionRunResult,
  dataSpan,
  runDetections,
} from '../../../functions/shared/detection/runner.js';
import { prepareDetection, windowSql } from '../../../functions/shared/detection/window-queries.js';
import type { TimeWindow } from '../../../functions/shared/detection/windows.js';
import { DuckDbEngine } from '../../../functions/shared/engines/duckdb-engine.js';
import {
  lakeDays,
  prepareLocalBaselines,
} from '../../../functions/shared/engines/local-baselines.js';
import {
  attachLocalFindings,
  attachLocalFlows,
} from '../../../functions/shared/engines/local-lake-tables.js';
import type { SqlRow } from '../../../functions/shared/engines/query-engine.js';
import {
  bindParameters,
  param,
  type SqlParameters,
} from '../../../functions/shared/engines/sql-parameters.js';
import { TrinoEngine } from '../../../functions/shared/engines/trino-engine.js';
import { toTrinoTableDdl } from '../../../functions/shared/engines/trino-table-ddl.js';
import { generateHospital } from '../../../simulator/generate-hospital.js';
import {
  approximateColumns,
  findingDifferences,
  type RawRefsToCheck,
  rowDifferences,
} from './engine-parity.js';
import {
  installTrino,
  startTrino,
  TRINO_CATALOG,
  TRINO_SCHEMA,
  type TrinoServer,
} from './trino-server.js';

/**
 * A day and a quarter: the first day holds every generated attack (they start 1-17 hours into the
 * run), the next six hours give the detections with a lookback a day of history to compare with.
 * Every hourly window is a query per hourly detection, so hours cost time on both engines.
 */
const HOURS = 30;
const SEED = 7;
/** The clinic at its smallest (the profile's per-zone minimums make it about 100 hosts). */
const HOSTS = 50;
/** Longest a single statement may take on Trino before it is cancelled and the test fails. */
const STATEMENT_TIMEOUT_MS = 240_000;
const LAKE_LOCATION = 'local:///lake/';
const detections = loadDetectionCatalog();
const audits = loadAuditQueries();
const baselineQueries = loadAuditQueries(join(QUERIES_DIR, 'baselines'));
const tableFiles = readdirSync(join(QUERIES_DIR, 'tables'))
  .filter((name) => name.endsWith('.sql'))
  .sort();

/** Hard-links every file under `from` into `to`, keeping the folder structure. */
function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from)) {
    const source = join(from, entry);
    if (statSync(source).isDirectory()) linkTree(source, join(to, entry));
    else linkSync(source, join(to, entry));
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** Bytes of every file under a folder. */
function treeBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    const stat = statSync(path);
    total += stat.isDirectory() ? treeBytes(path) : stat.size;
  }
  return total;
}

function elapsed(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

/**
 * Issue #6, part 1: every query in queries/ on a real Trino (Athena engine v3 is Trino), against
 * DuckDB on the same lake. The synthetic clinic (30 hours, all attacks) is generated, ingested by
 * the normalizer, and detected on DuckDB by `detectInLake` (the local product path). Trino gets
 * the same flow, finding and evidence files (hard links), tables created from queries/tables/
 * through the tested translation, baselines materialized by the cloud's INSERT INTO statement,
 * and then runs every detection, baseline and audit query; results must agree.
 */
/**
 * Most stages a detection query may plan into. Athena, like Trino, refuses a query past 150 stages
 * (QUERY_HAS_TOO_MANY_STAGES), and both plan every reference to a WITH query anew, so a query that
 * reuses its CTEs grows fast; a third of headroom is kept for Athena's planner and the next edit.
 */
const STAGE_BUDGET = 100;

/**
 * Most bytes all detections together may read over the lake's span, as a multiple of the lake's
 * flow Parquet: Athena bills the bytes its engine reads, and every reference to a WITH query, or
 * a second SELECT of the same flows, reads them again. Measured 32.4× when this was set (README,
 * "Cost per GB of flow logs", which builds on it); the budget catches a query that starts reading
 * the flows again.
 */
const SCAN_BUDGET = 40;

describe('Queries on Trino (Athena engine v3) and on DuckDB: same results on the same lake', () => {
  const root = mkdtempSync(join(tmpdir(), 'wardflow-trino-it-'));
  const duckLake = join(root, 'duckdb-lake');
  /** Trino's catalog root: `local:///lake/` is `<trinoRoot>/lake/`. */
  const trinoRoot = join(root, 'trino');
  const trinoLake = join(trinoRoot, 'lake');
  const timings: string[] = [];
  /** Started first thing in beforeAll; stopped in afterAll whatever happened in between. */
  let serverReady: Promise<TrinoServer> | undefined;
  let trino: TrinoEngine;
  let duckdb: DuckDbEngine | undefined;
  let config: WardflowConfig;
  let duckResult: DetectionRunResult;
  let span: TimeWindow;
  /** Bytes each detection's windows read on Trino (physical input), by detection id. */
  const bytesRead = new Map<string, number>();

  beforeAll(async () => {
    let started = performance.now();
    const home = installTrino();
    timings.push(`install check ${elapsed(started)}`);
    mkdirSync(trinoRoot, { recursive: true });
    // Trino starts (mostly waiting on the JVM) while the lake is generated and ingested.
    serverReady = startTrino(home, { root: trinoRoot });
    serverReady.catch(() => undefined);

    started = performance.now();
    const exports = join(root, 'exports');
    await generateHospital({
      out: exports,
      profile: 'clinic',
      hosts: HOSTS,
      hours: HOURS,
      seed: SEED,
      threads: 1,
    });
    config = await loadConfigFile(join(exports, 'wardflow.yaml'));
    await ingestPaths([exports], duckLake, config);
    timings.push(`generate + ingest ${elapsed(started)}`);

    started = performance.now();
    const result = await detectInLake(duckLake, config, detections);
    if (result === null) throw new Error('the generated lake holds no flows');
    duckResult = result;
    timings.push(`DuckDB detect ${elapsed(started)} (${result.queries} queries)`);

    started = performance.now();
    const server = await serverReady;
    timings.push(`Trino ready ${elapsed(started)} after ingest`);
    trino = new TrinoEngine({ server: server.url, catalog: TRINO_CATALOG, schema: TRINO_SCHEMA });

    // The same flow files, and the findings and evidence DuckDB's run stored, for the audits.
    for (const folder of ['flows', 'findings', 'evidence'])
      linkTree(join(duckLake, folder), join(trinoLake, folder));

    started = performance.now();
    await trino.execute(`CREATE SCHEMA IF NOT EXISTS ${TRINO_CATALOG}.${TRINO_SCHEMA}`);
    const sessionProperties: Record<string, string> = {};
    for (const file of tableFiles) {
      const ddl = toTrinoTableDdl(readFileSync(join(QUERIES_DIR, 'tables', file), 'utf8'), {
        catalog: TRINO_CATALOG,
        schema: TRINO_SCHEMA,
        lakeLocation: LAKE_LOCATION,
      });
      for (const table of ddl) {
        // Trino's Hive connector wants an external location to exist.
        mkdirSync(join(trinoRoot, table.location.replace(/^local:\/\/\//, '')), {
          recursive: true,
        });
        await trino.execute(table.createTable);
        if (table.syncPartitions !== null) await trino.execute(table.syncPartitions);
        Object.assign(sessionProperties, table.sessionProperties);
      }
    }
    trino = new TrinoEngine({
      server: server.url,
      catalog: TRINO_CATALOG,
      schema: TRINO_SCHEMA,
      // The runner asks `SELECT DISTINCT dt, hr FROM flows` once per run: answered from the
      // registered partitions instead of reading every file.
      sessionProperties: { ...sessionProperties, optimize_metadata_queries: 'true' },
      // A statement is cancelled on the server when it runs away, not left running when a test
      // times out.
      timeoutMs: STATEMENT_TIMEOUT_MS,
    });
    timings.push(`Trino tables ${elapsed(started)}`);

    // Baselines as the cloud materializes them: the same rollup SELECT in INSERT INTO, per day.
    started = performance.now();
    const rollups = loadBaselineRollups();
    for (const rollup of rollups)
      for (const day of lakeDays(duckLake))
        await trino.execute(athenaBaselineInsert(rollup, day, config));
    timings.push(`Trino baseline rollups ${elapsed(started)}`);

    duckdb = await DuckDbEngine.open({ threads: 1 });
    await attachLocalFlows(duckdb, duckLake);
    await attachLocalFindings(duckdb, duckLake);
    await prepareLocalBaselines(duckdb, duckLake, config);
    const duckSpan = await dataSpan(duckdb);
    if (duckSpan === null) throw new Error('the generated lake holds no flows');
    span = duckSpan;
  }, 600_000);

  afterAll(async () => {
    console.log(`Trino integration timings:\n  ${timings.join('\n  ')}`);
    await duckdb?.close();
    // A server still starting is waited for, then stopped: none outlives the tier.
    await serverReady?.then(
      (server) => server.stop(),
      () => undefined,
    );
    rmSync(root, { recursive: true, force: true });
  });

  /** Runs a query on both engines. */
  async function both(sql: string): Promise<{ trino: SqlRow[]; duckdb: SqlRow[] }> {
    return { trino: await trino.query(sql), duckdb: await (duckdb as DuckDbEngine).query(sql) };
  }

  /**
   * Raw references must name flow records in the lake that involve the finding's addresses (the
   * evidence Trino kept where it chose other records than DuckDB among equal start times).
   */
  async function checkRefs(findings: readonly RawRefsToCheck[]): Promise<string[]> {
    const refs = [...new Set(findings.flatMap((f) => f.refs))];
    const rows = await (duckdb as DuckDbEngine).query(
      bindParameters('SELECT raw_ref, src_ip, dst_ip FROM flows WHERE raw_ref IN :refs', {
        refs: param.strings(refs),
      }),
    );
    const records = new Map(rows.map((r) => [String(r.raw_ref), r]));
    const problems: string[] = [];
    for (const finding of findings) {
      const addresses = [finding.src_ip, finding.dst_ip].filter((a) => a !== null);
      for (const ref of finding.refs) {
        const record = records.get(ref);
        if (record === undefined) problems.push(`${finding.label}: ${ref} is no flow record`);
        else if (
          addresses.length > 0 &&
          !addresses.includes(String(record.src_ip)) &&
          !addresses.includes(String(record.dst_ip))
        )
          problems.push(`${finding.label}: ${ref} is a flow of neither ${addresses.join(' nor ')}`);
      }
    }
    return problems;
  }

  it('reads the same flows through the translated DDL and registered partitions', async () => {
    const sql =
      'SELECT source_type, dt, hr, count(*) AS flows, sum(bytes_out) AS bytes_out, min(start_time) AS first, max(end_time) AS last, count(DISTINCT src_ip) AS sources FROM flows GROUP BY source_type, dt, hr';
    const rows = await both(sql);
    expect(rows.trino.length).toBeGreaterThanOrEqual(HOURS);
    expect(rowDifferences(rows.trino, rows.duckdb, new Map())).toEqual([]);
    expect(await dataSpan(trino)).toEqual(span);
  });

  it('materializes the same baseline rows with INSERT INTO as the local refresh', async () => {
    const rows = await both('SELECT * FROM baselines');
    expect(rows.duckdb.length).toBeGreaterThan(0);
    expect(rowDifferences(rows.trino, rows.duckdb, new Map())).toEqual([]);
  });

  it.each(detections.map((d) => [d.id, d] as const))(
    'detection %s raises the same findings on Trino',
    async (id, definition) => {
      const started = performance.now();
      const readBefore = trino.physicalInputBytes;
      const result = await runDetections({
        engine: trino,
        detections: [definition],
        config,
        from: span.start,
        to: span.end,
      });
      bytesRead.set(id, trino.physicalInputBytes - readBefore);
      timings.push(
        `Trino ${id}: ${result.queries} queries, ${elapsed(started)}, read ${megabytes(bytesRead.get(id) ?? 0)}`,
      );
      const comparison = {
        approximate: approximateColumns(definition.sql),
        templates: [definition.findingTemplate, definition.summaryTemplate],
        checkRefs,
      };
      const mine = <T extends { readonly detection_id: string }>(list: readonly T[]) =>
        list.filter((f) => f.detection_id === id);
      expect(result.queries).toBe(mine(duckResult.windows).length);
      expect(
        await findingDifferences(result.findings, mine(duckResult.findings), comparison),
      ).toEqual([]);
      expect(
        await findingDifferences(
          result.suppressed.map((s) => s.finding),
          mine(duckResult.suppressed.map((s) => s.finding)),
          comparison,
        ),
      ).toEqual([]);
    },
  );

  it.each(detections.map((d) => [d.id, d] as const))(
    `detection %s plans into at most ${STAGE_BUDGET} stages`,
    async (_id, definition) => {
      // Prepare: the detection's last window over the data, bound as the runner binds it.
      const window = { start: new Date(span.end.getTime() - definition.windowMs), end: span.end };
      const sql = windowSql(prepareDetection(definition, config), window);

      // Act
      const plan = await trino.query(`EXPLAIN (TYPE DISTRIBUTED) ${sql}`);

      // Assess: one fragment per stage.
      const text = plan.map((row) => String(Object.values(row)[0])).join('\n');
      const stages = text.match(/^Fragment \d+ /gm)?.length ?? 0;
      expect(stages).toBeGreaterThan(0);
      expect(stages).toBeLessThanOrEqual(STAGE_BUDGET);
    },
  );

  it(`reads at most ${SCAN_BUDGET} times the lake's flows over the span, all detections together`, () => {
    // Prepare: the flow Parquet the detections ran over.
    const lakeBytes = treeBytes(join(duckLake, 'flows'));
    const read = [...bytesRead.values()].reduce((sum, bytes) => sum + bytes, 0);

    // Assess: every detection ran, and Athena would bill about this much.
    expect(bytesRead.size).toBe(detections.length);
    timings.push(
      `all detections read ${megabytes(read)}: ${(read / lakeBytes).toFixed(1)}× the lake's ${megabytes(lakeBytes)} of flows`,
    );
    expect(read / lakeBytes).toBeLessThanOrEqual(SCAN_BUDGET);
  });

  it('raises findings on the generated attacks, so the comparison compares something', () => {
    expect(duckResult.findings.length).toBeGreaterThan(5);
    const ids = new Set(duckResult.findings.map((f) => f.detection_id));
    expect(ids.size).toBeGreaterThan(5);
  });

  /** Period parameters of audit and baseline queries over the whole data, plus `:sources`. */
  async function periodParameters(): Promise<SqlParameters> {
    const top = await (duckdb as DuckDbEngine).query(
      "SELECT src_ip FROM flows WHERE direction = 'internal' GROUP BY src_ip ORDER BY count(*) DESC, src_ip LIMIT 3",
    );
    return {
      ...auditParameters(config, span.start, span.end),
      sources: param.strings(top.map((r) => String(r.src_ip))),
    };
  }

  it.each([...audits, ...baselineQueries].map((q) => [q.header.id, q] as const))(
    'query %s returns the same rows on Trino',
    async (_id, file) => {
      const sql = bindParameters(file.sql, await periodParameters());
      const rows = await both(sql);
      expect(rowDifferences(rows.trino, rows.duckdb, approximateColumns(file.sql))).toEqual([]);
    },
  );
});
