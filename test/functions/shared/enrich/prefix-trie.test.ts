import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cidrContains,
  maskBytes,
  parseCidr,
  parseIp,
  parseIpv4,
} from '../../../../functions/shared/enrich/ip-address.js';
import { PrefixTrie } from '../../../../functions/shared/enrich/prefix-trie.js';

function trieOf(
  bitWidth: 32 | 128,
  prefixes: readonly [string, string, number][],
): PrefixTrie<string> {
  const trie = new PrefixTrie<string>(bitWidth);
  for (const [text, value, rank] of prefixes) {
    const cidr = parseCidr(text);
    trie.insert(cidr.bytes, cidr.prefixLength, value, rank);
  }
  return trie;
}

function key(text: string): Uint8Array {
  const address = parseIp(text);
  if (address === null) throw new Error(`bad test address ${text}`);
  return address.bytes;
}

describe('Class: PrefixTrie', () => {
  it('returns the smallest rank, not the longest prefix', () => {
    // Prepare
    const trie = trieOf(32, [
      ['10.0.0.0/8', 'broad', 0],
      ['10.10.0.0/24', 'narrow', 1],
    ]);

    // Act
    const first = trie.matchFirst(key('10.10.0.7'));

    // Assess
    expect(first).toBe('broad');
  });

  it('returns the narrower prefix when it ranks first', () => {
    // Prepare
    const trie = trieOf(32, [
      ['10.10.0.0/24', 'narrow', 0],
      ['10.0.0.0/8', 'broad', 1],
    ]);

    // Act
    const inNarrow = trie.matchFirst(key('10.10.0.7'));
    const inBroad = trie.matchFirst(key('10.11.0.7'));
    const outside = trie.matchFirst(key('11.0.0.1'));

    // Assess
    expect([inNarrow, inBroad, outside]).toEqual(['narrow', 'broad', undefined]);
  });

  it('lists every covering value, shortest prefix first, then by rank', () => {
    // Prepare
    const trie = trieOf(32, [
      ['10.10.0.0/24', 'c', 0],
      ['0.0.0.0/0', 'everything', 5],
      ['10.0.0.0/8', 'b', 3],
      ['10.0.0.0/8', 'a', 2],
      ['192.168.0.0/16', 'other', 1],
    ]);

    // Act
    const all = trie.matchAll(key('10.10.0.200'));

    // Assess
    expect(all).toEqual(['everything', 'a', 'b', 'c']);
  });

  it('keeps the first inserted value on a tie', () => {
    // Prepare
    const trie = trieOf(32, [
      ['10.0.0.0/8', 'first', 1],
      ['10.0.0.0/8', 'second', 1],
    ]);

    // Act
    const first = trie.matchFirst(key('10.1.1.1'));

    // Assess
    expect(first).toBe('first');
  });

  it('matches /0 and /32 prefixes', () => {
    // Prepare
    const trie = trieOf(32, [
      ['10.0.5.10/32', 'host', 0],
      ['0.0.0.0/0', 'default', 1],
    ]);

    // Act
    const host = trie.matchFirstUint32(parseIpv4('10.0.5.10'));
    const neighbour = trie.matchFirstUint32(parseIpv4('10.0.5.11'));

    // Assess
    expect([host, neighbour]).toEqual(['host', 'default']);
  });

  it('looks up IPv6 keys', () => {
    // Prepare
    const trie = trieOf(128, [
      ['2001:db8:10::/48', 'ehr', 0],
      ['2001:db8::/32', 'campus', 1],
      ['::/0', 'any', 2],
    ]);

    // Act
    const results = ['2001:db8:10::5', '2001:db8:11::5', 'fe80::1'].map((a) =>
      trie.matchFirst(key(a)),
    );

    // Assess
    expect(results).toEqual(['ehr', 'campus', 'any']);
  });

  it('rejects a key of the wrong width', () => {
    // Prepare
    const trie = new PrefixTrie<string>(32);

    // Act
    const act = () => trie.insert(new Uint8Array(16), 8, 'x', 0);

    // Assess
    expect(act).toThrow('expected a 4-byte key and a prefix length 0–32, got 16 bytes /8');
  });

  it('agrees with a linear scan over many random prefixes (also past node growth)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 32 })), {
          minLength: 1,
          maxLength: 60,
        }),
        fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 20 }),
        (prefixes, probes) => {
          // Addresses share the 10.x prefix so random prefixes overlap often.
          const text = (n: number) => `10.${n >>> 8}.${n & 0xff}.${(n * 7) & 0xff}`;
          const trie = new PrefixTrie<number>(32);
          const cidrs = prefixes.map(([n, length], rank) => {
            const masked = cidrAround(text(n), length);
            trie.insert(masked.bytes, masked.prefixLength, rank, rank);
            return masked;
          });
          for (const probe of probes) {
            const address = parseIp(text(probe));
            if (address === null) throw new Error('bad probe');
            const naive = cidrs.findIndex((cidr) => cidrContains(cidr, address));
            expect(trie.matchFirst(address.bytes) ?? -1).toBe(naive);
            expect(trie.matchFirstUint32(parseIpv4(text(probe))) ?? -1).toBe(naive);
            expect(trie.matchAll(address.bytes).length).toBe(
              cidrs.filter((cidr) => cidrContains(cidr, address)).length,
            );
          }
        },
      ),
    );
  });
});

/** The CIDR of `length` bits around an IPv4 address (host bits cleared). */
function cidrAround(address: string, length: number) {
  return { family: 4 as const, bytes: maskBytes(key(address), length), prefixLength: length };
}
