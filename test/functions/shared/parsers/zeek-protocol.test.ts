import { describe, expect, it } from 'vitest';
import {
  resolveZeekProtocol,
  zeekProtocolHasPorts,
} from '../../../../functions/shared/parsers/zeek-protocol.js';

describe('Function: resolveZeekProtocol', () => {
  it.each([
    ['tcp', null, false, 6],
    ['udp', null, false, 17],
    ['icmp', null, false, 1],
    ['icmp', null, true, 58],
    ['udp', 6, false, 6],
    ['unknown_transport', 47, false, 47],
    ['sctp', null, false, 132],
    [null, 17, false, 17],
  ] as const)('resolves proto %j with ip_proto %j (IPv6: %j) to %i', (proto, ipProto, ipv6, n) => {
    // Act
    const result = resolveZeekProtocol(proto, ipProto, ipv6);

    // Assess
    expect(result).toBe(n);
  });

  it.each([['unknown_transport'], [null], ['carrier-pigeon']] as const)(
    'returns null for proto %j without ip_proto',
    (proto) => {
      // Act
      const result = resolveZeekProtocol(proto, null, false);

      // Assess
      expect(result).toBeNull();
    },
  );
});

describe('Function: zeekProtocolHasPorts', () => {
  it.each([
    [6, true],
    [17, true],
    [132, true],
    [1, true],
    [58, true],
    [47, false],
    [50, false],
  ])('says protocol %i has ports: %j', (protocol, hasPorts) => {
    // Act
    const result = zeekProtocolHasPorts(protocol);

    // Assess
    expect(result).toBe(hasPorts);
  });
});
