import { describe, expect, it } from 'vitest';
import { ipTextFamily, isIpText } from '../../../../functions/shared/parsers/ip-text.js';

describe('Function: ipTextFamily', () => {
  it.each([
    ['192.0.2.10', 4],
    ['0.0.0.0', 4],
    ['255.255.255.255', 4],
    ['2001:db8::1', 6],
    ['2001:DB8:0:0:8:800:200C:417A', 6],
    ['::', 6],
    ['::1', 6],
    ['fe80::1', 6],
    ['::ffff:192.0.2.1', 6],
    ['64:ff9b::198.51.100.7', 6],
  ])('classifies %s as IPv%i', (text, family) => {
    // Act
    const result = ipTextFamily(text);

    // Assess
    expect(result).toBe(family);
  });

  it.each([
    '',
    '-',
    '(empty)',
    '10.0.0',
    '10.0.0.256',
    '10.0.0.1.5',
    '10..0.1',
    '.10.0.1',
    '10.0.0.1.',
    '1000.0.0.1',
    'a.b.c.d',
    'printer.example',
    '2001:db8::g',
    '2001:db8::1%eth0',
    '1:2:3:4:5:6:7:8:9',
    '::ffff:192.0.2',
    '192.0.2.1::',
    '::ffff:1a2.0.2.1',
  ])('rejects %j', (text) => {
    // Act
    const result = ipTextFamily(text);

    // Assess
    expect(result).toBe(0);
  });
});

describe('Function: isIpText', () => {
  it('accepts both families and rejects garbage', () => {
    expect(isIpText('10.1.2.3')).toBe(true);
    expect(isIpText('2001:db8::1')).toBe(true);
    expect(isIpText('10.1.2.300')).toBe(false);
    expect(isIpText('-')).toBe(false);
    expect(isIpText('host.example')).toBe(false);
  });
});
