import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ZoneResolver } from '../../../../functions/shared/enrich/zones.js';
import { FLOW_COLUMNS } from '../../../../functions/shared/flow-record.js';
import {
  ingestSegment,
  ingestSegmentBytes,
  type SegmentContext,
} from '../../../../functions/shared/ingest/segment-ingest.js';
import { segmentLines } from '../../../../functions/shared/ingest/segments.js';
import { SegmentRows } from '../../../../functions/shared/lake/segment-rows.js';
import { SharedRowGroupEncoder } from '../../../../functions/shared/lake/shared-row-group-encoder.js';
import type { LineParser } from '../../../../functions/shared/parsers/line-parser.js';
import { probeVpcFlowLog } from '../../../../functions/shared/parsers/vpc-flow-log.js';

const FIXTURES = join(import.meta.dirname, '../../../fixtures/parsers/vpc');
const ZONES = new ZoneResolver({
  network: { internal: ['10.0.0.0/8', '2001:db8::/32'] },
  zones: [
    { name: 'ehr-db', cidrs: ['10.10.0.0/16'], tags: [] },
    { name: 'lab', cidrs: ['2001:db8:1::/48', '10.20.0.0/16'], tags: [] },
  ],
});
const HEADER =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';

/** Records of every shape the byte path must handle or hand over: IPv6, bad values, CRLF, … */
function mixedLog(): string {
  const lines = [HEADER];
  const t = 1795946400;
  for (let i = 0; i < 3000; i++) {
    const src = i % 9 === 0 ? `2001:db8:1::${i % 50}` : `10.${10 * (1 + (i % 3))}.0.${i % 200}`;
    const dst = i % 13 === 0 ? '010.0.0.1' : `203.0.113.${i % 40}`;
    const proto = [6, 17, 1, 58, 47][i % 5];
    let line = `2 1234567890${i % 4} eni-${i % 17} ${src} ${dst} ${i % 65536} 443 ${proto} ${i} ${i * 9} ${t + i} ${t + i + 60} ${i % 3 === 0 ? 'REJECT' : 'ACCEPT'} OK`;
    if (i % 101 === 0) line = `2 1234567890 eni-x - - - - - - - ${t} ${t} - NODATA`;
    if (i % 103 === 0) line = line.replace(' 443 ', ' https ');
    if (i % 107 === 0) line = `${line}\r`;
    if (i % 109 === 0) line = line.replace('eni-', 'eni-ü');
    if (i % 113 === 0) line = '';
    if (i % 127 === 0)
      line = line.replace(`${t + i} ${t + i + 60}`, `${t + i + 7200} ${t + i + 7260}`);
    lines.push(line);
  }
  return `${lines.join('\n')}\n`;
}

function context(parser: LineParser): SegmentContext {
  return {
    parser,
    sourceType: 'vpc',
    refPrefix: 'flows/ü.log:',
    zones: ZONES,
    rows: new SegmentRows(new SharedRowGroupEncoder(FLOW_COLUMNS)),
    settledAfterLine: 1,
  };
}

function parserFor(text: string): LineParser {
  const verdict = probeVpcFlowLog([text.slice(0, text.indexOf('\n'))]);
  if (verdict?.kind !== 'flows') throw new Error('expected a VPC header');
  return verdict.create({ objectRef: 'flows/ü.log', timezone: 'UTC', defaultSensor: 'site' });
}

/** The same parser without its byte path: every line goes through `parseLine`. */
function textOnly(parser: LineParser): LineParser {
  return {
    sourceType: parser.sourceType,
    ignoredFields: parser.ignoredFields,
    parseLine: (line, lineNumber) => parser.parseLine(line, lineNumber),
  };
}

const inputs = [
  ...readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.log'))
    .map((f) => [f, readFileSync(join(FIXTURES, f), 'utf8')] as const),
  ['mixed records', mixedLog()] as const,
];

describe('Function: ingestSegmentBytes', () => {
  it.each(inputs)('writes for %s the rows parseLine gives', (_name, text) => {
    // Prepare
    const bytes = new Uint8Array(Buffer.from(text, 'utf8'));

    // Act
    const scanned = ingestSegmentBytes(bytes, 1, context(parserFor(text)));
    const parsed = ingestSegment(segmentLines(bytes), 1, context(textOnly(parserFor(text))));

    // Assess
    expect(scanned).toEqual(parsed);
    expect(scanned.groups.length).toBeGreaterThan(0);
  });

  it('gives the rows of text lines the same way', () => {
    // Prepare
    const text = mixedLog();
    const bytes = new Uint8Array(Buffer.from(text, 'utf8'));

    // Act
    const fromBytes = ingestSegmentBytes(bytes, 1, context(parserFor(text)));
    const fromLines = ingestSegment(segmentLines(bytes), 1, context(parserFor(text)));

    // Assess
    expect(fromLines).toEqual(fromBytes);
  });

  it('writes row groups straight into the lake files when given them', () => {
    // Prepare
    const text = mixedLog();
    const bytes = new Uint8Array(Buffer.from(text, 'utf8'));
    const written: number[] = [];
    const lake = { writeColumns: (bucket: number) => void written.push(bucket) };

    // Act
    const result = ingestSegmentBytes(bytes, 1, { ...context(parserFor(text)), lake });

    // Assess
    expect(result.groups).toEqual([]);
    expect(written).toEqual([498874, 498876]);
  });
});
