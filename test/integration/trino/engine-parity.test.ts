import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../functions/shared/detection/finding.js';
import {
  APPROXIMATE,
  approximateColumns,
  findingDifferences,
  rowDifferences,
  TAIL,
} from './engine-parity.js';

/**
 * The comparison the Trino tier relies on: it must tell engines apart when they disagree, and
 * only within the stated tolerances.
 */
describe('Engine parity: approximate columns', () => {
  it('finds approx_percentile and approx_distinct aliases, with tail percentiles looser', () => {
    const columns = approximateColumns(`
      SELECT host,
        approx_percentile(CAST(bytes AS DOUBLE), 0.5) AS median_bytes,
        approx_percentile(bytes, 0.99) AS p99_bytes,
        approx_distinct(dst_ip) AS peers,
        count(*) AS flows
      FROM t GROUP BY host`);
    expect(columns).toEqual(
      new Map([
        ['median_bytes', APPROXIMATE],
        ['p99_bytes', TAIL],
        ['peers', APPROXIMATE],
      ]),
    );
  });

  it('follows columns computed from approximate ones, through CTEs', () => {
    const columns = approximateColumns(`
      WITH m AS (SELECT src, approx_percentile(lx, 0.5) AS median_lx FROM s GROUP BY src),
      d AS (
        SELECT m.src, approx_percentile(abs(s.lx - m.median_lx), 0.5) AS mad_lx,
          avg(abs(s.lx - m.median_lx)) AS meanad_lx
        FROM m JOIN s ON s.src = m.src GROUP BY m.src, m.median_lx
      )
      SELECT src, CASE WHEN mad_lx > 0 THEN 0.6745 * (x - 1) / mad_lx END AS robust_z,
        CAST(flows AS DOUBLE) / 2 AS half_flows
      FROM d`);
    expect([...columns.keys()].sort()).toEqual(['mad_lx', 'meanad_lx', 'median_lx', 'robust_z']);
  });
});

describe('Engine parity: rows', () => {
  const duck = [
    { host: 'a', flows: 3, median: 2.5, ports: [443, 22] },
    { host: 'b', flows: 1, median: 10, ports: [80] },
  ];

  it('pairs rows in any order, arrays in any order, approximate columns within tolerance', () => {
    const trino = [
      { host: 'b', flows: 1, median: 10, ports: [80] },
      { host: 'a', flows: 3, median: 3, ports: [22, 443] },
    ];
    expect(rowDifferences(trino, duck, new Map([['median', APPROXIMATE]]))).toEqual([]);
  });

  it('reports an exact column that differs, and an approximate one beyond its tolerance', () => {
    const trino = [
      { host: 'a', flows: 4, median: 2.5, ports: [443, 22] },
      { host: 'b', flows: 1, median: 12, ports: [80] },
    ];
    expect(rowDifferences(trino, duck, new Map([['median', APPROXIMATE]]))).toEqual([
      'Trino row without a DuckDB row of the same keys: {"host":"a","flows":4,"median":2.5,"ports":[443,22]}',
      'row {"host":"b","flows":1,"median":12,"ports":[80]} differs in median: Trino 12, DuckDB 10',
      'DuckDB row without a Trino row: {"host":"a","flows":3,"median":2.5,"ports":[443,22]}',
    ]);
  });

  it('reports a missing row', () => {
    expect(rowDifferences(duck.slice(0, 1), duck, new Map())).toEqual([
      'row count: Trino 1, DuckDB 2',
      'DuckDB row without a Trino row: {"host":"b","flows":1,"median":10,"ports":[80]}',
    ]);
  });
});

describe('Engine parity: findings', () => {
  const finding: Finding = {
    finding_id: 'f1',
    detection_id: 'port-scan-vertical',
    title: '10.0.0.1 probed 30 ports',
    severity: 'medium',
    window_start: '2026-11-23T10:00:00.000Z',
    window_end: '2026-11-23T11:00:00.000Z',
    first_seen: '2026-11-23T10:01:00.000Z',
    last_seen: '2026-11-23T10:02:00.000Z',
    src_ip: '10.0.0.1',
    dst_ip: '10.0.0.2',
    dst_port: null,
    protocol: 6,
    src_zone: 'a',
    dst_zone: 'b',
    metrics: { distinct_ports: 30, median_bytes: 100 },
    mitre: ['T1046'],
    hipaa: [],
    evidence: { flow_count: 30, raw_refs: ['x:1', 'x:2'] },
    summary: 'scan',
  };
  const comparison = {
    approximate: new Map([['median_bytes', APPROXIMATE]]),
    templates: ['{src_ip} probed {distinct_ports} ports'],
    checkRefs: async (list: readonly { label: string; refs: readonly string[] }[]) =>
      list.flatMap((f) =>
        f.refs.filter((r) => r !== 'x:1' && r !== 'x:2').map((r) => `${f.label}: ${r}`),
      ),
  };

  it('accepts the same finding with approximate metrics and evidence order apart', async () => {
    const trino = {
      ...finding,
      metrics: { distinct_ports: 30, median_bytes: 104 },
      evidence: { flow_count: 30, raw_refs: ['x:2', 'x:1'] },
    };
    expect(await findingDifferences([trino], [finding], comparison)).toEqual([]);
  });

  it('reports findings one engine raised, exact metrics, severity and foreign evidence', async () => {
    const trino = {
      ...finding,
      severity: 'high' as const,
      metrics: { distinct_ports: 31, median_bytes: 100 },
      evidence: { flow_count: 30, raw_refs: ['x:1', 'y:9'] },
    };
    const other = { ...finding, finding_id: 'f2' };
    expect(await findingDifferences([trino], [finding, other], comparison)).toEqual([
      'only DuckDB raised f2: port-scan-vertical 10.0.0.1 probed 30 ports',
      'f1 (port-scan-vertical) severity: Trino "high", DuckDB "medium"',
      'f1 (port-scan-vertical) metrics.distinct_ports: Trino 31, DuckDB 30',
      'f1 (port-scan-vertical): y:9',
    ]);
  });
});
