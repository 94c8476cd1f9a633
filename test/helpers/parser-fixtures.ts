import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParsedFlow } from '../../functions/shared/flow-record.js';
import type { FormatProbe, ProbeResult } from '../../functions/shared/parsers/format-probe.js';
import type { LineParser, ParseContext } from '../../functions/shared/parsers/line-parser.js';

/** What a parser made of a fixture file, in the shape of its `<case>.expected.json`. */
export interface ParserFixtureResult {
  readonly source_type: string;
  readonly variant: string;
  readonly records_in: number;
  readonly skipped: number;
  readonly quarantined: { line: number; reason: string }[];
  readonly flows: ({ line: number } & ParsedFlow)[];
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

/** A fixture file's lines, without the empty string after a final newline. */
export function readFixtureLines(path: string): string[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** The first non-blank lines, as the ingest pipeline hands them to the probes. */
export function headOf(lines: readonly string[]): string[] {
  return lines.filter((line) => line.trim() !== '').slice(0, 20);
}

/** The parser a `flows` verdict creates; any other verdict fails the test with what it was. */
export function createFromProbe(result: ProbeResult | null, context: ParseContext): LineParser {
  if (result?.kind !== 'flows') {
    throw new Error(`expected a flows verdict, got ${JSON.stringify(result)}`);
  }
  return result.create(context);
}

/** Parses every line and tallies the outcomes the way the ingest pipeline does. */
export function parseLines(parser: LineParser, lines: readonly string[]) {
  const summary = {
    records_in: 0,
    skipped: 0,
    quarantined: [] as { line: number; reason: string }[],
    flows: [] as ({ line: number } & ParsedFlow)[],
    skippedReasons: [] as string[],
  };
  lines.forEach((text, index) => {
    const outcome = parser.parseLine(text, index + 1);
    if (outcome.kind === 'meta') return;
    summary.records_in++;
    if (outcome.kind === 'skipped') {
      summary.skipped++;
      summary.skippedReasons.push(outcome.reason);
    } else if (outcome.kind === 'quarantined') {
      summary.quarantined.push({ line: index + 1, reason: outcome.reason });
    } else {
      summary.flows.push({ line: index + 1, ...outcome.flow });
    }
  });
  return summary;
}

/** Runs probe → create → parseLine over every line of a fixture file. */
export function runParserFixture(
  probe: FormatProbe,
  input: string,
  objectRef = input,
): ParserFixtureResult {
  const lines = readFixtureLines(input);
  const verdict = probe(headOf(lines));
  const parser = createFromProbe(verdict, {
    objectRef,
    timezone: 'UTC',
    defaultSensor: 'fixture-sensor',
  });
  const { records_in, skipped, quarantined, flows } = parseLines(parser, lines);
  return {
    source_type: parser.sourceType,
    variant: verdict?.kind === 'flows' ? verdict.variant : '',
    records_in,
    skipped,
    quarantined,
    flows,
  };
}

/** Reads an expected-result file. */
export function readExpected(path: string): ParserFixtureResult {
  return JSON.parse(readFileSync(path, 'utf8')) as ParserFixtureResult;
}
