import { WardflowError } from '../errors.js';

const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** Reads a duration such as `15m`, `1h`, `7d` into milliseconds. */
export function parseDuration(text: string, what: string): number {
  const match = /^(\d+)([smhd])$/.exec(text.trim());
  if (match === null)
    throw new WardflowError(
      `${what}: expected a duration like 15m, 1h or 7d, got ${JSON.stringify(text)}`,
    );
  return Number(match[1]) * (UNIT_MS[match[2] as string] as number);
}
