import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COMMUNITY_ID_LENGTH,
  communityId,
  communityIdIpv4Into,
} from '../../../../functions/shared/enrich/community-id.js';
import { formatIp, parseIp, parseIpv4 } from '../../../../functions/shared/enrich/ip-address.js';
import { sha1Block } from '../../../../functions/shared/enrich/sha1-block.js';

interface Vector {
  readonly source: string;
  readonly protocol: number;
  readonly src_ip: string;
  readonly dst_ip: string;
  readonly src_port: number | null;
  readonly dst_port: number | null;
  readonly seed: number;
  readonly community_id: string;
  readonly comment: string;
}

const VECTORS = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../fixtures/community-id/vectors.json'), 'utf8'),
) as { source: string; vectors: Vector[] };

describe('Function: communityId', () => {
  it('has published vectors to check against', () => {
    // Assess
    expect(VECTORS.source).toContain('https://github.com/corelight/community-id-spec');
    expect(VECTORS.vectors.length).toBeGreaterThan(100);
  });

  it.each(VECTORS.vectors.map((v, i) => ({ ...v, name: `#${i} ${v.comment} (seed ${v.seed})` })))(
    'matches vector $name',
    (v) => {
      // Act
      const id = communityId(v.src_ip, v.dst_ip, v.protocol, v.src_port, v.dst_port, v.seed);

      // Assess
      expect(id).toBe(v.community_id);
    },
  );

  it.each([
    ['an unparseable source', 'host-a', '10.0.0.1', 6, 1, 2],
    ['an unparseable destination', '10.0.0.1', '10.0.0.256', 6, 1, 2],
    ['mixed families', '10.0.0.1', '::1', 6, 1, 2],
    ['mixed families, IPv6 first', '::1', '10.0.0.1', 17, 1, 2],
    ['a TCP flow without ports', '10.0.0.1', '10.0.0.2', 6, null, null],
    ['an ICMP flow without type', '10.0.0.1', '10.0.0.2', 1, null, 0],
    ['a port above 65535', '10.0.0.1', '10.0.0.2', 17, 70000, 53],
    ['a fractional port', '10.0.0.1', '10.0.0.2', 17, 53.5, 53],
    ['a protocol above 255', '10.0.0.1', '10.0.0.2', 256, null, null],
  ])('returns null for %s', (_case, src, dst, protocol, srcPort, dstPort) => {
    // Act
    const id = communityId(src, dst, protocol, srcPort, dstPort);

    // Assess
    expect(id).toBeNull();
  });

  it('returns null for a seed outside 0–65535', () => {
    // Act
    const id = communityId('10.0.0.1', '10.0.0.2', 6, 1, 2, 65536);

    // Assess
    expect(id).toBeNull();
  });

  it('ignores ports of protocols that have none', () => {
    // Act
    const withPorts = communityId('10.1.12.1', '10.1.12.2', 46, 0, 0);
    const withoutPorts = communityId('10.1.12.1', '10.1.12.2', 46, null, null);

    // Assess
    expect(withPorts).toBe(withoutPorts);
  });

  it('hashes IPv6 text forms of one address alike (case, zeros, %zone)', () => {
    // Act
    const ids = ['2001:db8::1', '2001:DB8:0:0:0:0:0:1', '2001:0db8::0001', '2001:db8::1%eth0'].map(
      (src) => communityId(src, '2001:db8::2', 6, 1234, 80),
    );

    // Assess
    expect(new Set(ids).size).toBe(1);
  });

  it('gives a flow and its reverse the same id', () => {
    fc.assert(
      fc.property(tupleArbitrary(), ([src, dst, protocol, sport, dport, seed]) => {
        expect(communityId(src, dst, protocol, sport, dport, seed)).toBe(
          communityId(dst, src, protocol, dport, sport, seed),
        );
      }),
    );
  });

  it('agrees with a node:crypto implementation written from the spec', () => {
    fc.assert(
      fc.property(
        tupleArbitrary(),
        fc.constantFrom(1, 6, 17, 46, 58, 132),
        ([src, dst, , sport, dport, seed], protocol) => {
          expect(communityId(src, dst, protocol, sport, dport, seed)).toBe(
            referenceCommunityId(src, dst, protocol, sport, dport, seed),
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('Function: communityIdIpv4Into', () => {
  it('writes the text communityId returns for the same IPv4 flow', () => {
    // Prepare
    const out = new Uint8Array(40);
    const v4 = VECTORS.vectors.filter((v) => parseIpv4(v.src_ip) >= 0 && parseIpv4(v.dst_ip) >= 0);

    fc.assert(
      fc.property(
        fc.constantFrom(...v4),
        fc.option(fc.integer({ min: -1, max: 65535 })),
        (v, port) => {
          // Act
          const end = communityIdIpv4Into(
            out,
            3,
            parseIpv4(v.src_ip),
            parseIpv4(v.dst_ip),
            v.protocol,
            port ?? v.src_port,
            v.dst_port,
            v.seed,
          );

          // Assess
          const expected = communityId(
            v.src_ip,
            v.dst_ip,
            v.protocol,
            port === -1 ? null : (port ?? v.src_port),
            v.dst_port,
            v.seed,
          );
          if (expected === null) expect(end).toBe(-1);
          else {
            expect(end).toBe(3 + COMMUNITY_ID_LENGTH);
            expect(Buffer.from(out.subarray(3, end)).toString('latin1')).toBe(expected);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('Function: sha1Block', () => {
  it('hashes one padded block as node:crypto hashes the message', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 55 }), (message) => {
        // Prepare: pad to one 64-byte block, big-endian words
        const block = Buffer.alloc(64);
        block.set(message);
        block[message.length] = 0x80;
        block.writeUInt32BE(message.length * 8, 60);
        const words = Int32Array.from({ length: 16 }, (_, i) => block.readInt32BE(i * 4));
        const digest = new Int32Array(5);

        // Act
        sha1Block(words, digest);

        // Assess
        const bytes = Buffer.alloc(20);
        digest.forEach((word, i) => {
          bytes.writeInt32BE(word, i * 4);
        });
        expect(bytes.toString('hex')).toBe(createHash('sha1').update(message).digest('hex'));
      }),
      { numRuns: 300 },
    );
  });
});

type Tuple = [string, string, number, number, number, number];

function tupleArbitrary(): fc.Arbitrary<Tuple> {
  const family = fc.constantFrom<4 | 6>(4, 6);
  return family.chain((f) => {
    const bytes = fc.uint8Array({ minLength: f === 4 ? 4 : 16, maxLength: f === 4 ? 4 : 16 });
    const address = bytes.map((b) => formatIp(f, b));
    return fc
      .tuple(
        address,
        // Equal addresses exercise the port tie-break.
        fc.oneof(address, fc.constant('')),
        fc.constantFrom(6, 17, 132),
        fc.integer({ min: 0, max: 65535 }),
        fc.integer({ min: 0, max: 65535 }),
        fc.integer({ min: 0, max: 65535 }),
      )
      .map(([a, b, ...rest]): Tuple => [a, b === '' ? a : b, ...rest]);
  });
}

/** A plain transcription of pycommunityid's algorithm, hashed with node:crypto. */
function referenceCommunityId(
  src: string,
  dst: string,
  protocol: number,
  sport: number,
  dport: number,
  seed: number,
): string {
  const icmp4: Record<number, number> = {
    8: 0,
    0: 8,
    13: 14,
    14: 13,
    15: 16,
    16: 15,
    10: 9,
    9: 10,
    17: 18,
    18: 17,
  };
  const icmp6: Record<number, number> = {
    128: 129,
    129: 128,
    130: 131,
    131: 130,
    133: 134,
    134: 133,
    135: 136,
    136: 135,
    139: 140,
    140: 139,
    144: 145,
    145: 144,
  };
  const a = Buffer.from(parseIp(src)?.bytes ?? []);
  const b = Buffer.from(parseIp(dst)?.bytes ?? []);
  const hasPorts = [1, 6, 17, 58, 132].includes(protocol);
  let [p1, p2, oneWay] = [sport, dport, false];
  if (protocol === 1 || protocol === 58) {
    const counterpart = (protocol === 1 ? icmp4 : icmp6)[sport];
    if (counterpart === undefined) oneWay = true;
    else p2 = counterpart;
  }
  const cmp = Buffer.compare(a, b);
  const ordered = oneWay || cmp < 0 || (cmp === 0 && hasPorts && p1 < p2);
  const parts = [Buffer.from([seed >> 8, seed & 255])];
  parts.push(ordered ? a : b, ordered ? b : a, Buffer.from([protocol, 0]));
  if (hasPorts) {
    const [x, y] = ordered ? [p1, p2] : [p2, p1];
    parts.push(Buffer.from([x >> 8, x & 255, y >> 8, y & 255]));
  }
  return `1:${createHash('sha1').update(Buffer.concat(parts)).digest('base64')}`;
}
