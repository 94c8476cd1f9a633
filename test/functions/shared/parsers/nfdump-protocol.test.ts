import { describe, expect, it } from 'vitest';
import { readNfdumpProtocol } from '../../../../functions/shared/parsers/nfdump-protocol.js';

describe('Parser: nfdump protocol', () => {
  it.each([
    ['TCP', 6],
    ['UDP', 17],
    ['ICMP', 1],
    ['ICMP6', 58],
    ['GRE', 47],
    ['ESP', 50],
    ['Trnk1', 23],
    ['UDP-L', 136],
    ['MPLS', 137],
    ['IDPR', 35],
    ['sctp', 132],
    ['6', 6],
    ['0', 0],
    ['200  ', 200],
    ['255', 255],
  ])('reads %j as %i', (text, number) => {
    expect(readNfdumpProtocol(text)).toBe(number);
  });

  it.each(['', 'BOGUS', '256', '-1', 'TCP6'])('rejects %j', (text) => {
    expect(readNfdumpProtocol(text)).toBeNull();
  });
});
