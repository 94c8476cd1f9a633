import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG, type WardflowConfig } from '../../functions/shared/config.js';
import { loadConfigFile } from '../../functions/shared/config-file.js';
import { QUERIES_DIR } from '../../functions/shared/detection/detection-catalog.js';
import { parseQueryFile } from '../../functions/shared/detection/query-file.js';
import { dataSpan } from '../../functions/shared/detection/runner.js';
import { DuckDbEngine } from '../../functions/shared/engines/duckdb-engine.js';
import { attachLocalFlows } from '../../functions/shared/engines/local-lake-tables.js';
import type { QueryEngine } from '../../functions/shared/engines/query-engine.js';
import { bindParameters, param } from '../../functions/shared/engines/sql-parameters.js';
import { parseIp } from '../../functions/shared/enrich/ip-address.js';
import { UsageError } from '../../functions/shared/errors.js';
import { ExitCode } from '../exit-codes.js';
import { DEFAULT_LAKE } from './ingest.js';

const HELP = `Usage: wardflow reach <ip> [--hops N] [--lake DIR] [--config FILE] [--json]

Which systems this host actually reached (accepted, answered flows), and which systems those
reached in turn, up to N hops; grouped by zone, zones tagged ephi marked.

Options:
  --hops N        how many hops to follow (default 1, at most 5)
  --lake DIR      lake to read (default: ./wardflow-lake)
  --config FILE   wardflow config, for zone tags
  --json          print the reach as JSON
  -h, --help      this help`;

/** One system reached, at the hop it was first reached. */
export interface ReachedHost {
  readonly ip: string;
  readonly zone: string;
  readonly hop: number;
  /** The host it was reached from at that hop. */
  readonly via: string;
  readonly ports: readonly number[];
  readonly flow_count: number;
  readonly first_seen: string;
  readonly last_seen: string;
}

/**
 * Breadth-first over the lake: each hop is one run of `queries/audit/host-reach.sql` for the
 * hosts reached at the previous hop. A host is reported once, at its nearest hop.
 */
export async function reachFrom(
  engine: QueryEngine,
  origin: string,
  hops: number,
): Promise<ReachedHost[]> {
  const file = parseQueryFile(
    'host-reach.sql',
    readFileSync(join(QUERIES_DIR, 'audit', 'host-reach.sql'), 'utf8'),
  );
  const span = await dataSpan(engine);
  if (span === null) return [];
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const seen = new Set([origin]);
  const reached: ReachedHost[] = [];
  let frontier = [origin];
  for (let hop = 1; hop <= hops && frontier.length > 0; hop++) {
    const rows = await engine.query(
      bindParameters(file.sql, {
        sources: param.strings(frontier),
        period_start: param.timestamp(span.start),
        period_end: param.timestamp(span.end),
        period_dt_start: param.string(day(span.start)),
        period_dt_end: param.string(day(span.end)),
      }),
    );
    const next: string[] = [];
    for (const row of rows) {
      const ip = String(row.dst_ip);
      if (seen.has(ip)) continue;
      seen.add(ip);
      next.push(ip);
      reached.push({
        ip,
        zone: String(row.dst_zone),
        hop,
        via: String(row.src_ip),
        ports: (Array.isArray(row.dst_ports) ? row.dst_ports.map(Number) : []).sort(
          (a, b) => a - b,
        ),
        flow_count: Number(row.flow_count),
        first_seen: (row.first_seen as Date).toISOString(),
        last_seen: (row.last_seen as Date).toISOString(),
      });
    }
    frontier = next;
  }
  return reached;
}

/** Renders the reach grouped by zone; zones tagged `ephi` are marked. */
export function renderReach(
  origin: string,
  reached: readonly ReachedHost[],
  config: WardflowConfig,
): string {
  if (reached.length === 0) return `${origin} reached no system in the lake.\n`;
  const ephi = new Set(config.zones.filter((z) => z.tags.includes('ephi')).map((z) => z.name));
  const zones = [...new Set(reached.map((r) => r.zone))].sort(
    (a, b) => Number(ephi.has(b)) - Number(ephi.has(a)) || a.localeCompare(b),
  );
  const lines = [`${origin} reached ${reached.length} system(s) in ${zones.length} zone(s):`, ''];
  for (const zone of zones) {
    const hosts = reached.filter((r) => r.zone === zone);
    lines.push(`${zone}${ephi.has(zone) ? '  [ePHI]' : ''}  (${hosts.length})`);
    for (const h of hosts) {
      const ports =
        h.ports.length > 6
          ? `${h.ports.slice(0, 6).join(',')},… (${h.ports.length} ports)`
          : h.ports.join(',');
      const via = h.hop === 1 ? 'direct' : `hop ${h.hop} via ${h.via}`;
      lines.push(
        `  ${h.ip.padEnd(16)} ${via.padEnd(24)} ports ${ports.padEnd(22)} ${h.flow_count} flow(s)  ${h.first_seen.slice(0, 19)} – ${h.last_seen.slice(0, 19)}`,
      );
    }
  }
  const ephiCount = reached.filter((r) => ephi.has(r.zone)).length;
  lines.push('', `${ephiCount} of them in zones tagged ephi.`);
  return `${lines.join('\n')}\n`;
}

/** `wardflow reach`: returns the exit code. */
export async function runReach(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse(argv);
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return ExitCode.OK;
  }
  const [origin, ...extra] = positionals;
  if (origin === undefined || extra.length > 0)
    throw new UsageError('reach: expected exactly one IP address');
  if (parseIp(origin) === null)
    throw new UsageError(`reach: expected an IP address, got ${JSON.stringify(origin)}`);
  const hops = Number(values.hops ?? 1);
  if (!Number.isInteger(hops) || hops < 1 || hops > 5)
    throw new UsageError(`--hops: expected 1 to 5, got ${JSON.stringify(values.hops)}`);
  const config = values.config ? await loadConfigFile(values.config) : DEFAULT_CONFIG;
  const engine = await DuckDbEngine.open();
  try {
    await attachLocalFlows(engine, values.lake ?? DEFAULT_LAKE);
    const reached = await reachFrom(engine, origin, hops);
    process.stdout.write(
      values.json
        ? `${JSON.stringify({ origin, hops, reached }, null, 2)}\n`
        : renderReach(origin, reached, config),
    );
    return ExitCode.OK;
  } finally {
    await engine.close();
  }
}

function parse(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        hops: { type: 'string' },
        lake: { type: 'string' },
        config: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(`reach: ${error instanceof Error ? error.message : String(error)}`);
  }
}
