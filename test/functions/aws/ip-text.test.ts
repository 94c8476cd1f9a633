import { describe, expect, it } from 'vitest';
import { containsIpAddress } from '../../../functions/shared/aws/ip-text.js';

describe('Text: containsIpAddress', () => {
  it.each([
    '10.20.1.7',
    'host 10.20.1.7 scanned',
    'to 203.0.113.66.',
    'zone-10.0.0.1',
    '999.1.2.3',
    'fe80::1',
    'reached 2001:db8::7 twice',
    '::ffff:10.1.2.3',
    '2001:0db8:0000:0000:0000:ff00:0042:8329',
    'cafe::1',
  ])('finds an address in %j', (text) => {
    expect(containsIpAddress(text)).toBe(true);
  });

  it.each([
    'port-scan-horizontal',
    'ehr-db',
    '[wardflow] HIGH beaconing: An internal host calls an external address at regular intervals',
    'at 10:00:00.000 on 2026-11-29',
    'version 1.2.3',
    '164.308(a)(1)(ii)(D)',
    'critical',
    '',
  ])('finds none in %j', (text) => {
    expect(containsIpAddress(text)).toBe(false);
  });
});
