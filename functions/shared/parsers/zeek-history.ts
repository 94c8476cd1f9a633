/**
 * Zeek's `history` string → the OR of the TCP flags it proves were seen.
 *
 * Zeek's TCP analyzer (`update_history`) emits a letter per packet kind; upper case is the
 * originator, lower case the responder. Only letters whose flags are certain are mapped:
 *
 * | letter | Zeek's condition | flags |
 * |---|---|---|
 * | `S` | SYN alone (no FIN/RST), ACK clear | SYN |
 * | `H` | SYN alone, ACK set | SYN, ACK |
 * | `A` | no SYN/FIN/RST, no payload, ACK set | ACK |
 * | `F` | FIN alone (no SYN/RST) | FIN |
 * | `R` | RST alone (no SYN/FIN) | RST |
 * | `I` | FIN and RST together | FIN, RST |
 * | `Q` | SYN with FIN or RST (not both FIN and RST: that is `I`) | SYN |
 *
 * `D` (payload) is deliberately not mapped: it proves data, not PSH, and not even ACK (Zeek does
 * not test ACK for data packets). `C G T W X ^ N` describe checksums, gaps, retransmissions,
 * windows and analysis state, not flags.
 */

const FIN = 1;
const SYN = 2;
const RST = 4;
const ACK = 16;

/** Flags per ASCII code; 0 for every letter that proves no flag. */
const FLAGS_BY_CHAR = buildTable();

function buildTable(): Uint8Array {
  const table = new Uint8Array(128);
  const letters: ReadonlyArray<readonly [string, number]> = [
    ['s', SYN],
    ['h', SYN | ACK],
    ['a', ACK],
    ['f', FIN],
    ['r', RST],
    ['i', FIN | RST],
    ['q', SYN],
  ];
  for (const [letter, flags] of letters) {
    table[letter.charCodeAt(0)] = flags;
    table[letter.toUpperCase().charCodeAt(0)] = flags;
  }
  return table;
}

/**
 * Derives the TCP flags proven by a Zeek connection history.
 *
 * @param history - the `history` value (`ShADadFf`); the empty string proves nothing.
 * @returns the OR of FIN 1, SYN 2, RST 4, ACK 16 over the mapped letters; 0 when none is mapped.
 * @example zeekHistoryToTcpFlags('ShADadFf') // 19 = SYN | ACK | FIN
 */
export function zeekHistoryToTcpFlags(history: string): number {
  let flags = 0;
  for (let i = 0; i < history.length; i++) {
    const code = history.charCodeAt(i);
    if (code < 128) flags |= FLAGS_BY_CHAR[code] ?? 0;
  }
  return flags;
}
