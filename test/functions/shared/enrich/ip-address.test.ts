import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AddressParseError,
  cidrContains,
  formatIp,
  parseCidr,
  parseIp,
  parseIpv4,
  parseIpv6Into,
} from '../../../../functions/shared/enrich/ip-address.js';

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

describe('Function: parseIpv4', () => {
  it.each([
    ['0.0.0.0', 0],
    ['10.1.2.3', 0x0a010203],
    ['192.168.0.1', 0xc0a80001],
    ['255.255.255.255', 0xffffffff],
  ])('parses %s', (text, value) => {
    // Act
    const parsed = parseIpv4(text);

    // Assess
    expect(parsed).toBe(value);
  });

  it.each([
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.0.0.1',
    '1.2.3.-1',
    '01.2.3.4',
    '1..2.3',
    '1.2.3.4 ',
    ' 1.2.3.4',
    '1.2.3.4/32',
    '::1',
    'a.b.c.d',
  ])('rejects %j', (text) => {
    // Act
    const parsed = parseIpv4(text);

    // Assess
    expect(parsed).toBe(-1);
  });

  it('agrees with node:net on every address it formats', () => {
    fc.assert(
      fc.property(fc.ipV4(), (text) => {
        expect(parseIpv4(text) >= 0).toBe(isIP(text) === 4);
      }),
    );
  });
});

describe('Function: parseIpv6Into', () => {
  it.each([
    ['::', '00000000000000000000000000000000'],
    ['::1', '00000000000000000000000000000001'],
    ['1::', '00010000000000000000000000000000'],
    ['2001:db8::1', '20010db8000000000000000000000001'],
    ['2001:DB8:0:0:8:800:200C:417A', '20010db80000000000080800200c417a'],
    ['fe80:0001:0203:0405:0607:0809:0A0B:0C0D', 'fe80000102030405060708090a0b0c0d'],
    ['::ffff:1.2.3.4', '00000000000000000000ffff01020304'],
    ['64:ff9b::192.0.2.33', '0064ff9b0000000000000000c0000221'],
    ['1:2:3:4:5:6:7::', '00010002000300040005000600070000'],
    ['fe80::1%eth0', 'fe800000000000000000000000000001'],
    ['fe80::1%25', 'fe800000000000000000000000000001'],
  ])('parses %s', (text, bytes) => {
    // Prepare
    const out = new Uint8Array(16);

    // Act
    const ok = parseIpv6Into(text, out);

    // Assess
    expect(ok).toBe(true);
    expect(hex(out)).toBe(bytes);
  });

  it.each([
    '',
    ':',
    ':::',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '1::2::3',
    ':1::',
    '1:',
    '12345::',
    'g::1',
    '::1.2.3',
    '::1.2.3.256',
    '1:2:3:4:5:6:7:1.2.3.4',
    '1.2.3.4',
    'fe80::1%',
    '1:2:3:4:5:6:7:8::',
  ])('rejects %j', (text) => {
    // Act
    const ok = parseIpv6Into(text, new Uint8Array(16));

    // Assess
    expect(ok).toBe(false);
  });

  it('agrees with node:net on every address fast-check formats', () => {
    fc.assert(
      fc.property(fc.ipV6(), (text) => {
        const out = new Uint8Array(16);
        expect(parseIpv6Into(text, out)).toBe(isIP(text) === 6);
      }),
    );
  });
});

describe('Function: formatIp', () => {
  it.each([
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['::ffff:10.1.2.3', '::ffff:10.1.2.3'],
    ['10.1.2.3', '10.1.2.3'],
  ])('formats %s as %s (RFC 5952)', (text, formatted) => {
    // Prepare
    const address = parseIp(text);

    // Act
    const result = address === null ? null : formatIp(address.family, address.bytes);

    // Assess
    expect(result).toBe(formatted);
  });

  it('round-trips any address through parseIp', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ minLength: 4, maxLength: 4 }),
          fc.uint8Array({ minLength: 16, maxLength: 16 }),
        ),
        (bytes) => {
          const family = bytes.length === 4 ? 4 : 6;
          const parsed = parseIp(formatIp(family, bytes));
          expect(parsed?.family).toBe(family);
          expect(hex(parsed?.bytes ?? new Uint8Array())).toBe(hex(bytes));
        },
      ),
    );
  });
});

describe('Function: parseCidr', () => {
  it.each([
    ['10.0.0.0/8', 4, '0a000000', 8],
    ['0.0.0.0/0', 4, '00000000', 0],
    ['10.0.5.10/32', 4, '0a00050a', 32],
    ['2001:db8::/32', 6, '20010db8000000000000000000000000', 32],
    ['::/0', 6, '00000000000000000000000000000000', 0],
    ['::1/128', 6, '00000000000000000000000000000001', 128],
  ])('parses %s', (text, family, bytes, prefixLength) => {
    // Act
    const cidr = parseCidr(text);

    // Assess
    expect({
      family: cidr.family,
      bytes: hex(cidr.bytes),
      prefixLength: cidr.prefixLength,
    }).toEqual({ family, bytes, prefixLength });
  });

  it.each([
    ['10.0.0.1/8', '10.0.0.1/8 has host bits set; did you mean 10.0.0.0/8?'],
    ['10.10.1.0/22', '10.10.1.0/22 has host bits set; did you mean 10.10.0.0/22?'],
    ['2001:db8::1/32', '2001:db8::1/32 has host bits set; did you mean 2001:db8::/32?'],
    ['10.0.0.0', 'expected a CIDR such as 10.0.0.0/8 or 2001:db8::/32, got "10.0.0.0"'],
    ['10.0.0.0/8/8', 'expected a CIDR such as 10.0.0.0/8 or 2001:db8::/32, got "10.0.0.0/8/8"'],
    ['10.0.0.0/33', '"10.0.0.0/33": expected a prefix length 0–32 for IPv4, got "33"'],
    ['::/129', '"::/129": expected a prefix length 0–128 for IPv6, got "129"'],
    ['10.0.0.0/08', '"10.0.0.0/08": expected a prefix length 0–32 for IPv4, got "08"'],
    ['10.0.0.0/', '"10.0.0.0/": expected a prefix length 0–32 for IPv4, got ""'],
    ['fe80::%eth0/64', '"fe80::%eth0/64": a %zone suffix is not allowed in a CIDR; remove it'],
    ['host/24', '"host/24": expected an IPv4 or IPv6 address before "/", got "host"'],
  ])('rejects %s', (text, message) => {
    // Act
    const act = () => parseCidr(text);

    // Assess
    expect(act).toThrow(AddressParseError);
    expect(act).toThrow(message);
  });
});

describe('Function: cidrContains', () => {
  it('tests membership within the same family only', () => {
    // Prepare
    const cidr = parseCidr('10.20.0.0/22');

    // Act
    const inside = cidrContains(cidr, parseIp('10.20.3.255') ?? fail());
    const outside = cidrContains(cidr, parseIp('10.20.4.0') ?? fail());
    const otherFamily = cidrContains(cidr, parseIp('::ffff:10.20.0.1') ?? fail());

    // Assess
    expect([inside, outside, otherFamily]).toEqual([true, false, false]);
  });
});

function fail(): never {
  throw new Error('unexpected parse failure');
}
