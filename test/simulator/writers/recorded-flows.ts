import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { ParsedFlow } from '../../../functions/shared/flow-record.js';
import type { FormatProbe } from '../../../functions/shared/parsers/format-probe.js';
import { probeNfdumpCsv } from '../../../functions/shared/parsers/nfdump-csv.js';
import { probeVpcFlowLog } from '../../../functions/shared/parsers/vpc-flow-log.js';
import { probeZeekConnJson } from '../../../functions/shared/parsers/zeek-conn-json.js';
import { probeZeekConnTsv } from '../../../functions/shared/parsers/zeek-conn-tsv.js';
import type { Connection, ConnState } from '../../../simulator/connection.js';
import { HospitalNetwork } from '../../../simulator/network.js';
import { OutputWriter } from '../../../simulator/output-writer.js';
import { loadProfile } from '../../../simulator/profile.js';
import { Recorder, SLOT_MS } from '../../../simulator/recorder.js';

/** One known connection of `fixtures/writer-connections.json`. */
export interface ConnectionFixture {
  readonly name: string;
  readonly start: string;
  readonly duration: number;
  readonly src: string;
  readonly srcPort: number;
  readonly dst: string;
  readonly dstPort: number;
  readonly proto: 6 | 17;
  readonly origBytes: number;
  readonly origPkts: number;
  readonly respBytes: number;
  readonly respPkts: number;
  readonly state: ConnState;
  readonly service: string | null;
}

/** The fixture connections, resolved against a 60-host clinic. */
export function loadConnections(): { network: HospitalNetwork; connections: Connection[] } {
  const network = new HospitalNetwork(loadProfile('clinic'), 60);
  const fixtures = JSON.parse(
    readFileSync(join(import.meta.dirname, '../fixtures/writer-connections.json'), 'utf8'),
  ) as ConnectionFixture[];
  const connections = fixtures.map(({ name: _, ...f }) => ({
    ...f,
    start: Date.parse(f.start),
    srcHost: network.host(f.src) ?? null,
    dstHost: network.host(f.dst) ?? null,
  }));
  return { network, connections };
}

/** What the project's parsers made of one output's files. */
export interface ParsedOutput {
  readonly variant: string;
  readonly flows: ParsedFlow[];
  readonly quarantined: string[];
  readonly skipped: number;
}

const PROBES: readonly FormatProbe[] = [
  probeVpcFlowLog,
  probeZeekConnTsv,
  probeZeekConnJson,
  probeNfdumpCsv,
];

/**
 * Records the connections through the generator's recorder and writers into `root`, then reads
 * every file back with the real parsers (probe → create → parseLine), grouped by output folder
 * (`onprem/<site>/<source>/<collector>`, or `AWSLogs` + flow log id).
 */
export async function recordAndParse(
  network: HospitalNetwork,
  connections: readonly Connection[],
  root: string,
): Promise<Map<string, ParsedOutput>> {
  const out = new OutputWriter(root);
  const recorder = new Recorder(network, out, 7, []);
  for (const c of [...connections].sort((a, b) => a.start - b.start)) recorder.record(c);
  const first = Math.floor(Math.min(...connections.map((c) => c.start)) / SLOT_MS);
  const last = Math.floor(Math.max(...connections.map((c) => c.start + c.duration)) / SLOT_MS);
  for (let slot = first; slot <= last; slot++) await recorder.flushSlot(slot);
  await out.drain();
  const outputs = new Map<string, ParsedOutput>();
  for (const path of listFiles(root)) {
    const key = path.startsWith('AWSLogs/')
      ? (/_(fl-[0-9a-f]+)_/.exec(path)?.[1] ?? path)
      : path.split('/').slice(0, 4).join('/');
    const lines = gunzipSync(readFileSync(join(root, path)))
      .toString('utf8')
      .split('\n');
    if (lines.at(-1) === '') lines.pop();
    const head = lines.filter((l) => l.trim() !== '').slice(0, 20);
    const verdict = PROBES.map((p) => p(head)).find((v) => v !== null);
    if (verdict?.kind !== 'flows') throw new Error(`${path}: no parser accepts it`);
    const parser = verdict.create({ objectRef: path, timezone: 'UTC', defaultSensor: 'test' });
    const parsed = outputs.get(key) ?? {
      variant: verdict.variant,
      flows: [],
      quarantined: [],
      skipped: 0,
    };
    let skipped = parsed.skipped;
    lines.forEach((line, i) => {
      const outcome = parser.parseLine(line, i + 1);
      if (outcome.kind === 'flow') parsed.flows.push(outcome.flow);
      else if (outcome.kind === 'quarantined')
        parsed.quarantined.push(`${path}:${i + 1} ${outcome.reason}`);
      else if (outcome.kind === 'skipped') skipped++;
    });
    outputs.set(key, { ...parsed, skipped });
  }
  return outputs;
}

function listFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else found.push(relative(root, path));
    }
  };
  walk(root);
  return found;
}

/** IP + TCP or UDP header bytes per packet, as the writers add them. */
export function withHeaders(payload: number, packets: number, proto: 6 | 17): number {
  return payload + packets * (proto === 6 ? 52 : 28);
}
