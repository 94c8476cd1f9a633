import { describe, expect, it } from 'vitest';
import { zeekHistoryToTcpFlags } from '../../../../functions/shared/parsers/zeek-history.js';

describe('Function: zeekHistoryToTcpFlags', () => {
  it.each([
    ['S', 2, 'a lone SYN'],
    ['Sr', 6, 'a rejected attempt (SYN, responder RST)'],
    ['ShA', 18, 'a handshake (SYN, SYN+ACK, ACK)'],
    ['ShADadFf', 19, 'a normal connection'],
    ['ShADadR', 22, 'an originator abort'],
    ['Hr', 22, 'a SYN+ACK answered by RST'],
    ['SI', 7, 'an inconsistent FIN+RST packet'],
    ['Q', 2, 'a SYN+FIN multi-flag packet'],
    ['DdA', 16, 'midstream data: D proves neither PSH nor ACK'],
    ['Dd', 0, 'payload only'],
    ['^hADadfR', 23, 'a flipped connection (letters keep their flags)'],
    ['CcGgTtWwXx', 0, 'checksum, gap, retransmission, window and partial markers'],
    ['', 0, 'an empty history'],
  ])('maps %s to %i: %s', (history, flags) => {
    // Act
    const result = zeekHistoryToTcpFlags(history);

    // Assess
    expect(result).toBe(flags);
  });

  it('ignores characters outside ASCII', () => {
    // Act
    const result = zeekHistoryToTcpFlags('Sé€');

    // Assess
    expect(result).toBe(2);
  });
});
