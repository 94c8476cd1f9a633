import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FormatProbe } from '../../functions/shared/parsers/format-probe.js';

/** What a parser made of a fixture file, in the shape of its `<case>.expected.json`. */
export interface ParserFixtureResult {
  readonly source_type: string;
  readonly variant: string;
  readonly records_in: number;
  readonly skipped: number;
  readonly quarantined: { line: number; reason: string }[];
  readonly flows: Record<string, unknown>[];
}

/** Fixture inputs in a folder: every file with a sibling `<case>.expected.json`. */
export function listFixtureCases(
  folder: string,
): { name: string; input: string; expected: string }[] {
  const files = readdirSync(folder).sort();
  return files
    .filter(
      (file) =>
        !file.endsWith('.expected.json') && files.includes(`${caseName(file)}.expected.json`),
    )
    .map((file) => ({
      name: caseName(file),
      input: join(folder, file),
      expected: join(folder, `${caseName(file)}.expected.json`),
    }));
}

function caseName(file: string): string {
  return file.replace(/\.[^.]+$/, '');
}

/** Runs probe → create → parseLine over every line of a fixture file. */
export function runParserFixture(
  probe: FormatProbe,
  input: string,
  objectRef = input,
): ParserFixtureResult {
  const lines = readFileSync(input, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  const head = lines.filter((line) => line.trim() !== '').slice(0, 20);
  const verdict = probe(head);
  if (verdict === null || verdict.kind !== 'flows') {
    throw new Error(`${input}: probe did not accept the fixture (${JSON.stringify(verdict)})`);
  }
  const parser = verdict.create({ objectRef, timezone: 'UTC', defaultSensor: 'fixture-sensor' });
  const result: ParserFixtureResult = {
    source_type: verdict.sourceType,
    variant: verdict.variant,
    records_in: 0,
    skipped: 0,
    quarantined: [],
    flows: [],
  };
  let recordsIn = 0;
  let skipped = 0;
  lines.forEach((line, index) => {
    const outcome = parser.parseLine(line, index + 1);
    if (outcome.kind === 'meta') return;
    recordsIn++;
    if (outcome.kind === 'skipped') skipped++;
    else if (outcome.kind === 'quarantined')
      result.quarantined.push({ line: index + 1, reason: outcome.reason });
    else result.flows.push({ line: index + 1, ...outcome.flow });
  });
  return { ...result, records_in: recordsIn, skipped };
}

/** Reads an expected-result file. */
export function readExpected(path: string): ParserFixtureResult {
  return JSON.parse(readFileSync(path, 'utf8')) as ParserFixtureResult;
}
