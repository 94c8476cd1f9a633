/**
 * Small, allocation-free readers for the textual field values of flow exports. Each returns a
 * value or `undefined` when the text is not acceptable, so callers can name the field in the
 * quarantine reason (`dstport: expected an integer 0–65535, got "http"`).
 */

/** Reads a non-negative decimal integer up to 2^53; `undefined` if the text is anything else. */
export function readCount(text: string): number | undefined {
  const len = text.length;
  if (len === 0 || len > 16) {
    return len > 16 && /^\d+$/.test(text) && Number.isSafeInteger(Number(text))
      ? Number(text)
      : undefined;
  }
  let n = 0;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return undefined;
    n = n * 10 + c;
  }
  return n;
}

/** Reads a TCP/UDP port (0–65535). */
export function readPort(text: string): number | undefined {
  const n = readCount(text);
  return n !== undefined && n <= 65535 ? n : undefined;
}

/** Reads a decimal number that may have a fraction (`1655071198.444458`, `-3.5`). */
export function readDecimal(text: string): number | undefined {
  if (text.length === 0 || !/^-?\d+(\.\d*)?([eE][-+]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

/** Formats the expectation and the observed value for a quarantine reason. */
export function badField(field: string, expected: string, got: string): string {
  const shown = got.length > 64 ? `${got.slice(0, 64)}…` : got;
  return `${field}: expected ${expected}, got ${JSON.stringify(shown)}`;
}
