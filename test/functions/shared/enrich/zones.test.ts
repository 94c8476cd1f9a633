import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type WardflowConfig } from '../../../../functions/shared/config.js';
import {
  cidrContains,
  formatIp,
  type IpFamily,
  maskBytes,
  parseCidr,
  parseIp,
} from '../../../../functions/shared/enrich/ip-address.js';
import { ZoneResolver } from '../../../../functions/shared/enrich/zones.js';

type ZonesConfig = Pick<WardflowConfig, 'network' | 'zones'>;

function zonesConfig(
  zones: readonly [string, readonly string[]][],
  internal: readonly string[] = DEFAULT_CONFIG.network.internal,
): ZonesConfig {
  return {
    network: { internal },
    zones: zones.map(([name, cidrs]) => ({ name, cidrs, tags: [] })),
  };
}

const HOSPITAL = zonesConfig(
  [
    ['ehr-db', ['10.10.0.0/24', '2001:db8:10::/48']],
    ['imaging', ['10.20.0.0/22']],
    ['campus-v6', ['2001:db8::/32']],
    ['partner-lab', ['198.51.100.0/24']],
  ],
  ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '2001:db8::/32'],
);

describe('Class: ZoneResolver', () => {
  it('gives an address the same zone warm as cold (the IPv4 cache)', () => {
    // Prepare: nested prefixes down to /32, so neighbours differ in their last bits
    const config = zonesConfig(
      [
        ['host', ['10.1.2.3/32']],
        ['rack', ['10.1.2.0/29']],
        ['site', ['10.1.0.0/16']],
      ],
      ['10.0.0.0/8'],
    );
    const warm = new ZoneResolver(config);

    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 16 - 1 }), fc.nat(255), (low, high) => {
        // Act
        const address = `10.${high === 0 ? 1 : high % 3}.${low >>> 8}.${low & 255}`;

        // Assess
        expect(warm.zoneOf(address)).toBe(new ZoneResolver(config).zoneOf(address));
      }),
      { numRuns: 3000 },
    );
    expect(warm.zoneOf('10.1.2.3')).toBe('host');
    expect(warm.zoneOf('10.1.2.2')).toBe('rack');
  });

  it.each([
    ['10.10.0.5', 'ehr-db'],
    ['10.20.3.255', 'imaging'],
    ['10.20.4.0', 'unzoned'],
    ['192.168.1.1', 'unzoned'],
    ['8.8.8.8', 'external'],
    ['2001:db8:10::5', 'ehr-db'],
    ['2001:db8:11::5', 'campus-v6'],
    ['2001:db9::1', 'external'],
    ['::ffff:10.10.0.5', 'ehr-db'],
    ['fe80::1%eth0', 'external'],
    ['198.51.100.7', 'partner-lab'],
    ['not-an-ip', 'external'],
  ])('puts %s in zone %s', (ip, zone) => {
    // Prepare
    const resolver = new ZoneResolver(HOSPITAL);

    // Act
    const result = resolver.zoneOf(ip);

    // Assess
    expect(result).toBe(zone);
  });

  it('lets the first listed zone win even when a later zone is the longer match', () => {
    // Prepare
    const resolver = new ZoneResolver(
      zonesConfig([
        ['campus', ['10.0.0.0/8']],
        ['ehr-db', ['10.10.0.0/24']],
      ]),
    );

    // Act
    const zone = resolver.zoneOf('10.10.0.5');

    // Assess
    expect(zone).toBe('campus');
  });

  it('lets the narrower zone win when it is listed first', () => {
    // Prepare
    const resolver = new ZoneResolver(
      zonesConfig([
        ['ehr-db', ['10.10.0.0/24']],
        ['campus', ['10.0.0.0/8']],
      ]),
    );

    // Act
    const zones = [resolver.zoneOf('10.10.0.5'), resolver.zoneOf('10.11.0.5')];

    // Assess
    expect(zones).toEqual(['ehr-db', 'campus']);
  });

  it('counts a zone outside network.internal as internal', () => {
    // Prepare
    const resolver = new ZoneResolver(HOSPITAL);

    // Act
    const internal = resolver.isInternal('198.51.100.7');
    const flow = resolver.classify('198.51.100.7', '8.8.8.8');

    // Assess
    expect(internal).toBe(true);
    expect(flow).toEqual({ direction: 'outbound', src_zone: 'partner-lab', dst_zone: 'external' });
  });

  it.each([
    ['10.10.0.5', '10.20.0.9', 'internal', 'ehr-db', 'imaging'],
    ['10.30.0.1', '203.0.113.66', 'outbound', 'unzoned', 'external'],
    ['203.0.113.66', '10.10.0.5', 'inbound', 'external', 'ehr-db'],
    ['203.0.113.66', '8.8.8.8', 'external', 'external', 'external'],
    ['2001:db8:10::5', '2001:db8:77::1', 'internal', 'ehr-db', 'campus-v6'],
    ['2606:4700::1111', '2001:db8:10::5', 'inbound', 'external', 'ehr-db'],
  ])('classifies %s → %s as %s', (src, dst, direction, srcZone, dstZone) => {
    // Prepare
    const resolver = new ZoneResolver(HOSPITAL);

    // Act
    const flow = resolver.classify(src, dst);

    // Assess
    expect(flow).toEqual({ direction, src_zone: srcZone, dst_zone: dstZone });
  });

  it('treats every address as external with no internal networks and no zones', () => {
    // Prepare
    const resolver = new ZoneResolver(zonesConfig([], []));

    // Act
    const flow = resolver.classify('10.0.0.1', '10.0.0.2');

    // Assess
    expect(flow).toEqual({ direction: 'external', src_zone: 'external', dst_zone: 'external' });
  });

  it('maps IPv4-mapped CIDRs onto IPv4 addresses', () => {
    // Prepare
    const resolver = new ZoneResolver(zonesConfig([['legacy', ['::ffff:10.40.0.0/112']]], []));

    // Act
    const zones = [resolver.zoneOf('10.40.1.2'), resolver.zoneOf('::ffff:10.40.1.2')];

    // Assess
    expect(zones).toEqual(['legacy', 'legacy']);
  });

  it('agrees with a naive first-match linear scan on random zones and addresses', () => {
    fc.assert(
      fc.property(
        zonesArbitrary(),
        fc.array(addressArbitrary(), { maxLength: 30 }),
        (config, ips) => {
          const resolver = new ZoneResolver(config);
          for (const ip of ips) {
            expect(resolver.zoneOf(ip)).toBe(naiveZoneOf(config, ip));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** The specification, written as plainly as possible: first zone, then internal, then external. */
function naiveZoneOf(config: ZonesConfig, ip: string): string {
  const address = parseIp(ip);
  if (address === null) return 'external';
  for (const zone of config.zones) {
    if (zone.cidrs.some((text) => cidrContains(parseCidr(text), address))) return zone.name;
  }
  const internal = config.network.internal.some((text) => cidrContains(parseCidr(text), address));
  return internal ? 'unzoned' : 'external';
}

// Random addresses stay inside small neighbourhoods (10.0.0.0/16, 2001:db8::/112) so random
// CIDRs overlap each other and the addresses often; the rest of the space still shows up.
const v4Bytes = fc.oneof(
  fc
    .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }))
    .map(([a, b]) => Uint8Array.of(10, 0, a, b)),
  fc.uint8Array({ minLength: 4, maxLength: 4 }),
);
const v6Bytes = fc.oneof(
  fc
    .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }))
    .map(([a, b]) => Uint8Array.of(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, a, b)),
  fc.uint8Array({ minLength: 16, maxLength: 16 }),
);

