import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_V2_HEADER,
  probeVpcFlowLog,
  splitVpcLine,
} from '../../../../functions/shared/parsers/vpc-flow-log.js';
import {
  listFixtureCases,
  readExpected,
  runParserFixture,
} from '../../../helpers/parser-fixtures.js';

const FIXTURES = join(import.meta.dirname, '../../../fixtures/parsers/vpc');
const KEY_PREFIX = 'AWSLogs/123456789010/vpcflowlogs/us-east-1/2026/11/29/';

function create(header: string, objectRef = 'flows.log') {
  const verdict = probeVpcFlowLog([header]);
  if (verdict?.kind !== 'flows') throw new Error(`probe rejected ${header}`);
  return verdict.create({ objectRef, timezone: 'UTC', defaultSensor: 'fallback' });
}

describe('Parser: VPC flow log fixtures', () => {
  it.each(listFixtureCases(FIXTURES))(
    'parses $name as its golden file says',
    ({ input, expected }) => {
      // Act
      const result = runParserFixture(
        probeVpcFlowLog,
        input,
        `${KEY_PREFIX}${input.split('/').pop()}`,
      );

      // Assess
      expect(result).toEqual(readExpected(expected));
    },
  );
});

describe('Parser: VPC flow log header', () => {
  it('recognises the default v2 format', () => {
    expect(probeVpcFlowLog([DEFAULT_V2_HEADER])).toMatchObject({
      kind: 'flows',
      variant: 'vpc-v2-default',
    });
  });

  it('rejects lines that are not a header of field names', () => {
    expect(
      probeVpcFlowLog(['2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK']),
    ).toBeNull();
    expect(probeVpcFlowLog(['#fields\tts\tuid'])).toBeNull();
    expect(probeVpcFlowLog(['ts,te,td,sa,da'])).toBeNull();
  });

  it('says why a custom format without times cannot be used', () => {
    // Prepare: AWS's NAT gateway sample format has no start/end/protocol.
    const header = 'instance-id interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr';

    // Act
    const verdict = probeVpcFlowLog([header]);

    // Assess
    expect(verdict).toEqual({
      kind: 'not-flows',
      reason:
        'VPC flow log format without protocol, start, end: its records cannot be placed as flows',
    });
  });

  it('lists fields it does not use, including names AWS may add later', () => {
    const parser = create('version srcaddr dstaddr protocol start end az-id future-field');
    expect(parser.ignoredFields).toEqual(['version', 'az-id', 'future-field']);
  });

  it('maps columns by name whatever their order', () => {
    // Prepare
    const parser = create('end start dstaddr srcaddr protocol bytes packets dstport srcport');
    parser.parseLine('end start dstaddr srcaddr protocol bytes packets dstport srcport', 1);

    // Act
    const outcome = parser.parseLine('1764410460 1764410400 10.0.0.2 10.0.0.1 17 99 1 53 40000', 2);

    // Assess
    expect(outcome).toMatchObject({
      kind: 'flow',
      flow: {
        src_ip: '10.0.0.1',
        dst_ip: '10.0.0.2',
        src_port: 40000,
        dst_port: 53,
        protocol: 17,
        bytes_out: 99,
      },
    });
  });
});

describe('Parser: VPC flow log lines', () => {
  it('splits on runs of spaces', () => {
    expect(splitVpcLine(' a  b   c ')).toEqual(['a', 'b', 'c']);
  });

  it('uses the S3 key for account and region when the record lacks them', () => {
    // Prepare
    const parser = create(
      'interface-id srcaddr dstaddr protocol start end',
      'landing/AWSLogs/aws-account-id=111122223333/aws-service=vpcflowlogs/aws-region=eu-west-1/year=2026/month=11/day=29/hour=10/x.log.gz',
    );
    parser.parseLine('interface-id srcaddr dstaddr protocol start end', 1);

    // Act
    const outcome = parser.parseLine('eni-0abc 10.0.0.1 10.0.0.2 6 1764410400 1764410460', 2);

    // Assess
    expect(outcome).toMatchObject({
      kind: 'flow',
      flow: { sensor: '111122223333:eu-west-1/eni-0abc' },
    });
  });

  it('never throws and classifies every record, whatever the mutation', () => {
    const valid =
      '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';
    const tokens = valid.split(' ');
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.constantFrom(...tokens),
            fc.string(),
            fc.constantFrom('-', 'NODATA', '', '  '),
          ),
          {
            minLength: 0,
            maxLength: 20,
          },
        ),
        (parts) => {
          const parser = create(DEFAULT_V2_HEADER);
          parser.parseLine(DEFAULT_V2_HEADER, 1);
          const outcome = parser.parseLine(parts.join(' '), 2);
          expect(['flow', 'skipped', 'quarantined', 'meta']).toContain(outcome.kind);
          if (outcome.kind === 'meta') expect(parts.join(' ').trim()).toBe('');
        },
      ),
    );
  });
});