function addressArbitrary(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: v4Bytes.map((bytes) => formatIp(4, bytes)) },
    { weight: 1, arbitrary: v6Bytes.map((bytes) => formatIp(6, bytes)) },
  );
}

function cidrArbitrary(): fc.Arbitrary<string> {
  const make = (family: IpFamily, bytes: Uint8Array, length: number) =>
    `${formatIp(family, maskBytes(bytes, length))}/${length}`;
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc.tuple(v4Bytes, fc.integer({ min: 0, max: 32 })).map(([b, l]) => make(4, b, l)),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          v6Bytes,
          fc.oneof(fc.integer({ min: 0, max: 128 }), fc.integer({ min: 100, max: 128 })),
        )
        .map(([b, l]) => make(6, b, l)),
    },
  );
}

function zonesArbitrary(): fc.Arbitrary<ZonesConfig> {
  return fc
    .tuple(
      fc.array(fc.array(cidrArbitrary(), { minLength: 1, maxLength: 3 }), { maxLength: 6 }),
      fc.array(cidrArbitrary(), { maxLength: 3 }),
    )
    .map(([zoneCidrs, internal]) =>
      zonesConfig(
        zoneCidrs.map((cidrs, i) => [`zone-${i}`, cidrs]),
        internal,
      ),
    );
}
